"""The team's e-mail against a real SMTP server on loopback, on SQLite and
PostgreSQL: delivered once when the server is up; kept, retried with back-off
and then delivered once when it is down, slow or refusing; never carrying
personal data."""

import datetime
import logging
import threading
import time

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from portal.clock import utcnow
from portal.db.migrate import upgrade
from portal.outbox import delivery
from portal.outbox.delivery import backoff, claim, deliver, renew
from portal.outbox.mailer import Conversation, Mailer, SmtpMailer
from portal.outbox.models import Message
from portal.referrals.models import Referral

from .smtp_server import (
    SmtpServer,
    csrf_token,
    family_answers,
    form_fields,
    personal_data,
    submit_with_test_client,
    time_limit,
)

BASE_URL = "https://front-door.example.org"
INBOX = BASE_URL + "/staff/"
TIMEOUT = 1  # seconds the family waits for the mail server
NORTH = "North locality team"


@pytest.fixture(autouse=True)
def bounded(request):
    """No test here may hang: past the limit it fails (and cleans up)."""
    with time_limit(60, request.node.name):
        yield


@pytest.fixture
def smtp():
    server = SmtpServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_app(make_app, database_url, smtp):
    """The real app (CSRF on) on a fresh database, mailing the test server."""
    app = make_app(DATABASE_URL=database_url, SMTP_URL=smtp.url, DELIVERY_TIMEOUT=TIMEOUT,
                   BASE_URL=BASE_URL, EXTRA_HOSTS=["localhost"], REFERRAL_RATE_LIMIT="1000 per hour")
    yield app
    app.extensions["db"].kw["bind"].dispose()


def sessions_of(app):
    return app.extensions["db"]


def stored(app):
    """All referrals and outbox messages, fresh from the database, once the
    first attempts (made after the response) have been made."""
    delivery.background.settle()
    with sessions_of(app)() as db:
        referrals = db.scalars(select(Referral).order_by(Referral.id)).all()
        messages = db.scalars(select(Message).order_by(Message.id)).all()
        db.expunge_all()
    return referrals, messages


def deliver_now(app, now=None, **kwargs):
    config = app.config
    return deliver(sessions_of(app), SmtpMailer(config["SMTP_URL"], config["DELIVERY_TIMEOUT"]),
                   config["MAIL_FROM"], config["MAIL_DOMAIN"], now=now, **kwargs)


def assert_team_email(email, reference, answers):
    """The e-mail names the reference, the team and the inbox, and nothing personal."""
    assert email["To"] == "north.team@example.org"
    assert email.envelope_to == ["north.team@example.org"]
    body = email.get_content()
    whole = email["Subject"] + "\n" + body
    assert reference in email["Subject"] and reference in body
    assert NORTH in whole
    assert INBOX in body
    raw = email.as_string()
    for item in personal_data(answers):
        assert item not in whole and item not in raw, f"personal data in the e-mail: {item!r}"


def assert_no_personal_data_logged(caplog, answers):
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for item in personal_data(answers):
        assert item not in logged, f"personal data in the log: {item!r}"


def submit(app, number=1):
    answers = family_answers(number)
    started = time.monotonic()
    reference, html = submit_with_test_client(app.test_client(), answers)
    waited = time.monotonic() - started
    # The first attempt at the team's e-mail is made after the response;
    # the tests here go on once it has been.
    delivery.background.settle()
    # The family is told who will contact them, whatever the mail server did.
    assert NORTH in html
    return answers, reference, waited


# ---------------------------------------------------------------------------
# The server is up
# ---------------------------------------------------------------------------

def test_up_delivered_once_with_no_personal_data(mail_app, smtp, caplog):
    caplog.set_level(logging.DEBUG)
    smtp.start()
    answers, reference, _ = submit(mail_app)

    referrals, messages = stored(mail_app)
    assert [r.reference for r in referrals] == [reference]
    assert referrals[0].parent_name == answers["parent_name"]
    assert referrals[0].children[0]["first_name"] == answers["child_name"]
    assert len(messages) == 1
    message = messages[0]
    assert message.referral_id == referrals[0].id
    assert message.status == "sent" and message.attempts == 1 and message.last_error is None
    assert message.sent_at is not None and message.claimed_until is None

    received = smtp.wait_for(1)
    assert len(received) == 1
    assert_team_email(received[0], reference, answers)

    # Nothing more goes, however often the sender runs, whenever.
    assert deliver_now(mail_app) == (0, 0)
    assert deliver_now(mail_app, now=utcnow() + datetime.timedelta(days=30)) == (0, 0)
    result = mail_app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0 and "delivered 0" in result.output
    time.sleep(0.1)
    assert len(smtp.messages()) == 1
    assert_no_personal_data_logged(caplog, answers)


