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
from sqlalchemy import delete

from ..db.base import utcnow
from ..db.engine import session
from .models import Draft

COOKIE_KEY = "draft"


def idle_limit():
    return datetime.timedelta(minutes=current_app.config["DRAFT_IDLE_MINUTES"])


def current():
    """Return this family's draft, or None if there is none or it has expired."""
    draft_id = cookie.get(COOKIE_KEY)
    if not draft_id:
        return None
    db = session()
    draft = db.get(Draft, draft_id)
    if draft is not None and draft.touched_at < utcnow() - idle_limit():
        db.delete(draft)
        db.commit()
        draft = None
    if draft is None:
        cookie.pop(COOKIE_KEY, None)
    return draft


def save(answers):
    """Keep the answers in this family's draft (a new one if needed)."""
    db = session()
    draft = current() or Draft(id=secrets.token_urlsafe(32))
    draft.answers = answers
    draft.touched_at = utcnow()
    db.add(draft)
    db.commit()
    cookie[COOKIE_KEY] = draft.id
    return draft


def touch(draft):
    """Restart the idle clock: the family is still reading their answers."""
    draft.touched_at = utcnow()
    session().commit()


def forget(draft=None):
    """Delete this family's draft and everything the cookie holds for them."""
    db = session()
    draft_id = draft.id if draft is not None else cookie.get(COOKIE_KEY)
    if draft_id:
        db.execute(delete(Draft).where(Draft.id == draft_id))
    delete_stale(db, idle_limit())
    db.commit()
    cookie.clear()


def delete_stale(db, idle, now=None):
    """Delete every draft idle longer than ``idle``; return how many."""
    cutoff = (now or utcnow()) - idle
    return db.execute(delete(Draft).where(Draft.touched_at < cutoff)).rowcount
