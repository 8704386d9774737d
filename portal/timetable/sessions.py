"""Describe when a group meets, as the content loader reads it from a page.

Times in content files are Europe/London wall-clock times: a group that
meets at 10:00 meets at 10:00 on both sides of a clock change. These
records keep dates and clock times apart; `london_datetime` is the one
place where the two become an instant.
"""

import datetime
import re
from dataclasses import dataclass
from types import MappingProxyType

from ..clock import LONDON

_DAY_NAMES = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)

# Editors write either the whole name or its first three letters.
WEEKDAYS = MappingProxyType(
    {name: index for index, name in enumerate(_DAY_NAMES)}
    | {name[:3]: index for index, name in enumerate(_DAY_NAMES)}
)


@dataclass(frozen=True, slots=True)
class WeeklyRun:
    """A group that meets on one weekday, week after week, between two dates."""

    weekday: int  # 0 = Monday
    start: datetime.time
    end: datetime.time
    first: datetime.date  # 'from', inclusive; the loader guarantees first <= last
    last: datetime.date  # 'until', inclusive
    except_dates: frozenset[datetime.date] = frozenset()


@dataclass(frozen=True, slots=True)
class SingleDate:
    """A session that happens once."""

    on: datetime.date
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A date on which a group does not meet after all, and why."""

    on: datetime.date
    reason: str


Session = WeeklyRun | SingleDate


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of a group: when it starts and ends, and whether it is off."""

    starts: datetime.datetime  # aware, Europe/London
    ends: datetime.datetime  # aware, Europe/London
    cancelled: bool
    reason: str | None  # the cancellation reason when cancelled


_TIME_RANGE = re.compile(
    r"(?P<start>\d{1,2}:\d{2})\s*[-\u2013\u2014]\s*(?P<end>\d{1,2}:\d{2})"
)
# The start of every message about an unreadable time range.
EXPECTED_TIME_RANGE = "expected a time range like 10:00-11:30"


def parse_time_range(text):
    """Read a time range such as "10:00-11:30" into its start and end.

    Spaces around the dash and an en or em dash are tolerated, because
    word processors put them there. Raise ValueError with a message an
    editor can act on.
    """
    if not isinstance(text, str):
        raise ValueError(f"{EXPECTED_TIME_RANGE}, got {text!r}")
    match = _TIME_RANGE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{EXPECTED_TIME_RANGE}, got {text!r}")
    start, end = _clock(match["start"]), _clock(match["end"])
    if end <= start:
        raise ValueError(
            f"the end time must be after the start time, got {text.strip()!r}"
        )
    return start, end


def _clock(text):
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValueError(f"{EXPECTED_TIME_RANGE}; {text} is not a time of day")
    return datetime.time(hours, minutes)


def london_datetime(day, clock):
    """Return the instant a London wall-clock time on a day refers to.

    Two hours a year need a rule, and this follows RFC 5545 (section
    3.3.5) so the website and the calendar feeds always agree:

    - a time that happens twice (01:00-01:59 on the last Sunday of
      October) means the first of the two, in BST (``fold=0``);
    - a time that does not happen (01:00-01:59 on the last Sunday of
      March) is read with the offset in force before the gap, so 01:30
      becomes 02:30 BST; the result is normalised to that real time.
    """
    local = datetime.datetime.combine(day, clock, tzinfo=LONDON)
    # zoneinfo keeps a non-existent wall time as written; the round trip
    # through UTC turns it into the instant it stands for.
    return local.astimezone(datetime.UTC).astimezone(LONDON)
