"""Route a postcode to a locality team: a pure function over localities.yml."""

import re
from dataclasses import dataclass

# A full UK postcode (outward + inward code), spaces optional.
FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
IN_TEXT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)(?:\s*([0-9][A-Za-z]{2}))?(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Route:
    team: object  # the Team from localities.yml
    outside_area: bool  # the postcode is not in the districts the service covers
    matched: str | None  # the prefix that decided it, None for triage


def normalise(text):
    """Return a full postcode as 'SK5 8AB', a district as 'SK5', or None."""
    compact = "".join(str(text).upper().split())
    full = FULL.match(compact)
    if full:
        return f"{full.group(1)} {full.group(2)}"
    if DISTRICT.match(compact):
        return compact
    return None


def route(localities, postcode):
    """Return the team for a normalised postcode or district: longest prefix wins.

    A full postcode is tried whole, then by sector ('SK6 6'), then district
    ('SK6'). Anything unmatched, or outside the area, goes to triage.
    """
    district = postcode.split(" ")[0]
    candidates = [postcode]
    if " " in postcode:
        candidates.append(postcode[:-2])  # the sector: 'SK6 6AB' -> 'SK6 6'
    candidates.append(district)
    owners = {prefix: team for team in localities.teams for prefix in team.postcodes}
    # The area may list districts, sectors or full postcodes, as teams do.
    outside = bool(localities.area) and not any(prefix in localities.area for prefix in candidates)
    if not outside:
        for prefix in candidates:
            if prefix in owners:
                return Route(owners[prefix], False, prefix)
    return Route(localities.team(localities.triage), outside, None)


def find_postcode(text):
    """Split a postcode or district out of free text: (rest, postcode) or (text, None)."""
    for match in IN_TEXT.finditer(text):
        found = normalise(match.group(0))
        if found and any(c.isdigit() for c in found):
            rest = (text[:match.start()] + " " + text[match.end():]).strip()
            return " ".join(rest.split()), found
    return text, None