# ---------------------------------------------------------------------------
# The server is down, slow or refusing
# ---------------------------------------------------------------------------

def break_server(smtp, how):
    handler = smtp.handler
    if how == "stopped":
        smtp.start()
        smtp.stop()
    elif how == "nothing-listening":
        pass  # never started: the port is free
    elif how == "slow":
        handler.mode, handler.delay = "slow", TIMEOUT + 2
        smtp.start()
    elif how == "refuses-451":
        handler.mode, handler.reply = "refuse-data", "451 4.3.0 try later"
        smtp.start()
    elif how == "refuses-550":
        handler.mode, handler.reply = "refuse-rcpt", "550 5.7.1 no"
        smtp.start()
    else:
        raise AssertionError(how)


def mend_server(smtp):
    smtp.handler.mode = "accept"
    smtp.start()


EXPECTED_ERROR = {
    "stopped": "unreachable",
    "nothing-listening": "unreachable",
    "slow": "timed out",
    "refuses-451": "refused (451)",
    "refuses-550": "smtp error (SMTPRecipientsRefused)",
}


@pytest.mark.parametrize("how", list(EXPECTED_ERROR))
def test_failed_delivery_is_kept_then_delivered_once(mail_app, smtp, how, caplog):
    caplog.set_level(logging.DEBUG)
    break_server(smtp, how)
    before = utcnow()
    answers, reference, waited = submit(mail_app)
    # The family waited at most about the delivery timeout.
    assert waited < TIMEOUT + 4, waited

    referrals, messages = stored(mail_app)
    assert [r.reference for r in referrals] == [reference]
    assert referrals[0].email == answers["email"]
    (message,) = messages
    assert message.referral_id == referrals[0].id
    assert message.status == "pending"
    assert message.attempts == 1
    assert message.sent_at is None and message.claimed_until is None
    assert message.last_error and message.last_error.startswith(EXPECTED_ERROR[how]), \
        message.last_error
    for item in personal_data(answers) + [reference]:
        assert item not in message.last_error
    # Back-off: the next try is about a minute away.
    wait = message.next_attempt_at - before
    assert datetime.timedelta(seconds=55) < wait < datetime.timedelta(seconds=60 + TIMEOUT + 10)

    # Not due yet: a sender running now leaves it alone, even with the server back.
    mend_server(smtp)
    assert deliver_now(mail_app) == (0, 0)
    assert smtp.messages() == []

    # Due: delivered, once.
    later = message.next_attempt_at + datetime.timedelta(seconds=1)
    assert deliver_now(mail_app, now=later) == (1, 0)
    received = smtp.wait_for(1)
    assert len(received) == 1
    assert_team_email(received[0], reference, answers)
    (message,) = stored(mail_app)[1]
    assert message.status == "sent" and message.attempts == 2 and message.last_error is None

    # And never again.
    assert deliver_now(mail_app, now=later + datetime.timedelta(days=1)) == (0, 0)
    time.sleep(0.1)
    assert len(smtp.messages()) == 1
    assert_no_personal_data_logged(caplog, answers)


def test_a_trickling_server_cannot_keep_the_family_waiting(mail_app, smtp):
    """DELIVERY_TIMEOUT bounds the whole talk, not each step: a server that
    answers every step just in time must not hold the family (and a sync
    worker) for several times the timeout."""
    smtp.handler.mode, smtp.handler.delay = "trickle", 0.9 * TIMEOUT  # 4 steps: 3.6 s
    smtp.start()
    client = mail_app.test_client()
    answers = family_answers(1)
    token = csrf_token(client.get("/en/refer").get_data(as_text=True))
    assert client.post("/en/refer", data=MultiDict(form_fields(answers, token))).status_code == 302
    started = time.monotonic()
    assert client.post("/en/refer/check", data={"csrf_token": token}).status_code == 302
    waited = time.monotonic() - started
    assert waited < TIMEOUT + 1.5, f"the family waited {waited:.1f} s"
    (message,) = stored(mail_app)[1]
    assert message.status == "pending" and message.last_error == "timed out"
    mend_server(smtp)
    assert deliver_now(mail_app, now=message.next_attempt_at) == (1, 0)
    assert len(smtp.wait_for(1)) == 1


