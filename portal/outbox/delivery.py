"""Deliver queued e-mails: claim, send, record; retry with back-off.

Safe to run from several servers at once: a sender first claims messages
(on PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, and
on every database the claim is a compare-and-set UPDATE), so two senders
never hold the same message. Late in a long batch (a slow server) the
sender renews its claim before each send, and skips a message whose lease
ran out and was taken over by another sender meanwhile. No database
transaction is held open while the mail server is talked to. A message is
marked sent in the same moment the server accepts it; only a crash between
the two (or a server that accepts after we stopped waiting) can repeat it,
and the repeat carries the same Message-ID.

A message's first attempt is made by the process that stored it, just
after the response, in a background thread. That message is stored already
claimed (``queue``), in the transaction that stores its cause,
so the first attempt needs no claim of its own; if the process never gets
to it, the claim runs out after ``FIRST_LEASE`` and ``outbox deliver``
takes the message.
"""

import datetime
import logging
import os
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, insert, or_, select, update

from ..clock import utcnow
from ..db.engine import session_factory
from .mailer import DeliveryError, compose, mailer_for
from .models import Message

log = logging.getLogger(__name__)
OUTBOX = Message.__table__
LEASE = datetime.timedelta(minutes=5)
FIRST_LEASE = datetime.timedelta(minutes=1)
MAX_BACKOFF_MINUTES = 6 * 60
MAX_ATTEMPTS = 40


