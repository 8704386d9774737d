"""Many at once, on SQLite and PostgreSQL: senders in several processes never
send a message twice; families submitting concurrently through gunicorn all
get a distinct reference that is stored; a worker killed mid-load loses
nothing it acknowledged."""

import datetime
import multiprocessing
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from portal.clock import utcnow
from portal.db.engine import make_engine
from portal.outbox.delivery import background, deliver
from portal.outbox.mailer import SmtpMailer
from portal.outbox.models import Message
from portal.referrals.models import Draft, Referral

from .smtp_server import (
    SHIPPED_CONTENT,
    HttpError,
    HttpFamily,
    SmtpServer,
    deliver_in_process,
    family_answers,
    referral_gunicorn,
    time_limit,
)

LIMIT_SECONDS = 120


@pytest.fixture(autouse=True)
def bounded(request):
    """No test here may hang: past the limit it fails (and cleans up)."""
    with time_limit(LIMIT_SECONDS, request.node.name):
        yield


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def db(database_url):
    engine = make_engine(database_url)
    try:
        yield sessionmaker(engine, expire_on_commit=False)
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------
# Never twice, from several senders at once
# ---------------------------------------------------------------------------

MESSAGES = 200
SENDERS = 4


def test_several_senders_never_send_a_message_twice(database_url, db, smtp):
    with db.begin() as session:
        session.add_all(Message(recipient=f"team{n % 5}@example.org", subject=f"Message {n}",
                                body=f"Body {n}") for n in range(MESSAGES))

    spawn = multiprocessing.get_context("spawn")
    ready, go, results = spawn.Queue(), spawn.Event(), spawn.Queue()
    senders = [spawn.Process(target=deliver_in_process,
                             args=(database_url, smtp.url, ready, go, results),
                             kwargs={"limit": 10, "seconds": 60}, daemon=True)
               for _ in range(SENDERS)]
    try:
        for sender in senders:
            sender.start()
        for _ in senders:
            ready.get(timeout=60)  # every sender has its engine: start them together
        go.set()
        outcomes = [results.get(timeout=90) for _ in senders]
    finally:
        for sender in senders:
            sender.join(10)
            if sender.is_alive():
                sender.kill()  # one of ours, by its handle
                sender.join(5)

    errors = [error for _, _, _, error in outcomes if error]
    assert not errors, errors
    assert sum(sent for _, sent, _, _ in outcomes) == MESSAGES
    assert sum(failed for _, _, failed, _ in outcomes) == 0
    busy = [pid for pid, sent, _, _ in outcomes if sent]
    assert len(busy) >= 2, f"only one sender did any work: {outcomes}"

    received = smtp.wait_for(MESSAGES, seconds=10)
    time.sleep(0.2)
    received = smtp.messages()
    ids = [m["Message-ID"] for m in received]
    subjects = sorted(m["Subject"] for m in received)
    assert len(received) == MESSAGES, f"{len(received)} e-mails for {MESSAGES} messages"
    assert len(set(ids)) == MESSAGES
    assert subjects == sorted(f"Message {n}" for n in range(MESSAGES))
    with db() as session:
        rows = session.scalars(select(Message)).all()
    assert all(m.status == "sent" and m.attempts == 1 and m.claimed_until is None for m in rows)
    assert {int(m.claimed_by.split(":")[1]) for m in rows} == set(busy)


# ---------------------------------------------------------------------------
# The real app under gunicorn
# ---------------------------------------------------------------------------

def app_server(tmp_path, database_url, smtp, workers):
    return referral_gunicorn(tmp_path / "gunicorn", workers=workers, env={
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "PORTAL_INSTANCE_DIR": str(tmp_path / "instance"),
        "PORTAL_CONTENT_DIR": str(SHIPPED_CONTENT),
        "DATABASE_URL": database_url,
        "SMTP_URL": smtp.url,
        "PORTAL_BASE_URL": "https://front-door.example.org",
        "PORTAL_HOSTS": "127.0.0.1",  # the families below ask the server directly
        "TEST_REFERRAL_RATE_LIMIT": "100000 per hour",
        "TEST_SEARCH_REBUILD": "off",
        "TEST_DELIVERY_TIMEOUT": "5",
    })


class Families:
    """Submissions over HTTP; what each family saw is kept."""

    def __init__(self, base):
        self.base = base
        self.lock = threading.Lock()
        self.references = []  # every reference shown on a done page
        self.failures = []  # (step, status) of each journey that failed
        self.statuses = []  # every HTTP status received
        self.count = 0

    def one(self, number):
        family = HttpFamily(self.base, timeout=60)
        try:
            reference = family.submit(family_answers(number))
        except HttpError as exc:
            with self.lock:
                self.failures.append((exc.step, exc.status))
                self.statuses.extend(family.statuses)
            return None
        with self.lock:
            self.references.append(reference)
            self.statuses.extend(family.statuses)
        return reference

    def until(self, deadline, first_number):
        number = first_number
        while time.monotonic() < deadline:
            self.one(number)
            number += 1000


