"""The self-referral journey in a real browser, as a parent would meet it.

By keyboard alone on a phone, with and without JavaScript, with axe and at
320 px on every referral page (English and Urdu), the error summary, and
"Exit this page". Each test starts on a fresh page with no cookies, so no
draft or confirmation leaks from one test into another.
"""

import datetime
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from playwright.sync_api import expect

from .test_pages import AXE_OPTIONS, axe, describe

REFERENCE = re.compile(r"^SW-[A-Z0-9]{4}-[A-Z0-9]{4}$")
NORTH_TEAM = "North locality team"  # SK5 is the north locality's
EXIT_URL = "https://www.bbc.co.uk/weather"
MAX_TABS = 100  # the form has about 50 tab stops, header included

# A child born about 14 months ago: always in the past, always under 5.
BORN = datetime.date.today() - datetime.timedelta(days=430)
# A baby due in about two months: always within the next 10 months.
DUE = datetime.date.today() + datetime.timedelta(days=60)

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"

CONTINUE = "main form[action$='/refer'] button.button:not(.secondary)"
SEND = "main form[action$='/refer/check'] button[type=submit]"
CHECK = "main form[action$='/refer/status'] button[type=submit]"


def tab_until(page, locator, limit=MAX_TABS):
    """Press Tab until the locator has focus; fail if it never does."""
    element = locator.element_handle()  # resolved once: a check per press stays cheap
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("element => element === document.activeElement", element):
            return
    raise AssertionError(f"{locator} not reached in {limit} presses of Tab")


def tab(page, selector):
    """Press Tab once and expect the next stop to be the selector."""
    page.keyboard.press("Tab")
    expect(page.locator(selector)).to_be_focused()


