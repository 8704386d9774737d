"""A family looks up where their referral is: the reference and the first
child's date must agree, and guessing is stopped."""

import datetime

from sqlalchemy import func, select

from ..clock import utcnow
from .models import Referral, StatusCheck

FAILURES_PER_DAY = 5


def lookup(session, reference, date):
    """Return the referral if the reference and the first child's date agree.

    Too many wrong dates for one reference lock it for a day, whoever asks:
    the answer never says which part was wrong.
    """
    if reference is None:
        return None
    since = utcnow() - datetime.timedelta(days=1)
    failures = session.scalar(select(func.count()).select_from(StatusCheck).where(
        StatusCheck.reference == reference, StatusCheck.at > since))
    referral = session.scalar(select(Referral).where(Referral.reference == reference))
    matches = referral is not None and referral.children and \
        referral.children[0]["date"] == date.isoformat()
    if failures < FAILURES_PER_DAY and matches:
        return referral
    session.add(StatusCheck(reference=reference))
    session.commit()
    return None
