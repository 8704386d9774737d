"""What's on a week at a time: this week by default, Today and Tomorrow,
previous and next week within the timetable, cancellations with their reason."""

import datetime

import pytest

from portal.timetable.sessions import LONDON

from .conftest import text_of

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)  # a Monday


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("portal.clock.source", lambda: NOW)


def day_ids(html):
    return [h["id"].removeprefix("day-") for h in html.select("h3.day")]


def test_this_week_from_today_with_today_and_tomorrow(pages):
    html = pages.get("public.whats_on")
    days = day_ids(html)
    assert days[0] == "2026-11-30" and max(days) <= "2026-12-06"
    headings = [text_of(h) for h in html.select("h3.day")]
    assert headings[0] == "Today: Monday 30 November"
    assert headings[1] == "Tomorrow: Tuesday 1 December"
    assert text_of(html.select_one(".week-heading")) == "Week beginning Monday 30 November"
    assert not html.select('a[rel="prev"]')  # nothing before this week


def test_any_day_of_a_week_gives_that_week_and_links_both_ways(pages):
    html = pages.get("public.whats_on", week="2026-12-09", age="0-1")
    days = day_ids(html)
    assert days and min(days) >= "2026-12-07" and max(days) <= "2026-12-13"
    assert "Today" not in text_of(html.select_one("main"))
    previous = html.select_one('a[rel="prev"]')["href"]
    following = html.select_one('a[rel="next"]')["href"]
    assert "week=2026-11-30" in previous and "week=2026-12-14" in following
    assert "age=0-1" in previous and "age=0-1" in following  # the filters stay chosen


def test_weeks_are_bounded_by_the_timetable(app, pages):
    snapshot = app.extensions["content"].snapshot
    last = max(s.last if hasattr(s, "last") else s.on for a in snapshot.activities("en") for s in a.sessions)
    last_monday = last - datetime.timedelta(days=last.weekday())
    far = pages.get("public.whats_on", week="2030-01-07")
    assert text_of(far.select_one(".week-heading")).endswith(f"{last_monday.day} {last_monday:%B}")
    assert not far.select('a[rel="next"]') and far.select('a[rel="prev"]')
    past = pages.get("public.whats_on", week="2020-01-06")
    assert day_ids(past)[0] == "2026-11-30"
    for nonsense in ("next", "2026-13-45", "", "9" * 300):
        assert day_ids(pages.get("public.whats_on", week=nonsense))[0] == "2026-11-30"


def test_a_cancelled_session_is_struck_through_with_its_reason(pages):
    html = pages.get("public.whats_on", week="2026-12-07")
    cancelled = html.select(".sessions-list li.cancelled")
    assert cancelled
    entry = next(li for li in cancelled if "Stay and Play at Adswood" in text_of(li))
    assert "Cancelled this week" in text_of(entry)
    assert "Staff are on a training day" in text_of(entry.select_one(".reason"))


def test_the_filters_are_folded_until_one_is_chosen(pages):
    folded = pages.get("public.whats_on").select_one("details.filters-fold")
    assert folded is not None and not folded.has_attr("open")
    assert folded.select_one("summary") and folded.select_one("form.filters")
    chosen = pages.get("public.whats_on", hub="brinnington").select_one("details.filters-fold")
    assert chosen.has_attr("open")


def test_a_week_holds_far_fewer_sessions_than_four(app, pages):
    this_week = len(pages.get("public.whats_on").select(".sessions-list li"))
    four_weeks = this_week
    html = pages.get("public.whats_on")
    for _ in range(3):
        html = pages.get_url(html.select_one('a[rel="next"]')["href"])
        four_weeks += len(html.select(".sessions-list li"))
    assert 0 < this_week <= four_weeks / 2.5, (this_week, four_weeks)


def test_in_a_right_to_left_language(pages):
    html = pages.get("public.whats_on", lang="ar")
    assert html.find("html")["dir"] == "rtl"
    first = text_of(html.select_one("h3.day"))
    assert not first.startswith("Today") and "30" in first
    assert html.select_one('a[rel="next"]') and text_of(html.select_one('a[rel="next"]')) != "Next week"


def test_late_in_the_week_an_empty_page_says_so_and_points_to_next_week(monkeypatch, pages):
    # Sunday evening: nothing in the demo timetable is on a Sunday.
    monkeypatch.setattr("portal.clock.source",
                        lambda: datetime.datetime(2026, 12, 6, 19, 0, tzinfo=LONDON))
    html = pages.get("public.whats_on")
    main = text_of(html.select_one("main"))
    assert not html.select(".sessions-list li")
    assert "Nothing more is on this week." in main
    # No filter is chosen, so "Show everything" would only show this page again.
    assert "Nothing matches those filters" not in main and "Show everything" not in main
    assert "week=2026-12-07" in html.select_one('a[rel="next"]')["href"]


def test_an_empty_filtered_week_offers_everything_and_next_week(monkeypatch, pages):
    # Friday afternoon: Brinnington's sessions are all Monday to Thursday.
    monkeypatch.setattr("portal.clock.source",
                        lambda: datetime.datetime(2026, 12, 4, 15, 0, tzinfo=LONDON))
    html = pages.get("public.whats_on", hub="brinnington")
    assert not html.select(".sessions-list li")
    assert "Nothing matches those filters this week." in text_of(html.select_one("main"))
    assert any(text_of(a) == "Show everything" for a in html.select("main a"))
    following = html.select_one('a[rel="next"]')["href"]
    assert "week=2026-12-07" in following and "hub=brinnington" in following
