"""The staff side in a real browser: a family's referral reaches the north
team, a team member signs in by keyboard, opens it and marks it contacted;
an editor reads the editors' corner and deals with a reader's report. Axe on
every staff page, and none scrolls sideways at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from portal.staff.models import StaffUser
from tests.support.accounts import PASSWORD, password_hash

from .conftest import office_page
from .test_pages import AXE_OPTIONS, axe, describe
from .test_referral_journey import click_and_wait, send_a_referral, tab, tab_until

WORKER = "north.browser@example.org"
EDITOR = "editor.browser@example.org"
ADMIN = "admin.browser@example.org"


@pytest.fixture(scope="module")
def accounts(live_app):
    with live_app.extensions["db"]() as db:
        db.add(StaffUser(email=WORKER, password_hash=password_hash(), team_id="north"))
        db.add(StaffUser(email=EDITOR, password_hash=password_hash(), is_editor=True))
        db.add(StaffUser(email=ADMIN, password_hash=password_hash(), is_admin=True))
        db.commit()


@pytest.fixture
def staff_page(browser, browser_context_args, accounts):
    """A fresh office-PC-sized page with no cookies: nobody signed in."""
    with office_page(browser, browser_context_args) as page:
        yield page


def no_axe_violations(page):
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{page.url}: axe found\n{describe(violations)}"


def no_sideways_scrolling_at_320px(page):
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.set_viewport_size(size)
    assert scroll_width <= client_width, f"{page.url}: scrolls sideways at 320 px"


def sign_in_by_keyboard(page, email):
    page.goto("/staff/login")
    no_axe_violations(page)
    no_sideways_scrolling_at_320px(page)
    tab(page, ".skip-link")
    page.keyboard.press("Enter")
    tab_until(page, page.locator("#email"), limit=2)  # past the families' link
    page.keyboard.type(email)
    tab(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_team_member_opens_a_new_referral_and_marks_it_contacted(staff_page, new_page):
    reference = send_a_referral(new_page())  # SK5 8AB: the north team's
    page = staff_page
    sign_in_by_keyboard(page, WORKER)
    expect(page).to_have_url(re.compile(r"/staff/$"))
    no_axe_violations(page)
    no_sideways_scrolling_at_320px(page)

    # Only the new ones, then the referral, by keyboard.
    new_filter = page.locator(".section-counts a", has_text=re.compile(r"^New \(\d+\)$"))
    tab_until(page, new_filter, limit=40)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/\?status=new$"))
    link = page.get_by_role("link", name=reference)
    tab_until(page, link, limit=40)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(f"Referral {reference}")
    expect(page.locator("main")).to_contain_text("Sam Example")
    expect(page.locator("main")).to_contain_text("Status: New")
    no_axe_violations(page)
    no_sideways_scrolling_at_320px(page)

    # Mark it contacted: the select, then its button, from the keyboard.
    tab_until(page, page.locator("#status"), limit=40)
    page.keyboard.press("ArrowDown")  # New -> Contacted; a closed <select> changes in place
    expect(page.locator("#status")).to_have_value("contacted")
    tab(page, "form[action$='/status'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Status: Contacted")
    expect(page.locator(".events")).to_contain_text(f"{WORKER}: status set to Contacted")
    no_axe_violations(page)

    page.goto("/staff/?status=contacted")
    expect(page.get_by_role("link", name=reference)).to_be_visible()


def test_a_note_about_a_refused_way_is_flagged_beside_the_box(staff_page, new_page):
    reference = send_a_referral(new_page())  # phone calls only
    page = staff_page
    sign_in_by_keyboard(page, WORKER)
    page.goto(f"/staff/referrals/{reference}")
    panel = page.locator("section.safe-contact")
    expect(panel).to_contain_text("Phone only. Do not text. Do not e-mail.")
    # The panel is the first thing after the heading.
    assert page.evaluate("document.querySelector('main h1').nextElementSibling.matches('section.safe-contact')")
    tab_until(page, page.locator("#text"), limit=60)
    page.keyboard.type("Sent a letter with the group dates")
    tab(page, "form[action$='/notes'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    warning = page.locator("#note-warning")
    expect(warning).to_contain_text("You wrote 'letter'; this family asked not to be written to.")
    expect(warning).to_have_attribute("role", "alert")
    no_axe_violations(page)
    no_sideways_scrolling_at_320px(page)
    page.goto("/staff/")
    expect(page.locator("table.inbox")).to_contain_text("Phone only.")
    no_axe_violations(page)


def test_an_editor_reads_the_corner_and_deals_with_a_report(staff_page, new_page):
    reader = new_page()
    reader.goto("/en/groups/stay-and-play-brinnington")
    click_and_wait(reader, "p.page-report a")
    reader.check("#problem-1")
    reader.fill("#details", "It starts at 10:00 now, not 09:30.")
    click_and_wait(reader, "main form button[type=submit]")
    expect(reader).to_have_url(re.compile(r"/report/sent$"))

    page = staff_page
    sign_in_by_keyboard(page, EDITOR)
    expect(page).to_have_url(re.compile(r"/staff/content/$"))
    row = page.locator("#reports + .table-scroll tr", has_text="It starts at 10:00 now")
    expect(row).to_contain_text("groups/stay-and-play-brinnington")
    no_axe_violations(page)
    no_sideways_scrolling_at_320px(page)
    button = row.locator("button")
    tab_until(page, button, limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#reports + .table-scroll tr", has_text="It starts at 10:00 now")).to_have_count(0)
    no_axe_violations(page)


def test_a_team_member_is_told_plainly_the_corner_is_not_theirs(staff_page):
    sign_in_by_keyboard(staff_page, WORKER)
    response = staff_page.goto("/staff/content/")
    assert response.status == 403
    expect(staff_page.locator("h1")).to_have_text("You cannot use this page")
    no_axe_violations(staff_page)


def test_an_administrator_signs_an_account_out_everywhere_by_keyboard(staff_page, browser,
                                                                      browser_context_args):
    worker = browser.new_context(**browser_context_args).new_page()
    sign_in_by_keyboard(worker, WORKER)
    page = staff_page
    sign_in_by_keyboard(page, ADMIN)
    click_and_wait(page, ".staff-nav a:text('Accounts')")
    expect(page.locator("h1")).to_have_text("Staff accounts")
    no_axe_violations(page)
    no_sideways_scrolling_at_320px(page)
    button = page.locator("tr", has_text=WORKER).locator("button")
    tab_until(page, button, limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_contain_text(f"{WORKER} is signed out everywhere")
    no_axe_violations(page)
    worker.goto("/staff/")
    expect(worker).to_have_url(re.compile(r"/staff/login"))
    worker.context.close()
