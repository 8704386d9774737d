"""How long new referrals have waited, and which are past their team's target.

Each team's target is in localities.yml (``target_working_days``, default
2). Only new referrals wait: once contacted or closed, the clock stops.
"""

from dataclasses import dataclass

from sqlalchemy import and_, case, false, or_

from ..content.site import TARGET_WORKING_DAYS
from ..db.base import utcnow
from ..referrals.models import Referral
from ..timetable import working_days

NEW = ("received", "with_team")


@dataclass(frozen=True, slots=True)
class Waiting:
    days: int  # whole working days waited
    overdue: bool
    target: int


def now():
    """The moment waiting is measured at (one place for tests to fix the clock)."""
    return utcnow()


def target_of(localities, team_id):
    team = localities.team(team_id)
    return team.target_working_days if team else TARGET_WORKING_DAYS


def waiting(referral, localities, now):
    """Return how long a referral has waited, or None once the team has acted."""
    if referral.status not in NEW:
        return None
    target = target_of(localities, referral.team_id)
    waited = working_days.between(referral.created_at, now)
    return Waiting(days=int(waited), overdue=waited > target, target=target)


def overdue_clause(localities, now):
    """SQL true for new referrals past their team's target at ``now``."""
    cutoffs = {}
    for team in localities.teams:
        cutoffs.setdefault(team.target_working_days, []).append(team.id)
    known = [team.id for team in localities.teams]
    late = [and_(Referral.team_id.in_(ids), Referral.created_at < working_days.before(now, days))
            for days, ids in cutoffs.items()]
    # A team since removed from localities.yml keeps the default target.
    late.append(and_(Referral.team_id.not_in(known),
                     Referral.created_at < working_days.before(now, TARGET_WORKING_DAYS)))
    return and_(Referral.status.in_(NEW), or_(false(), *late))


def overdue_first(localities, now):
    """ORDER BY terms: overdue referrals first, longest waiting first; then newest first."""
    late = overdue_clause(localities, now)
    return (case((late, 0), else_=1), case((late, Referral.created_at)), Referral.created_at.desc(),
            Referral.id.desc())
