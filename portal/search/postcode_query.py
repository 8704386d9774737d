"""A postcode or district in the words searched decides the area: pure."""

from dataclasses import dataclass

from .. import postcodes
from ..localities.areas import choose


@dataclass(frozen=True)
class PostcodeQuery:
    words: str  # what was typed, without the postcode
    postcode: str | None  # normalised, None when there was none
    outside_area: bool  # the postcode is outside the area the service covers
    locality: str | None  # the team to keep to; None: everywhere


def read(localities, text):
    """Split "stay and play SK5 7" into its words and the area the postcode names,
    by the same rules as the postcode box."""
    words, postcode = postcodes.find(text)
    if not postcode:
        return PostcodeQuery(text, None, False, None)
    choice = choose(localities, postcode)
    return PostcodeQuery(words, postcode, choice.outside_area, choice.team.id if choice.team else None)
