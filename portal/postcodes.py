"""UK postcodes, said once: read, normalise, split into district, sector and
full postcode, and find in free text.

Content (hubs, localities.yml), routing, the referral form, search and the
page-report scrubber all read postcodes through this module.
"""

import re

OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"  # the district: SK5, M1, EC1A
INWARD = r"[0-9][A-Z]{2}"  # 8AB
_FULL = re.compile(rf"^({OUTWARD})\s*({INWARD})$")
_DISTRICT = re.compile(rf"^{OUTWARD}$")
_SECTOR = re.compile(rf"^{OUTWARD} [0-9]$")
# Not glued to other letters or digits, in any case; the inward code optional.
_IN_TEXT = re.compile(rf"(?<![A-Za-z0-9])({OUTWARD})(?:\s*({INWARD}))?(?![A-Za-z0-9])", re.IGNORECASE)


def _compact(text):
    return "".join(str(text).upper().split())


def full(text):
    """Return a full postcode as 'SK5 8AB' (any case, any spacing), or None."""
    found = _FULL.match(_compact(text))
    return f"{found.group(1)} {found.group(2)}" if found else None


def normalise(text):
    """Return a full postcode as 'SK5 8AB', a district as 'SK5', or None."""
    district = _compact(text)
    return full(text) or (district if _DISTRICT.match(district) else None)


def prefix(text):
    """Return a district ('SK6'), sector ('SK6 6') or full postcode ('SK6 6AB'),
    normalised, or None: what localities.yml may list."""
    value = " ".join(str(text).upper().split())
    return full(value) or (value if _DISTRICT.match(value) or _SECTOR.match(value) else None)


def candidates(postcode):
    """Return a normalised postcode's prefixes, longest first: the full
    postcode, its sector and its district ('SK6 6AB', 'SK6 6', 'SK6')."""
    found = [postcode]
    if " " in postcode:
        found.append(postcode[:-2])  # the sector: 'SK6 6AB' -> 'SK6 6'
    found.append(postcode.split(" ")[0])
    return found


def find(text):
    """Split a postcode or district out of free text: (rest, postcode) or (text, None)."""
    for match in _IN_TEXT.finditer(text):
        found = normalise(match.group(0))
        if found and any(c.isdigit() for c in found):
            rest = (text[:match.start()] + " " + text[match.end():]).strip()
            return " ".join(rest.split()), found
    return text, None


def spans(text):
    """Return (start, end) of every full postcode written in free text."""
    return [match.span() for match in _IN_TEXT.finditer(text) if match.group(2)]
