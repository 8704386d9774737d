"""The first attempts' threads (outbox.delivery.Background): every message
submitted is tried once, in batches, and past the slots none is queued."""

import threading
from types import SimpleNamespace

from flask import Flask

from portal.outbox import delivery


def test_every_message_is_tried_once_however_they_are_batched(monkeypatch):
    tried, lock = [], threading.Lock()

    def try_now(messages):
        with lock:
            tried.append([message.id for message in messages])

    monkeypatch.setattr(delivery, "try_now", try_now)
    background = delivery.Background(threads=2, slots=64, batch=4)
    app = Flask(__name__)
    background.submit(app, [SimpleNamespace(id=n) for n in range(10)])  # more than a batch
    assert background.settle(10)
    for n in range(10, 13):
        background.submit(app, [SimpleNamespace(id=n)])
    assert background.settle(10)
    assert sorted(i for batch in tried for i in batch) == list(range(13))
    assert all(1 <= len(batch) <= 4 for batch in tried)


def test_past_its_slots_a_message_is_left_for_the_outbox(monkeypatch, caplog):
    release = threading.Event()
    tried = []

    def try_now(messages):
        release.wait(10)
        tried.extend(message.id for message in messages)

    monkeypatch.setattr(delivery, "try_now", try_now)
    background = delivery.Background(threads=1, slots=3, batch=2)
    app = Flask(__name__)
    background.submit(app, [SimpleNamespace(id=n) for n in range(5)])
    release.set()
    assert background.settle(10)
    assert sorted(tried) == [0, 1, 2]
    assert [r.getMessage().split()[2] for r in caplog.records
            if "left for `outbox deliver`" in r.getMessage()] == ["3", "4"]
