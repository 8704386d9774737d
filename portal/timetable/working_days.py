"""Working days in England: how long a family has waited for the team.

A working day is a Monday to Friday in Europe/London that is not a bank
holiday in England (from the ``holidays`` package). Time is counted in
fractions of working days, so "overdue after 2 working days" means what a
team would say: a referral in on Friday at 4pm is due on Tuesday at 4pm, and
one sent on Christmas Eve waits through the bank holidays.
"""

import datetime
from fractions import Fraction
from functools import lru_cache

from .sessions import LONDON

MICROSECOND = datetime.timedelta(microseconds=1)


@lru_cache(maxsize=16)
def _bank_holidays(year):
    # Imported here, as numpy below: only the staff side counts working days.
    import holidays
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def _day_bounds(day):
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=LONDON)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=LONDON)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def _ticks(delta):
    return delta // MICROSECOND


def between(start, end):
    """Return the working days (a Fraction) from ``start`` to ``end`` (aware datetimes)."""
    if end <= start:
        return Fraction(0)
    first = start.astimezone(LONDON).date()
    last = end.astimezone(LONDON).date()
    # The days in between count whole: counted at once, so a referral left for
    # months costs the inbox no more than one from yesterday.
    total = Fraction(_whole_days(first + datetime.timedelta(days=1), last))
    for day in {first, last}:
        if is_working_day(day):
            opens, closes = _day_bounds(day)
            overlap = min(end, closes) - max(start, opens)
            if overlap > datetime.timedelta(0):
                total += Fraction(_ticks(overlap), _ticks(closes - opens))
    return total


def _whole_days(first, stop):
    """How many working days from ``first`` up to, not including, ``stop``."""
    if stop <= first:
        return 0
    import numpy  # 16 MB
    holidays_between = [day for year in range(first.year, stop.year + 1) for day in _bank_holidays(year)]
    return int(numpy.busday_count(first, stop, holidays=holidays_between))


def before(end, days):
    """Return the latest instant that is ``days`` working days before ``end``.

    Anything that started earlier has waited longer than ``days`` working
    days by ``end``: the inbox asks the database for exactly those. When the
    count lands exactly on the start of a working day, the nights, weekends and
    bank holidays before it add nothing, so the instant is the end of the
    working day before: a referral sent on Saturday has waited exactly 5 days,
    not more, by the next Saturday.
    """
    remaining = Fraction(days)
    day = end.astimezone(LONDON).date()
    while True:
        if is_working_day(day):
            opens, closes = _day_bounds(day)
            available = Fraction(_ticks(min(end, closes) - opens), _ticks(closes - opens))
            if available > remaining:
                back = remaining * _ticks(closes - opens)
                return min(end, closes) - MICROSECOND * int(back)
            remaining -= available
        day -= datetime.timedelta(days=1)
