"""Absolute URLs come from PORTAL_BASE_URL, and only its host is served.

Issue 11, H1: four requests with ``Host: evil.example`` (or a forged
X-Forwarded-Host behind PORTAL_PROXIES) put links to that host in the page
cache for every later reader.
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal.config import ProductionConfig
from portal.public.links import GOOGLE_CALENDAR, OSM

BASE = "https://startwell.example.org"
EVIL = "evil.example"
ACTIVITY = "/en/groups/stay-and-play-brinnington"
PAGES = ["/en/", "/pl/", ACTIVITY, "/en/hubs/", "/en/whats-on", "/en/search?q=baby",
         "/en/pages/contact", "/en/refer"]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(make_app):
    """The site at BASE, reached by the test client as localhost (an extra host)."""
    return make_app(BASE_URL=BASE, EXTRA_HOSTS=["localhost"], PAGE_CACHE_SECONDS=60)


def absolute_links(body):
    page = BeautifulSoup(body, "html.parser")
    links = [tag["href"] for tag in page.select("link[href], a[href]")]
    return [link for link in links if re.match(r"^[a-z]+://", link)]


def own_links(links):
    """Links to this site: not the editors' example.org contacts, not the
    directions and calendar services a group's page links out to."""
    return [link for link in links if ("example.org" not in link or "startwell" in link)
            and not link.startswith((OSM, GOOGLE_CALENDAR))]


@pytest.mark.parametrize("path", PAGES)
def test_absolute_links_come_from_the_base_url(site, path):
    body = site.test_client().get(path).get_data(as_text=True)
    page = BeautifulSoup(body, "html.parser")
    alternates = [tag["href"] for tag in page.select("link[rel=alternate]")]
    assert len(alternates) == 7  # six languages and x-default
    assert all(href.startswith(BASE + "/") for href in alternates), alternates
    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical == BASE + path.partition("?")[0]
    for link in own_links(absolute_links(body)):
        assert link.startswith((BASE + "/", "webcal://startwell.example.org/")), link


def test_subscribe_link_is_webcal_on_the_base_url(site):
    page = BeautifulSoup(site.test_client().get(ACTIVITY).get_data(as_text=True), "html.parser")
    subscribe = [a["href"] for a in page.select(".calendar-links a") if a["href"].startswith("webcal:")]
    assert subscribe == ["webcal://startwell.example.org/en/groups/stay-and-play-brinnington.ics"]


def test_feeds_sitemap_robots_and_api_use_the_base_url(site):
    client = site.test_client()
    feed = client.get(ACTIVITY + ".ics").get_data(as_text=True)
    assert f"URL:{BASE}/en/groups/stay-and-play-brinnington" in feed.replace("\r\n ", "")
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    locs = re.findall(r'(?:<loc>|href=")([^<"]+)', sitemap)
    assert locs and all(loc.startswith(BASE + "/") for loc in locs)
    assert f"Sitemap: {BASE}/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)
    assert client.get("/api/v1/").get_json()["services"] == BASE + "/api/v1/services"
    services = client.get("/api/v1/services").get_json()["contents"]
    assert services and all(s["url"].startswith(BASE + "/") for s in services)


def test_redirects_to_this_site_use_the_base_url(site):
    response = site.test_client().get("/staff")  # Werkzeug's added slash
    assert response.status_code == 308
    assert response.headers["Location"] == BASE + "/staff/"
    assert site.test_client().get("/").headers["Location"] == "/en/"  # relative stays relative


@pytest.mark.parametrize("headers", [{"Host": EVIL}, {"Host": f"{EVIL}:443"},
                                     {"Host": "startwell.example.org.evil.example"}])
def test_an_unknown_host_is_refused(site, headers):
    response = site.test_client().get("/en/", headers=headers)
    assert response.status_code == 400
    assert EVIL not in response.get_data(as_text=True)


def test_the_base_urls_host_is_served(site):
    assert site.test_client().get("/en/", headers={"Host": "startwell.example.org"}).status_code == 200


def test_a_forged_forwarded_host_is_refused_behind_a_proxy(make_app):
    app = make_app(BASE_URL=BASE, EXTRA_HOSTS=["localhost"], PROXIES=1)
    client = app.test_client()
    assert client.get("/en/", headers={"X-Forwarded-Host": EVIL}).status_code == 400
    assert client.get("/en/", headers={"X-Forwarded-Host": "startwell.example.org"}).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_the_page_cache_never_serves_a_foreign_host(make_app, path):
    """The attack: requests naming evil.example, then an ordinary reader."""
    app = make_app(PAGE_CACHE_SECONDS=60, PROXIES=1)
    client = app.test_client()
    for headers in [{"Host": EVIL}] * 2 + [{"X-Forwarded-Host": EVIL}] * 2:
        assert EVIL not in client.get(path, headers=headers).get_data(as_text=True)
    body = client.get(path).get_data(as_text=True)
    assert EVIL not in body
    assert all(link.startswith(("http://localhost/", "webcal://localhost/"))
               for link in own_links(absolute_links(body)))


def test_production_needs_a_base_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="PORTAL_BASE_URL"):
        ProductionConfig()
    monkeypatch.setenv("PORTAL_BASE_URL", BASE + "/")
    assert ProductionConfig().BASE_URL == BASE


@pytest.mark.parametrize("bad", ["startwell.example.org", "https://startwell.example.org/portal",
                                 "ftp://startwell.example.org", "https://x.org/?a=1"])
def test_a_base_url_that_is_not_an_address_stops_start_up(make_app, bad):
    with pytest.raises(ValueError, match="PORTAL_BASE_URL"):
        make_app(BASE_URL=bad)


def test_no_url_is_built_from_the_request_host():
    """Every absolute URL goes through portal/site_url.py."""
    offenders = []
    for path in [*ROOT.glob("portal/**/*.py"), *ROOT.glob("portal/templates/**/*")]:
        if path.is_file() and path.name != "site_url.py":
            text = path.read_text()
            for pattern in ("_external", "host_url", "url_root", "request.host", "request.url"):
                if re.search(re.escape(pattern) + r"(?!_rule)", text):
                    offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not offenders
