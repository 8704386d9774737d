"""Read a hub's opening hours and say whether it is open, and until when."""

import datetime
from dataclasses import dataclass

from .sessions import (
    EXPECTED_TIME_RANGE,
    LONDON,
    WEEKDAYS,
    london_datetime,
    parse_time_range,
)

Hours = tuple[tuple[datetime.time, datetime.time], ...]

_EXPECTED = (
    'expected opening hours like "09:00-17:00", "09:00-12:00, 13:00-17:00" or "closed"'
)
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_day(text):
    """Read one day's opening hours: "09:00-17:00", several ranges, or "closed".

    Ranges must be in order and must not overlap; touching ranges
    ("09:00-12:00, 12:00-17:00") are allowed and mean open throughout.
    Raise ValueError with a message an editor can act on.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{_EXPECTED}, got {text!r}")
    if text.strip().lower() == "closed":
        return ()
    ranges = []
    for part in text.split(","):
        try:
            ranges.append(parse_time_range(part))
        except ValueError as exc:
            # A range the wrong way round has its own message; anything
            # else unreadable gets the fuller example, with "closed".
            if str(exc).startswith(EXPECTED_TIME_RANGE):
                raise ValueError(f"{_EXPECTED}, got {text.strip()!r}") from None
            raise
    for (_, earlier_end), (later_start, _) in zip(ranges, ranges[1:]):
        if later_start < earlier_end:
            raise ValueError(
                f"the opening times overlap or are out of order in {text.strip()!r}; "
                "list them from morning to evening"
            )
    return tuple(ranges)


@dataclass(frozen=True)
class OpeningHours:
    """A hub's weekly opening hours in London time, Monday first."""

    week: tuple[Hours, ...]  # seven entries, index 0 = Monday; () = closed

    def __post_init__(self):
        if len(self.week) != 7:
            raise ValueError(f"expected opening hours for 7 days, got {len(self.week)}")

    @classmethod
    def from_mapping(cls, mapping):
        """Build opening hours from a page's `opening_hours` field.

        Keys are mon..sun (whole day names are accepted too); a day that is
        not listed is closed. A message names the day that is wrong.
        """
        week: list[Hours | None] = [None] * 7
        for key, text in mapping.items():
            day = WEEKDAYS.get(str(key).strip().lower())
            if day is None:
                raise ValueError(
                    f"{key!r} is not a day of the week (expected one of "
                    f"{', '.join(_DAY_KEYS)})"
                )
            if week[day] is not None:
                raise ValueError(f"{key}: {_DAY_KEYS[day]} is listed twice")
            try:
                week[day] = parse_day(text)
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        return cls(tuple(hours or () for hours in week))

    def is_open(self, at):
        """Say whether the hub is open at an instant (open at 09:00, shut at 17:00)."""
        local = _in_london(at)
        clock = local.time()
        return any(start <= clock < end for start, end in self.week[local.weekday()])

    def next_change(self, at):
        """Return when the hub next opens or closes after an instant.

        The answer is an aware London datetime for the page to format
        ("Open now, closes at 17:00", "Closed now, opens Monday at 09:00");
        None when the hub is closed every day.
        """
        local = _in_london(at)
        # Compare instants in UTC: two London times in the repeated autumn
        # hour would otherwise compare by wall clock.
        after = local.astimezone(datetime.UTC)
        open_now = self.is_open(local)
        # Today through the same weekday next week: the furthest away the
        # next change can be, for a hub open one day a week.
        for offset in range(8):
            day = local.date() + datetime.timedelta(days=offset)
            for start, end in self.week[day.weekday()]:
                for clock in (start, end):
                    moment = london_datetime(day, clock)
                    # Touching ranges are one opening: skip boundaries that
                    # do not change the answer.
                    if moment > after and self.is_open(moment) != open_now:
                        return moment
        return None

    def days(self):
        """List (weekday, ranges) pairs, Monday first, for the hours table."""
        return list(enumerate(self.week))


def _in_london(at):
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("expected a timezone-aware datetime")
    return at.astimezone(LONDON)
