"""Every public address answers as DESIGN.md says, with a page's basics."""

import datetime
import gzip
import xml.etree.ElementTree as ET

import icalendar
import pytest

from portal.timetable.sessions import LONDON

from .conftest import text_of

# A fixed "now" inside the demo timetable: Monday 30 November 2026, 10:00.
NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("portal.clock.source", lambda: NOW)


def english_pages(app):
    snapshot = app.extensions["content"].snapshot
    return [page for (lang, _, _), page in snapshot.pages.items() if lang == "en"]


def test_every_content_page_renders_with_its_basics(app, pages):
    titles = set()
    for page in english_pages(app):
        html = pages.get("public.page", section=page.section, page_id=page.id)
        assert text_of(html.h1) == page.title
        assert html.title.string not in titles, "titles must be unique"
        titles.add(html.title.string)
        crumbs = [text_of(li) for li in html.select(".breadcrumbs li")]
        assert crumbs[0] == "Home" and crumbs[-1] == page.title
        assert "Last updated:" in text_of(html.select_one(".updated"))


@pytest.mark.parametrize("section", ["hubs", "groups", "epec", "health-visiting"])
def test_section_listings_link_every_page(app, pages, section):
    html = pages.get("public.section", section=section)
    listed = {a["href"] for a in html.select(".cards a")}
    expected = {f"/en/{p.section}/{p.id}" for p in english_pages(app) if p.section == section}
    assert listed == expected and expected


def test_listing_filters_by_locality_and_age(app, pages):
    html = pages.get("public.section", section="groups", locality="north", age="3-5")
    shown = {a["href"].rsplit("/", 1)[1] for a in html.select(".cards a")}
    by_id = {p.id: p for p in english_pages(app) if p.section == "groups"}
    expected = {i for i, p in by_id.items() if p.serves("north", "3-5")}
    assert shown == expected and 0 < len(shown) < len(by_id)
    assert html.select_one("#locality option[selected]")["value"] == "north"


def test_a_filter_value_from_nowhere_shows_everything(pages, app):
    html = pages.get("public.section", section="groups", locality="<script>", age="99")
    assert len(html.select(".cards a")) == len([p for p in english_pages(app) if p.section == "groups"])
    assert "<script>" not in str(html.select_one("main"))


def test_home_has_the_five_ways_in(pages):
    html = pages.get("public.home")
    assert len(html.select(".ways-in a")) == 5


def test_hub_page_has_contact_hours_and_its_groups(pages):
    html = pages.get("public.page", section="hubs", page_id="brinnington")
    assert html.select_one('a[href^="tel:0161496"]')
    assert html.select_one('a[href^="mailto:"][href$="@example.org"]')
    assert len(html.select(".hours tr")) == 7
    assert text_of(html.select_one(".status")).startswith("Open now")
    groups = html.select("main .cards a")
    assert any("stay-and-play-brinnington" in a["href"] for a in groups)
    # The map is a link: nothing is loaded from a third party until tapped.
    assert html.select_one('a[href^="https://www.openstreetmap.org/"]')
    assert not html.select("iframe, img[src^=http], script[src]")


def test_hub_page_says_closed_at_the_weekend(monkeypatch, pages):
    monkeypatch.setattr("portal.clock.source",
                        lambda: datetime.datetime(2026, 11, 29, 12, 0, tzinfo=LONDON))
    html = pages.get("public.page", section="hubs", page_id="brinnington")
    assert text_of(html.select_one(".status")).startswith("Closed now – opens Monday 30 November 09:00")


def test_group_page_shows_when_where_and_cancellations(pages):
    html = pages.get("public.page", section="groups", page_id="stay-and-play-adswood")
    assert html.select_one(".facts-list a[href='/en/hubs/adswood']")
    coming = html.select(".coming li")
    assert len(coming) >= 3
    cancelled = html.select(".coming li.cancelled")
    assert cancelled and "Cancelled this week" in text_of(cancelled[0])
    assert html.select_one('a[href$="/en/groups/stay-and-play-adswood.ics"]')


