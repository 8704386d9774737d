"""Keep rendered public pages for a minute in each worker.

Rendering a page costs about a millisecond; a busy hour asks for the same
few hundred pages again and again. A page is kept per content snapshot and
full address (query included), and the remembered area (a page that lists
things shows the parent's area), for at most PAGE_CACHE_SECONDS: "open now"
and "coming up" stay right to the minute, and an edited file makes a new
snapshot, so it is never served stale. Only the body is kept: cookies and
headers are made afresh for each request.
"""

import functools
import threading

from cachetools import TTLCache
from flask import current_app, request

from ..content.web import snapshot
from .area import remembered_id

MAX_BYTES = 32 * 1024 * 1024


class PageCache:
    def __init__(self, seconds):
        self._lock = threading.Lock()
        self._pages = TTLCache(maxsize=MAX_BYTES, ttl=seconds, getsizeof=len)

    def get(self, key):
        with self._lock:
            return self._pages.get(key)

    def put(self, key, body):
        if len(body) < MAX_BYTES // 8:
            with self._lock:
                self._pages[key] = body


def init_app(app):
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_SECONDS"])


def cached(view):
    """Serve a GET view's HTML from the cache when the content has not changed."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        cache = current_app.extensions["page_cache"]
        key = (snapshot().fingerprint, request.full_path, remembered_id())
        body = cache.get(key)
        if body is None:
            body = view(*args, **kwargs)
            cache.put(key, body)
        return body
    return wrapper
