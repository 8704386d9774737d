"""A postcode or district in the words searched decides the area: pure."""

from dataclasses import dataclass

from .. import postcodes
from ..localities.routing import route


@dataclass(frozen=True)
class PostcodeQuery:
    words: str  # what was typed, without the postcode
    postcode: str | None  # normalised, None when there was none
    place: object | None  # the Route it took, None without a postcode
    locality: str | None  # the team to keep to; None: everywhere

    @property
    def outside_area(self):
        return bool(self.place and self.place.outside_area)


def read(localities, text):
    """Split "stay and play SK5 7" into its words and the area the postcode names."""
    words, postcode = postcodes.find(text)
    if not postcode:
        return PostcodeQuery(text, None, None, None)
    place = route(localities, postcode)
    in_area = not place.outside_area and place.team.id != localities.triage
    return PostcodeQuery(words, postcode, place, place.team.id if in_area else None)
