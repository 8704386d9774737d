"""Bind search to the app: one open index per worker thread, reopened only
when the `current` pointer moves, and a rebuild started when content changes."""

import logging
import threading

from flask import current_app

from .builder import rebuild, rebuild_in_background
from .engine import Index
from .generations import Generations

log = logging.getLogger(__name__)


class SearchService:
    def __init__(self, content_dir, search_dir, mode):
        self.content_dir = content_dir
        self.search_dir = search_dir
        self.mode = mode  # "process" on servers, "inline" in tests, "off"
        self.generations = Generations(search_dir)
        self._local = threading.local()

    def index(self):
        """Return this thread's open index for the current generation, or None."""
        current = self.generations.current()
        if current is None:
            return None
        cached = getattr(self._local, "index", None)
        if cached is not None and cached.folder == current:
            return cached
        try:
            fresh = Index(current)
        except Exception:  # half-deleted or unreadable: keep what we had
            log.exception("could not open search index %s", current.name)
            return cached
        if cached is not None:
            cached.close()
        self._local.index = fresh
        return fresh

    def content_changed(self, snapshot):
        """Make sure an index for this snapshot is (being) built."""
        if self.mode == "off" or self.generations.fingerprint() == snapshot.fingerprint:
            return
        if self.mode == "inline":
            rebuild(self.content_dir, self.search_dir, snapshot=snapshot)
        else:
            rebuild_in_background(self.content_dir, self.search_dir)


def init_app(app):
    store = app.extensions["content"]
    service = SearchService(app.config["CONTENT_DIR"], app.config["SEARCH_DIR"],
                            app.config["SEARCH_REBUILD"])
    app.extensions["search"] = service
    store.listeners.append(service.content_changed)
    service.content_changed(store.snapshot)


def search_service():
    return current_app.extensions["search"]
