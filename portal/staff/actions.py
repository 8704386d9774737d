"""What staff do to one referral: look at it, set its status, add a note,
move it to another team (with that team's e-mail). Each change is one
transaction with its history entry and its audit entry."""

from dataclasses import dataclass

from sqlalchemy import select

from ..audit.log import record
from ..outbox.delivery import queue
from ..referrals import safe_contact
from ..referrals.submit import inbox_url, moved_message
from .inbox import LABELS
from .models import EventKind, ReferralEvent, StaffUser


@dataclass(frozen=True)
class History:
    events: list  # ReferralEvents, oldest first
    names: dict  # staff id -> e-mail address, for who did what


def history(session, user, referral):
    """Return the referral's history with who did what; audits the view and commits."""
    events = session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
                             .order_by(ReferralEvent.at)).all()
    names = {user.id: user.email for user in session.scalars(select(StaffUser))}
    record(session, "view referral", referral, staff_id=user.id)
    session.commit()
    return History(events, names)


def change_status(session, user, referral, status):
    """Set the referral's status (a no-op when unchanged) and commit."""
    if status == referral.status:
        return
    referral.status = status
    session.add(ReferralEvent(referral_id=referral.id, staff_id=user.id, kind=EventKind.STATUS,
                              text=LABELS[status]))
    record(session, "change status", referral, detail=status, staff_id=user.id)
    session.commit()


def add_note(session, user, referral, text):
    """Add a note to the referral's history and commit; return warnings for
    each way of contact it mentions that the family did not allow (the note
    is kept: it records what happened)."""
    session.add(ReferralEvent(referral_id=referral.id, staff_id=user.id, kind=EventKind.NOTE,
                              text=text.strip()))
    record(session, "add note", referral, staff_id=user.id)
    session.commit()
    return safe_contact.warnings(text, referral.contact_ways)


def may_move(user):
    """Only an administrator gives a referral to another team."""
    return user.is_admin


def move(session, user, referral, team, reason, staff_language):
    """Give the referral to ``team`` with an e-mail to it, in one commit;
    return the e-mail (the team it leaves no longer sees it)."""
    previous = referral.team_id
    referral.team_id = team.id
    reason = (reason or "").strip()
    session.add(ReferralEvent(referral_id=referral.id, staff_id=user.id, kind=EventKind.TEAM,
                              text=f"moved from {previous} to {team.id}" + (f": {reason}" if reason else "")))
    message = moved_message(referral.reference, team, inbox_url(referral.reference), staff_language)
    [unsent] = queue(session, [{**message, "referral_id": referral.id}])
    record(session, "move referral", referral, detail=f"{previous} to {team.id}", staff_id=user.id)
    session.commit()
    return unsent
