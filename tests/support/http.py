"""A browser over real HTTP: http.client, a new connection per request
(gunicorn's sync workers close each one), and its own cookies."""

import http.client
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
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=thu, 01 jan 1970" in value.lower() or cookie_value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        self.statuses.append(response.status)
        return response.status, response.getheader("Location") or "", data.decode("utf-8", "replace")
