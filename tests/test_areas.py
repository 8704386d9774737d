"""A parent gives a postcode once; every list keeps to their area after that."""

import datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.timetable.sessions import LONDON

from .conftest import check_basics, text_of

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
NORTH_PLACES = "Reddish, Brinnington and the Heatons"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("portal.clock.source", lambda: NOW)


def listed(html):
    return {a["href"] for a in html.select("main .cards .card-title a")}


def pages_for(app, section, locality=None):
    snapshot = app.extensions["content"].snapshot
    return {f"/en/{section}/{p.id}" for p in snapshot.section("en", section, locality=locality)}


def area_cookie(response):
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("area=")]
    assert len(cookies) == 1, cookies
    return cookies[0]


def test_a_postcode_is_remembered_as_its_area_id_only(client):
    response = client.get("/en/groups/?postcode=sk5+7ab&age=1-2")
    assert response.status_code == 303
    assert response.headers["Location"] == "/en/groups/?age=1-2"  # the postcode is not kept
    cookie = area_cookie(response)
    assert cookie.startswith("area=north;")
    assert "SK5" not in cookie.upper() and "7AB" not in cookie.upper()
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert not any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("typed", ["SK5 7AB", "sk5 7", "SK5", "sk 5"[:2] + "5"])
def test_a_postcode_sector_or_district_is_enough(client, typed):
    response = client.get("/en/groups/", query_string={"postcode": typed})
    assert response.status_code == 303 and area_cookie(response).startswith("area=north;")


@pytest.mark.parametrize("endpoint, values", [
    ("public.section", {"section": "groups"}), ("public.section", {"section": "hubs"}),
    ("public.section", {"section": "epec"}), ("public.whats_on", {}), ("public.home", {}),
])
def test_every_list_keeps_to_the_remembered_area(app, client, pages, endpoint, values):
    client.set_cookie("area", "north")
    html = pages.get(endpoint, **values)
    status = text_of(html.select_one(".area-status"))
    assert f"Showing what is near {NORTH_PLACES}." in status
    everywhere = html.select_one(".area-status a[href$='area=all']")
    assert text_of(everywhere) == "Show everywhere"
    change = html.select_one(".area-status a")["href"]
    # What's on folds the box (with the filters) so the week comes first: "Change area" opens to the fold.
    assert change == ("#near" if endpoint == "public.whats_on" else "#postcode")
    assert html.select_one(f"{change} #postcode" if change != "#postcode" else change)
    if endpoint == "public.section":
        assert listed(html) == pages_for(app, values["section"], "north")
        assert html.select_one("#locality option[selected]")["value"] == "north"
    if endpoint == "public.home":
        assert listed(html) == pages_for(app, "hubs", "north") and listed(html)
    if endpoint == "public.whats_on":
        shown = {a["href"] for a in html.select(".sessions-list a")}
        snapshot = app.extensions["content"].snapshot
        serving = {f"/en/{a.section}/{a.id}" for a in snapshot.activities("en") if a.serves("north")}
        assert shown and shown <= serving
        assert "/en/groups/stay-and-play-adswood" not in shown


def test_show_everywhere_forgets_the_area(app, client, pages):
    client.set_cookie("area", "north")
    response = client.get("/en/groups/?area=all&age=3-5")
    assert response.status_code == 303 and response.headers["Location"] == "/en/groups/?age=3-5"
    assert "Max-Age=0" in area_cookie(response) or "expires=Thu, 01 Jan 1970" in area_cookie(response)
    client.delete_cookie("area")
    html = pages.get("public.section", section="groups")
    assert listed(html) == pages_for(app, "groups") and not html.select_one(".area-status")


def test_the_area_list_names_places_not_teams(pages):
    html = pages.get("public.section", section="groups")
    names = [text_of(option) for option in html.select("#locality option")]
    assert NORTH_PLACES in names and not any("locality team" in name for name in names)


