"""A browser over real HTTP: a new connection per request (gunicorn's sync
workers close each one), and its own cookies.

``HttpClient`` speaks through ``http.client``. ``LeanHttpClient`` writes the
request and reads the reply on a plain socket, for load generators: on a
2-core machine the client shares the CPUs with the server it measures, and
``http.client`` (its header parsing above all) cost about a sixth of them.
"""

import http.client
import socket
import urllib.parse


class HttpClient:
    """One browser. Cookies are kept by hand (name=value), so a Secure session
    cookie from a production config is still sent back over plain HTTP on
    loopback."""

    def __init__(self, base, timeout=30):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies = {}
        self.statuses = []

    def request(self, method, path, fields=None):
        """Return (status, Location or "", body text)."""
        headers = {"Accept-Language": "en"}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, reply_headers, data = self.exchange(method, path, body, headers)
        location = ""
        for header, value in reply_headers:
            header = header.lower()
            if header == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=thu, 01 jan 1970" in value.lower() or cookie_value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
            elif header == "location":
                location = value
        self.statuses.append(status)
        return status, location, data.decode("utf-8", "replace")

    def exchange(self, method, path, body, headers):
        """Send one request; return (status, [(header, value)], body bytes)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        return response.status, response.getheaders(), data


class LeanHttpClient(HttpClient):
    """The same browser on a plain socket: HTTP/1.1 with ``Connection:
    close``, the reply read until the server closes. Only for servers that
    close every connection and send no chunked bodies (gunicorn's sync
    workers and this app); anything else raises ``http.client.HTTPException``."""

    def exchange(self, method, path, body, headers):
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        payload = body.encode() if body is not None else b""
        if body is not None:
            lines.append(f"Content-Length: {len(payload)}")
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload
        with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
            sock.sendall(request)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        head, separator, data = b"".join(chunks).partition(b"\r\n\r\n")
        if not separator:
            raise http.client.IncompleteRead(head)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        reply_headers = [tuple(part.strip() for part in line.split(":", 1))
                         for line in header_lines]
        length = next((int(value) for name, value in reply_headers
                       if name.lower() == "content-length"), None)
        if any(name.lower() == "transfer-encoding" for name, _ in reply_headers) or (
                length is not None and length != len(data)):
            raise http.client.HTTPException(f"{status_line}: a reply this client cannot read")
        return int(status_line.split(" ", 2)[1]), reply_headers, data
