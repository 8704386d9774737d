"""Expanding sessions into the dated occurrences shown on What's on."""

import datetime

import pytest

from portal.timetable.occurrences import expand, meeting_days, next_occurrence
from portal.timetable.sessions import LONDON, Cancellation, SingleDate, WeeklyRun

D = datetime.date
T = datetime.time
UTC = datetime.UTC
TUESDAY, SUNDAY = 1, 6


def tuesday_mornings(**changes):
    """Return a Tuesday 10:00-11:30 run through the autumn and spring clock changes."""
    fields = dict(weekday=TUESDAY, start=T(10, 0), end=T(11, 30),
                  first=D(2026, 9, 1), last=D(2027, 4, 27))
    return WeeklyRun(**(fields | changes))


def in_utc(moment):
    return moment.astimezone(UTC).replace(tzinfo=None)


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


# --- clock changes -----------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "starts_utc", "ends_utc"),
    [
        # The clocks go back on Sunday 25 October 2026.
        (D(2026, 10, 20), (9, 0), (10, 30)),
        (D(2026, 10, 27), (10, 0), (11, 30)),
        # They go forward on Sunday 28 March 2027.
        (D(2027, 3, 23), (10, 0), (11, 30)),
        (D(2027, 3, 30), (9, 0), (10, 30)),
    ],
)
def test_a_weekly_run_keeps_its_wall_clock_time_across_clock_changes(day, starts_utc, ends_utc):
    (occurrence,) = expand([tuesday_mornings()], [], day, day)
    assert (occurrence.starts.time(), occurrence.ends.time()) == (T(10, 0), T(11, 30))
    assert in_utc(occurrence.starts) == datetime.datetime.combine(day, T(*starts_utc))
    assert in_utc(occurrence.ends) == datetime.datetime.combine(day, T(*ends_utc))


@pytest.mark.parametrize(
    ("day", "offset_hours"),
    [
        (D(2026, 10, 18), 1), (D(2026, 10, 25), 0), (D(2026, 11, 1), 0),
        (D(2027, 3, 21), 0), (D(2027, 3, 28), 1), (D(2027, 4, 4), 1),
    ],
)
def test_a_sunday_run_on_the_day_the_clocks_change_uses_the_new_offset(day, offset_hours):
    sundays = WeeklyRun(weekday=SUNDAY, start=T(10, 0), end=T(12, 0),
                        first=D(2026, 10, 1), last=D(2027, 4, 30))
    (occurrence,) = expand([sundays], [], day, day)
    assert occurrence.starts.tzinfo is LONDON
    assert occurrence.starts.utcoffset() == datetime.timedelta(hours=offset_hours)
    assert occurrence.starts.time() == T(10, 0)


def test_a_session_in_the_missing_spring_hour_starts_after_it_and_never_ends_before_it_starts():
    night = SingleDate(on=D(2027, 3, 28), start=T(1, 30), end=T(2, 10))
    (occurrence,) = expand([night], [], D(2027, 3, 28), D(2027, 3, 28))
    assert occurrence.starts == london(2027, 3, 28, 2, 30)
    assert in_utc(occurrence.starts) == datetime.datetime(2027, 3, 28, 1, 30)
    assert occurrence.ends >= occurrence.starts


def test_a_session_in_the_repeated_autumn_hour_is_its_first_pass():
    night = SingleDate(on=D(2026, 10, 25), start=T(1, 15), end=T(1, 45))
    (occurrence,) = expand([night], [], D(2026, 10, 25), D(2026, 10, 25))
    assert in_utc(occurrence.starts) == datetime.datetime(2026, 10, 25, 0, 15)
    assert occurrence.ends - occurrence.starts == datetime.timedelta(minutes=30)


# --- which dates --------------------------------------------------------------

def test_a_weekly_run_meets_every_week_on_its_weekday():
    occurrences = expand([tuesday_mornings()], [], D(2026, 9, 1), D(2026, 9, 30))
    assert [o.starts.date() for o in occurrences] == [
        D(2026, 9, 1), D(2026, 9, 8), D(2026, 9, 15), D(2026, 9, 22), D(2026, 9, 29)]
    assert all(not o.cancelled and o.reason is None for o in occurrences)


