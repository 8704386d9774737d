"""A family's answers between the form and "check your answers": kept on
the server (the cookie holds only a random id), gone when sent."""

import datetime
import secrets

from sqlalchemy import delete

from ..clock import utcnow
from .models import Draft

DRAFT_HOURS = 6  # an unsent draft is purged after this long


def load(session, draft_id):
    """Return the draft with this id, or None."""
    return session.get(Draft, draft_id) if draft_id else None


def save(session, draft, answers):
    """Store the answers in the draft (a new one when None) and commit."""
    draft = draft or Draft(id=secrets.token_urlsafe(32))
    draft.answers = answers
    draft.created_at = utcnow()
    session.add(draft)
    session.commit()
    return draft


def stale_drafts(now):
    """Return the statement that deletes drafts past DRAFT_HOURS."""
    return delete(Draft).where(Draft.created_at < now - datetime.timedelta(hours=DRAFT_HOURS))
