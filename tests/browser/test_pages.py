"""Every kind of public page, in a real browser on a phone: axe, reflow, no JavaScript."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# (path, expected status): one of each kind of page a family meets.
PAGES = {
    "home": ("/en/", 200),
    "hubs": ("/en/hubs/", 200),
    "groups": ("/en/groups/", 200),
    "hub": ("/en/hubs/brinnington", 200),
    "group": ("/en/groups/stay-and-play-brinnington", 200),
    "epec-listing": ("/en/epec/", 200),
    "epec-course": ("/en/epec/being-a-parent-brinnington", 200),
    "health-visiting-listing": ("/en/health-visiting/", 200),
    "health-visiting-page": ("/en/health-visiting/sleep", 200),
    "whats-on": ("/en/whats-on", 200),
    "whats-on-filtered": ("/en/whats-on?hub=brinnington", 200),
    "about": ("/en/pages/about", 200),
    "search": ("/en/search?q=baby+massage", 200),
    "search-empty": ("/en/search", 200),
    "search-nothing-found": ("/en/search?q=qwxzv", 200),
    "not-found": ("/en/no-such-page", 404),
    "page-report": ("/en/hubs/brinnington/report", 200),
    "page-report-sent": ("/en/hubs/brinnington/report/sent", 200),
}
RIGHT_TO_LEFT = {
    "urdu-home": ("/ur/", 200),
    "urdu-hub": ("/ur/hubs/adswood", 200),
    "urdu-group": ("/ur/groups/stay-and-play-brinnington", 200),
    "urdu-whats-on": ("/ur/whats-on", 200),
    "urdu-health-visiting": ("/ur/health-visiting/sleep", 200),
    "urdu-search": ("/ur/search?q=%D9%86%DB%8C%D9%86%D8%AF", 200),
    "arabic-home": ("/ar/", 200),
    "arabic-hub": ("/ar/hubs/brinnington", 200),
    "arabic-untranslated-group": ("/ar/groups/messy-play-reddish", 200),
    "arabic-listing": ("/ar/groups/", 200),
    "urdu-page-report": ("/ur/groups/stay-and-play-brinnington/report", 200),
}
ALL_PAGES = {**PAGES, **RIGHT_TO_LEFT}

axe = Axe()


def visit(page, path, status):
    response = page.goto(path)
    assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
    return response


def describe(violations):
    """Return axe violations as lines a developer can act on."""
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
                     f"    {violation['helpUrl']}\n"
                     + "".join(f"    at {target}\n" for target in targets))
    return "\n".join(lines)


@pytest.mark.parametrize(("path", "status"), ALL_PAGES.values(), ids=ALL_PAGES.keys())
def test_no_axe_violations(phone, path, status):
    visit(phone, path, status)
    violations = axe.run(phone, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{path}: axe found\n{describe(violations)}"


@pytest.mark.parametrize(("path", "status"), ALL_PAGES.values(), ids=ALL_PAGES.keys())
def test_no_horizontal_scrolling_at_320px(narrow_phone, path, status):
    visit(narrow_phone, path, status)
    narrow_phone.evaluate("document.fonts.ready")
    scroll_width, client_width = narrow_phone.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll_width <= client_width, (
        f"{path}: scrolls sideways at 320 px ({scroll_width} > {client_width})")


def test_the_page_nginx_shows_with_no_app_server_passes_axe_and_reflows(narrow_phone):
    """static/unavailable.html: every language on one page, no stylesheet of the site's."""
    visit(narrow_phone, "/static/unavailable.html", 200)
    violations = axe.run(narrow_phone, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"axe found\n{describe(violations)}"
    expect(narrow_phone.locator("section[lang=ar][dir=rtl] h2")).to_be_visible()
    assert narrow_phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize(("path", "status"), RIGHT_TO_LEFT.values(), ids=RIGHT_TO_LEFT.keys())
def test_right_to_left_languages_set_dir(phone, path, status):
    visit(phone, path, status)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")


@pytest.mark.parametrize(("path", "status"), PAGES.values(), ids=PAGES.keys())
def test_usable_without_javascript(no_script_phone, path, status):
    page = no_script_phone
    visit(page, path, status)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_be_visible()
    # The sections are in the Menu, a <details> that opens without a script (issue 14).
    page.locator(".menu summary").click()
    nav_links = page.locator(".main-nav a")
    expect(nav_links).to_have_count(5)
    for link in nav_links.all():
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", re.compile(r"^/en/"))
    # The stylesheet needs no script: the skip link waits off screen until focused.
    expect(page.locator(".skip-link")).not_to_be_in_viewport()


@pytest.mark.parametrize("lang, starts_on", [("en", "left"), ("ur", "right"), ("ar", "right")])
def test_the_layout_mirrors_for_right_to_left(phone, lang, starts_on, tmp_path_factory):
    """The main navigation starts on the right in Urdu and Arabic."""
    visit(phone, f"/{lang}/", 200)
    phone.locator(".menu summary").click()
    width = phone.viewport_size["width"]
    first = phone.locator(".main-nav a").first.bounding_box()
    crumbs_or_title = phone.locator(".site-name").bounding_box()
    shot = tmp_path_factory.mktemp("screens") / f"home-{lang}.png"
    phone.screenshot(path=str(shot))  # kept with the test's temp files for a look
    if starts_on == "right":
        assert width - (first["x"] + first["width"]) < 40, first
        assert crumbs_or_title["x"] > width / 3, crumbs_or_title
    else:
        assert first["x"] < 40, first
        assert crumbs_or_title["x"] < 40, crumbs_or_title