def test_a_stalling_server_holds_neither_the_family_nor_a_web_worker(make_app, database_url, smtp):
    """The first attempt is made after the response, by a few background
    threads: the family's answer does not wait for the mail server at all,
    and the outbox does the rest."""
    app = make_app(DATABASE_URL=database_url, SMTP_URL=smtp.url, DELIVERY_TIMEOUT=5,
                   BASE_URL=BASE_URL, EXTRA_HOSTS=["localhost"], REFERRAL_RATE_LIMIT="1000 per hour")
    smtp.handler.mode, smtp.handler.delay = "slow", 8  # stalls past the 5 s timeout
    smtp.start()
    waits = [submit(app, number)[2] for number in range(4)]
    assert max(waits) < 2, f"families waited {waits} s for a stalling mail server"
    outbox_threads = [t for t in threading.enumerate() if t.name.startswith("outbox")]
    assert 1 <= len(outbox_threads) <= 2  # bounded, whatever the number of families
    referrals, messages = stored(app)  # once the attempts are over
    assert len(referrals) == len(messages) == 4
    assert all(m.status == "pending" and m.attempts == 1 and m.last_error == "timed out"
               for m in messages)
    mend_server(smtp)
    assert deliver_now(app, now=max(m.next_attempt_at for m in messages)) == (4, 0)
    assert len(smtp.wait_for(4)) == 4
    app.extensions["db"].kw["bind"].dispose()


def test_a_failed_goodbye_after_acceptance_still_counts_as_sent(mail_app, smtp):
    """Once the server has said 250 to the message, nothing after (a 421 to
    QUIT, a dropped connection) may turn it into a failure: the retry would
    send it twice."""
    smtp.handler.mode = "bad-quit"
    smtp.start()
    _, reference, _ = submit(mail_app)
    (message,) = stored(mail_app)[1]
    assert message.status == "sent" and message.attempts == 1, message.last_error
    smtp.handler.mode = "accept"
    assert deliver_now(mail_app, now=utcnow() + datetime.timedelta(days=1)) == (0, 0)
    time.sleep(0.1)
    assert [reference in m["Subject"] for m in smtp.messages()] == [True]


def test_cli_retries_after_an_outage(mail_app, smtp):
    """`flask outbox deliver` as cron runs it: exit 75 while the server is down."""
    references = [submit(mail_app, number)[1] for number in range(3)]
    assert [m.status for m in stored(mail_app)[1]] == ["pending"] * 3
    runner = mail_app.test_cli_runner()

    def time_passes():
        with sessions_of(mail_app).begin() as db:
            db.execute(update(Message).where(Message.status == "pending")
                       .values(next_attempt_at=utcnow() - datetime.timedelta(seconds=1)))

    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0 and "delivered 0, still pending after a failure 0" in result.output

    time_passes()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 75, result.output
    assert "delivered 0, still pending after a failure 3" in result.output
    assert [m.attempts for m in stored(mail_app)[1]] == [2, 2, 2]

    mend_server(smtp)
    time_passes()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "delivered 3, still pending after a failure 0" in result.output
    time_passes()  # a sent message is never due again
    result = runner.invoke(args=["outbox", "deliver"])
    assert "delivered 0, still pending after a failure 0" in result.output

    received = smtp.wait_for(3)
    assert len(received) == 3
    assert sorted(m["Subject"].split()[2] for m in received) == sorted(references)
    assert all(m.status == "sent" and m.attempts == 3 for m in stored(mail_app)[1])


def queued_while_refused(app, smtp, count):
    """``count`` referrals whose first attempt was refused, due again now;
    the server then accepts. Returns when they are due."""
    smtp.start()
    smtp.handler.mode = "refuse-data"
    for number in range(count):
        submit(app, number)
    smtp.handler.mode = "accept"
    with sessions_of(app).begin() as db:
        db.execute(update(Message).values(next_attempt_at=utcnow() - datetime.timedelta(seconds=1)))


