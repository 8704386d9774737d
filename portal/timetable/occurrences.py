"""Turn sessions into the dated occurrences families see on "What's on"."""

import datetime
from collections.abc import Iterable

from .sessions import (
    LONDON,
    Cancellation,
    Occurrence,
    Session,
    SingleDate,
    WeeklyRun,
    london_datetime,
)

_WEEK = datetime.timedelta(days=7)
# next_occurrence looks at the coming fortnight first: nearly every page
# has a session in it, so the full year is rarely expanded.
_NEAR = datetime.timedelta(days=14)
_HORIZON = datetime.timedelta(days=365)


def expand(
    sessions: Iterable[Session],
    cancelled: Iterable[Cancellation],
    start: datetime.date,
    end: datetime.date,
) -> list[Occurrence]:
    """List every occurrence dated from start to end inclusive, soonest first.

    Weekly runs repeat in London wall-clock time, so a 10:00 group is at
    10:00 on both sides of a clock change. Except dates are dropped; a
    cancelled date is kept and marked, so families see "cancelled this
    week" rather than a silent gap. A cancellation on a date with no
    session changes nothing. See `london_datetime` for the two hours a
    year that need a rule.
    """
    reasons = {cancellation.on: cancellation.reason for cancellation in cancelled}
    found = []
    for session in sessions:
        for day in meeting_days(session, start, end):
            found.append(_occurrence(day, session.start, session.end, reasons))
    # Sort by instant, not by wall time, so the repeated autumn hour
    # cannot put a later meeting first.
    found.sort(key=lambda occurrence: (occurrence.starts.timestamp(),
                                       occurrence.ends.timestamp()))
    return found


def meeting_days(
    session: Session, start: datetime.date, end: datetime.date
) -> Iterable[datetime.date]:
    """Yield the dates from start to end inclusive on which a session meets.

    A weekly run jumps straight to its first meeting day in the window and
    then steps a week at a time: What's on expands every page for several
    weeks on each request.
    """
    if isinstance(session, SingleDate):
        if start <= session.on <= end:
            yield session.on
        return
    if not isinstance(session, WeeklyRun):
        raise TypeError(f"not a session: {session!r}")
    day = max(session.first, start)
    day += datetime.timedelta(days=(session.weekday - day.weekday()) % 7)
    until = min(session.last, end)
    while day <= until:
        if day not in session.except_dates:
            yield day
        day += _WEEK


def next_occurrence(
    sessions: Iterable[Session],
    cancelled: Iterable[Cancellation],
    now: datetime.datetime,
) -> Occurrence | None:
    """Return the next occurrence that goes ahead and has not ended by now.

    One in progress counts, so a page can say it is on now. Looks up to a
    year ahead; None when nothing goes ahead in that time.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    sessions, cancelled = tuple(sessions), tuple(cancelled)
    today = now.astimezone(LONDON).date()
    windows = ((today, today + _NEAR), (today + _NEAR + datetime.timedelta(days=1),
                                        today + _HORIZON))
    for first, last in windows:
        for occurrence in expand(sessions, cancelled, first, last):
            if not occurrence.cancelled and occurrence.ends > now:
                return occurrence
    return None


def _occurrence(day, start, end, reasons):
    starts = london_datetime(day, start)
    ends = london_datetime(day, end)
    # Only possible when the start falls in the missing spring hour and
    # the end just after it: never report a meeting that ends before it
    # starts.
    if ends < starts:
        ends = starts
    reason = reasons.get(day)
    return Occurrence(starts=starts, ends=ends, cancelled=reason is not None,
                      reason=reason)
