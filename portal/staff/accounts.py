"""Staff sign-in: the lock-out rule, idle expiry, and who is signed in.

Plain functions over a database session, so a test can call them without
a request; the views only turn their answers into pages and redirects.
"""

import datetime
import logging
from dataclasses import dataclass

from flask_login import LoginManager
from sqlalchemy import select

from ..audit.log import record
from ..clock import utcnow
from ..db.engine import db
from .models import StaffUser
from .passwords import check_password

log = logging.getLogger(__name__)
MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCK_MINUTES = 15
LOCK = datetime.timedelta(minutes=LOCK_MINUTES)
WRONG = (f"The email address or password is not right, or the account is locked. "
         f"Try again in {LOCK_MINUTES} minutes, or ask an administrator.")

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(user_id):
    user = db().get(StaffUser, int(user_id))
    return user if user is not None and not user.disabled else None


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None  # the account, when the sign-in succeeded
    at: datetime.datetime


def sign_in(session, email, password):
    """Check an address and password; count and lock on failure. Commits,
    with an audit entry. The answer never says which part was wrong."""
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    now = utcnow()
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    good = check_password(user.password_hash if user else None, password)
    if user is not None and good and not locked and not user.disabled:
        user.failed_logins, user.locked_until = 0, None
        record(session, "sign in", staff_id=user.id)
        session.commit()
        return SignIn(user, now)
    if user is not None:
        user.failed_logins += 1
        locking = user.failed_logins >= MAX_FAILURES
        if locking:
            user.locked_until, user.failed_logins = now + LOCK, 0
        # The account's id, never the address typed: an unknown address
        # may be someone's personal one.
        record(session, "sign in refused", staff_id=user.id,
               detail=f"account locked for {LOCK_MINUTES} minutes" if locking else None)
        session.commit()
    log.warning("staff sign-in refused")  # no address, no e-mail: personal data
    return SignIn(None, now)


def idle_too_long(seen, idle_minutes, now=None):
    """True when the last request (a UTC timestamp) was over ``idle_minutes`` ago."""
    now = (now or utcnow()).timestamp()
    return bool(seen) and now - seen > idle_minutes * 60


def signed_out(session, user, action):
    """Audit a sign-out (by the person, or after inactivity) and commit."""
    record(session, action, staff_id=user.id)
    session.commit()
