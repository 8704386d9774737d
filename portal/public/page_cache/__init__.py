"""Keep rendered public pages for a minute in each worker.

Rendering a page costs about a millisecond; a busy hour asks for the same
few hundred pages again and again. A page is kept per content snapshot,
full address (query included) and remembered area (a page that lists
things shows the parent's area), for at most PAGE_CACHE_SECONDS: "open
now" and "coming up" stay right to the minute, and an edited file makes a
new snapshot, so it is never served stale.

``view.cached`` renders a page and marks its response as one that may be
kept; ``front.PageFront``, a WSGI layer in front of Flask, keeps the whole
response (status, headers, encoded bytes) and answers the next request for
it without Flask. ``store.PageCache`` holds them, capped in bytes.
"""

from .front import PageFront
from .store import MAX_BYTES, PageCache, StoredPage
from .view import cached

__all__ = ["MAX_BYTES", "PageCache", "PageFront", "StoredPage", "cached", "init_app"]


def init_app(app):
    """Make the worker's cache and put its front before Flask.

    Call it before anything else wraps ``app.wsgi_app``: the refusal of
    unknown hosts and ProxyFix must run before a kept page is served.
    """
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_SECONDS"])
    app.wsgi_app = PageFront(app.wsgi_app, app)