def backoff(attempts):
    """Wait 1, 2, 4, ... minutes after each failure, at most six hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


def _due(now):
    return (
        (Message.status == "pending")
        & (Message.next_attempt_at <= now)
        & or_(Message.claimed_until.is_(None), Message.claimed_until < now)
    )


# The claim's two statements, built once: building them afresh cost more
# than running them.
_CLAIM = (update(OUTBOX)
          .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)), _due(bindparam("now")))
          .values(claimed_until=bindparam("until"), claimed_by=bindparam("worker")))
_CLAIMED = (select(Message)
            .where(Message.id.in_(bindparam("ids", expanding=True)),
                   Message.claimed_by == bindparam("worker"))
            .order_by(Message.id).execution_options(populate_existing=True))
# An attempt's outcome: the columns to set come with the values.
_RECORD = update(OUTBOX).where(OUTBOX.c.id == bindparam("message_id"))


def sender_name():
    """This host and process, and a token per run: two runs in one process
    (threads, or a run after an earlier one's lease ran out) differ."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Unsent:
    """A message stored by ``queue``, as its first attempt needs it."""

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime.datetime
    attempts: int
    claimed_by: str
    claimed_until: datetime.datetime


_QUEUE = insert(OUTBOX).returning(OUTBOX.c.id, sort_by_parameter_order=True)


def queue(session, messages):
    """Store e-mails (dicts: recipient, subject, body, referral_id) in the
    session's transaction, claimed for their first attempt by this process
    for ``FIRST_LEASE``; return them as ``Unsent``, for ``deliver_soon``
    once the transaction is committed."""
    now = utcnow()
    claim = {"claimed_by": sender_name(), "claimed_until": now + FIRST_LEASE}
    rows = [{**message, "created_at": now, "next_attempt_at": now, "status": "pending",
             "attempts": 0, **claim} for message in messages]
    ids = session.execute(_QUEUE, rows).scalars().all()
    return [Unsent(id=message_id, recipient=row["recipient"], subject=row["subject"],
                   body=row["body"], created_at=now, attempts=0, **claim)
            for message_id, row in zip(ids, rows)]


def claim(session, now, limit=50, worker=None):
    """Claim up to ``limit`` due messages for this sender; return them.

    One compare-and-set UPDATE claims them all, and they are read in the
    claim's own transaction: however many there are, the claim takes one
    turn of the database's write lock (SQLite).
    """
    worker = worker or sender_name()
    with session.begin():
        query = select(Message.id).where(_due(now)).order_by(Message.id).limit(limit)
        candidates = session.scalars(query.with_for_update(skip_locked=True)).all()
        if not candidates:
            return []
        session.execute(_CLAIM, {"ids": candidates, "now": now, "until": now + LEASE,
                                 "worker": worker})
        # Ours are those this run's name is now on (a run's name is unique).
        return session.scalars(_CLAIMED, {"ids": candidates, "worker": worker}).all()


def renew(session, message_id, worker, until):
    """Extend our claim on a message until ``until``; False if it is no longer
    ours (its lease ran out and another sender took it, or it was sent)."""
    result = session.execute(
        update(Message)
        .where(Message.id == message_id, Message.claimed_by == worker,
               Message.status == "pending")
        .values(claimed_until=until)
    )
    session.commit()
    return result.rowcount == 1


def _record(session, message, **outcome):
    """Write one attempt's outcome: a plain UPDATE of the row, committed at
    once, so on SQLite the write lock is held for that statement alone."""
    session.execute(_RECORD, {"message_id": message.id, **outcome})
    session.commit()


def send_claimed(session, conversation, message, sender, domain):
    """Send one claimed message in a mailer's conversation and record the
    outcome. Return True if sent.

    A message that cannot be made into an e-mail (a carriage return in a
    team's name put in a header) is marked failed at once, with the kind of
    error only, and the next message goes: one bad row never stalls the rest.
    """
    try:
        email = compose(sender, message, domain)
    except (ValueError, TypeError) as exc:
        _record(session, message, status="failed", attempts=message.attempts + 1,
                claimed_until=None, last_error=f"could not be composed ({type(exc).__name__})")
        log.error("outbox message %d could not be composed (%s); marked failed",
                  message.id, type(exc).__name__)
        return False
    # No transaction may be open while the mail server is talked to: on
    # SQLite every transaction holds the database's write lock, and a slow
    # server must not hold up the families' submissions. claim() read the
    # message and ended its own; this ends one that reading it opened again
    # (a session that expires what it read on commit).
    session.commit()
    try:
        conversation.send(email, message.id)
    except DeliveryError as exc:
        attempts = message.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            # About nine days of trying: stop, and say so loudly. The referral
            # itself is safe in the database and waits in the staff inbox.
            _record(session, message, status="failed", attempts=attempts,
                    claimed_until=None, last_error=exc.kind)
            log.error("outbox message %d given up after %d attempts (%s)",
                      message.id, attempts, exc.kind)
            return False
        next_attempt_at = utcnow() + backoff(attempts)
        _record(session, message, attempts=attempts, next_attempt_at=next_attempt_at,
                claimed_until=None, last_error=exc.kind)
        log.warning("outbox message %d not delivered (%s); attempt %d, next try at %s",
                    message.id, exc.kind, attempts, next_attempt_at.isoformat())
        return False
    _record(session, message, status="sent", sent_at=utcnow(), attempts=message.attempts + 1,
            claimed_until=None, last_error=None)
    log.info("outbox message %d delivered", message.id)
    return True


def deliver(sessions, mailer, sender, domain, limit=50, now=None):
    """Deliver what is due; return (sent, failed)."""
    now = now or utcnow()
    worker = sender_name()
    with sessions() as session:
        claimed_at = utcnow()

        def still_ours(message):
            # Late in a long batch, make sure the claim is still ours first.
            return utcnow() - claimed_at <= LEASE / 2 or \
                renew(session, message.id, worker, max(now, utcnow()) + LEASE)

        return _send_all(session, mailer, sender, domain,
                         claim(session, now, limit=limit, worker=worker), still_ours)


def first_attempt(sessions, mailer, sender, domain, messages):
    """Make the first attempt at ``messages`` (``Unsent``: claimed when they
    were stored, so no claim is needed now); return (sent, failed)."""
    with sessions() as session:

        def still_ours(message):
            # Queued behind a slow server for half the lease: renew it first.
            return utcnow() <= message.claimed_until - FIRST_LEASE / 2 or \
                renew(session, message.id, message.claimed_by, utcnow() + FIRST_LEASE)

        return _send_all(session, mailer, sender, domain, messages, still_ours)


def _send_all(session, mailer, sender, domain, messages, still_ours):
    """Send the messages one after another on one connection to the mail
    server (``mailer.conversation()``), opened only if one is sent."""
    sent = failed = 0
    with mailer.conversation() as conversation:
        for message in messages:
            if not still_ours(message):
                log.warning("outbox message %d: claim ran out and was taken over; skipped",
                            message.id)
            elif send_claimed(session, conversation, message, sender, domain):
                sent += 1
            else:
                failed += 1
    return sent, failed


def try_now(messages):
    """Try these messages (``Unsent``) once, now; a failure leaves them
    queued for ``flask outbox deliver``. Never raises: whoever asked (a
    family, a member of staff) has already been told it is done."""
    config = current_app.config
    try:
        first_attempt(session_factory(), mailer_for(config), config["MAIL_FROM"],
                      config["MAIL_DOMAIN"], messages)
    except Exception:
        log.exception("immediate delivery failed; the messages stay in the outbox")


class Background:
    """A few threads per process that make the first attempt at committed
    messages after the response has gone: a mail server that stalls holds
    one of these (for DELIVERY_TIMEOUT a message at most), never the
    family's answer or a web worker's thread.

    A thread takes every message waiting when it starts, up to ``batch``,
    and tries them one after another in one database session and on one
    connection to the mail server. At most
    ``slots`` messages wait or are tried at once; past that a message is
    left to ``flask outbox deliver`` once its claim runs out, so nothing is
    lost and nothing piles up."""

    def __init__(self, threads=2, slots=64, batch=16):
        self.threads = threads
        self.batch = batch
        self._slots = slots
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="outbox")
        self._idle = threading.Condition()
        self._waiting = []  # messages not yet taken by a thread
        self._running = 0  # messages waiting or being tried

    def submit(self, app, messages):
        with self._idle:
            room = max(self._slots - self._running, 0)
            taken, left = list(messages[:room]), messages[room:]
            self._waiting.extend(taken)
            self._running += len(taken)
        for message in left:
            log.warning("outbox message %d left for `outbox deliver` (when its claim runs "
                        "out): immediate attempts are busy", message.id)
        # A task for every batch submitted: a task that finds the messages
        # already taken by an earlier one ends at once.
        for _ in range(0, len(taken), self.batch):
            self._pool.submit(self._attempt, app)

    def _attempt(self, app):
        with self._idle:
            messages = self._waiting[:self.batch]
            del self._waiting[:self.batch]
        if not messages:
            return
        try:
            with app.app_context():
                try_now(messages)
        finally:
            with self._idle:
                self._running -= len(messages)
                self._idle.notify_all()

    def settle(self, seconds=30):
        """Wait until no attempt waits or runs (tests, and a clean stop)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, seconds)


background = Background()


def deliver_soon(messages):
    """Make the first attempt at committed messages (``Unsent``, from
    ``queue``) after the response; costs the request microseconds. Never
    raises."""
    background.submit(current_app._get_current_object(), list(messages))