def test_a_run_of_messages_goes_on_one_connection(mail_app, smtp):
    """`outbox deliver` sends what is due on one connection to the mail
    server (a council's relay wants TLS and a login on each), not one each."""
    queued_while_refused(mail_app, smtp, 4)
    before = smtp.handler.greetings
    assert deliver_now(mail_app) == (4, 0)
    assert len(smtp.wait_for(4)) == 4
    assert smtp.handler.greetings - before == 1
    assert all(m.status == "sent" for m in stored(mail_app)[1])


@pytest.mark.parametrize("mode", ["hang-up", "one-a-connection"])
def test_a_connection_the_server_ended_costs_a_new_one_and_nothing_is_lost(mail_app, smtp, mode):
    """A server that hung up (found by the NOOP before each message after the
    first), or answers a connection's second MAIL FROM with 421 (a limit of
    messages a connection), costs a new connection, not a failed attempt;
    no message is sent twice."""
    queued_while_refused(mail_app, smtp, 3)
    smtp.handler.mode = mode
    before = smtp.handler.greetings
    assert deliver_now(mail_app) == (3, 0)
    received = smtp.wait_for(3)
    assert len(received) == 3 and len({m["Message-ID"] for m in received}) == 3
    assert smtp.handler.greetings - before == 3
    assert all(m.status == "sent" and m.attempts == 2 for m in stored(mail_app)[1])


def test_backoff_grows_and_is_capped(mail_app, smtp):
    """1, 2, 4 ... minutes after each failure, at most six hours."""
    submit(mail_app)  # the first try fails: nothing listens
    gaps = []
    for attempt in range(2, 13):
        (message,) = stored(mail_app)[1]
        due = message.next_attempt_at + datetime.timedelta(seconds=1)
        # Just before it is due, nothing is tried.
        assert deliver_now(mail_app, now=due - datetime.timedelta(seconds=3)) == (0, 0)
        tried = utcnow()
        assert deliver_now(mail_app, now=due) == (0, 1)
        (message,) = stored(mail_app)[1]
        assert message.attempts == attempt
        gaps.append(round((message.next_attempt_at - tried).total_seconds() / 60))
    assert gaps == [2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]

    mend_server(smtp)
    due = message.next_attempt_at + datetime.timedelta(seconds=1)
    assert deliver_now(mail_app, now=due) == (1, 0)
    assert len(smtp.wait_for(1)) == 1


def test_backoff_values():
    minutes = [backoff(n).total_seconds() / 60 for n in range(1, 13)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]
    assert backoff(10_000) == datetime.timedelta(hours=6)


# ---------------------------------------------------------------------------
# What "never twice" can and cannot promise
# ---------------------------------------------------------------------------

def test_a_claim_taken_over_after_its_lease_is_no_longer_ours(mail_app, smtp):
    """A sender that holds a batch longer than the lease (a slow server, many
    messages) must not send what another sender has taken over since."""
    smtp.start()
    smtp.handler.mode = "refuse-data"  # the family's immediate try fails
    for number in range(3):
        submit(mail_app, number)
    smtp.handler.mode = "accept"
    due = utcnow() + datetime.timedelta(minutes=2)
    slow = delivery.sender_name()
    assert slow != delivery.sender_name()  # one token per run, even in one process

    with sessions_of(mail_app)() as slow_sender:
        batch = [message.id for message in claim(slow_sender, due, limit=10, worker=slow)]
        assert len(batch) == 3
        # Its own claim is renewable while the lease holds.
        assert renew(slow_sender, batch[0], slow, due + delivery.LEASE)
        # The lease runs out while the slow sender works through its batch;
        # another sender (cron, a minute later, another server) takes over.
        after_lease = due + delivery.LEASE * 2
        assert deliver_now(mail_app, now=after_lease) == (3, 0)
        assert len(smtp.wait_for(3)) == 3
        # The slow sender reaches the messages it claimed long ago: not its own now.
        for message_id in batch:
            assert not renew(slow_sender, message_id, slow, after_lease + delivery.LEASE)
    time.sleep(0.1)
    ids = [m["Message-ID"] for m in smtp.messages()]
    assert len(ids) == 3 and len(set(ids)) == 3, f"sent twice: {ids}"
    assert all(m.status == "sent" and m.attempts == 2 for m in stored(mail_app)[1])


