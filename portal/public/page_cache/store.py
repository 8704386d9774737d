"""Keep whole responses for a minute in each worker, with a cap in bytes."""

import threading
from dataclasses import dataclass

from cachetools import TTLCache

# The cap counts the bytes of the encoded bodies. Characters would not do:
# a page carrying Urdu, Bengali and Chinese in its language switcher is
# held by Python as two bytes a character, so a cap in characters let the
# cache grow to twice its size. 20 MiB of bodies (about 2,200 pages, 23 MiB
# with keys and headers) keeps a worker under 150 MB with 1,000 files and
# every address asked for: with 32 MiB it peaked at 159 MB (README).
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A response as it was sent: status line, headers and body bytes.

    ``lang`` is the page's language: a reader whose language cookie is not
    that one gets the cookie added, as the page itself would add it.
    """

    status: str
    headers: tuple  # (name, value) pairs, without the language cookie
    body: bytes
    lang: str

    def __len__(self):
        """The size the cache's cap counts: the body's bytes."""
        return len(self.body)


class PageCache:
    """Values by key, at most ``max_bytes`` of them (``len`` of each), with hit and miss counts."""

    def __init__(self, seconds, max_bytes=MAX_BYTES):
        self._lock = threading.Lock()
        self._pages = TTLCache(maxsize=max_bytes, ttl=seconds, getsizeof=len)
        self.hits = 0
        self.misses = 0

    def get(self, key):
        """Return the value kept for ``key`` or None, counting a hit or a miss."""
        with self._lock:
            value = self._pages.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
            return value

    def find(self, key):
        """Return the value kept for ``key``, counting only a hit (most addresses are no page)."""
        with self._lock:
            value = self._pages.get(key)
            if value is not None:
                self.hits += 1
            return value

    def put(self, key, value):
        """Keep ``value`` unless it alone would take an eighth of the cache."""
        if len(value) < self._pages.maxsize // 8:
            with self._lock:
                self._pages[key] = value

    def stats(self):
        """Counts for /healthz: pages and bytes held, the cap, hits and misses."""
        with self._lock:
            self._pages.expire()
            return {"pages": len(self._pages), "bytes": self._pages.currsize,
                    "max_bytes": self._pages.maxsize, "hits": self.hits,
                    "misses": self.misses}