def test_an_explicit_area_in_the_address_wins_over_the_remembered_one(app, client, pages):
    client.set_cookie("area", "north")
    html = pages.get("public.section", section="groups", locality="south")
    assert listed(html) == pages_for(app, "groups", "south")
    assert "Bramhall" in text_of(html.select_one(".area-status"))


@pytest.mark.parametrize("typed, message", [
    ("", "Enter a postcode, like SK5 7AB or SK5"),
    ("Reddish", "Enter a real postcode, like SK5 7AB or SK5"),
])
def test_a_postcode_that_cannot_be_read_is_the_govuk_error(app, pages, typed, message):
    html = pages.get_url(f"/en/groups/?postcode={typed}")
    assert html.title.string.startswith("Error: ")
    summary = html.select_one(".error-summary")
    assert summary["role"] == "alert"
    assert [(a["href"], text_of(a)) for a in summary.select("a")] == [("#postcode", message)]
    assert text_of(html.select_one("#postcode-error")) == f"Error: {message}"
    field = html.select_one("input#postcode")
    assert field["aria-invalid"] == "true"
    assert set(field["aria-describedby"].split()) == {"postcode-hint", "postcode-error"}
    assert field["value"] == typed
    assert listed(html) == pages_for(app, "groups")  # the list still shows


def test_a_postcode_outside_the_area_says_so_and_shows_everything(app, client, pages):
    client.set_cookie("area", "north")
    html = pages.get_url("/en/groups/?postcode=m1+1aa")
    assert "M1 1AA is outside the area we cover, so we are showing everything." in text_of(
        html.select_one("main .notice"))
    assert listed(html) == pages_for(app, "groups")
    assert "Max-Age=0" in area_cookie(html.response)  # the old area is forgotten


def test_the_cache_keeps_each_area_apart(make_app):
    app = make_app(PAGE_CACHE_SECONDS=60)
    client = app.test_client()
    everywhere = client.get("/en/groups/").get_data(as_text=True)
    client.set_cookie("area", "north")
    north = client.get("/en/groups/")
    assert "Cookie" in north.headers["Vary"]
    assert north.get_data(as_text=True) != everywhere and NORTH_PLACES in north.get_data(as_text=True)
    client.set_cookie("area", "not-a-team")  # anything else is "no area", one cache entry
    assert client.get("/en/groups/").get_data(as_text=True) == everywhere
    cache = app.extensions["page_cache"]._pages
    assert {key[2] for key in cache.keys()} == {"", "north"}


def test_in_a_right_to_left_language(client, pages):
    client.set_cookie("area", "north")
    html = pages.get("public.section", lang="ur", section="groups")
    assert html.find("html")["dir"] == "rtl"
    status = text_of(html.select_one(".area-status"))
    assert "Showing" not in status and NORTH_PLACES in status  # Urdu words, English place names
    error = pages.get_url("/ur/groups/?postcode=zzz")
    assert "Enter a real postcode" not in text_of(error.select_one(".error-summary"))
    assert error.select_one(".error-summary a[href='#postcode']")


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(typed=st.text(max_size=60) | st.from_regex(r"\A[A-Za-z]{1,2}[0-9]{1,2} ?[0-9]?[A-Za-z]{0,2}\Z"),
       where=st.sampled_from(["/en/", "/en/groups/", "/en/whats-on", "/en/search", "/ar/hubs/"]))
def test_anything_typed_in_the_postcode_box_gives_a_page_or_a_clear_error(app, typed, where):
    client = app.test_client()
    response = client.get(where, query_string={"postcode": typed})
    assert response.status_code in (200, 303), (typed, response.status_code)
    if response.status_code == 303:
        assert urlsplit(response.headers["Location"]).path == where
        assert area_cookie(response).split(";")[0] in {f"area={t}" for t in ("north", "central", "east", "south")}
        return
    from bs4 import BeautifulSoup
    html = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(html, where)
    problem = html.select_one(".error-summary") or html.select_one("main .notice")
    assert problem is not None, typed
