"""Reading the "10:00-11:30" time ranges editors write, and London wall-clock times."""

import datetime

import pytest

from portal.timetable.sessions import LONDON, WEEKDAYS, london_datetime, parse_time_range

T = datetime.time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00-11:30", (T(10, 0), T(11, 30))),
        ("10:00 - 11:30", (T(10, 0), T(11, 30))),
        ("  10:00-11:30\n", (T(10, 0), T(11, 30))),
        ("10:00\u201311:30", (T(10, 0), T(11, 30))),  # en dash, from a word processor
        ("10:00 \u2013 11:30", (T(10, 0), T(11, 30))),
        ("9:30-12:00", (T(9, 30), T(12, 0))),
        ("00:00-23:59", (T(0, 0), T(23, 59))),
    ],
)
def test_reads_a_time_range(text, expected):
    assert parse_time_range(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "10:00",
        "10-11:30",
        "10.00-11.30",
        "10:00 to 11:30",
        "10:00-11:30-12:00",
        "ten till half eleven",
        "10:0-11:30",
        "25:00-26:00",
        "10:60-11:00",
        None,
        600,  # what YAML 1.1 makes of an unquoted 10:00
    ],
)
def test_rejects_what_is_not_a_time_range(text):
    with pytest.raises(ValueError, match="^expected a time range like 10:00-11:30"):
        parse_time_range(text)


@pytest.mark.parametrize("text", ["11:30-10:00", "10:00-10:00", "23:00 - 01:00"])
def test_rejects_a_range_that_ends_before_it_starts(text):
    with pytest.raises(ValueError, match="^the end time must be after the start time"):
        parse_time_range(text)


def test_the_message_quotes_what_the_editor_wrote():
    with pytest.raises(ValueError, match="'half ten'"):
        parse_time_range("half ten")


@pytest.mark.parametrize(
    ("name", "weekday"),
    [
        ("monday", 0), ("mon", 0), ("tuesday", 1), ("tue", 1), ("wednesday", 2),
        ("wed", 2), ("thursday", 3), ("thu", 3), ("friday", 4), ("fri", 4),
        ("saturday", 5), ("sat", 5), ("sunday", 6), ("sun", 6),
    ],
)
def test_weekday_names_count_from_monday(name, weekday):
    assert WEEKDAYS[name] == weekday
    assert datetime.date(2026, 6, 1 + weekday).strftime("%A").lower().startswith(name)


def test_weekdays_hold_only_the_fourteen_names():
    assert len(WEEKDAYS) == 14


@pytest.mark.parametrize(
    ("day", "clock", "wall", "utc_offset_hours"),
    [
        (datetime.date(2026, 7, 1), T(10, 0), T(10, 0), 1),
        (datetime.date(2026, 12, 1), T(10, 0), T(10, 0), 0),
        # The repeated autumn hour means its first pass, in BST.
        (datetime.date(2026, 10, 25), T(1, 30), T(1, 30), 1),
        # The missing spring hour is read with GMT, so 01:30 is 02:30 BST.
        (datetime.date(2027, 3, 28), T(1, 30), T(2, 30), 1),
        (datetime.date(2027, 3, 28), T(0, 30), T(0, 30), 0),
        (datetime.date(2027, 3, 28), T(2, 0), T(2, 0), 1),
    ],
)
def test_london_datetime_follows_rfc_5545_at_clock_changes(day, clock, wall, utc_offset_hours):
    moment = london_datetime(day, clock)
    assert moment.tzinfo is LONDON
    assert (moment.date(), moment.time()) == (day, wall)
    assert moment.utcoffset() == datetime.timedelta(hours=utc_offset_hours)
