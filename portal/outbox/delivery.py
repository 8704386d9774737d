"""Deliver queued e-mails: claim, send, record; retry with back-off.

Safe to run from several servers at once: a sender first claims messages
(on PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, and
on every database the claim is a compare-and-set UPDATE), so two senders
never hold the same message. A message is marked sent in the same moment
the server accepts it; only a crash between the two can repeat it, and the
repeat carries the same Message-ID.
"""

import datetime
import logging
import os
import socket

from sqlalchemy import or_, select, update

from ..db.base import utcnow
from .mailer import DeliveryError, compose
from .models import Message

log = logging.getLogger(__name__)
LEASE = datetime.timedelta(minutes=5)
MAX_BACKOFF_MINUTES = 6 * 60


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
    return f"{socket.gethostname()[:28]}:{os.getpid()}"


def claim(session, now, limit=50, only=None):
    """Claim up to ``limit`` due messages for this sender; return their ids."""
    worker = sender_name()
    with session.begin():
        query = select(Message.id).where(_due(now)).order_by(Message.id).limit(limit)
        if only is not None:
            query = query.where(Message.id == only)
        candidates = session.scalars(query.with_for_update(skip_locked=True)).all()
        claimed = []
        for message_id in candidates:
            result = session.execute(
                update(Message).where(Message.id == message_id, _due(now))
                .values(claimed_until=now + LEASE, claimed_by=worker)
            )
            if result.rowcount == 1:
                claimed.append(message_id)
    return claimed


def send_claimed(session, mailer, message_id, sender, domain):
    """Send one claimed message and record the outcome. Return True if sent."""
    message = session.get(Message, message_id)
    try:
        mailer.send(compose(sender, message, domain), message.id)
    except DeliveryError as exc:
        now = utcnow()
        message.attempts += 1
        message.next_attempt_at = now + backoff(message.attempts)
        message.claimed_until = None
        message.last_error = exc.kind
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
    with sessions() as session:
        for message_id in claim(session, now or utcnow(), limit=limit, only=only):
            if send_claimed(session, mailer, message_id, sender, domain):
                sent += 1
            else:
                failed += 1
    return sent, failed
