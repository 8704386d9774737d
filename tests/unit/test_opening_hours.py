"""A hub's opening hours: reading them, open now, and when that changes."""

import datetime

import pytest

from portal.timetable.opening_hours import OpeningHours, parse_day
from portal.timetable.sessions import LONDON

T = datetime.time
UTC = datetime.UTC


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


# Monday 1 June 2026 starts the week these tests use.
BRINNINGTON = OpeningHours.from_mapping({
    "mon": "09:00-17:00",
    "tue": "09:00-17:00",
    "wed": "09:00-12:00, 13:00-17:00",
    "thu": "09:00-17:00",
    "fri": "09:00-16:30",
    "sat": "10:00-12:00",
    "sun": "closed",
})


# --- reading a day ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-17:00", ((T(9), T(17)),)),
        ("09:00-12:00, 13:00-17:00", ((T(9), T(12)), (T(13), T(17)))),
        ("09:00-12:00,13:00-17:00", ((T(9), T(12)), (T(13), T(17)))),
        ("09:00 \u2013 12:00, 12:00 \u2013 17:00", ((T(9), T(12)), (T(12), T(17)))),
        ("closed", ()),
        (" Closed ", ()),
        ("CLOSED", ()),
    ],
)
def test_reads_a_day(text, expected):
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected opening hours like"),
        ("nine to five", "expected opening hours like"),
        ("9-5", 'or "closed", got \'9-5\''),
        ("09:00-12:00, shut", "expected opening hours like"),
        ("09:00-12:00,", "expected opening hours like"),
        ("open", "expected opening hours like"),
        (None, "expected opening hours like"),
        ("17:00-09:00", "the end time must be after the start time"),
        ("13:00-17:00, 09:00-12:00", "overlap or are out of order"),
        ("09:00-13:00, 12:00-17:00", "overlap or are out of order"),
    ],
)
def test_rejects_a_day_it_cannot_read(text, message):
    with pytest.raises(ValueError, match=message):
        parse_day(text)


# --- reading a week ---------------------------------------------------------------

def test_a_day_left_out_is_closed():
    hours = OpeningHours.from_mapping({"mon": "09:00-17:00"})
    assert hours.days() == [(0, ((T(9), T(17)),))] + [(day, ()) for day in range(1, 7)]


def test_whole_day_names_are_accepted():
    hours = OpeningHours.from_mapping({"Monday": "09:00-17:00", "sunday": "10:00-12:00"})
    assert hours.week[0] == ((T(9), T(17)),)
    assert hours.week[6] == ((T(10), T(12)),)


def test_an_unknown_day_is_named():
    with pytest.raises(ValueError, match="'mun' is not a day of the week"):
        OpeningHours.from_mapping({"mun": "09:00-17:00"})


def test_a_bad_day_is_named_in_the_message():
    with pytest.raises(ValueError, match="^sat: expected opening hours like"):
        OpeningHours.from_mapping({"mon": "09:00-17:00", "sat": "mornings"})


def test_a_day_listed_twice_is_an_error():
    with pytest.raises(ValueError, match="listed twice"):
        OpeningHours.from_mapping({"mon": "09:00-17:00", "monday": "10:00-12:00"})


def test_days_lists_the_week_monday_first():
    days = BRINNINGTON.days()
    assert [day for day, _ in days] == list(range(7))
    assert days[2] == (2, ((T(9), T(12)), (T(13), T(17))))
    assert days[6] == (6, ())


def test_a_week_must_have_seven_days():
    with pytest.raises(ValueError, match="7 days"):
        OpeningHours(((),) * 6)


