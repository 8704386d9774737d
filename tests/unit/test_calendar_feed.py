"""The iCalendar feeds, read back with icalendar as a subscriber's app would."""

import dataclasses
import datetime

import pytest
from dateutil.rrule import rrulestr  # icalendar's own dependency
from icalendar import Calendar

from portal.timetable.calendar_feed import CalendarEntry, build_feed
from portal.timetable.occurrences import expand
from portal.timetable.sessions import LONDON, Cancellation, SingleDate, WeeklyRun

D = datetime.date
T = datetime.time
UTC = datetime.UTC
DOMAIN = "families.example.org"


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


# Tuesdays 1 September 2026 to 6 April 2027: across both clock changes.
TUESDAYS = WeeklyRun(
    weekday=1, start=T(10, 0), end=T(11, 30), first=D(2026, 9, 1), last=D(2027, 4, 6),
    except_dates=frozenset({D(2026, 12, 22), D(2026, 12, 29)}),
)
CHRISTMAS_PARTY = SingleDate(on=D(2026, 12, 19), start=T(13, 0), end=T(15, 0))
STAY_AND_PLAY = CalendarEntry(
    uid_base="groups/stay-and-play-brinnington",
    title="Stay and play, Brinnington",
    description="Play, songs and a cuppa; for babies and toddlers with their grown-ups.",
    location="Brinnington Family Hub, Brinnington Road, Stockport SK5 8AA",
    url="https://families.example.org/en/groups/stay-and-play-brinnington",
    sessions=(TUESDAYS, CHRISTMAS_PARTY),
    cancelled=(
        Cancellation(D(2026, 10, 13), "Staff training"),
        Cancellation(D(2026, 10, 14), "Not a meeting day"),
    ),
    updated=D(2026, 8, 20),
)
BABY_MASSAGE = CalendarEntry(
    uid_base="epec/baby-massage-offerton",
    title="Baby massage",
    description="A five-week course.",
    location="Offerton Family Hub, Offerton Lane, Stockport SK2 5AB",
    url="https://families.example.org/en/epec/baby-massage-offerton",
    sessions=(
        WeeklyRun(weekday=3, start=T(13, 30), end=T(15, 0),
                  first=D(2026, 10, 1), last=D(2026, 10, 29)),
    ),
    cancelled=(Cancellation(D(2026, 10, 29), "Half term"),),
    updated=D(2026, 9, 2),
)


def feed(*entries, **options):
    return build_feed(entries or (STAY_AND_PLAY, BABY_MASSAGE),
                      name="What's on in Stockport", domain=DOMAIN, **options)


def events(data, uid=None):
    found = Calendar.from_ical(data).walk("VEVENT")
    return [e for e in found if uid is None or str(e["UID"]) == uid]


def series(data, uid):
    (master,) = [e for e in events(data, uid) if "RECURRENCE-ID" not in e]
    return master


def recurrence_set(master):
    """Expand a VEVENT's RRULE and EXDATEs the way a calendar app does."""
    start = master["DTSTART"].dt
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    excluded = {dt.dt for prop in _as_list(master.get("EXDATE")) for dt in prop.dts}
    return [moment for moment in rule if moment not in excluded]


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- the calendar -----------------------------------------------------------------

def test_the_calendar_names_itself_and_says_how_often_to_refresh():
    calendar = Calendar.from_ical(feed())
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Family Front Door//Timetable//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "What's on in Stockport"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/London"
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=12)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT12H"


def test_the_calendar_defines_every_timezone_it_uses():
    calendar = Calendar.from_ical(feed())
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/London"]
    assert calendar.get_used_tzids() == {"Europe/London"}
    assert calendar.get_missing_tzids() == set()