def test_deliver_skips_a_claim_that_ran_out_mid_batch(mail_app, smtp, monkeypatch):
    """The same through ``deliver``: each send of its batch takes most of a
    lease, so the last message's claim runs out before its turn and another
    sender delivers it; the first sender must skip it. Nothing arrives twice."""
    smtp.start()
    smtp.handler.mode = "refuse-data"  # the families' immediate tries fail
    for number in range(3):
        submit(mail_app, number)
    smtp.handler.mode = "accept"
    clock = [utcnow() + datetime.timedelta(minutes=2)]
    monkeypatch.setattr(delivery, "utcnow", lambda: clock[0])
    real_send = Conversation.send  # each message's send in a run on one connection
    sends = []
    other = []

    def slow_send(self, email, message_id):
        real_send(self, email, message_id)
        sends.append(message_id)
        clock[0] += delivery.LEASE * 0.6  # each send takes 3 of the 5 minutes
        if len(sends) == 2 and not other:
            # 6 minutes in: the third claim (taken at 0) ran out; the second
            # (renewed at 3) holds. Another sender runs now.
            other.append(deliver_now(mail_app, now=clock[0]))

    monkeypatch.setattr(Conversation, "send", slow_send)
    first = deliver_now(mail_app)
    assert other == [(1, 0)], "the other sender should take over just the third"
    assert first == (2, 0), first
    time.sleep(0.1)
    ids = [m["Message-ID"] for m in smtp.messages()]
    assert len(ids) == 3 and len(set(ids)) == 3, f"sent twice: {ids}"
    assert all(m.status == "sent" for m in stored(mail_app)[1])


@pytest.fixture
def sqlite_mail_app(make_app, tmp_path, smtp):
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    upgrade(url)
    app = make_app(DATABASE_URL=url, SMTP_URL=smtp.url, DELIVERY_TIMEOUT=TIMEOUT,
                   BASE_URL=BASE_URL, EXTRA_HOSTS=["localhost"], REFERRAL_RATE_LIMIT="1000 per hour")
    yield app
    app.extensions["db"].kw["bind"].dispose()


def test_a_slow_send_does_not_hold_up_submissions(sqlite_mail_app, smtp):
    """While a sender waits on a slow mail server, families can still send:
    no database lock (SQLite's write lock, taken by every transaction) is
    held across the SMTP talk. (PostgreSQL has no such lock to hold.)"""
    mail_app = sqlite_mail_app
    smtp.start()
    smtp.handler.mode = "refuse-data"
    submit(mail_app, 1)
    smtp.handler.mode, smtp.handler.delay = "slow", 4  # stalls; the sender waits 5 s
    config = mail_app.config
    sender = threading.Thread(target=lambda: deliver(
        sessions_of(mail_app), SmtpMailer(smtp.url, 5), config["MAIL_FROM"],
        config["MAIL_DOMAIN"], now=utcnow() + datetime.timedelta(minutes=2)))
    sender.start()
    try:
        time.sleep(0.5)  # the sender is now talking to the server
        client = mail_app.test_client()
        token = csrf_token(client.get("/en/refer").get_data(as_text=True))
        started = time.monotonic()
        answered = client.post("/en/refer", data=MultiDict(form_fields(family_answers(2), token)))
        took = time.monotonic() - started
        assert answered.status_code == 302
        assert sender.is_alive(), "the sender should still be waiting on the server"
        assert took < 2, f"a family's answers waited {took:.1f} s for the database"
    finally:
        sender.join(15)
    smtp.handler.mode = "accept"


def test_a_server_that_accepts_too_late_gets_a_recognisable_repeat(mail_app, smtp):
    """SMTP cannot rule this out: a server that accepts after the sender gave
    up waiting gets the message again on the retry. The repeat must carry
    the same Message-ID so the team's mail system can drop it."""
    smtp.handler.mode, smtp.handler.delay = "slow-data", TIMEOUT + 1
    smtp.start()
    _, reference, _ = submit(mail_app)
    (message,) = stored(mail_app)[1]
    assert message.status == "pending" and message.last_error == "timed out"
    smtp.wait_for(1, seconds=TIMEOUT + 5)  # the late acceptance
    smtp.handler.mode = "accept"
    assert deliver_now(mail_app, now=message.next_attempt_at) == (1, 0)
    received = smtp.wait_for(2)
    assert len(received) == 2
    assert received[0]["Message-ID"] == received[1]["Message-ID"]
    assert all(reference in m["Subject"] for m in received)


