"""Staff sign-in: the lock-out rule, idle expiry, session ends, and who is
signed in.

Plain functions over a database session, so a test can call them without
a request; the views only turn their answers into pages and redirects.
"""

import datetime
import logging
from dataclasses import dataclass

from flask import session as cookie
from flask_login import LoginManager
from sqlalchemy import or_, select, update

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

# What the staff session cookie carries besides Flask-Login's account id.
GENERATION, SINCE, SEEN = "staff_generation", "staff_since", "staff_seen"

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(user_id):
    """The signed-in account, if the session is still one of its current
    ones: a session (or a copy of its cookie) from before the account's last
    sign-out, new password or "sign out everywhere" is nobody's."""
    user = db().get(StaffUser, int(user_id))
    if user is None or user.disabled or cookie.get(GENERATION) != user.session_generation:
        return None
    return user


def begin_session(user, at):
    """Write what the session cookie carries at sign-in: the account's
    current session generation, and when it was signed in."""
    cookie[GENERATION] = user.session_generation
    cookie[SINCE] = cookie[SEEN] = at.timestamp()


def every_account(session):
    """Every staff account, by e-mail address, with an audit entry for the
    person looking."""
    record(session, "view accounts")
    session.commit()
    return session.scalars(select(StaffUser).order_by(StaffUser.email)).all()


def end_sessions(session, user_id):
    """End every session of an account, on every device (a copied cookie
    too), when the caller commits."""
    session.execute(update(StaffUser).where(StaffUser.id == user_id)
                    .values(session_generation=StaffUser.session_generation + 1))


def signed_out_everywhere(session, user, action, detail=None):
    """End every session of ``user`` for the person signed in (the account
    itself, or an administrator), audited, and commit."""
    end_sessions(session, user.id)
    record(session, action, detail=detail)
    session.commit()


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None  # the account, when the sign-in succeeded
    at: datetime.datetime


def sign_in(session, email, password):
    """Check an address and password; count and lock on failure. Commits,
    with an audit entry. The answer never says which part was wrong.

    The attempt is counted in the database (one atomic UPDATE) before the
    password is checked, so attempts arriving at once each see the others:
    only the first MAX_FAILURES are checked against the hash, and the rest
    are refused on the count alone, whatever password they carry."""
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    now = utcnow()
    if user is None:
        check_password(None, password)  # takes as long as a real check
        return _refused(now)
    attempt = _count_attempt(session, user.id, now)
    if attempt is None or attempt > MAX_FAILURES:
        check_password(None, password)  # locked, disabled or over the limit
        return _refused(now, session, user.id)
    if check_password(user.password_hash, password):
        user.failed_logins, user.locked_until = 0, None
        record(session, "sign in", staff_id=user.id)
        session.commit()
        return SignIn(user, now)
    locking = attempt >= MAX_FAILURES
    if locking:
        user.locked_until, user.failed_logins = now + LOCK, 0
    return _refused(now, session, user.id,
                    f"account locked for {LOCK_MINUTES} minutes" if locking else None)


def _count_attempt(session, user_id, now):
    """Count one attempt against an account that may sign in; return the
    count, or None when it is locked or disabled. Commits. The account's
    loaded attributes are brought up to date ("fetch"), so what the caller
    then sets is written whatever it read before."""
    count = session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id, StaffUser.disabled.is_(False),
               or_(StaffUser.locked_until.is_(None), StaffUser.locked_until <= now))
        .values(failed_logins=StaffUser.failed_logins + 1)
        .returning(StaffUser.failed_logins)
        .execution_options(synchronize_session="fetch")
    ).scalar()
    session.commit()
    return count


def _refused(now, session=None, user_id=None, detail=None):
    """Audit a refused sign-in (by the account's id, never the address typed:
    an unknown address may be someone's personal one) and commit."""
    if user_id is not None:
        record(session, "sign in refused", staff_id=user_id, detail=detail)
        session.commit()
    log.warning("staff sign-in refused")  # no address, no e-mail: personal data
    return SignIn(None, now)


def idle_too_long(seen, idle_minutes, now=None):
    """True when the last request (a UTC timestamp) was over ``idle_minutes`` ago."""
    now = (now or utcnow()).timestamp()
    return bool(seen) and now - seen > idle_minutes * 60


def too_old(since, hours, now=None):
    """True when a session signed in at ``since`` (a UTC timestamp, None for
    a session from before it was recorded) has lasted over ``hours``, however
    busy it was: a stolen cookie used every few minutes still expires."""
    return not since or (now or utcnow()).timestamp() - since > hours * 3600


def signed_out(session, user, action):
    """Audit a sign-out (by the person, or after inactivity) and commit."""
    record(session, action, staff_id=user.id)
    session.commit()