def submit_with_enter(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def in_viewport(page, selector):
    expect(page.locator(selector)).to_be_in_viewport()


def error_prefix(lang):
    """The "Error:" that starts a title, as the app says it (from the compiled catalogue)."""
    compiled = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo"
    if lang == "en" or not compiled.exists():
        return "Error:"
    with open(compiled, "rb") as mo:
        message = read_mo(mo).get("Error:")
    return message.string if message and message.string else "Error:"


# Filling in with fill() and clicks: for reaching the pages the keyboard tests do not.

def fill_date(page, prefix, date):
    page.fill(f"#{prefix}-day", str(date.day))
    page.fill(f"#{prefix}-month", str(date.month))
    page.fill(f"#{prefix}-year", str(date.year))


def fill_form(page, postcode="SK5 8AB"):
    page.fill("#parent_name", "Sam Example")
    page.fill("#phone", "0161 496 0123")
    page.check("#contact_ways-1")
    page.fill("#postcode", postcode)
    page.check("#children-0-born-1")
    page.fill("#children-0-first_name", "Ali")
    fill_date(page, "children-0-date", BORN)
    page.check("#help_with-2")
    page.check("#consent")


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def send_a_referral(page, lang="en"):
    """Go through the form and the check page; return the reference on the done page."""
    page.goto(f"/{lang}/refer")
    fill_form(page)
    click_and_wait(page, CONTINUE)
    expect(page).to_have_url(re.compile(rf"/{lang}/refer/check$"))
    click_and_wait(page, SEND)
    expect(page).to_have_url(re.compile(rf"/{lang}/refer/done$"))
    return page.locator(".reference").inner_text().strip()


def look_up(page, lang, reference, date):
    page.goto(f"/{lang}/refer/status")
    page.fill("#reference", reference)
    fill_date(page, "date", date)
    click_and_wait(page, CHECK)


# 1. The whole journey by keyboard alone, on a phone.

def test_the_whole_journey_by_keyboard_alone(new_page):
    page = new_page()
    page.goto("/en/refer")

    # The skip link, then the form's first field.
    tab(page, ".skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab(page, "#parent_name")
    page.keyboard.type("Sam Example")
    tab(page, "#phone")
    page.keyboard.type("07700 900123")  # a mobile (Ofcom's drama range): the family may be texted
    tab(page, "#email")
    tab(page, "#contact_ways-1")            # Phone call
    page.keyboard.press("Space")
    tab(page, "#contact_ways-2")            # Text message
    page.keyboard.press("Space")
    tab_until(page, page.locator("#best_times-1"), limit=4)
    page.keyboard.press("Space")
    tab_until(page, page.locator("#postcode"), limit=4)
    page.keyboard.type("SK5 8AB")
    tab(page, "#address")

    # A radio group is one tab stop; the arrow keys move between its options.
    tab(page, "#children-0-born-1")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#children-0-born-2")).to_be_focused()
    expect(page.locator("#children-0-born-2")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#children-0-born-1")).to_be_checked()
    tab(page, "#children-0-first_name")
    page.keyboard.type("Ali")
    tab(page, "#children-0-date-day")
    page.keyboard.type(str(BORN.day))
    tab(page, "#children-0-date-month")
    page.keyboard.type(str(BORN.month))
    tab(page, "#children-0-date-year")
    page.keyboard.type(str(BORN.year))

    tab_until(page, page.locator("#help_with-2"), limit=3)  # Sleep
    page.keyboard.press("Space")
    tab_until(page, page.locator("#interpreter-2"), limit=12)  # "No" is ticked already
    expect(page.locator("#interpreter-2")).to_be_checked()
    tab_until(page, page.locator("#consent"), limit=3)
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()
    tab(page, CONTINUE)
    submit_with_enter(page)

    # Check your answers.
    expect(page).to_have_url(re.compile(r"/en/refer/check$"))
    answers = page.locator(".summary-list")
    for text in ("Sam Example", "07700 900123", "Phone call, Text message", "SK5 8AB", "Ali",
                 "Sleep", "Morning"):
        expect(answers).to_contain_text(text)
    tab_until(page, page.locator(SEND))
    submit_with_enter(page)

    # Done: the reference and the team.
    expect(page).to_have_url(re.compile(r"/en/refer/done$"))
    expect(page.locator("h1")).to_have_text("Request sent")
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    expect(page.locator("main")).to_contain_text(f"Your request has gone to the {NORTH_TEAM}.")

    # Look it up by keyboard: the done page links to the status page.
    tab_until(page, page.get_by_role("link", name="Check the progress of your request"))
    submit_with_enter(page)
    expect(page).to_have_url(re.compile(r"/en/refer/status$"))
    tab_until(page, page.locator("#reference"))
    page.keyboard.type(reference.lower().replace("-", " "))  # as a family might type it
    tab(page, "#date-day")
    page.keyboard.type(str(BORN.day))
    tab(page, "#date-month")
    page.keyboard.type(str(BORN.month))
    tab(page, "#date-year")
    page.keyboard.type(str(BORN.year))
    tab(page, CHECK)
    submit_with_enter(page)
    expect(page.locator("main")).to_contain_text(f"Request {reference}")
    expect(page.locator(".progress [aria-current=step]")).to_contain_text("Received")


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_enter_in_a_text_box_continues_and_does_not_add_a_child(new_page, script):
    """The form's first submit button in the page is "Add another child": Enter must not press it."""
    page = new_page(java_script_enabled=script)
    page.goto("/en/refer")
    tab_until(page, page.locator("#postcode"))
    page.keyboard.type("SK5 8AB")
    submit_with_enter(page)
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator("fieldset.child")).to_have_count(1)
    expect(page.locator("#postcode")).to_have_value("SK5 8AB")


# 2. Errors: the summary takes focus, the title says so, every link reaches its field.

@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_an_empty_form_shows_the_error_summary_with_focus(new_page, script):
    page = new_page(java_script_enabled=script)
    page.goto("/en/refer")
    tab_until(page, page.locator(CONTINUE))
    submit_with_enter(page)

    expect(page).to_have_title(re.compile(r"^Error: Ask for help"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    anchors = links.evaluate_all("links => links.map(link => link.hash.slice(1))")
    for anchor in ("parent_name", "contact_ways-1", "postcode", "children-0-born-1",
                   "children-0-date-day", "help_with-1", "consent"):
        assert anchor in anchors, f"no error summary link to #{anchor}: {anchors}"

    # The first Tab reaches the first link; Enter on it moves focus to its field.
    tab(page, "#error-summary a >> nth=0")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{anchors[0]}")).to_be_focused()
    in_viewport(page, f"#{anchors[0]}")
    # Every other link does the same.
    for index, anchor in enumerate(anchors[1:], start=1):
        links.nth(index).click()
        target = page.locator(f"[id='{anchor}']")
        expect(target).to_be_focused()
        expect(target).to_be_in_viewport()
        # The field says what is wrong next to it.
        field = target.locator("xpath=ancestor::div[contains(@class, 'field')][1]")
        expect(field.locator(".error-message")).to_be_visible()


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_status_errors_and_a_failed_lookup_take_focus(new_page, script):
    page = new_page(java_script_enabled=script)
    page.goto("/en/refer/status")
    tab_until(page, page.locator(CHECK))
    submit_with_enter(page)
    expect(page).to_have_title(re.compile(r"^Error: Check your request"))
    expect(page.locator("#error-summary")).to_be_focused()
    tab(page, "#error-summary a >> nth=0")
    page.keyboard.press("Enter")
    expect(page.locator("#reference")).to_be_focused()
    page.locator("#error-summary a").nth(1).click()
    expect(page.locator("#date-day")).to_be_focused()

    look_up(page, "en", "SW-AAAA-AAAA", BORN)
    expect(page).to_have_title(re.compile(r"^Error: Check your request"))
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("We could not find a request")


# 3. axe and reflow on every referral page, in English and in Urdu (right to left).

STATES = ["form", "form-with-errors", "form-answers-deleted", "check-answers", "check-outside-the-area",
          "done", "status", "status-found", "status-with-errors", "status-failed-lookup"]


def reach(page, lang, state):
    """Bring the page to one state of the journey."""
    if state in ("form", "form-with-errors"):
        page.goto(f"/{lang}/refer")
        if state == "form-with-errors":
            click_and_wait(page, CONTINUE)
    elif state == "form-answers-deleted":
        page.goto(f"/{lang}/refer")
        click_and_wait(page, "form.delete-answers button")
    elif state in ("check-answers", "check-outside-the-area"):
        page.goto(f"/{lang}/refer")
        fill_form(page, postcode="M1 1AA" if state == "check-outside-the-area" else "SK5 8AB")
        click_and_wait(page, CONTINUE)
    elif state == "done":
        send_a_referral(page, lang)
    elif state == "status-found":
        reference = send_a_referral(page, lang)
        look_up(page, lang, reference, BORN)
        expect(page.locator(".progress")).to_be_visible()
    elif state == "status-failed-lookup":
        look_up(page, lang, "SW-AAAA-AAAA", BORN)
    else:
        page.goto(f"/{lang}/refer/status")
        if state == "status-with-errors":
            click_and_wait(page, CHECK)
    expected_path = {"check-answers": "/refer/check", "check-outside-the-area": "/refer/check",
                     "form-answers-deleted": r"/refer\?deleted=1", "done": "/refer/done"}.get(
        state, "/refer/status" if state.startswith("status") else "/refer")
    expect(page).to_have_url(re.compile(rf"/{lang}{expected_path}$"))


@pytest.mark.parametrize("lang", ["en", "ur"])
@pytest.mark.parametrize("state", STATES)
def test_every_referral_page_passes_axe_and_reflows_at_320px(new_page, lang, state):
    page = new_page()
    reach(page, lang, state)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ur" else "ltr")
    if "error" in state or "failed" in state:
        expect(page).to_have_title(re.compile("^" + re.escape(error_prefix(lang)) + " "))
    # "Exit this page" is on every page of the journey (through our exit route to EXIT_URL).
    expect(page.locator(".exit-button")).to_have_attribute("href", f"/{lang}/refer/exit")
    expect(page.locator(".exit-button")).to_be_visible()

    problems = []
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    if violations:
        problems.append(f"axe found\n{describe(violations)}")
    page.set_viewport_size({"width": 320, "height": 640})
    page.evaluate("document.fonts.ready")
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll_width > client_width:
        problems.append(f"scrolls sideways at 320 px ({scroll_width} > {client_width})")
    assert not problems, f"/{lang}/refer {state}: " + "\n".join(problems)


# 4. Without JavaScript: the whole journey, and "Add another child".

def test_the_whole_journey_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/en/refer")
    fill_form(page)

    # "Add another child" is a submit button: the page comes back with a second
    # child, the answers kept, and focus on the new child's first question.
    click_and_wait(page, "button[name=add_child]")
    expect(page.locator("fieldset.child")).to_have_count(2)
    expect(page.locator("fieldset.child > legend").nth(1)).to_have_text("Child 2")
    expect(page.locator("#children-1-born-1")).to_be_focused()
    expect(page.locator("#parent_name")).to_have_value("Sam Example")
    expect(page.locator("#children-0-first_name")).to_have_value("Ali")
    expect(page.locator("#consent")).to_be_checked()
    page.check("#children-1-born-2")  # a baby on the way: no name yet
    fill_date(page, "children-1-date", DUE)
    click_and_wait(page, CONTINUE)

    expect(page).to_have_url(re.compile(r"/en/refer/check$"))
    answers = page.locator(".summary-list")
    expect(answers).to_contain_text("Child 1")
    expect(answers).to_contain_text("Child 2")
    expect(answers).to_contain_text("due ")

    # A "Change" link goes back to the field, with the answers kept.
    click_and_wait(page, "a:has-text('Change Postcode')")
    expect(page.locator("#postcode")).to_be_focused()
    expect(page.locator("#postcode")).to_have_value("SK5 8AB")
    expect(page.locator("fieldset.child")).to_have_count(2)
    click_and_wait(page, CONTINUE)

    expect(page).to_have_url(re.compile(r"/en/refer/check$"))
    click_and_wait(page, SEND)
    expect(page).to_have_url(re.compile(r"/en/refer/done$"))
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    expect(page.locator("main")).to_contain_text(NORTH_TEAM)

    look_up(page, "en", reference, BORN)
    expect(page.locator(".progress [aria-current=step]")).to_contain_text("Received")


# 5. "Exit this page".

@pytest.mark.parametrize("path", ["/en/refer", "/ur/refer/status"])
def test_escape_three_times_leaves_for_a_neutral_site(new_page, path):
    page = new_page()
    page.goto("/en/")
    page.goto(path)
    tab_until(page, page.locator("#parent_name, #reference").first)  # typing in a field
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))  # twice is not enough
    with page.expect_navigation(url=EXIT_URL):
        page.keyboard.press("Escape")
    expect(page).to_have_url(EXIT_URL)
    expect(page.locator("h1")).to_have_text("Weather")
    # The referral page is replaced in the history, so Back does not show it again.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/en/$"))


@pytest.mark.parametrize(("path", "script"), [
    ("/en/refer", False), ("/ur/refer/status", False), ("/en/refer", True),
], ids=["form-no-javascript", "urdu-status-no-javascript", "form-javascript"])
def test_the_exit_link_leaves_with_or_without_javascript(new_page, path, script):
    page = new_page(java_script_enabled=script)
    page.goto(path)
    exit_link = page.locator(".exit-button")
    expect(exit_link).to_be_in_viewport()  # at the top, found at once on a phone
    tab_until(page, exit_link)
    with page.expect_navigation(url=EXIT_URL):
        page.keyboard.press("Enter")
    expect(page).to_have_url(EXIT_URL)
