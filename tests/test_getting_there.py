"""A group's page gets a parent there: directions, the phone's maps app, a
number to call, and Add to calendar (subscribe, download, Google) by "When"."""

import datetime

import pytest

from portal.timetable.sessions import LONDON

from .conftest import text_of

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("portal.clock.source", lambda: NOW)


def test_a_group_at_a_hub_links_directions_maps_and_a_call(app, pages):
    html = pages.get("public.page", section="groups", page_id="stay-and-play-adswood")
    hub = app.extensions["content"].snapshot.hub("en", "adswood")
    there = html.select_one(".getting-there")
    lat, lon = hub.location
    assert there.select_one(f'a[href="https://www.openstreetmap.org/directions?to={lat}%2C{lon}"]')
    assert there.select_one(f'a[href^="geo:{lat},{lon}?q="]')
    call = there.select_one('a[href^="tel:"]')
    assert call["href"] == "tel:" + hub.phone.replace(" ", "")
    assert text_of(call) == f"Call {hub.phone}"
    # Nothing is loaded from elsewhere: links only.
    assert not html.select("iframe, img[src^=http], script[src^=http], link[href^=http][rel=stylesheet]")


def test_a_group_that_must_be_booked_calls_its_booking_number(pages):
    html = pages.get("public.page", section="epec", page_id="being-a-parent-brinnington")
    assert html.select_one('.getting-there a[href="tel:01614960310"]')


def test_add_to_calendar_sits_with_when_subscribe_download_and_google(pages):
    html = pages.get("public.page", section="groups", page_id="stay-and-play-adswood")
    when = next(dt for dt in html.select(".facts-list dt") if text_of(dt) == "When").find_next_sibling("dd")
    links = {text_of(a): a for a in when.select(".calendar-links a")}
    assert links["Subscribe to changes"]["href"] == "webcal://localhost/en/groups/stay-and-play-adswood.ics"
    assert links["Add to your calendar"]["href"] == "/en/groups/stay-and-play-adswood.ics"
    assert links["Add to your calendar"].has_attr("download")
    google = links["Google Calendar"]["href"]
    # The next session that goes ahead: Wednesday 2 December, 13:30 to 15:00, weekly.
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert "dates=20261202T133000%2F20261202T150000" in google and "FREQ%3DWEEKLY" in google


def test_in_a_right_to_left_language(pages):
    html = pages.get("public.page", lang="ar", section="groups", page_id="stay-and-play-brinnington")
    assert html.find("html")["dir"] == "rtl"
    there = html.select_one(".getting-there")
    assert there.select_one('a[href^="geo:"]') and "Directions" not in text_of(there)
    assert there.select_one('a[href^="tel:"] [dir=ltr]')  # the number reads left to right
