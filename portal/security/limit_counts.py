"""Where one server counts its rate limits: ``memory://``, swept without threads.

limits' ``MemoryStorage`` clears expired counters in a ``threading.Timer``
that it starts 10 ms ahead whenever a counted request finds no timer
running. At a steady trickle of counted requests that is a new thread for
most of them: with the referral benchmark's journeys in-process (issue 18),
0.7 to 0.9 threads started a referral, about 5% of its CPU.

``SweptMemoryStorage`` counts exactly as ``MemoryStorage`` does. Only the
clearing differs: the counted request that finds the last sweep more than
``SWEEP_EVERY`` seconds old sweeps, in its own thread, and no thread is
started. An expired counter is also dropped whenever it is next read (as
in ``MemoryStorage``), so the sweep only bounds the memory held for
clients that never come back.

It takes over the ``memory`` scheme in limits' registry of storages (a
subclass that names a scheme is registered for it when it is defined), so
``RATELIMIT_STORAGE_URI=memory://`` keeps its meaning and its name:
``create_app`` imports this module before the limiter opens its storage. It
overrides the one private step (``__schedule_expiry``) that starts the
timer; ``tests/unit/test_limit_counts.py`` fails if limits renames it.
"""

import threading
import time

from limits.storage import MemoryStorage


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["memory"]
    SWEEP_EVERY = 10.0  # seconds

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timer.cancel()  # the first timer MemoryStorage starts; none after it
        self._sweep_lock = threading.Lock()
        self._swept_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self):  # noqa: N802 (MemoryStorage's private name)
        now = time.monotonic()
        if now - self._swept_at < self.SWEEP_EVERY or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._swept_at = now
            self._MemoryStorage__expire_events()
        finally:
            self._sweep_lock.release()
