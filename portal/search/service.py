"""Bind search to the app: one open index per worker thread, reopened only
when the `current` pointer moves, and a rebuild started when content changes."""

import logging
import threading
import time
from collections import deque

from flask import current_app

from .builder import rebuild, rebuild_in_background
from .generations import Generations, damage

log = logging.getLogger(__name__)


class SearchService:
    REPAIR_SECONDS = 60  # at most one repair started per process this often

    def __init__(self, content_dir, search_dir, mode):
        self.content_dir = content_dir
        self.search_dir = search_dir
        self.mode = mode  # "process" on servers, "inline" in tests, "off"
        self.generations = Generations(search_dir)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._damage = {}  # generation folder -> what is wrong with it, or None
        self.problems = deque(maxlen=5)  # the latest, for /healthz
        self._repaired_at = None

    def index(self):
        """Return this thread's open index: the current generation if it is
        whole, else the newest whole one on disk while a repair runs, or None
        when there is none yet."""
        folder = self._whole()
        cached = getattr(self._local, "index", None)
        if folder is None or (cached is not None and cached.folder == folder):
            return cached if folder is not None else None
        try:
            # The engine (numpy, Whoosh: about 16 MB) is imported by a
            # worker's first search, not by every worker at start.
            from .engine import Index
            fresh = Index(folder)
        except Exception as exc:  # noqa: BLE001 - unreadable: never this one again
            self.failed(folder, exc)
            return self.index()
        if cached is not None:
            cached.close()
        self._local.index = fresh
        return fresh

    def _whole(self):
        """The current generation if whole; else repair, and the newest whole one."""
        current = self.generations.current()
        if current is not None and self._checked(current) is None:
            # Whole when first opened; a file cut short since would crash
            # the worker the moment a query reads past its new end.
            cut = damage(current, quick=True)
            if cut is None:
                return current
            self.failed(current, cut)
        self.repair(force=current is not None)  # missing, or damaged
        for folder in [self.generations.current()] + self.generations.others():
            if folder is not None and self._checked(folder) is None:
                return folder
        return None

    def _checked(self, folder):
        """What is wrong with a generation (checked once per process), or None."""
        with self._lock:
            if folder not in self._damage:
                self._damage[folder] = damage(folder)
                if self._damage[folder]:
                    self._report(self._damage[folder])
            return self._damage[folder]

    def failed(self, folder, what):
        """A generation failed in use (an exception, or what is wrong with its
        files): never use it again in this process, and repair."""
        with self._lock:
            self._damage[folder] = what if isinstance(what, str) else \
                f"{folder.name}: {type(what).__name__} while searching"
            self._report(self._damage[folder])
        self.repair()

    def _report(self, problem):
        log.error("search index damaged: %s; serving another generation and rebuilding", problem)
        self.problems.append(problem)

    def repair(self, force=True):
        """Build a whole new generation (``force``: not a copy of a damaged
        one), at most once per REPAIR_SECONDS in this process."""
        now = time.monotonic()
        if self.mode == "off" or (self._repaired_at is not None and
                                  now - self._repaired_at < self.REPAIR_SECONDS):
            return
        self._repaired_at = now
        if self.mode == "inline":
            rebuild(self.content_dir, self.search_dir, force=force)
        else:
            rebuild_in_background(self.content_dir, self.search_dir, force=force)

    def health(self):
        """The generation served and the latest problems, for /healthz."""
        served = self._whole()
        return {"generation": served.name if served else None, "problems": list(self.problems)}

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
