"""Delete what is past retention, of every kind of personal data we hold."""

import datetime

from sqlalchemy import delete, select

from ..clock import utcnow
from ..editors.models import PageReport
from ..outbox.models import Message
from ..referrals.drafts import delete_stale
from ..referrals.models import Referral, StatusCheck
from ..staff.models import ReferralEvent

STATUS_FAILURES_KEPT = datetime.timedelta(days=2)


def purge(session, retention_days, now=None, draft_idle=datetime.timedelta(hours=2)):
    """Delete referrals past retention (their notes and e-mails go with them,
    by the database's cascades), stale drafts, old status failures and
    readers' page reports past retention. Return the counts. A draft is
    stale once idle for ``draft_idle`` (DRAFT_IDLE_MINUTES)."""
    now = now or utcnow()
    cutoff = now - datetime.timedelta(days=retention_days)
    old = select(Referral.id).where(Referral.created_at < cutoff)
    # The database cascades too; deleting the dependants first does not rely on it.
    session.execute(delete(ReferralEvent).where(ReferralEvent.referral_id.in_(old)))
    session.execute(delete(Message).where(Message.referral_id.in_(old)))
    counts = {"referrals": session.execute(delete(Referral).where(Referral.created_at < cutoff)).rowcount}
    counts["drafts"] = delete_stale(session, draft_idle, now)
    counts["status failures"] = session.execute(
        delete(StatusCheck).where(StatusCheck.at < now - STATUS_FAILURES_KEPT)).rowcount
    counts["page reports"] = session.execute(
        delete(PageReport).where(PageReport.created_at < cutoff)).rowcount
    session.commit()
    return counts