def test_a_message_is_given_up_after_many_attempts_and_said_loudly(tmp_path, caplog):
    """After MAX_ATTEMPTS the message is marked failed (the referral stays)."""
    import datetime

    from sqlalchemy.orm import sessionmaker

    from portal.clock import utcnow
    from portal.db.engine import make_engine
    from portal.db.migrate import upgrade
    from portal.outbox import delivery
    from portal.outbox.mailer import DeliveryError
    from portal.outbox.models import Message

    class Refusing(Mailer):
        def send(self, email, message_id):
            raise DeliveryError("refused (550)")

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade(url)
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    with sessions() as session:
        session.add(Message(recipient="north.team@example.org", subject="s", body="b",
                            attempts=delivery.MAX_ATTEMPTS - 1))
        session.commit()
    later = utcnow() + datetime.timedelta(days=30)
    assert delivery.deliver(sessions, Refusing(), "no-reply@example.org", "example.org", now=later) == (0, 1)
    with sessions() as session:
        message = session.query(Message).one()
        assert message.status == "failed" and message.attempts == delivery.MAX_ATTEMPTS
    assert "given up after" in caplog.text
    assert delivery.deliver(sessions, Refusing(), "no-reply@example.org", "example.org",
                            now=later + datetime.timedelta(days=1)) == (0, 0)


def test_healthz_counts_the_teams_email_without_personal_data(referral_app):
    import datetime

    from portal.clock import utcnow
    from portal.outbox.models import Message

    from .conftest import database
    with database(referral_app) as db:
        db.add(Message(recipient="north.team@example.org", subject="s", body="b",
                       created_at=utcnow() - datetime.timedelta(minutes=90)))
        db.add(Message(recipient="north.team@example.org", subject="s", body="b"))
        db.add(Message(recipient="south.team@example.org", subject="s", body="b", status="failed"))
        db.add(Message(recipient="east.team@example.org", subject="s", body="b", status="sent"))
        db.commit()
    response = referral_app.test_client().get("/healthz")
    assert response.status_code == 200
    database_health = response.get_json()["database"]
    assert database_health["reachable"] is True
    outbox = database_health["outbox"]
    assert (outbox["pending"], outbox["failed"]) == (2, 1)
    assert 89 <= outbox["oldest_pending_minutes"] <= 91
    assert b"example.org" not in response.data


def test_healthz_stays_up_and_says_so_when_the_database_is_not(make_app, tmp_path, caplog):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/no/such/folder/portal.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    assert response.get_json()["database"] == {"reachable": False}
    assert "healthz: the database did not answer (OperationalError)" in caplog.text
    assert app.test_client().get("/en/hubs/adswood").status_code == 200  # the site is still up


def test_a_first_attempt_that_never_came_is_left_to_outbox_deliver(mail_app, smtp, monkeypatch):
    """An e-mail is stored already claimed for its first attempt in this
    process, so `outbox deliver` (on any server) leaves it alone meanwhile;
    if the process never makes that attempt (it died, or its attempts were
    busy), the claim runs out after FIRST_LEASE and the outbox sends it."""
    smtp.start()
    monkeypatch.setattr(delivery.background, "submit", lambda app, messages: None)  # a dead process
    _, reference, _ = submit(mail_app)
    (message,) = stored(mail_app)[1]
    assert message.status == "pending" and message.attempts == 0
    assert message.claimed_by and message.claimed_until > utcnow()
    assert deliver_now(mail_app) == (0, 0)  # still this process's to try
    later = message.claimed_until + datetime.timedelta(seconds=1)
    assert later - message.created_at <= delivery.FIRST_LEASE + datetime.timedelta(seconds=5)
    assert deliver_now(mail_app, now=later) == (1, 0)
    (email,) = smtp.wait_for(1)
    assert reference in email["Subject"]
