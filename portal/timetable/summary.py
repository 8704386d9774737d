"""Say in a line when a group meets, and whether a course can still be joined.

Pure functions over a page's sessions, for the cards in listings, search and
what's on: a parent should not have to open a page to learn its day and time.
"""

import datetime
from dataclasses import dataclass

from .sessions import SingleDate, WeeklyRun


def regular(sessions, today):
    """Return the weekly run in force today or next (the one a card names as
    "Every Tuesday, 10:00 to 12:00"), or None when there is none.

    None too when two runs overlap on different days or times: then only the
    next date says it right.
    """
    current = [s for s in sessions if isinstance(s, WeeklyRun) and s.last >= today]
    if not current:
        return None
    soonest = min(current, key=lambda run: run.first)
    in_force = [run for run in current if run.first <= max(today, soonest.first)]
    patterns = {(run.weekday, run.start, run.end) for run in in_force}
    return soonest if len(patterns) == 1 else None


@dataclass(frozen=True, slots=True)
class CourseRun:
    """One run of a course, from its first to its last date."""

    first: datetime.date
    last: datetime.date
    started: bool  # its first session has happened (so it is closed to newcomers)


def course_runs(sessions, today):
    """Return the runs of a course that have not finished, soonest first.

    A weekly run is one run; single dates on their own make one run from the
    first to the last. A run is open to join until its first session: EPEC
    courses build week on week, so a parent joins at the start.
    """
    runs = [(s.first, s.last) for s in sessions if isinstance(s, WeeklyRun)]
    singles = sorted(s.on for s in sessions if isinstance(s, SingleDate))
    if singles:
        runs.append((singles[0], singles[-1]))
    return [CourseRun(first, last, first < today)
            for first, last in sorted(runs) if last >= today]


def last_date(sessions):
    """Return the last date any of these sessions meets (ignoring exceptions), or None."""
    return max((s.last if isinstance(s, WeeklyRun) else s.on for s in sessions), default=None)


def week_of(day):
    """Return the Monday of the week a date is in."""
    return day - datetime.timedelta(days=day.weekday())
