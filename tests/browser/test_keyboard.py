"""Getting around with a keyboard alone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

MAX_TABS = 40


def tab_until(page, locator, limit=MAX_TABS):
    """Press Tab until the locator has focus; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} not reached in {limit} presses of Tab")


def test_skip_link_is_first_and_moves_focus_to_main(phone):
    phone.goto("/en/")
    phone.keyboard.press("Tab")
    skip_link = phone.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    phone.keyboard.press("Enter")
    expect(phone.locator("main")).to_be_focused()


def test_every_main_navigation_link_is_reachable_by_tab(phone):
    phone.goto("/en/")
    nav_links = phone.locator(".main-nav a")
    expected = nav_links.evaluate_all("links => links.map(link => link.href)")
    assert len(expected) == 5
    # The sections fold into the Menu (issue 14): Tab to it and open it with Enter.
    tab_until(phone, phone.locator(".menu summary"))
    phone.keyboard.press("Enter")
    expect(phone.locator(".menu")).to_have_attribute("open", "")
    reached = []
    for _ in range(MAX_TABS):
        phone.keyboard.press("Tab")
        reached.append(phone.evaluate("document.activeElement.href || null"))
        if set(expected) <= set(reached):
            break
    missing = [href for href in expected if href not in reached]
    assert not missing, f"not reachable by Tab: {missing}"


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_whats_on_filter_submits_with_the_keyboard(phone, no_script_phone, script, frozen_now):
    page = phone if script else no_script_phone
    page.goto("/en/whats-on")
    everything = page.locator(".sessions-list li").count()
    hub = page.locator("#hub")
    options = hub.locator("option").evaluate_all("options => options.map(o => o.value)")
    # The filters fold into a <details> on what's on (issue 14): open it with the keyboard.
    tab_until(page, page.locator(".filters-fold summary"))
    page.keyboard.press("Enter")
    tab_until(page, hub)
    for _ in range(options.index("brinnington")):
        page.keyboard.press("ArrowDown")
    expect(hub).to_have_value("brinnington")
    tab_until(page, page.locator(".filters button[type=submit]"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/whats-on\?.*\bhub=brinnington\b"))
    expect(page.locator("#hub")).to_have_value("brinnington")
    places = page.locator(".sessions-list .place").all_inner_texts()
    assert places, "the filter left nothing on at Brinnington"
    assert set(places) == {"Brinnington Family Hub"}
    assert len(places) < everything


# The contrast of the focused element's text against the first opaque background
# behind it (WCAG relative luminance). axe checks pages at rest, not focus styles.
FOCUS_CONTRAST = """() => {
  const element = document.activeElement;
  const rgba = value => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map(c => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  let background = [255, 255, 255];
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour.length < 4 || colour[3] === 1) { background = colour.slice(0, 3); break; }
  }
  const [light, dark] = [luminance(rgba(getComputedStyle(element).color)),
                         luminance(background)].sort((a, b) => b - a);
  return [element.outerHTML.slice(0, 80), (light + 0.05) / (dark + 0.05)];
}"""


@pytest.mark.parametrize("path", ["/en/", "/ar/hubs/brinnington"])
def test_focused_links_and_controls_keep_readable_text(phone, path):
    phone.goto(path)
    unreadable = []
    stops = phone.locator("a[href], button, input, select, textarea").count()
    for _ in range(stops):
        phone.keyboard.press("Tab")
        html, ratio = phone.evaluate(FOCUS_CONTRAST)
        if ratio < 4.5:
            unreadable.append(f"{ratio:.2f}:1 {html}")
    assert not unreadable, f"{path}: text under 4.5:1 when focused:\n" + "\n".join(unreadable)