# --- open now ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (london(2026, 6, 1, 8, 59), False),
        (london(2026, 6, 1, 9, 0), True),  # opens at 09:00
        (london(2026, 6, 1, 16, 59), True),
        (london(2026, 6, 1, 17, 0), False),  # closed at 17:00
        (london(2026, 6, 3, 11, 59), True),  # Wednesday, split day
        (london(2026, 6, 3, 12, 0), False),
        (london(2026, 6, 3, 12, 30), False),
        (london(2026, 6, 3, 13, 0), True),
        (london(2026, 6, 5, 16, 45), False),  # Friday closes at 16:30
        (london(2026, 6, 6, 11, 0), True),  # Saturday morning
        (london(2026, 6, 7, 11, 0), False),  # Sunday, closed
        (london(2026, 6, 2, 0, 0), False),
    ],
)
def test_is_open(at, expected):
    assert BRINNINGTON.is_open(at) is expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # In summer 08:30 UTC is 09:30 BST: open, though 08:30 looks early.
        (datetime.datetime(2026, 6, 1, 8, 30, tzinfo=UTC), True),
        # 16:30 UTC is 17:30 BST: closed.
        (datetime.datetime(2026, 6, 1, 16, 30, tzinfo=UTC), False),
        # In winter London is on UTC.
        (datetime.datetime(2026, 12, 7, 8, 30, tzinfo=UTC), False),
        (datetime.datetime(2026, 12, 7, 16, 30, tzinfo=UTC), True),
        # 23:30 UTC on Friday 5 June is 00:30 on Saturday in London.
        (datetime.datetime(2026, 6, 5, 23, 30, tzinfo=UTC), False),
    ],
)
def test_is_open_reads_a_utc_time_in_london_time(at, expected):
    assert BRINNINGTON.is_open(at) is expected


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        BRINNINGTON.is_open(datetime.datetime(2026, 6, 1, 10))


# --- next change ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (london(2026, 6, 1, 8, 0), london(2026, 6, 1, 9, 0)),  # opens this morning
        (london(2026, 6, 1, 9, 0), london(2026, 6, 1, 17, 0)),  # just opened
        (london(2026, 6, 1, 10, 0), london(2026, 6, 1, 17, 0)),
        (london(2026, 6, 1, 17, 0), london(2026, 6, 2, 9, 0)),  # just closed
        (london(2026, 6, 3, 10, 0), london(2026, 6, 3, 12, 0)),  # lunch
        (london(2026, 6, 3, 12, 30), london(2026, 6, 3, 13, 0)),
        (london(2026, 6, 5, 17, 30), london(2026, 6, 6, 10, 0)),  # Friday evening
        (london(2026, 6, 6, 12, 0), london(2026, 6, 8, 9, 0)),  # over the weekend
        (london(2026, 6, 7, 15, 0), london(2026, 6, 8, 9, 0)),  # Sunday
    ],
)
def test_next_change(at, expected):
    change = BRINNINGTON.next_change(at)
    assert change == expected
    assert change.tzinfo is LONDON


def test_next_change_from_a_utc_time_answers_in_london_time():
    # Saturday 6 June, 11:30 UTC = 12:30 BST, after Saturday closing.
    change = BRINNINGTON.next_change(datetime.datetime(2026, 6, 6, 11, 30, tzinfo=UTC))
    assert change == london(2026, 6, 8, 9, 0)
    assert (change.time(), change.utcoffset()) == (T(9, 0), datetime.timedelta(hours=1))


def test_next_change_over_the_weekend_the_clocks_go_forward():
    # Saturday 27 March 2027 in GMT; Monday 29th opens at 09:00 BST, 08:00 UTC.
    change = BRINNINGTON.next_change(london(2027, 3, 27, 12, 0))
    assert change.time() == T(9, 0)
    assert change.astimezone(UTC) == datetime.datetime(2027, 3, 29, 8, 0, tzinfo=UTC)


def test_touching_ranges_are_one_opening():
    hours = OpeningHours.from_mapping({"mon": "09:00-12:00, 12:00-17:00"})
    assert hours.is_open(london(2026, 6, 1, 12, 0))
    assert hours.next_change(london(2026, 6, 1, 10, 0)) == london(2026, 6, 1, 17, 0)


def test_next_change_can_be_a_week_away():
    mondays = OpeningHours.from_mapping({"mon": "09:00-12:00"})
    assert mondays.next_change(london(2026, 6, 1, 12, 0)) == london(2026, 6, 8, 9, 0)


def test_next_change_is_none_when_never_open():
    assert OpeningHours.from_mapping({}).next_change(london(2026, 6, 1, 12)) is None
