"""Answer a request for a kept page before Flask sees it.

A kept page is sent exactly as Flask sent it when it was made: the same
status, the same headers (security headers, Vary, Content-Type and
Length) and the same bytes, so a hit costs a dictionary look-up instead of
Flask's routing, hooks and response object. The front sits inside ProxyFix
and the refusal of unknown hosts, which still run first.

Only what cannot differ from one reader to the next is kept or served
here: a GET or HEAD without a session, remember-me or editor cookie (those
go to Flask, which checks who is asking), answered 200 by a cached view
that did not read the session, and whose only cookie is the language one.
That cookie is added again to each reader whose own does not name the
page's language, as Flask would. Everything else, errors and redirects
included, goes to Flask and is never kept.
"""

from types import MappingProxyType

from werkzeug.http import parse_cookie

from ...editors.preview import HINT
from ...i18n.choice import COOKIE as LANGUAGE_COOKIE
from ...i18n.locale import cookie_to_remember
from .key import page_key
from .store import StoredPage
from .view import SLOT, Slot

# A plain mapping: a MultiDict's get() of a missing name builds an exception.
NO_COOKIES = MappingProxyType({})


class PageFront:
    """WSGI middleware that serves kept pages and keeps the ones Flask makes."""

    def __init__(self, wsgi_app, app):
        self.wsgi_app = wsgi_app
        self.app = app
        self.private = (app.config["SESSION_COOKIE_NAME"],
                        app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), HINT)
        self.secure = app.config["SESSION_COOKIE_SECURE"]

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method != "GET" and method != "HEAD":
            return self.wsgi_app(environ, start_response)
        raw = environ.get("HTTP_COOKIE")
        try:
            cookies = parse_cookie(raw) if raw else NO_COOKIES
        except UnicodeDecodeError:  # not UTF-8: Flask reads such a header its own way
            return self.wsgi_app(environ, start_response)
        if raw and any(name in cookies for name in self.private):
            return self.wsgi_app(environ, start_response)
        cache = self.app.extensions["page_cache"]
        snapshot = self.app.extensions["content"].refresh_if_due()
        page = cache.find(page_key(environ, snapshot, cookies))
        if page is not None:
            return self._send(page, cookies, method, start_response)
        return self._make(environ, start_response, cookies, cache)

    def _send(self, page, cookies, method, start_response):
        headers = list(page.headers)
        cookie = cookie_to_remember(page.lang, cookies.get(LANGUAGE_COOKIE), self.secure)
        if cookie:
            headers.append(("Set-Cookie", cookie))
        start_response(page.status, headers)
        return [page.body] if method == "GET" else []

    def _make(self, environ, start_response, cookies, cache):
        """Let Flask answer; keep the answer if the view said it may be kept."""
        slot = environ[SLOT] = Slot()
        sent = []

        def remember(status, headers, exc_info=None):
            sent[:] = (status, headers)
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember)
        if slot.key is None or environ["REQUEST_METHOD"] != "GET" or not sent or \
                not sent[0].startswith("200 "):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = self._shareable(sent[1], slot.lang, cookies)
        if headers is not None:
            cache.put(slot.key, StoredPage(sent[0], headers, data, slot.lang))
        return [data]

    def _shareable(self, headers, lang, cookies):
        """Return the headers to keep (without the language cookie), or None
        if the response set any other cookie."""
        headers = list(headers)
        cookie = cookie_to_remember(lang, cookies.get(LANGUAGE_COOKIE), self.secure)
        if cookie:
            if not headers or headers[-1] != ("Set-Cookie", cookie):
                return None  # not where, or not what, the front would add
            headers.pop()
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return None
        return tuple(headers)
