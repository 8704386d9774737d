"""Publish sessions as an iCalendar (RFC 5545) feed families can subscribe to.

A feed is rebuilt on every request and subscribers poll it, so it must be
byte-for-byte the same while the content is the same: nothing here reads
the clock, entries are emitted in a fixed order, and DTSTAMP and
LAST-MODIFIED come from the page's `updated` date.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .occurrences import meeting_days
from .sessions import (
    LONDON,
    Cancellation,
    Session,
    SingleDate,
    WeeklyRun,
    london_datetime,
)

PRODID = "-//Family Front Door//Timetable//EN"
TZID = "Europe/London"
# Groups change rarely; twice a day keeps cancellations timely without
# subscribers hammering the site.
REFRESH = datetime.timedelta(hours=12)
_WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class CalendarEntry:
    """One page's sessions, with the words a calendar shows for them."""

    uid_base: str  # stable, e.g. "groups/stay-and-play-brinnington"
    title: str
    description: str  # plain text summary
    location: str  # one line: venue name, address, postcode
    url: str  # absolute URL of the page
    sessions: tuple[Session, ...]
    cancelled: tuple[Cancellation, ...]
    updated: datetime.date  # becomes DTSTAMP and LAST-MODIFIED


def _cancelled_title(title):
    return f"Cancelled: {title}"


def build_feed(
    entries: Iterable[CalendarEntry],
    *,
    name: str,
    domain: str,
    cancelled_title: Callable[[str], str] = _cancelled_title,
) -> bytes:
    """Build an iCalendar feed of every session of the entries.

    Each session is one VEVENT with UID ``{uid_base}/{index}@{domain}``,
    where index is the session's place in the page's list, so a UID stays
    the same from build to build. `cancelled_title` turns a title into the
    title of a cancelled meeting; the web layer passes a translated one
    (the default is English).

    How a weekly run is written:

    - DTSTART/DTEND are its first meeting, in London wall-clock time with
      TZID=Europe/London, and RRULE:FREQ=WEEKLY repeats that wall-clock
      time, so a 10:00 group stays at 10:00 across clock changes. UNTIL
      is the end of its last meeting in UTC, as RFC 5545 requires when
      DTSTART has a TZID. DTSTART and UNTIL skip except dates at either
      end, so DTSTART is always a real meeting.
    - Except dates in between are EXDATEs: those meetings never existed.
    - A cancelled date is *not* an EXDATE. RFC 5545 has one way to say
      "this instance changed": a second VEVENT with the same UID and a
      RECURRENCE-ID naming the instance, which replaces it. That override
      has STATUS:CANCELLED, the cancelled title and the reason at the top
      of its description. Excluding the date as well would make the
      RECURRENCE-ID name an instance the set does not contain, which
      RFC 5545 leaves undefined, and clients disagree on it (some drop
      the override, so the family is never told). With the override
      alone, a client that honours STATUS shows the meeting as cancelled
      and one that does not still shows "Cancelled: ..." in the title.

    A weekly run whose every date is excepted has no meeting and is left
    out. A single date is a plain VEVENT, marked the same way when its
    date is cancelled. Cancellations on dates with no meeting are ignored.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what Apple, Google and Outlook read
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")  # Outlook's name for the same
    calendar.add_component(london_timezone())
    # Sorted so the feed does not change when the content folder is read
    # in another order.
    for entry in sorted(entries, key=lambda entry: entry.uid_base):
        reasons = {cancellation.on: cancellation.reason for cancellation in entry.cancelled}
        for index, session in enumerate(entry.sessions):
            uid = f"{entry.uid_base}/{index}@{domain}"
            for event in _session_events(entry, uid, session, reasons, cancelled_title):
                calendar.add_component(event)
    return calendar.to_ical()


def london_timezone():
    """Describe Europe/London as a VTIMEZONE, by the rules in force since 1996.

    Written out rather than generated with icalendar's
    `Calendar.add_missing_timezones()`: in icalendar 7.3 that lists every
    transition in a date range and writes the spring change's onset in
    the new offset (02:00) where RFC 5545 (3.6.5) wants the local time of
    the offset being left (01:00 GMT), so a client that reads the embedded
    definition is an hour out on that night. These two yearly rules are
    the ones tzurl.org publishes, and the tests check them against the
    tz database year by year.
    """
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", datetime.timedelta(0))
    summer.add("tzoffsetto", datetime.timedelta(hours=1))
    # Clocks go forward at 01:00 GMT on the last Sunday of March ...
    summer.add("dtstart", datetime.datetime(1996, 3, 31, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", datetime.timedelta(hours=1))
    winter.add("tzoffsetto", datetime.timedelta(0))
    # ... and back at 02:00 BST on the last Sunday of October.
    winter.add("dtstart", datetime.datetime(1996, 10, 27, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _session_events(entry, uid, session, reasons, cancelled_title):
    if isinstance(session, SingleDate):
        reason = reasons.get(session.on)
        return [_event(entry, uid, session.on, session, reason, cancelled_title)]
    if not isinstance(session, WeeklyRun):
        raise TypeError(f"not a session: {session!r}")
    days = list(meeting_days(session, session.first, session.last))
    if not days:
        return []
    first, last = days[0], days[-1]
    series = _event(entry, uid, first, session, None, cancelled_title)
    until = london_datetime(last, session.end).astimezone(datetime.UTC)
    series.add("rrule", {"freq": "weekly", "until": until})
    weeks = (first + _WEEK * n for n in range((last - first).days // 7 + 1))
    excepted = [day for day in weeks if day in session.except_dates]
    if excepted:
        series.add("exdate", [_wall_clock(day, session.start) for day in excepted])
    events = [series]
    for day in days:
        if day in reasons:
            override = _event(entry, uid, day, session, reasons[day], cancelled_title)
            override.add("recurrence-id", _wall_clock(day, session.start))
            events.append(override)
    return events


def _event(entry, uid, day, session, reason, cancelled_title):
    """Make the VEVENT for one meeting, or the first of a series."""
    event = Event()
    event.add("uid", uid)
    stamp = datetime.datetime.combine(entry.updated, datetime.time(0),
                                      tzinfo=datetime.UTC)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", _wall_clock(day, session.start))
    event.add("dtend", _wall_clock(day, session.end))
    # Many calendar apps hide the URL property, so the link goes in the
    # description too.
    description = f"{entry.description}\n\n{entry.url}"
    if reason is None:
        event.add("summary", entry.title)
    else:
        event.add("summary", cancelled_title(entry.title))
        event.add("status", "CANCELLED")
        description = f"{reason}\n\n{description}"
    event.add("description", description)
    event.add("location", entry.location)
    event.add("url", entry.url)
    return event


def _wall_clock(day, clock):
    # Written as the wall-clock time, not normalised like london_datetime:
    # a TZID value and a weekly RRULE both mean "this time on the clock",
    # and clients apply RFC 5545's rule for the missing and repeated hours
    # themselves, the same rule london_datetime applies for the website.
    return datetime.datetime.combine(day, clock, tzinfo=LONDON)