def stored_references(db):
    with db() as session:
        references = session.scalars(select(Referral.reference)).all()
        messages = session.execute(
            select(Message.referral_id, func.count()).group_by(Message.referral_id)).all()
        drafts = session.scalar(select(func.count()).select_from(Draft))
    return references, dict(messages), drafts


def deliver_what_is_left(db, smtp):
    """What cron would do later: every message due (or its lease over) goes."""
    later = utcnow() + datetime.timedelta(minutes=10)
    total = 0
    while True:
        sent, failed = deliver(db, SmtpMailer(smtp.url, 5), "no-reply@example.org",
                               "example.org", limit=200, now=later)
        assert failed == 0
        total += sent
        if sent == 0:
            return total


SUBMISSIONS = 100


def test_concurrent_submissions_each_get_a_stored_reference(tmp_path, database_url, db, smtp):
    with app_server(tmp_path, database_url, smtp, workers=3) as server:
        families = Families(server.base)
        with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
            list(pool.map(families.one, range(SUBMISSIONS)))
        log = server.log_text()

    assert not [s for s in families.statuses if s >= 500], (families.statuses, log[-3000:])
    assert families.failures == [], families.failures
    acknowledged = families.references
    assert len(acknowledged) == SUBMISSIONS
    assert len(set(acknowledged)) == SUBMISSIONS, "a reference was given twice"

    references, messages, drafts = stored_references(db)
    assert sorted(references) == sorted(acknowledged)
    assert len(references) == SUBMISSIONS
    assert len(messages) == SUBMISSIONS and set(messages.values()) == {1}
    assert drafts == 0
    assert "Traceback" not in log, log[-3000:]

    # Every team e-mail went out once, in the request or by the sender later.
    deliver_what_is_left(db, smtp)
    received = smtp.wait_for(SUBMISSIONS)
    time.sleep(0.2)
    received = smtp.messages()
    assert len(received) == SUBMISSIONS
    assert sorted(m["Subject"].split()[2] for m in received) == sorted(acknowledged)


def test_a_worker_killed_mid_load_loses_nothing_acknowledged(tmp_path, database_url, db, smtp):
    with app_server(tmp_path, database_url, smtp, workers=3) as server:
        families = Families(server.base)
        deadline = time.monotonic() + 6
        clients = [threading.Thread(target=families.until, args=(deadline, n), daemon=True)
                   for n in range(16)]
        for client in clients:
            client.start()
        try:
            time.sleep(2)
            before = server.worker_pids()
            assert len(before) == 3
            victim = before[0]
            server.kill_worker(victim)  # kill -9, mid-request
            # gunicorn replaces it
            replaced = time.monotonic() + 30
            while victim in server.worker_pids() or len(server.worker_pids()) < 3:
                assert time.monotonic() < replaced, "gunicorn did not replace the worker"
                time.sleep(0.05)
        finally:
            for client in clients:
                client.join(90)
        after = server.worker_pids()
        # The site still works after the kill.
        families.references.append(HttpFamily(server.base).submit(family_answers(999_999)))

    assert victim not in after and len(after) == 3
    acknowledged = families.references
    print(f"acknowledged {len(acknowledged)}, failed journeys {families.failures}")
    assert len(acknowledged) > 20, f"too little load: {len(acknowledged)}"
    assert len(set(acknowledged)) == len(acknowledged)
    assert not [s for s in families.statuses if s >= 500], families.statuses

    references, messages, _ = stored_references(db)
    missing = set(acknowledged) - set(references)
    assert not missing, f"acknowledged but not stored: {sorted(missing)}"
    # Stored but never acknowledged: only journeys cut off by the kill.
    unacknowledged = set(references) - set(acknowledged)
    assert len(unacknowledged) <= len(families.failures), (unacknowledged, families.failures)
    assert len(messages) == len(references) and set(messages.values()) == {1}

    # Every stored referral's e-mail reaches its team; a repeat is possible
    # only for the messages the killed worker was sending (one a delivery
    # thread at most), with the same Message-ID.
    deliver_what_is_left(db, smtp)
    time.sleep(0.2)
    received = smtp.messages()
    ids = [m["Message-ID"] for m in received]
    assert sorted({m["Subject"].split()[2] for m in received}) == sorted(references)
    assert len(ids) - len(set(ids)) <= background.threads, \
        "more repeats than the killed worker's sends can explain"
