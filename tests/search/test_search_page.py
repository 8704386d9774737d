"""The search page: a plain GET form that never errors and escapes everything."""

import pytest

from ..conftest import text_of


def results(html):
    return [a["href"] for a in html.select("ol.results h2 a")]


def test_a_search_finds_and_highlights(pages):
    html = pages.get("search.search", q="baby massage")
    assert results(html)[0] == "/en/groups/baby-massage-reddish"
    assert html.select_one("ol.results mark")
    assert html.title.string.startswith("Search results for “baby massage”")


def test_an_empty_search_offers_ways_in(pages):
    html = pages.get("search.search")
    assert not html.select("ol.results")
    links = [a["href"] for a in html.select("main ul a")]
    assert "/en/whats-on" in links and "/en/hubs/" in links


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "x" * 5000, "\" onmouseover=\"x", "%00", "))((**"])
def test_hostile_queries_are_answered_safely(pages, client, query):
    html = pages.get("search.search", q=query)
    body = client.get("/en/search", query_string={"q": query}).get_data(as_text=True)
    assert "<script>alert" not in body
    assert 'onmouseover="x' not in body
    assert html.select_one("#q")["value"] == query  # given back, escaped


def test_nonsense_gets_suggestions_not_an_error(pages):
    html = pages.get("search.search", q="qwxzv")
    assert "We could not find anything for “qwxzv”" in text_of(html.select_one("main"))
    assert html.select("main ul a")


def test_did_you_mean_offers_a_known_word(pages):
    html = pages.get("search.search", q="massagee xylophonez")
    suggestion = html.select_one(".suggestion a")
    assert suggestion is not None and "massage" in text_of(suggestion)


def test_a_postcode_becomes_the_area_filter(pages):
    html = pages.get("search.search", q="stay and play near SK5")
    # The area is named by its places (localities.yml), not by its team.
    assert "Showing results for Reddish, Brinnington and the Heatons" in text_of(html.select_one("main"))
    found = results(html)
    assert found and all("reddish" in href or "brinnington" in href or "dads" in href or "polish" in href
                         for href in found[:4])
    assert "/en/groups/stay-and-play-adswood" not in found


def test_a_postcode_outside_the_area_is_explained(pages):
    html = pages.get("search.search", q="baby clinic M1 1AA")
    assert "looks outside the area" in text_of(html.select_one("main"))
    assert results(html)


def test_filters_and_counts_per_section(pages):
    everything = pages.get("search.search", q="baby")
    counts = {text_of(a) for a in everything.select(".section-counts a")}
    assert any(c.startswith("Groups (") for c in counts)
    groups_only = pages.get("search.search", q="baby", section="groups")
    assert results(groups_only) and all(r.startswith("/en/groups/") for r in results(groups_only))


def test_paging(pages):
    first = pages.get("search.search", q="baby")
    second = pages.get("search.search", q="baby", page=2)
    assert len(results(first)) == 10 and results(second)
    assert not set(results(first)) & set(results(second))
    assert second.select_one('a[rel="prev"]')
    assert pages.get("search.search", q="baby", page="nonsense").select("ol.results li")


def test_results_in_the_readers_language_then_english(pages):
    html = pages.get("search.search", lang="ur", q="stay and play")
    items = html.select("ol.results > li")
    assert items
    marked = [li.get("lang") for li in items]
    # Untranslated English pages come after Urdu ones, marked as English.
    assert marked == sorted(marked, key=lambda value: value == "en")


def test_switching_language_keeps_the_query(pages):
    html = pages.get("search.search", q="sleep", section="health-visiting")
    link = html.select_one('.languages a[hreflang="pl"]')["href"]
    assert link == "/pl/search?q=sleep&section=health-visiting"


def test_every_page_has_a_search_box(pages):
    html = pages.get("public.page", section="hubs", page_id="adswood")
    form = html.select_one("header form[role=search]")
    assert form["action"] == "/en/search" and form.select_one("input[name=q]")


def test_search_without_an_index_says_so(make_app, tmp_path):
    client = make_app(SEARCH_REBUILD="off", SEARCH_DIR=tmp_path / "empty").test_client()
    body = client.get("/en/search?q=sleep").get_data(as_text=True)
    assert "Search is being set up" in body


def test_an_edited_page_is_searchable_after_the_rebuild(make_app, content_dir, tmp_path):
    app = make_app(content=content_dir, SEARCH_REBUILD="inline", SEARCH_DIR=tmp_path / "search")
    client = app.test_client()
    assert "/en/groups/messy-play-reddish" not in client.get("/en/search?q=zebracrossing").get_data(as_text=True)
    page = content_dir / "en/groups/messy-play-reddish.md"
    page.write_text(page.read_text().replace("title: ", "title: Zebracrossing ", 1))
    html = client.get("/en/search?q=zebracrossing").get_data(as_text=True)
    assert "/en/groups/messy-play-reddish" in html


def test_a_result_for_a_group_says_when_where_and_booking(pages):
    html = pages.get("search.search", q="baby massage")
    result = html.select_one(".results a[href='/en/groups/baby-massage-reddish']").find_parent("li")
    labels = [text_of(dt) for dt in result.select(".card-facts dt")]
    assert labels[:3] == ["When", "Where", "Ages"]
    assert text_of(result.select_one(".booking")) in {"Drop in", "Book first"}
