"""Store a referral and its team e-mail in one transaction, then try to send.

The family sees a reference only after the commit: whatever fails after
(the mail server, this process), the referral and its outbox message are
already safe in the database.
"""

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from ..localities.routing import route
from ..outbox.delivery import queue
from .drafts import discard
from .models import Referral
from .reference import new_reference

log = logging.getLogger(__name__)
ATTEMPTS = 5


def inbox_url(reference):
    """The referral's page in the staff inbox, for a team's e-mail."""
    return f"{current_app.config['BASE_URL']}/staff/referrals/{reference}"


def _to_team(reference, team, inbox_url, language, subject, body):
    """An e-mail to a team about one referral, in the staff's language: the
    reference, the team and a link; never anything personal. ``subject`` and
    ``body`` take the values and call gettext on their own literal text.
    Returns the e-mail's values, for ``outbox.delivery.queue``."""
    values = dict(reference=reference, team=team.name, url=inbox_url)
    with force_locale(language):
        return {"recipient": team.email, "subject": subject(values), "body": body(values)}


def team_message(reference, team, inbox_url, language):
    """The team's e-mail when a family's referral arrives."""
    return _to_team(
        reference, team, inbox_url, language,
        lambda values: gettext("New referral %(reference)s for the %(team)s", **values),
        lambda values: gettext(
            "A family has asked for help. Referral %(reference)s has arrived for the "
            "%(team)s.\n\nOpen it in the staff inbox:\n%(url)s\n\n"
            "This e-mail holds no personal details on purpose.", **values))


def moved_message(reference, team, inbox_url, language):
    """The e-mail to a team that has been given another team's referral."""
    return _to_team(
        reference, team, inbox_url, language,
        lambda values: gettext("Referral %(reference)s has been moved to the %(team)s", **values),
        lambda values: gettext(
            "An administrator has moved referral %(reference)s to the %(team)s.\n\n"
            "Open it in the staff inbox:\n%(url)s\n\n"
            "This e-mail holds no personal details on purpose.", **values))


# What the confirmation page shows: the reference, and how the team will
# get in touch. Only these columns are read (and unsealed), from the table
# itself: ORM attributes would send a plain read through the ORM's path.
REFERRALS = Referral.__table__
_SENT = select(REFERRALS.c.reference, REFERRALS.c.contact_ways, REFERRALS.c.phone,
               REFERRALS.c.phone_e164, REFERRALS.c.email).where(
                   REFERRALS.c.id == bindparam("referral_id"))
_STORE = insert(REFERRALS).returning(REFERRALS.c.id)


def sent(session, referral_id):
    """Return what the confirmation page shows of the referral just sent
    (a row with those columns), or None if it is gone."""
    return session.execute(_SENT, {"referral_id": referral_id}).one_or_none() if referral_id \
        else None


@dataclass(frozen=True)
class Stored:
    """A referral just stored: its id and reference, and its e-mails (``Unsent``)."""

    id: int
    reference: str
    messages: list


def submit(session, answers, localities, lang, inbox_url_for, staff_language="en", draft_id=None):
    """Save the referral and its outbox message; return (``Stored``, route).

    The family's draft ``draft_id`` is deleted in the same commit, so the
    answers are never both sent and still kept, and SQLite's write lock is
    taken once. If that draft is already gone (a second press of "Send"
    that raced the first), nothing is stored and the referral is None. A
    clash of references (vanishingly rare) is retried with a new one.
    Plain statements: the ORM's unit of work cost more than the rows.
    """
    destination = route(localities, answers["postcode"])
    team = destination.team
    for _ in range(ATTEMPTS):
        reference = new_reference()
        message = team_message(reference, team, inbox_url_for(reference), staff_language)
        # The same e-mail to the team's named deputy, delivered on its own.
        messages = [message] + ([{**message, "recipient": team.deputy_email}]
                                if team.deputy_email else [])
        try:
            if not discard(session, draft_id):
                session.rollback()
                log.info("a draft was sent twice at once; the second press stored nothing")
                return None, destination
            referral_id = session.execute(_STORE, dict(
                reference=reference, team_id=team.id, outside_area=destination.outside_area,
                language=lang, **answers)).scalar_one()
            unsent = queue(session, [{**m, "referral_id": referral_id} for m in messages])
            session.commit()
        except IntegrityError:
            session.rollback()
            log.warning("referral reference clash; trying another")
            continue
        # Counts and ids only: never a name, a postcode or a reference in logs.
        log.info("referral %d stored for team %s", referral_id, team.id)
        return Stored(referral_id, reference, unsent), destination
    raise RuntimeError("could not find a free referral reference")
