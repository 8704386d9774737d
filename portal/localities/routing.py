"""Route a postcode to a locality team: a pure function over localities.yml."""

from dataclasses import dataclass

from .. import postcodes


@dataclass(frozen=True)
class Route:
    team: object  # the Team from localities.yml
    outside_area: bool  # the postcode is not in the districts the service covers
    matched: str | None  # the prefix that decided it, None for triage


def route(localities, postcode):
    """Return the team for a normalised postcode or district: longest prefix wins.

    A full postcode is tried whole, then by sector ('SK6 6'), then district
    ('SK6'). Anything unmatched, or outside the area, goes to triage.
    """
    candidates = postcodes.candidates(postcode)
    owners = {prefix: team for team in localities.teams for prefix in team.postcodes}
    # The area may list districts, sectors or full postcodes, as teams do.
    outside = bool(localities.area) and not any(prefix in localities.area for prefix in candidates)
    if not outside:
        for prefix in candidates:
            if prefix in owners:
                return Route(owners[prefix], False, prefix)
    return Route(localities.team(localities.triage), outside, None)
