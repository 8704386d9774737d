"""A place parents know, named in the words searched, decides the area: pure.

"stay and play Heatons" keeps to the team whose ``places:`` line (or a
``places_<lang>`` line) names the Heatons, as "stay and play SK5" keeps to
the team the district is routed to. Names are matched as whole words, in
any case; the longest name wins, so "Hazel Grove" is found before "Grove".
"""

import functools
import re
from dataclasses import dataclass

from ..localities.areas import team_for
from . import postcode_query

# Between the names in a places line: commas (also Arabic and Chinese ones)
# and the word for "and" in the site's languages ("i" in Polish, "اور" in Urdu,
# "و" in Arabic, "ও"/"এবং" in Bengali, "和" in Chinese).
_BETWEEN = re.compile(r"\s*[,،、，]\s*|\s+(?:and|i|اور|و|ও|এবং)\s+|和")
_LEADING = re.compile(r"^(?:the)\s+", re.IGNORECASE)  # "the Heatons" is typed "Heatons"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PlaceQuery:
    words: str  # what was typed, without the place
    place: str | None  # the place as typed, None when there was none
    locality: str | None  # the team to keep to; None: no place named


@functools.lru_cache(maxsize=256)  # teams are frozen: worked out once per content
def names(team):
    """Return the place names a team's places lines give, in every language."""
    lines = [team.places or "", *(text for _, text in team.places_translated)]
    found = set()
    for line in lines:
        for part in _BETWEEN.split(line):
            collective = _LEADING.match(part.strip())
            words = tuple(word.casefold() for word in _WORD.findall(_LEADING.sub("", part.strip())))
            found.add(words)
            if collective and len(words) == 1 and words[0].endswith("s"):
                found.add((words[0][:-1],))  # "the Heatons": Heaton Mersey, Heaton Moor...
    return frozenset(found - {()})


def read(localities, text):
    """Split "stay and play Heatons" into its words and the area the place names.

    A place that is all of the words chooses nothing: the words alone find
    it (a hub named for its place is found by its name), and a parent who
    then searches everywhere is not sent back to the area.
    """
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    typed = [text[start:end].casefold() for start, end in spans]
    best = None  # (length, start, team id)
    for team in localities.teams:
        if team_for(localities, team.id) is None:
            continue  # triage covers no place
        for name in names(team):
            for start in range(len(typed) - len(name) + 1):
                if tuple(typed[start:start + len(name)]) == name and (best is None or len(name) > best[0]):
                    best = (len(name), start, team.id)
    if best is not None and best[1] > 0 and typed[best[1] - 1] == "the":
        best = (best[0] + 1, best[1] - 1, best[2])  # "in the Heatons": the place is "the Heatons"
    if best is None or best[0] == len(typed):
        return PlaceQuery(text, None, None)
    length, start, locality = best
    begin, end = spans[start][0], spans[start + length - 1][1]
    rest = " ".join((text[:begin] + " " + text[end:]).split())
    return PlaceQuery(rest, text[begin:end], locality)


@dataclass(frozen=True)
class AreaInWords:
    words: str  # what to search: the words without the postcode or place
    named: bool  # a postcode or place was in the words: it decides the area
    locality: str | None  # the team to keep to when named; None: everywhere
    postcode: postcode_query.PostcodeQuery  # the page says when it is outside the area


def area_in_words(localities, text):
    """Read the area a postcode, district or place in the words names.

    A postcode or district wins over a place; either wins over the area
    remembered in the cookie (the caller keeps that when nothing is named).
    """
    asked = postcode_query.read(localities, text)
    place = read(localities, asked.words)  # a place beside a postcode is not searched for either
    if asked.postcode:
        return AreaInWords(place.words, True, asked.locality, asked)
    return AreaInWords(place.words, place.locality is not None, place.locality, asked)
