"""Shared links look right: a description and Open Graph tags on every page,
and the home pages, listings and what's on in the sitemap."""

import xml.etree.ElementTree as ET

import pytest

from .conftest import text_of

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def meta(html, **attrs):
    tag = html.find("meta", attrs=attrs)
    assert tag is not None and tag["content"].strip(), attrs
    return tag["content"]


@pytest.mark.parametrize("lang", ["en", "ur"])
@pytest.mark.parametrize("path", ["/", "/groups/", "/hubs/", "/whats-on", "/search?q=sleep",
                                  "/hubs/brinnington", "/groups/stay-and-play-brinnington",
                                  "/health-visiting/sleep", "/pages/about", "/refer", "/nowhere"])
def test_every_page_has_a_description_and_open_graph(pages, lang, path):
    html = pages.get_url(f"/{lang}{path}", status=404 if path == "/nowhere" else 200)
    description = meta(html, name="description")
    assert meta(html, property="og:description") == description
    assert meta(html, property="og:title") == html.title.string.rsplit(" – ", 1)[0].removeprefix("Error: ")
    assert meta(html, property="og:site_name") == "Start Well Stockport"
    assert meta(html, property="og:type") == "website"
    assert len(html.find_all("meta", attrs={"name": "description"})) == 1


def test_a_page_is_described_by_its_own_summary(app, pages):
    page = app.extensions["content"].snapshot.page("ur", "hubs", "adswood")
    html = pages.get("public.page", lang="ur", section="hubs", page_id="adswood")
    assert meta(html, name="description") == page.summary == text_of(html.select_one(".lead"))
    listing = pages.get("public.section", section="groups")
    assert meta(listing, name="description") == text_of(listing.select_one(".lead"))


def test_the_sitemap_lists_home_listings_and_whats_on_in_every_language(app, client):
    tree = ET.fromstring(client.get("/sitemap.xml").data)
    urls = {u.find(f"{SITEMAP}loc").text: u for u in tree.iter(f"{SITEMAP}url")}
    languages = app.extensions["content"].snapshot.site.languages
    for lang in languages:
        for path in ("/", "/hubs/", "/groups/", "/epec/", "/health-visiting/", "/whats-on"):
            url = urls[f"http://localhost/{lang}{path}"]
            assert url.find(f"{SITEMAP}lastmod").text >= "2026-01-01"
            alternates = {link.get("hreflang") for link in url.iter(f"{XHTML}link")}
            assert alternates == set(languages)
    assert "http://localhost/en/hubs/brinnington" in urls  # the pages are still there
    assert len(urls) == len(set(urls))
