"""A card's one-line "when", and whether a course can still be joined."""

import datetime

from portal.timetable.sessions import SingleDate, WeeklyRun
from portal.timetable.summary import course_runs, regular

D = datetime.date
T = datetime.time
TODAY = D(2026, 11, 30)
TEN, NOON = T(10), T(12)


def weekly(weekday, first, last, start=TEN, end=NOON):
    return WeeklyRun(weekday=weekday, start=start, end=end, first=first, last=last)


def test_the_run_in_force_is_the_regular_one():
    run = weekly(1, D(2026, 9, 1), D(2027, 7, 20))
    assert regular([run], TODAY) == run


def test_a_finished_run_is_not_named():
    assert regular([weekly(1, D(2026, 1, 1), D(2026, 11, 29))], TODAY) is None
    assert regular([SingleDate(on=D(2026, 12, 5), start=T(10), end=T(11))], TODAY) is None


def test_the_next_term_is_named_when_none_is_running():
    later = weekly(3, D(2027, 1, 14), D(2027, 3, 11))
    assert regular([weekly(3, D(2026, 9, 1), D(2026, 11, 1)), later], TODAY) == later


def test_two_runs_at_once_on_different_days_are_not_one_line():
    runs = [weekly(1, D(2026, 9, 1), D(2027, 7, 20)), weekly(3, D(2026, 9, 1), D(2027, 7, 20))]
    assert regular(runs, TODAY) is None
    same_time_next_term = [weekly(1, D(2026, 9, 1), D(2026, 12, 15)), weekly(1, D(2027, 1, 5), D(2027, 3, 30))]
    assert regular(same_time_next_term, TODAY) == same_time_next_term[0]


def test_a_course_is_open_to_join_until_its_first_session():
    started = weekly(3, D(2026, 10, 22), D(2026, 12, 17))
    coming = weekly(3, D(2027, 1, 14), D(2027, 3, 11))
    finished = weekly(3, D(2026, 4, 1), D(2026, 6, 1))
    runs = course_runs([coming, finished, started], TODAY)
    assert [(r.first, r.started) for r in runs] == [(D(2026, 10, 22), True), (D(2027, 1, 14), False)]
    assert course_runs([weekly(3, TODAY, D(2027, 1, 1))], TODAY)[0].started is False  # starts today


def test_single_dates_make_one_run():
    dates = [SingleDate(on=D(2026, 12, d), start=T(10), end=T(11)) for d in (14, 7, 21)]
    [run] = course_runs(dates, TODAY)
    assert (run.first, run.last, run.started) == (D(2026, 12, 7), D(2026, 12, 21), False)
