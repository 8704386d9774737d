"""A subject-access request: everything held about one referral."""

from sqlalchemy import select

from ..outbox.models import Message
from ..referrals.models import Referral
from ..staff.models import ReferralEvent


def export(session, reference):
    """Return everything held about one referral, as plain data."""
    referral = session.scalar(select(Referral).where(Referral.reference == reference))
    if referral is None:
        return None
    fields = [column.key for column in Referral.__table__.columns]
    data = {name: getattr(referral, name) for name in fields}
    data["events"] = [
        {"at": event.at, "kind": event.kind, "text": event.text}
        for event in session.scalars(select(ReferralEvent).where(
            ReferralEvent.referral_id == referral.id).order_by(ReferralEvent.at))
    ]
    data["emails_to_team"] = [
        {"created_at": message.created_at, "status": message.status, "subject": message.subject}
        for message in session.scalars(select(Message).where(
            Message.referral_id == referral.id).order_by(Message.id))
    ]
    return data
