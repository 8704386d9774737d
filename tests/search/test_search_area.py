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
