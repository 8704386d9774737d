"""Choose the area a parent's postcode is in: a pure function over localities.yml.

The same routing as a referral decides it (longest prefix first), but a
parent may type less than a full postcode: a sector ("SK5 7") or a
district ("SK5") is enough to know what is near them.
"""

from dataclasses import dataclass

from .. import postcodes
from .routing import route

MAX_TYPED = 40  # characters; longer input is not a postcode


@dataclass(frozen=True)
class AreaChoice:
    """What a typed postcode means for the lists a parent sees."""

    postcode: str | None  # normalised ('SK5 7AB', 'SK5 7', 'SK5'), None if unreadable
    team: object | None  # the team whose area it is; None: show everything
    problem: str | None  # 'empty' or 'unreadable'; None when the postcode was read
    outside_area: bool = False  # read, but outside the districts the service covers


def choose(localities, typed):
    """Return the AreaChoice for what was typed in the postcode box."""
    text = " ".join(str(typed or "").split())
    if not text:
        return AreaChoice(None, None, "empty")
    postcode = postcodes.prefix(text) if len(text) <= MAX_TYPED else None
    if postcode is None:
        return AreaChoice(None, None, "unreadable")
    place = route(localities, postcode)
    # Outside the area, or inside it where no team is named: show everything.
    team = None if place.outside_area or place.team.id == localities.triage else place.team
    return AreaChoice(postcode, team, None, outside_area=place.outside_area)


def team_for(localities, team_id):
    """Return the team an area id names, or None (unknown ids and triage are no area)."""
    team = localities.team(team_id) if team_id else None
    return team if team and team.id != localities.triage else None
