"""The view side: render a page once, and let the front keep the whole response."""

import functools

from flask import current_app, g, make_response, request, session

from ...content.web import snapshot
from ...editors.preview import editing
from .key import page_key

# Put in the WSGI environ by the front for a request it may keep the answer to.
SLOT = "portal.page_cache"


class Slot:
    """What the view tells the front: this response may be kept, under this key."""

    __slots__ = ("key", "lang")

    def __init__(self):
        self.key = None
        self.lang = None


def cached(view):
    """Render a GET view's HTML at most once a minute per address, area and content.

    The body of a kept page is served again to a request the front could
    not answer itself (one with a session or editor cookie). An editor's
    page (drafts, problems, "Edit this page") is never kept, here or by any
    browser or proxy.
    """
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if editing():
            response = make_response(view(*args, **kwargs))
            response.headers["Cache-Control"] = "no-store"
            return response
        key = page_key(request.environ, snapshot(), request.cookies)
        kept = current_app.extensions["page_cache"].get(key)
        if kept is not None:
            return kept.body
        body = view(*args, **kwargs).encode()
        slot = request.environ.get(SLOT)
        if slot is not None and not _session_read():
            slot.key, slot.lang = key, g.get("lang")
        return body
    return wrapper


def _session_read():
    """Whether anything read the cookie session (then the page may depend on it)."""
    return getattr(session._get_current_object(), "loaded", True)