def test_except_dates_are_dropped():
    run = tuesday_mornings(except_dates=frozenset({D(2026, 12, 22), D(2026, 12, 29)}))
    days = [o.starts.date() for o in expand([run], [], D(2026, 12, 14), D(2027, 1, 10))]
    assert days == [D(2026, 12, 15), D(2027, 1, 5)]


def test_cancelled_dates_are_kept_and_marked_with_the_reason():
    cancelled = [Cancellation(D(2026, 10, 13), "Staff training")]
    occurrences = expand([tuesday_mornings()], cancelled, D(2026, 10, 6), D(2026, 10, 20))
    assert [(o.starts.date(), o.cancelled, o.reason) for o in occurrences] == [
        (D(2026, 10, 6), False, None),
        (D(2026, 10, 13), True, "Staff training"),
        (D(2026, 10, 20), False, None),
    ]


def test_a_cancellation_on_a_day_with_no_session_is_ignored():
    wednesday = [Cancellation(D(2026, 10, 14), "Hall booked")]
    occurrences = expand([tuesday_mornings()], wednesday, D(2026, 10, 12), D(2026, 10, 18))
    assert [(o.starts.date(), o.cancelled) for o in occurrences] == [(D(2026, 10, 13), False)]


def test_a_cancellation_on_an_except_date_does_not_bring_it_back():
    run = tuesday_mornings(except_dates=frozenset({D(2026, 10, 13)}))
    cancelled = [Cancellation(D(2026, 10, 13), "Half term")]
    assert expand([run], cancelled, D(2026, 10, 12), D(2026, 10, 18)) == []


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # The window's ends are inclusive ...
        (D(2026, 9, 8), D(2026, 9, 22), [D(2026, 9, 8), D(2026, 9, 15), D(2026, 9, 22)]),
        (D(2026, 9, 9), D(2026, 9, 21), [D(2026, 9, 15)]),
        (D(2026, 9, 15), D(2026, 9, 15), [D(2026, 9, 15)]),
        (D(2026, 9, 16), D(2026, 9, 21), []),
        # ... and so are the run's own 'from' and 'until'.
        (D(2026, 8, 1), D(2026, 9, 1), [D(2026, 9, 1)]),
        (D(2027, 4, 27), D(2027, 6, 1), [D(2027, 4, 27)]),
        (D(2027, 4, 28), D(2027, 6, 1), []),
        (D(2026, 8, 1), D(2026, 8, 31), []),
    ],
)
def test_range_boundaries_are_inclusive(start, end, expected):
    assert [o.starts.date() for o in expand([tuesday_mornings()], [], start, end)] == expected


def test_a_window_ending_before_it_starts_is_empty():
    assert expand([tuesday_mornings()], [], D(2026, 9, 15), D(2026, 9, 8)) == []


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("window_start", [D(2026, 9, 1) + datetime.timedelta(days=n) for n in range(9)])
def test_jumping_to_the_first_meeting_finds_the_same_days_as_walking_every_day(weekday, window_start):
    run = WeeklyRun(weekday=weekday, start=T(10), end=T(11), first=D(2026, 9, 3),
                    last=D(2026, 10, 29), except_dates=frozenset({D(2026, 9, 17), D(2026, 9, 20)}))
    window_end = window_start + datetime.timedelta(days=40)
    walked = [
        day for day in (window_start + datetime.timedelta(days=n) for n in range(41))
        if day.weekday() == weekday and run.first <= day <= run.last
        and day not in run.except_dates
    ]
    assert list(meeting_days(run, window_start, window_end)) == walked


def test_a_single_date_appears_only_within_the_window():
    once = SingleDate(on=D(2026, 11, 7), start=T(13, 0), end=T(15, 0))
    (occurrence,) = expand([once], [], D(2026, 11, 7), D(2026, 11, 7))
    assert (occurrence.starts, occurrence.ends) == (london(2026, 11, 7, 13), london(2026, 11, 7, 15))
    assert expand([once], [], D(2026, 11, 8), D(2026, 12, 1)) == []
    assert expand([once], [], D(2026, 10, 1), D(2026, 11, 6)) == []


def test_a_single_date_can_be_cancelled():
    once = SingleDate(on=D(2026, 11, 7), start=T(13, 0), end=T(15, 0))
    (occurrence,) = expand([once], [Cancellation(D(2026, 11, 7), "Snow")],
                           D(2026, 11, 1), D(2026, 11, 30))
    assert (occurrence.cancelled, occurrence.reason) == (True, "Snow")


