"""A parent on a 360 px phone gives a postcode once: it works with JavaScript
off, and axe finds nothing and nothing scrolls sideways at normal and 200% text."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_pages import AXE_OPTIONS, describe

NORTH_PLACES = "Reddish, Brinnington and the Heatons"
axe = Axe()


def check_page(page, label):
    """No axe violations and no sideways scrolling (needs JavaScript on, for axe)."""
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{label}: axe found\n{describe(violations)}"
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"{label}: scrolls sideways ({scroll} > {client})"


def double_text(page):
    """Make the text 200% (WCAG 1.4.4), as a browser's text-size setting does."""
    page.add_style_tag(content="html { font-size: 200% !important; }")


def give_postcode(page, label, typed):
    fold = page.locator("details.filters-fold:not([open]) summary")
    if fold.count():  # what's on folds the box with the filters
        fold.click()
    page.get_by_label(label).fill(typed)
    page.locator("form.postcode-form button").click()


def test_a_postcode_once_then_every_list_is_near_me_without_javascript(live_server, small_phone):
    page = small_phone(java_script_enabled=False)
    page.goto(f"{live_server}/en/groups/")
    give_postcode(page, "Your postcode", "sk5 7ab")
    expect(page.locator(".area-status")).to_contain_text(f"Showing what is near {NORTH_PLACES}")
    assert page.url.endswith("/en/groups/")  # the postcode is not kept in the address
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["area"] == "north" and "session" not in cookies
    for path in ("/en/whats-on", "/en/", "/en/search?q=stay+and+play"):
        page.goto(f"{live_server}{path}")
        expect(page.locator(".area-status")).to_contain_text(NORTH_PLACES)
    page.goto(f"{live_server}/en/groups/")
    page.get_by_role("link", name="Show everywhere").click()
    expect(page.locator(".area-status")).to_have_count(0)
    assert "area" not in {c["name"] for c in page.context.cookies()}


@pytest.mark.parametrize("text_size", ["100%", "200%"])
@pytest.mark.parametrize("path", ["/en/groups/", "/en/whats-on", "/en/", "/en/search?q=stay+and+play",
                                  "/en/search?q=stay+and+play+Heatons", "/ar/search?q=Reddish+baby",
                                  "/ur/groups/", "/ar/whats-on"])
def test_pages_near_me_pass_axe_at_360px(live_server, small_phone, path, text_size):
    page = small_phone()
    page.context.add_cookies([{"name": "area", "value": "north", "url": live_server}])
    page.goto(f"{live_server}{path}")
    expect(page.locator(".area-status")).to_contain_text(NORTH_PLACES)
    if text_size == "200%":
        double_text(page)
    check_page(page, f"{path} at {text_size}")


@pytest.mark.parametrize("path, label", [("/en/whats-on", "Your postcode"),
                                         ("/ur/groups/", "آپ کا پوسٹ کوڈ")])
def test_a_postcode_that_cannot_be_read_shows_the_error_pattern(live_server, small_phone, path, label):
    no_script = small_phone(java_script_enabled=False)
    no_script.goto(f"{live_server}{path}")
    give_postcode(no_script, label, "not a postcode")
    expect(no_script.locator(".error-summary")).to_be_visible()
    page = small_phone()
    page.goto(no_script.url)
    expect(page.locator("#postcode")).to_have_attribute("aria-invalid", "true")
    page.locator(".error-summary a").click()
    expect(page.locator("#postcode")).to_be_focused()
    check_page(page, f"{path} with an error")
    double_text(page)
    check_page(page, f"{path} with an error at 200%")


@pytest.mark.parametrize("text_size", ["100%", "200%"])
@pytest.mark.parametrize("path", ["/en/groups/stay-and-play-adswood", "/en/epec/being-a-parent-brinnington",
                                  "/ar/groups/stay-and-play-brinnington", "/en/whats-on?week=2026-12-07",
                                  "/en/epec/", "/ur/hubs/"])
def test_cards_week_and_group_pages_pass_axe_at_360px(live_server, small_phone, path, text_size):
    page = small_phone()
    page.goto(f"{live_server}{path}")
    if text_size == "200%":
        double_text(page)
    check_page(page, f"{path} at {text_size}")


@pytest.mark.parametrize("path", ["/en/", "/ur/groups/", "/ar/whats-on", "/en/groups/stay-and-play-adswood"])
def test_the_header_takes_at_most_a_quarter_of_the_screen(live_server, small_phone, path):
    page = small_phone(java_script_enabled=False)
    page.goto(f"{live_server}{path}")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 740 / 4, header
    expect(page.locator(".main-nav a").first).not_to_be_visible()  # folded into the Menu
    page.locator(".menu summary").click()  # a <details>: opens with no script
    expect(page.locator(".main-nav a")).to_have_count(5)
    for link in page.locator(".main-nav a, .languages a").all():
        expect(link).to_be_visible()


@pytest.mark.parametrize("text_size", ["100%", "200%"])
@pytest.mark.parametrize("path, current", [("/en/groups/", "Groups"), ("/ur/whats-on", None),
                                           ("/en/hubs/brinnington", "Family hubs")])
def test_the_open_menu_marks_the_section_and_passes_axe(live_server, small_phone, path, current, text_size):
    page = small_phone()
    page.goto(f"{live_server}{path}")
    if text_size == "200%":
        double_text(page)
    page.locator(".menu summary").click()
    marked = page.locator(".main-nav a[aria-current]")
    expect(marked).to_have_count(1)
    if current:
        expect(marked).to_have_text(current)
    check_page(page, f"{path} with the menu open at {text_size}")
