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
"""

import datetime
import logging
import os
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from sqlalchemy import or_, select, update

from ..clock import utcnow
from ..db.engine import session_factory
from .mailer import DeliveryError, compose, mailer_for
from .models import Message

log = logging.getLogger(__name__)
LEASE = datetime.timedelta(minutes=5)
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


def sender_name():
    """This host and process, and a token per run: two runs in one process
    (threads, or a run after an earlier one's lease ran out) differ."""
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{secrets.token_hex(4)}"


def claim(session, now, limit=50, only=None, worker=None):
    """Claim up to ``limit`` due messages for this sender; return them.

    They are read in the claim's own transaction, so sending them takes no
    second turn of the database's write lock (SQLite) just to read them.
    """
    worker = worker or sender_name()
    with session.begin():
        if only is not None:
            candidates = [only]  # one known message: the compare-and-set alone claims it
        else:
            query = select(Message.id).where(_due(now)).order_by(Message.id).limit(limit)
            candidates = session.scalars(query.with_for_update(skip_locked=True)).all()
        claimed = []
        for message_id in candidates:
            result = session.execute(
                update(Message).where(Message.id == message_id, _due(now))
                .values(claimed_until=now + LEASE, claimed_by=worker)
            )
            if result.rowcount == 1:
                claimed.append(message_id)
        if not claimed:
            return []
        return session.scalars(select(Message).where(Message.id.in_(claimed)).order_by(Message.id)
                               .execution_options(populate_existing=True)).all()


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


def send_claimed(session, mailer, message, sender, domain):
    """Send one claimed message and record the outcome. Return True if sent.

    A message that cannot be made into an e-mail (a carriage return in a
    team's name put in a header) is marked failed at once, with the kind of
    error only, and the next message goes: one bad row never stalls the rest.
    """
    try:
        email = compose(sender, message, domain)
    except (ValueError, TypeError) as exc:
        message.status = "failed"
        message.attempts += 1
        message.claimed_until = None
        message.last_error = f"could not be composed ({type(exc).__name__})"
        session.commit()
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
        mailer.send(email, message.id)
    except DeliveryError as exc:
        now = utcnow()
        message.attempts += 1
        message.next_attempt_at = now + backoff(message.attempts)
        message.claimed_until = None
        message.last_error = exc.kind
        if message.attempts >= MAX_ATTEMPTS:
            # About nine days of trying: stop, and say so loudly. The referral
            # itself is safe in the database and waits in the staff inbox.
            message.status = "failed"
            session.commit()
            log.error("outbox message %d given up after %d attempts (%s)",
                      message.id, message.attempts, exc.kind)
            return False
        session.commit()
        log.warning("outbox message %d not delivered (%s); attempt %d, next try at %s",
                    message.id, exc.kind, message.attempts, message.next_attempt_at.isoformat())
        return False
    message.status = "sent"
    message.sent_at = utcnow()
    message.attempts += 1
    message.claimed_until = None
    message.last_error = None
    session.commit()
    log.info("outbox message %d delivered", message.id)
    return True


def deliver(sessions, mailer, sender, domain, limit=50, only=None, now=None):
    """Deliver what is due (or just message ``only``); return (sent, failed)."""
    sent = failed = 0
    now = now or utcnow()
    worker = sender_name()
    with sessions() as session:
        claimed_at = utcnow()
        for message in claim(session, now, limit=limit, only=only, worker=worker):
            # Late in a long batch, make sure the claim is still ours first.
            if utcnow() - claimed_at > LEASE / 2 and \
                    not renew(session, message.id, worker, max(now, utcnow()) + LEASE):
                log.warning("outbox message %d: claim ran out and was taken over; skipped",
                            message.id)
                continue
            if send_claimed(session, mailer, message, sender, domain):
                sent += 1
            else:
                failed += 1
    return sent, failed


def try_now(message_id):
    """Try one message once, now; a failure leaves it queued for ``flask
    outbox deliver``. Never raises: whoever asked (a family, a member of
    staff) has already been told it is done."""
    config = current_app.config
    try:
        deliver(session_factory(), mailer_for(config), config["MAIL_FROM"], config["MAIL_DOMAIN"],
                only=message_id)
    except Exception:
        log.exception("immediate delivery failed; the message stays in the outbox")


class Background:
    """A few threads per process that make the first attempt at committed
    messages after the response has gone: a mail server that stalls holds
    one of these (for DELIVERY_TIMEOUT at most), never the family's answer
    or a web worker's thread. At most ``slots`` attempts wait or run at
    once; past that a message is left to ``flask outbox deliver``, as one
    whose attempt failed would be, so nothing is lost and nothing piles up."""

    def __init__(self, threads=2, slots=16):
        self.threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="outbox")
        self._slots = threading.BoundedSemaphore(slots)
        self._idle = threading.Condition()
        self._running = 0

    def submit(self, app, message_id):
        if not self._slots.acquire(blocking=False):
            log.warning("outbox message %d left for `outbox deliver`: immediate attempts are busy",
                        message_id)
            return
        with self._idle:
            self._running += 1
        self._pool.submit(self._attempt, app, message_id)

    def _attempt(self, app, message_id):
        try:
            with app.app_context():
                try_now(message_id)
        finally:
            self._slots.release()
            with self._idle:
                self._running -= 1
                self._idle.notify_all()

    def settle(self, seconds=30):
        """Wait until no attempt waits or runs (tests, and a clean stop)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, seconds)


background = Background()


def deliver_soon(message_ids):
    """Queue a first attempt at each committed message, after the response;
    costs the request microseconds. Never raises."""
    app = current_app._get_current_object()
    for message_id in message_ids:
        background.submit(app, message_id)