def test_whats_on_lists_four_weeks_by_day(pages):
    """A week at a time (issue 14): this week from today, then "Next week" three times."""
    html = pages.get("public.whats_on")
    days = [h["id"] for h in html.select("h3.day")]
    for _ in range(3):
        html = pages.get_url(html.select_one('a[rel="next"]')["href"])
        days += [h["id"] for h in html.select("h3.day")]
    assert days[0] == "day-2026-11-30"
    assert max(days) <= "day-2026-12-27"
    assert len(days) >= 20


def test_whats_on_filters_by_hub_and_day(pages):
    html = pages.get("public.whats_on", hub="brinnington", day="1")
    # "Tomorrow: Tuesday 1 December": the weekday after any Today/Tomorrow label.
    headings = [text_of(h).split(": ")[-1] for h in html.select("h3.day")]
    assert headings and all(h.startswith("Tuesday") for h in headings)
    places = {text_of(p) for p in html.select(".sessions-list .place")}
    assert places == {"Brinnington Family Hub"}


def test_page_weight_is_about_ten_kib_compressed(client, app):
    html = client.get("/en/hubs/brinnington").data
    css = (app.static_folder + "/css/site.css")
    with open(css, "rb") as sheet:
        total = len(gzip.compress(html)) + len(gzip.compress(sheet.read()))
    assert total <= 10 * 1024, total


@pytest.mark.parametrize("url", [
    "/xx/", "/en/nowhere/", "/en/hubs/nowhere", "/en/pages/", "/en/groups/Stay",
    "/en/hubs/brinnington.ics/", "/en/health-visiting/sleep.ics", "/en/groups/nowhere.ics",
])
def test_unknown_addresses_are_404_pages_in_the_layout(pages, url):
    html = pages.get_url(url, status=404)
    assert text_of(html.h1) == "Page not found"
    assert html.select_one("footer .footer-links")


def test_a_server_error_is_a_real_page(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.data
    assert b"boom" not in response.data


def test_a_bad_request_is_a_real_page(make_app):
    from flask import abort
    app = make_app()
    app.add_url_rule("/bad", "bad", lambda: abort(400))
    response = app.test_client().get("/bad")
    assert response.status_code == 400 and b"<h1>Sorry, there is a problem with that request" in response.data


@pytest.mark.parametrize("headers, cookie, expected", [
    ({}, None, "/en/"),
    ({"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.8"}, None, "/pl/"),
    ({"Accept-Language": "fr, ur;q=0.5"}, None, "/ur/"),
    ({"Accept-Language": "zh-Hans-CN"}, None, "/zh/"),
    ({"Accept-Language": "pl"}, "ar", "/ar/"),
    ({"Accept-Language": "pl"}, "xx", "/pl/"),
    ({"Accept-Language": "de;q=1, *;q=0.1"}, None, "/en/"),
])
def test_root_redirects_by_cookie_then_browser_then_default(client, headers, cookie, expected):
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get("/", headers=headers)
    assert response.status_code == 302 and response.headers["Location"] == expected


def test_healthz_reports_the_content_without_personal_data(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["content"]["errors"] == 0
    assert body["content"]["pages"] > 40


def test_robots_and_sitemap(client):
    assert b"Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").data
    tree = ET.fromstring(client.get("/sitemap.xml").data)
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "http://localhost/en/hubs/brinnington" in locs
    assert "http://localhost/ur/hubs/brinnington" in locs


def test_a_group_calendar_feed_is_valid_icalendar(client):
    response = client.get("/en/groups/stay-and-play-brinnington.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert events and all(str(e["UID"]).endswith("@startwell.example.org") for e in events)
    assert any("RRULE" in e for e in events)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    assert client.get("/en/groups/stay-and-play-brinnington.ics").data == response.data


def test_whats_on_feed_follows_the_filters(client):
    everything = icalendar.Calendar.from_ical(client.get("/en/whats-on.ics").data)
    north = icalendar.Calendar.from_ical(client.get("/en/whats-on.ics?locality=north").data)
    assert 0 < len(north.walk("VEVENT")) < len(everything.walk("VEVENT"))


def test_a_hub_feed_holds_the_groups_that_meet_there(client):
    calendar = icalendar.Calendar.from_ical(client.get("/en/hubs/adswood.ics").data)
    assert all("Adswood" in str(e["LOCATION"]) for e in calendar.walk("VEVENT"))
