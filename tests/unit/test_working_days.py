"""Working days in England, as a team counts them when a family waits."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from portal.timetable.working_days import before, between, is_working_day

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(datetime.date(2026, 12, 3))  # a Thursday
    assert not is_working_day(datetime.date(2026, 12, 5))  # Saturday
    assert not is_working_day(datetime.date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(datetime.date(2026, 12, 28))  # Boxing Day, observed on the Monday
    assert not is_working_day(datetime.date(2027, 3, 29))  # Easter Monday


def test_friday_afternoon_is_due_on_tuesday_afternoon():
    friday = at(2026, 11, 27, 16, 0)
    assert between(friday, at(2026, 12, 1, 16, 0)) == 2
    assert between(friday, at(2026, 11, 30, 16, 0)) == 1
    assert before(at(2026, 12, 1, 16, 0), 2) == friday


def test_christmas_eve_waits_through_the_bank_holidays():
    eve = at(2026, 12, 24, 10, 0)
    assert between(eve, at(2026, 12, 29, 10, 0)) == 1
    assert between(eve, at(2026, 12, 30, 10, 0)) == 2


def test_a_weekend_referral_starts_counting_on_monday():
    saturday = at(2026, 11, 28, 11, 0)
    assert between(saturday, at(2026, 11, 30, 0, 0)) == 0
    assert between(saturday, at(2026, 12, 2, 0, 0)) == 2


def test_days_across_the_clock_change_count_whole():
    # 29 March 2026 is a Sunday of 23 hours; the Friday and Monday around it count one day each.
    assert between(at(2026, 3, 27, 9, 0), at(2026, 3, 30, 8, 0)) == 1  # 09:00 GMT to 09:00 BST


def test_a_count_that_lands_on_monday_morning_reaches_back_to_friday_evening():
    # Saturday 17 to Saturday 24 January 2026 is exactly 5 working days, not more:
    # the cut-off is the end of the Friday before, not Monday at midnight.
    assert between(at(2026, 1, 17, 0, 0), at(2026, 1, 24, 0, 0)) == 5
    assert before(at(2026, 1, 24, 0, 0), 5) == at(2026, 1, 17, 0, 0)
    assert between(at(2026, 1, 16, 23, 59), at(2026, 1, 24, 0, 0)) > 5
    # The same across a bank holiday: Christmas Day and Boxing Day (observed on
    # the Monday) add nothing, so 1 day before Wednesday 30 December at midnight
    # is the end of Thursday 24 December.
    assert before(at(2026, 12, 30, 0, 0), 1) == at(2026, 12, 25, 0, 0)
    assert between(at(2026, 12, 25, 0, 0), at(2026, 12, 30, 0, 0)) == 1


MOMENTS = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC))


@given(MOMENTS, MOMENTS, st.integers(1, 10))
def test_before_is_exactly_where_waiting_passes_the_target(start, now, days):
    """What the inbox asks the database (created before the cut-off) is what it shows
    (waited more than the target), for every moment and target."""
    assert (start < before(now, days)) == (between(start, now) > days)
