"""The one clock: now in UTC, now and today in London.

Everything that asks the time asks here, so a test sets it in one place
(``clock.source``) and every page, rule and timestamp follows.
"""

import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def system_time():
    """Return the machine's time as an aware UTC datetime."""
    return datetime.datetime.now(datetime.UTC)


# The time everything reads; a test replaces it to fix the clock.
source = system_time


def utcnow():
    """Return now, aware, in UTC (what the database stores)."""
    return source()


def now():
    """Return now on a Stockport wall clock."""
    return source().astimezone(LONDON)


def today():
    """Return today's date in Stockport, whatever the server's own zone."""
    return now().date()
