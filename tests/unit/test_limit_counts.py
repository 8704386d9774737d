"""memory:// rate limits count as limits' MemoryStorage does, without a thread per request."""

import threading
import time

import pytest
from limits import RateLimitItemPerHour
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from portal.extensions import limiter
from portal.security.limit_counts import SweptMemoryStorage  # registered for memory://


@pytest.fixture
def threads_started(monkeypatch):
    started = []
    original = threading.Thread.start

    def counted(thread):
        started.append(thread)
        return original(thread)
    monkeypatch.setattr(threading.Thread, "start", counted)
    return started


def test_memory_uri_means_the_swept_storage():
    assert type(storage_from_string("memory://")) is SweptMemoryStorage


def test_limits_still_has_the_private_steps_it_overrides():
    # If limits renames them, the override would silently stop applying.
    assert callable(getattr(MemoryStorage, "_MemoryStorage__schedule_expiry", None))
    assert callable(getattr(MemoryStorage, "_MemoryStorage__expire_events", None))


def test_counted_requests_start_no_thread_and_count_as_before(threads_started):
    swept = FixedWindowRateLimiter(SweptMemoryStorage())
    plain = FixedWindowRateLimiter(MemoryStorage())
    limit = RateLimitItemPerHour(3)
    threads_started.clear()
    answers = []
    for _ in range(5):
        answers.append(swept.hit(limit, "203.0.113.7"))
        time.sleep(0.02)  # past MemoryStorage's 10 ms timer each time
    assert answers == [True, True, True, False, False]
    assert threads_started == []
    # The same hits on limits' own storage answer the same, starting threads.
    assert [plain.hit(limit, "203.0.113.7") for _ in range(5)] == answers
    assert threads_started


def test_expired_counters_are_swept_by_a_later_request():
    storage = SweptMemoryStorage()
    storage.SWEEP_EVERY = 0.0
    storage.incr("gone", expiry=0.01)
    time.sleep(0.05)
    storage.incr("kept", expiry=60)
    assert "gone" not in storage.storage and "gone" not in storage.expirations
    assert storage.get("kept") == 1


def test_the_app_counts_in_the_swept_storage(make_app):
    make_app()
    assert isinstance(limiter.storage, SweptMemoryStorage)