def _last_sunday(year, month):
    day = D(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


@pytest.mark.parametrize("year", range(1996, 2038))
def test_the_embedded_timezone_agrees_with_the_tz_database(year):
    # A client without its own tz database relies on the VTIMEZONE, so
    # read it without looking the TZID up, and check every quarter hour
    # around both changes, and the middle of summer and winter.
    (zone,) = Calendar.from_ical(feed()).timezones
    embedded = zone.to_tz(lookup_tzid=False)
    instants = [datetime.datetime(year, 1, 15, 12, tzinfo=UTC),
                datetime.datetime(year, 7, 15, 12, tzinfo=UTC)]
    for month in (3, 10):
        night = datetime.datetime.combine(_last_sunday(year, month), T(0), tzinfo=UTC)
        instants += [night + datetime.timedelta(minutes=15 * n) for n in range(-4, 16)]
    for instant in instants:
        assert instant.astimezone(embedded).utcoffset() == instant.astimezone(LONDON).utcoffset(), instant


# --- weekly runs --------------------------------------------------------------------

UID_TUESDAYS = f"groups/stay-and-play-brinnington/0@{DOMAIN}"


def test_a_weekly_run_starts_at_its_first_meeting_in_london_time():
    master = series(feed(), UID_TUESDAYS)
    assert master["DTSTART"].dt == london(2026, 9, 1, 10, 0)
    assert master["DTEND"].dt == london(2026, 9, 1, 11, 30)
    assert master["DTSTART"].params["TZID"] == "Europe/London"
    assert master["DTEND"].params["TZID"] == "Europe/London"
    assert b"DTSTART;TZID=Europe/London:20260901T100000\r\n" in feed()


def test_a_weekly_run_repeats_until_its_last_meeting_ends_in_utc():
    master = series(feed(), UID_TUESDAYS)
    rule = master["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    # 6 April 2027, 11:30 BST, written in UTC as RFC 5545 requires.
    assert rule["UNTIL"] == [datetime.datetime(2027, 4, 6, 10, 30, tzinfo=UTC)]
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20270406T103000Z\r\n" in feed()


def test_except_dates_are_exdates_in_london_time():
    master = series(feed(), UID_TUESDAYS)
    (exdate,) = _as_list(master["EXDATE"])
    assert exdate.params["TZID"] == "Europe/London"
    assert [d.dt for d in exdate.dts] == [london(2026, 12, 22, 10), london(2026, 12, 29, 10)]


def test_the_feed_and_the_website_list_the_same_meetings():
    master = series(feed(), UID_TUESDAYS)
    website = expand([TUESDAYS], STAY_AND_PLAY.cancelled, TUESDAYS.first, TUESDAYS.last)
    # Compared as instants, so this also checks 10:00 stays 10:00 London
    # time on both sides of each clock change.
    assert recurrence_set(master) == [o.starts for o in website]
    assert london(2026, 10, 27, 10).astimezone(UTC).hour == 10
    assert london(2026, 10, 20, 10).astimezone(UTC).hour == 9


def test_a_run_whose_first_and_last_dates_are_excepted_starts_and_ends_on_real_meetings():
    run = dataclasses.replace(TUESDAYS, except_dates=frozenset({D(2026, 9, 1), D(2027, 4, 6)}))
    entry = dataclasses.replace(STAY_AND_PLAY, sessions=(run,), cancelled=())
    master = series(feed(entry), UID_TUESDAYS)
    assert master["DTSTART"].dt == london(2026, 9, 8, 10)
    assert master["RRULE"]["UNTIL"] == [datetime.datetime(2027, 3, 30, 10, 30, tzinfo=UTC)]
    assert "EXDATE" not in master


def test_a_run_that_never_meets_has_no_event_and_the_others_keep_their_uids():
    never = WeeklyRun(weekday=0, start=T(10), end=T(11), first=D(2026, 9, 7),
                      last=D(2026, 9, 14), except_dates=frozenset({D(2026, 9, 7), D(2026, 9, 14)}))
    entry = dataclasses.replace(STAY_AND_PLAY, sessions=(never, CHRISTMAS_PARTY), cancelled=())
    assert [str(e["UID"]) for e in events(feed(entry))] == [
        f"groups/stay-and-play-brinnington/1@{DOMAIN}"]


# --- cancellations ------------------------------------------------------------------

def test_a_cancelled_meeting_is_an_override_marked_cancelled_with_the_reason():
    data = feed()
    overrides = [e for e in events(data, UID_TUESDAYS) if "RECURRENCE-ID" in e]
    (override,) = overrides
    assert override["RECURRENCE-ID"].dt == london(2026, 10, 13, 10)
    assert override["RECURRENCE-ID"].params["TZID"] == "Europe/London"
    assert str(override["STATUS"]) == "CANCELLED"
    assert str(override["SUMMARY"]) == "Cancelled: Stay and play, Brinnington"
    assert str(override["DESCRIPTION"]).startswith("Staff training\n\n")
    assert override["DTSTART"].dt == london(2026, 10, 13, 10)
    assert override["DTEND"].dt == london(2026, 10, 13, 11, 30)
    # It names an instance of the series, so the series must still hold it.
    assert override["RECURRENCE-ID"].dt in recurrence_set(series(data, UID_TUESDAYS))


def test_the_series_itself_is_not_marked_cancelled():
    master = series(feed(), UID_TUESDAYS)
    assert "STATUS" not in master
    assert str(master["SUMMARY"]) == "Stay and play, Brinnington"


def test_a_cancellation_on_a_day_with_no_meeting_adds_nothing():
    # 14 October is a Wednesday; the group meets on Tuesdays.
    recurrence_ids = [e["RECURRENCE-ID"].dt for e in events(feed(), UID_TUESDAYS)
                      if "RECURRENCE-ID" in e]
    assert recurrence_ids == [london(2026, 10, 13, 10)]


def test_a_cancelled_last_meeting_keeps_its_place_in_the_series():
    uid = f"epec/baby-massage-offerton/0@{DOMAIN}"
    data = feed()
    master = series(data, uid)
    assert master["RRULE"]["UNTIL"] == [datetime.datetime(2026, 10, 29, 15, 0, tzinfo=UTC)]
    (override,) = [e for e in events(data, uid) if "RECURRENCE-ID" in e]
    assert override["RECURRENCE-ID"].dt == london(2026, 10, 29, 13, 30)
    assert str(override["STATUS"]) == "CANCELLED"


def test_a_cancelled_single_date_is_marked_cancelled():
    entry = dataclasses.replace(STAY_AND_PLAY, cancelled=(Cancellation(D(2026, 12, 19), "Snow"),))
    (party,) = events(feed(entry), f"groups/stay-and-play-brinnington/1@{DOMAIN}")
    assert str(party["STATUS"]) == "CANCELLED"
    assert "RECURRENCE-ID" not in party
    assert str(party["DESCRIPTION"]).startswith("Snow\n\n")


def test_the_cancelled_title_can_be_translated():
    data = feed(cancelled_title=lambda title: f"Odwo\u0142ane: {title}")
    summaries = {str(e["SUMMARY"]) for e in events(data) if "STATUS" in e}
    assert summaries == {"Odwo\u0142ane: Stay and play, Brinnington", "Odwo\u0142ane: Baby massage"}


# --- single dates and the words -------------------------------------------------------

def test_a_single_date_is_a_plain_event():
    (party,) = events(feed(), f"groups/stay-and-play-brinnington/1@{DOMAIN}")
    assert party["DTSTART"].dt == london(2026, 12, 19, 13)
    assert party["DTEND"].dt == london(2026, 12, 19, 15)
    assert "RRULE" not in party and "STATUS" not in party


def test_each_event_carries_the_words_and_the_link():
    for event in events(feed(), UID_TUESDAYS):
        assert str(event["LOCATION"]) == STAY_AND_PLAY.location
        assert str(event["URL"]) == STAY_AND_PLAY.url
        assert STAY_AND_PLAY.description in str(event["DESCRIPTION"])
        assert str(event["DESCRIPTION"]).endswith(STAY_AND_PLAY.url)


# --- stability ------------------------------------------------------------------------

def test_uids_are_stable_and_name_the_page_and_session():
    assert sorted({str(e["UID"]) for e in events(feed())}) == [
        f"epec/baby-massage-offerton/0@{DOMAIN}",
        f"groups/stay-and-play-brinnington/0@{DOMAIN}",
        f"groups/stay-and-play-brinnington/1@{DOMAIN}",
    ]


def test_the_same_content_gives_the_same_bytes_in_any_order():
    assert feed(STAY_AND_PLAY, BABY_MASSAGE) == feed(STAY_AND_PLAY, BABY_MASSAGE)
    assert feed(STAY_AND_PLAY, BABY_MASSAGE) == feed(BABY_MASSAGE, STAY_AND_PLAY)


def test_timestamps_come_from_the_page_not_the_clock():
    for event in events(feed(), UID_TUESDAYS):
        assert event["DTSTAMP"].dt == datetime.datetime(2026, 8, 20, tzinfo=UTC)
        assert event["LAST-MODIFIED"].dt == datetime.datetime(2026, 8, 20, tzinfo=UTC)


def test_an_edit_changes_only_the_feed_of_what_changed():
    edited = dataclasses.replace(BABY_MASSAGE, title="Baby massage (new time)")
    assert feed(STAY_AND_PLAY, edited) != feed()
    assert events(feed(STAY_AND_PLAY, edited), UID_TUESDAYS) == events(feed(), UID_TUESDAYS)


# --- the format ---------------------------------------------------------------------------

WORDY = CalendarEntry(
    uid_base="groups/urdu-stay-and-play",
    title="\u0628\u0686\u0648\u06ba \u06a9\u06d2 \u0633\u0627\u062a\u06be \u06a9\u06be\u06cc\u0644 " * 6,
    description="\u5b9d\u5b9d\u548c\u7167\u987e\u8005\u7684\u6e38\u620f\u65f6\u95f4\u3002" * 12,
    location="Brinnington Family Hub, Brinnington Road, Stockport SK5 8AA; the side door by the car park",
    url="https://families.example.org/ur/groups/urdu-stay-and-play?with=a&very=long&query=string",
    sessions=(TUESDAYS,),
    cancelled=(Cancellation(D(2026, 10, 13),
                            "\u0639\u0645\u0644\u06d2 \u06a9\u06cc \u062a\u0631\u0628\u06cc\u062a " * 5),),
    updated=D(2026, 8, 20),
)


def test_every_line_is_crlf_terminated_and_at_most_75_octets():
    data = feed(STAY_AND_PLAY, BABY_MASSAGE, WORDY)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert len(lines) > 50
    for line in lines:
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
    assert any(line.startswith(b" ") for line in lines)  # something was folded


def test_long_non_latin_text_survives_folding():
    (master,) = [e for e in events(feed(WORDY)) if "RECURRENCE-ID" not in e]
    assert str(master["SUMMARY"]) == WORDY.title
    assert str(master["DESCRIPTION"]).startswith(WORDY.description)
