"""The inbox: which referrals a member of staff may see, filters, counts
and paging. A team member sees only their team's referrals; anything else
is as if it did not exist."""

from dataclasses import dataclass

from sqlalchemy import func, select

from ..audit.log import record
from ..referrals.models import Referral, Status
from ..referrals.reference import normalise as normalise_reference
from . import waiting

PER_PAGE = 100  # referrals on one page of the inbox
MAX_PAGE = 10 ** 6  # a hundred million referrals; beyond, an offset no database takes
# What staff call each status: "received" and "with the team" are both new to them.
LABELS = {Status.RECEIVED: "New", Status.WITH_TEAM: "New", Status.CONTACTED: "Contacted",
          Status.CLOSED: "Closed"}
FILTERS = {"new": waiting.NEW, "contacted": (Status.CONTACTED,),
           "closed": (Status.CLOSED,)}


def visible(user):
    """The query of referrals this person may see: their team's, or all for
    an administrator; None for an editor's account with no team."""
    if not user.sees_referrals:
        return None
    query = select(Referral)
    if not user.is_admin:
        query = query.where(Referral.team_id == user.team_id)
    return query


def find(session, user, reference):
    """Return the referral if this person may see it, else None (another
    team's referral looks exactly like no referral)."""
    query = visible(user)
    if query is None or "\x00" in reference:  # PostgreSQL refuses a NUL in any text
        return None
    return session.scalar(query.where(Referral.reference == reference))


def find_typed(session, user, typed):
    """A reference read out on the phone, in any form: its referral, or None."""
    reference = normalise_reference(typed)
    return find(session, user, reference) if reference else None


@dataclass(frozen=True)
class InboxPage:
    referrals: list
    counts: dict  # filter name -> number of referrals
    page: int
    chosen: str | None  # the filter shown: a key of FILTERS, or None for all
    older: bool  # there is an older page
    team: str | None  # the team shown (an administrator's choice), None for all
    waits: dict  # referral id -> waiting.Waiting, or None once the team has acted


def inbox_page(session, user, localities, now, chosen=None, team=None, page=1):
    """One page of the inbox, overdue first (longest waiting first), then
    newest first, with counts per filter and how long each has waited at
    ``now``; audited and committed. ``team`` is honoured for an administrator
    only. A filter or team the inbox does not know is ignored, so it never
    reaches the database or the audit log."""
    chosen = chosen if chosen in FILTERS else None
    team = team if user.is_admin and team in localities.ids else None
    query = visible(user).order_by(*waiting.overdue_first(localities, now))
    if chosen:
        query = query.where(Referral.status.in_(FILTERS[chosen]))
    if team:
        query = query.where(Referral.team_id == team)
    # One more than a page, to know whether there is an older page.
    referrals = session.scalars(query.offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)).all()
    counting = visible(user).where(Referral.team_id == team) if team else visible(user)
    counted = dict(session.execute(
        counting.with_only_columns(Referral.status, func.count()).group_by(Referral.status)).all())
    counts = {name: sum(counted.get(s, 0) for s in statuses) for name, statuses in FILTERS.items()}
    record(session, "view inbox", detail=f"filter {chosen or 'all'}, team {team or 'all'}, page {page}"
           if user.is_admin else f"filter {chosen or 'all'}, page {page}", staff_id=user.id)
    session.commit()
    referrals, older = referrals[:PER_PAGE], len(referrals) > PER_PAGE
    waits = {referral.id: waiting.waiting(referral, localities, now) for referral in referrals}
    return InboxPage(referrals, counts, page, chosen, older, team, waits)


def newest_first(session, user):
    """Every referral this person may see, newest first (for the export);
    None for an account that sees no referrals."""
    query = visible(user)
    return None if query is None else session.scalars(query.order_by(Referral.created_at.desc())).all()
