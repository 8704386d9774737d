"""Search keeps to the parent's area: remembered, or a postcode in the words."""

from ..conftest import text_of
from ..test_areas import NORTH_PLACES, area_cookie


def test_search_keeps_to_the_remembered_area_and_offers_one_link_to_widen(client, pages):
    client.set_cookie("area", "north")
    html = pages.get("search.search", q="stay and play")
    status = html.select_one(".area-status")
    assert f"Showing results for {NORTH_PLACES}." in text_of(status)
    widen = status.select("a")
    assert len(widen) == 1 and text_of(widen[0]) == "Search everywhere"
    found = [a["href"] for a in html.select(".results h2 a")]
    assert found and "/en/groups/stay-and-play-adswood" not in found
    response = client.get(widen[0]["href"])
    assert response.status_code == 303 and "Max-Age=0" in area_cookie(response)
    client.delete_cookie("area")
    everywhere = pages.get_url(response.headers["Location"])
    assert "/en/groups/stay-and-play-adswood" in [a["href"] for a in everywhere.select(".results h2 a")]


def test_a_postcode_in_the_search_words_beats_the_remembered_area(client, pages):
    client.set_cookie("area", "south")
    html = pages.get("search.search", q="stay and play SK5 7")
    assert f"Showing results for {NORTH_PLACES}." in text_of(html.select_one(".area-status"))
    assert "/en/groups/stay-and-play-belmont" not in [a["href"] for a in html.select(".results h2 a")]


def test_the_postcode_box_keeps_the_other_choices(pages):
    html = pages.get("search.search", q="baby", age="0-1")
    form = html.select_one("form.postcode-form")
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"q": "baby", "age": "0-1"}


def test_a_place_in_the_search_words_keeps_to_its_area_and_beats_the_remembered_one(client, pages):
    client.set_cookie("area", "south")
    html = pages.get("search.search", q="stay and play Heatons")
    status = html.select_one(".area-status")
    assert f"Showing results for {NORTH_PLACES}." in text_of(status)
    found = [a["href"] for a in html.select(".results h2 a")]
    assert "/en/groups/stay-and-play-reddish" in found
    assert "/en/groups/stay-and-play-belmont" not in found and "/en/groups/stay-and-play-adswood" not in found
    widen = status.select_one("a")
    assert text_of(widen) == "Search everywhere" and "Heatons" not in widen["href"]  # not sent back here
    client.delete_cookie("area")
    everywhere = pages.get_url(client.get(widen["href"]).headers["Location"])
    assert everywhere.select_one(".area-status") is None
    assert "/en/groups/stay-and-play-belmont" in [a["href"] for a in everywhere.select(".results h2 a")]


def test_a_postcode_beats_a_place_and_a_place_alone_is_just_searched(pages):
    html = pages.get("search.search", q="stay and play SK7 Reddish")
    assert "Showing results for Bramhall, Hazel Grove, Cheadle and Gatley." in text_of(
        html.select_one(".area-status"))
    alone = pages.get("search.search", q="Brinnington")
    assert alone.select_one(".area-status") is None
    assert "/en/hubs/brinnington" in [a["href"] for a in alone.select(".results h2 a")][:3]


def test_a_place_in_the_words_in_a_right_to_left_language(pages):
    html = pages.get("search.search", lang="ar", q="النوم Reddish")
    assert html.find("html")["dir"] == "rtl"
    status = html.select_one(".area-status")
    assert status is not None and "Showing results for" not in text_of(status)  # said in Arabic
    places = status.select_one("[lang=en]")  # the places are English here: marked so
    assert text_of(places) == NORTH_PLACES and places["dir"] == "ltr"
    assert html.select(".results h2 a")
