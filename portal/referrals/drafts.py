"""A family's answers between the form and "check your answers".

Only the draft's random id is in the family's cookie; the answers stay on the
server, and only for a while: a draft left idle longer than
``DRAFT_IDLE_MINUTES`` is deleted when next read and never shown again, so a
phone picked up later by someone else shows an empty form.
"""

import datetime
import secrets

from flask import current_app
from flask import session as cookie
from sqlalchemy import bindparam, delete, insert, select, update

from ..clock import utcnow
from ..db.engine import db
from ..db.readers import read_only
from .models import Draft

COOKIE_KEY = "draft"
# Plain statements built once, on the table's own columns: a draft is one
# row, and the ORM's bookkeeping for it cost more than the statements
# themselves (an ORM attribute in a DELETE sends it through the ORM's bulk
# path, a tenth of sending a referral, with the write lock held).
DRAFTS = Draft.__table__
TOUCHED_AT = Draft.touched_at.property.columns[0]  # the table's column (created_at)
_READ = select(DRAFTS.c.id, TOUCHED_AT.label("touched_at"), DRAFTS.c.answers).where(
    DRAFTS.c.id == bindparam("draft_id"))
_INSERT = insert(DRAFTS)
_UPDATE = update(DRAFTS).where(DRAFTS.c.id == bindparam("draft_id"))
_DELETE = delete(DRAFTS).where(DRAFTS.c.id == bindparam("draft_id"))
_DELETE_STALE = delete(DRAFTS).where(TOUCHED_AT < bindparam("cutoff"))


def idle_limit():
    return datetime.timedelta(minutes=current_app.config["DRAFT_IDLE_MINUTES"])


def current():
    """Return this family's draft (a row: id, touched_at, answers), or None
    if there is none or it has expired.

    It is read in a transaction of its own that only reads, so on SQLite the
    write lock is taken afterwards, by the write alone (sending, saving),
    not held while the request works out what to write.
    """
    draft_id = cookie.get(COOKIE_KEY)
    if not draft_id:
        return None
    session = db()
    draft = read_only(session).execute(_READ, {"draft_id": draft_id}).one_or_none()
    session.commit()  # the read ends here
    if draft is not None and draft.touched_at < utcnow() - idle_limit():
        session.execute(_DELETE, {"draft_id": draft_id})
        session.commit()
        draft = None
    if draft is None:
        cookie.pop(COOKIE_KEY, None)
    return draft


def save(answers):
    """Keep the answers in this family's draft (a new one if needed)."""
    session = db()
    draft = current()
    values = {"answers": answers, "created_at": utcnow()}  # created_at: touched_at's column
    if draft is None:
        draft_id = secrets.token_urlsafe(32)
        session.execute(_INSERT, {"id": draft_id, **values})
    else:
        draft_id = draft.id
        session.execute(_UPDATE, {"draft_id": draft_id, **values})
    session.commit()
    cookie[COOKIE_KEY] = draft_id


def touch(draft):
    """Restart the idle clock: the family is still reading their answers."""
    session = db()
    session.execute(_UPDATE, {"draft_id": draft.id, "created_at": utcnow()})
    session.commit()


def forget():
    """Delete this family's draft and everything the cookie holds for them."""
    session = db()
    discard(session, cookie.get(COOKIE_KEY))
    session.commit()
    cookie.clear()


def discard(session, draft_id):
    """Delete draft ``draft_id`` (if any) and every draft idle too long, in
    the caller's transaction: a sent referral and the end of its draft are
    one commit. Return False if that draft was not there to delete (another
    request deleted it first; on PostgreSQL this waits for that one's commit)."""
    found = True
    if draft_id:
        found = session.execute(_DELETE, {"draft_id": draft_id}).rowcount == 1
    delete_stale(session, idle_limit())
    return found


def delete_stale(session, idle, now=None):
    """Delete every draft idle longer than ``idle``; return how many."""
    return session.execute(_DELETE_STALE, {"cutoff": (now or utcnow()) - idle}).rowcount