def test_mixed_sessions_come_out_in_order_of_start():
    afternoons = WeeklyRun(weekday=TUESDAY, start=T(13, 0), end=T(14, 0),
                           first=D(2026, 9, 1), last=D(2026, 9, 30))
    mondays = WeeklyRun(weekday=0, start=T(9, 30), end=T(11, 0),
                        first=D(2026, 9, 1), last=D(2026, 9, 30))
    early_tuesday = SingleDate(on=D(2026, 9, 8), start=T(8, 0), end=T(9, 0))
    occurrences = expand([afternoons, tuesday_mornings(), early_tuesday, mondays], [],
                         D(2026, 9, 7), D(2026, 9, 8))
    assert [o.starts for o in occurrences] == [
        london(2026, 9, 7, 9, 30),
        london(2026, 9, 8, 8, 0),
        london(2026, 9, 8, 10, 0),
        london(2026, 9, 8, 13, 0),
    ]


def test_sessions_and_cancellations_may_be_any_iterable():
    sessions = (s for s in [tuesday_mornings()])
    cancelled = (c for c in [Cancellation(D(2026, 9, 8), "Closed")])
    occurrences = expand(sessions, cancelled, D(2026, 9, 1), D(2026, 9, 8))
    assert [o.cancelled for o in occurrences] == [False, True]


# --- next occurrence ------------------------------------------------------------

@pytest.mark.parametrize(
    ("now", "expected_start"),
    [
        (london(2026, 8, 1, 12, 0), london(2026, 9, 1, 10, 0)),  # before the run
        (london(2026, 9, 1, 9, 59), london(2026, 9, 1, 10, 0)),
        (london(2026, 9, 1, 11, 0), london(2026, 9, 1, 10, 0)),  # on now
        (london(2026, 9, 1, 11, 30), london(2026, 9, 8, 10, 0)),  # just ended
        (london(2026, 10, 7, 9, 0), london(2026, 10, 20, 10, 0)),  # skips the cancelled 13th
        (london(2027, 4, 20, 12, 0), london(2027, 4, 27, 10, 0)),  # the last one
    ],
)
def test_next_occurrence_is_the_next_that_goes_ahead(now, expected_start):
    cancelled = [Cancellation(D(2026, 10, 13), "Staff training")]
    occurrence = next_occurrence([tuesday_mornings()], cancelled, now)
    assert occurrence is not None
    assert occurrence.starts == expected_start
    assert not occurrence.cancelled


def test_next_occurrence_reads_a_utc_now_in_london_time():
    # 09:15 UTC on 1 September is 10:15 BST: the session is on.
    now = datetime.datetime(2026, 9, 1, 9, 15, tzinfo=UTC)
    assert next_occurrence([tuesday_mornings()], [], now).starts == london(2026, 9, 1, 10)
    # 10:45 UTC is 11:45 BST: it has ended.
    now = datetime.datetime(2026, 9, 1, 10, 45, tzinfo=UTC)
    assert next_occurrence([tuesday_mornings()], [], now).starts == london(2026, 9, 8, 10)


def test_next_occurrence_looks_months_ahead():
    spring_course = SingleDate(on=D(2027, 5, 4), start=T(10), end=T(12))
    now = london(2026, 9, 1, 12)
    assert next_occurrence([spring_course], [], now).starts == london(2027, 5, 4, 10)


@pytest.mark.parametrize(
    ("on", "found"),
    [(D(2027, 8, 31), True), (D(2027, 9, 2), False), (D(2027, 12, 1), False)],
)
def test_next_occurrence_looks_a_year_ahead_and_no_further(on, found):
    session = SingleDate(on=on, start=T(10), end=T(12))
    occurrence = next_occurrence([session], [], london(2026, 9, 1, 12))
    assert (occurrence is not None) is found


def test_next_occurrence_is_none_when_everything_is_over_or_cancelled():
    once = SingleDate(on=D(2026, 9, 5), start=T(10), end=T(12))
    assert next_occurrence([once], [], london(2026, 9, 5, 12)) is None
    off = [Cancellation(D(2026, 9, 5), "Flooded")]
    assert next_occurrence([once], off, london(2026, 9, 1)) is None


def test_next_occurrence_needs_an_aware_now():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrence([tuesday_mornings()], [], datetime.datetime(2026, 9, 1, 12))
