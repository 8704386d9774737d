"""The editors' workspace in a real browser, by keyboard only: an editor
previews a draft at its address, opens it from "Edit this page", saves a
version with a YAML slip (refused, with the fix, and the typing kept), puts
it right and saves, reads the history and its diff, and restores the first
version. Axe on every page, and none scrolls sideways at 320 px."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from portal import create_app
from portal.config import TestConfig
from portal.db.migrate import upgrade
from portal.staff.models import StaffUser
from tests.conftest import SHIPPED_CONTENT
from tests.support.accounts import password_hash

from .conftest import office_page, serving
from .test_referral_journey import tab_until
from .test_staff import no_axe_violations, no_sideways_scrolling_at_320px, sign_in_by_keyboard

EDITOR = "editor.keyboard@example.org"
DRAFT = "en/groups/stay-and-play-offerton.md"


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    """A private copy of the content as its own git repository: this test changes it."""
    folder = tmp_path_factory.mktemp("editing") / "content"
    shutil.copytree(SHIPPED_CONTENT, folder)
    for args in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "Content as shipped"]):
        subprocess.run(["git", "-C", str(folder), "-c", "user.name=Setup",
                        "-c", "user.email=setup@example.org", *args], check=True)
    return folder


@pytest.fixture(scope="module")
def editing_server(tmp_path_factory, content):
    """The app on that content, CSRF on as in production, on a free loopback port."""
    instance = tmp_path_factory.mktemp("editing-instance")
    database_url = f"sqlite:///{instance / 'portal.db'}"
    upgrade(database_url)
    app = create_app(TestConfig(CONTENT_DIR=content, INSTANCE_DIR=instance,
                                DATABASE_URL=database_url, SMTP_URL=None,
                                EXTRA_HOSTS=["127.0.0.1"]))  # the browser asks for 127.0.0.1:port
    with app.extensions["db"]() as db:
        db.add(StaffUser(email=EDITOR, password_hash=password_hash(), is_editor=True))
        db.commit()
    with serving(app) as address:
        yield address


@pytest.fixture
def editor_page(browser, browser_context_args, editing_server):
    with office_page(browser, browser_context_args, base_url=editing_server) as page:
        yield page


def checked(page):
    no_axe_violations(page)
    no_sideways_scrolling_at_320px(page)


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def go_to_line(page, textarea, number):
    """Put the caret at the end of a line of the textarea, by keyboard."""
    tab_until(page, textarea, limit=60)
    page.keyboard.press("Control+Home")
    for _ in range(number - 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")


def test_an_editor_previews_edits_fixes_and_undoes_by_keyboard(editor_page, content):
    page = editor_page
    original = (content / DRAFT).read_text()
    assert original.split("\n")[1] == "title: Stay and Play at Offerton"
    sign_in_by_keyboard(page, EDITOR)

    # The draft at its own address, with the banner and "Edit this page".
    page.goto("/en/groups/stay-and-play-offerton")
    expect(page.locator(".editor-banner")).to_contain_text("Draft: families can't see this page.")
    checked(page)
    tab_until(page, page.get_by_role("link", name="Edit this page"), limit=60)
    press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(rf"/staff/content/edit/{DRAFT}$"))
    expect(page.locator("h1")).to_have_text(f"Edit {DRAFT}")
    expect(page.locator(".preview-title")).to_have_text("Stay and Play at Offerton")
    checked(page)

    # A slip: a colon in the title. Refused, explained, what was typed kept.
    textarea = page.locator("textarea[name=text]")
    go_to_line(page, textarea, 2)
    page.keyboard.type(": for babies")
    tab_until(page, page.get_by_role("button", name="Save"), limit=5)
    press_enter_and_wait(page)
    expect(page.locator("#error-summary")).to_contain_text("put the text in quotes")
    expect(page.locator("#error-summary")).to_be_focused()
    assert "title: Stay and Play at Offerton: for babies" in textarea.input_value()
    assert (content / DRAFT).read_text() == original
    checked(page)

    # Put right (in quotes) and saved with a message.
    go_to_line(page, textarea, 2)
    page.keyboard.press("Home")
    for _ in range(len("title: ")):
        page.keyboard.press("ArrowRight")
    page.keyboard.type('"')
    page.keyboard.press("End")
    page.keyboard.type('"')
    tab_until(page, page.locator("input[name=message]"), limit=5)
    page.keyboard.type("Say who it is for")
    tab_until(page, page.get_by_role("button", name="Save"), limit=5)
    press_enter_and_wait(page)
    expect(page.get_by_role("status")).to_contain_text("Saved as change")
    assert (content / DRAFT).read_text().split("\n")[1] == 'title: "Stay and Play at Offerton: for babies"'
    checked(page)

    # Who changed what: the history, then the change's diff.
    tab_until(page, page.get_by_role("link", name="History of this file"), limit=60)
    press_enter_and_wait(page)
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("editor.keyboard (editor.keyboard@example.org)")
    expect(rows.first).to_contain_text("Say who it is for")
    checked(page)
    tab_until(page, rows.first.get_by_role("link"), limit=60)
    press_enter_and_wait(page)
    expect(page.locator("tr.diff-added")).to_contain_text('title: "Stay and Play at Offerton: for babies"')
    expect(page.locator("tr.diff-removed")).to_contain_text("title: Stay and Play at Offerton")
    checked(page)

    # Undo: back to the history, the first version, "Restore this version".
    page.go_back()
    tab_until(page, page.locator("tbody tr").nth(1).get_by_role("link"), limit=60)
    press_enter_and_wait(page)
    tab_until(page, page.get_by_role("button", name="Restore this version"), limit=60)
    press_enter_and_wait(page)
    expect(page.get_by_role("status")).to_contain_text("Saved as change")
    assert (content / DRAFT).read_text() == original
    log = subprocess.run(["git", "-C", str(content), "log", "--format=%an|%s", "--", DRAFT],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(log) == 3 and log[0].startswith("editor.keyboard|Restore")
    checked(page)


def test_the_new_page_translation_and_corner_pages_pass_axe_at_any_width(editor_page):
    page = editor_page
    sign_in_by_keyboard(page, EDITOR)
    for address in ("/staff/content/", "/staff/content/new/groups",
                    "/staff/content/translate/ar/groups/messy-play-reddish",
                    "/staff/content/translate/pl/groups/stay-and-play-reddish"):
        page.goto(address)
        expect(page.locator("h1")).to_be_visible()
        checked(page)
    # The English page beside the translation is read in its own language and direction.
    page.goto("/staff/content/translate/ar/groups/messy-play-reddish")
    expect(page.locator(".beside .preview-frame")).to_have_attribute("lang", "en")
