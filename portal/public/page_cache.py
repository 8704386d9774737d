"""Keep rendered public pages for a minute in each worker.

Rendering a page costs about a millisecond; a busy hour asks for the same
few hundred pages again and again. A page is kept per content snapshot and
full address (query included), and the remembered area (a page that lists
things shows the parent's area), for at most PAGE_CACHE_SECONDS: "open now"
and "coming up" stay right to the minute, and an edited file makes a new
snapshot, so it is never served stale. Only the body is kept, encoded once
as the UTF-8 bytes that are sent: cookies and headers are made afresh for
each request.
"""

import functools
import threading

from cachetools import TTLCache
from flask import current_app, make_response, request

from ..content.web import snapshot
from ..editors.preview import editing
from .area import remembered_id

# The cap counts the bytes of the encoded bodies. Characters would not do:
# a page carrying Urdu, Bengali and Chinese in its language switcher is
# held by Python as two bytes a character, so a cap in characters let the
# cache grow to twice its size.
MAX_BYTES = 32 * 1024 * 1024


class PageCache:
    """Encoded page bodies by key, at most ``max_bytes`` of them, with hit and miss counts."""

    def __init__(self, seconds, max_bytes=MAX_BYTES):
        self._lock = threading.Lock()
        self._pages = TTLCache(maxsize=max_bytes, ttl=seconds, getsizeof=len)
        self.hits = 0
        self.misses = 0

    def get(self, key):
        with self._lock:
            body = self._pages.get(key)
            if body is None:
                self.misses += 1
            else:
                self.hits += 1
            return body

    def put(self, key, body):
        """Keep ``body`` (bytes) unless it alone would take an eighth of the cache."""
        if len(body) < self._pages.maxsize // 8:
            with self._lock:
                self._pages[key] = body

    def stats(self):
        """Counts for /healthz: pages and bytes held, the cap, hits and misses."""
        with self._lock:
            self._pages.expire()
            return {"pages": len(self._pages), "bytes": self._pages.currsize,
                    "max_bytes": self._pages.maxsize, "hits": self.hits,
                    "misses": self.misses}


def init_app(app):
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_SECONDS"])


def cached(view):
    """Serve a GET view's HTML from the cache when the content has not changed.

    An editor's page (drafts, problems, "Edit this page") is never kept,
    here or by any browser or proxy.
    """
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if editing():
            response = make_response(view(*args, **kwargs))
            response.headers["Cache-Control"] = "no-store"
            return response
        cache = current_app.extensions["page_cache"]
        key = (snapshot().fingerprint, request.full_path, remembered_id())
        body = cache.get(key)
        if body is None:
            body = view(*args, **kwargs).encode()
            cache.put(key, body)
        return body
    return wrapper
