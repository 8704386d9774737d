"""Hold the current snapshot and swap in a new one when files change."""

import logging
import threading
import time

from .. import clock
from .loader import ContentLoader, signature

log = logging.getLogger(__name__)


class ContentStore:
    """The one place a worker gets content from.

    ``snapshot`` is replaced by a single assignment, so a request that took
    it keeps a whole, consistent snapshot while a reload builds the next.
    Changes are noticed by polling a cheap fingerprint of the folder at most
    every ``poll_seconds``; one thread reloads while the others serve. A new
    day reloads too, so a review date that passed overnight is reported.
    """

    def __init__(self, root, poll_seconds=2.0, parse_cache=None):
        self.loader = ContentLoader(root)
        if parse_cache:
            self.loader.restore_cache(parse_cache)
        self.poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._next_check = 0.0
        self._stamps = None
        self._day = None
        self.listeners = []  # called with each new snapshot (e.g. search)
        self.snapshot = self._load()

    def _load(self):
        stamps = signature(self.loader.root)
        day = clock.today()
        snapshot = self.loader.load(stamps, today=day)
        self._stamps, self._day = stamps, day
        # Paths and lines only: content files hold no personal data.
        for problem in snapshot.problems:
            (log.error if problem.is_error else log.warning)("%s", problem)
        log.info("content loaded: %d files, %d pages, %d errors",
                 snapshot.files, len(snapshot.pages), len(snapshot.errors))
        return snapshot

    def refresh_if_due(self):
        """Reload if the poll interval has passed and a file has changed."""
        now = time.monotonic()
        if now < self._next_check or not self._lock.acquire(blocking=False):
            return self.snapshot
        try:
            self._next_check = now + self.poll_seconds
            if signature(self.loader.root) != self._stamps or clock.today() != self._day:
                self.reload()
        finally:
            self._lock.release()
        return self.snapshot

    def reload(self):
        """Read the folder again and swap in the new snapshot."""
        try:
            snapshot = self._load()
        except Exception:  # a broken site.yml must not stop what is served
            log.exception("content reload failed; still serving the last good content")
            return self.snapshot
        self.snapshot = snapshot
        for listener in self.listeners:
            listener(snapshot)
        return snapshot


