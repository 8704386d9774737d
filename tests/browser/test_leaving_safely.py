"""Leaving without a trace, in a real browser, as a parent on a shared phone would.

After "Exit this page" (with or without JavaScript) or "Delete my answers",
a fresh tab and the Back button show nothing the family typed; the exit is
on screen wherever the family has scrolled; an idle draft is never shown.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from portal.clock import utcnow
from portal.referrals.models import Draft

from .test_referral_journey import (
    CONTINUE,
    EXIT_URL,
    click_and_wait,
    fill_form,
)

TYPED = ["Sam Example", "0161 496 0123", "SK5 8AB", "Ali"]


def shows_nothing_typed(page):
    """Neither the page's text nor any of its boxes holds what the family typed."""
    text = page.locator("body").inner_text()
    values = page.locator("main input:not([type=hidden]), main textarea").evaluate_all(
        "fields => fields.map(field => field.value)")
    ticked = page.locator("main input[name=consent]").evaluate_all("boxes => boxes.map(box => box.checked)")
    for typed in TYPED:
        assert typed not in text and typed not in values, (page.url, typed)
    assert ticked in ([], [False]), page.url


def filled_and_checked(page):
    """Fill in the form, reach "check your answers" (a draft on the server), come back to the form."""
    page.goto("/en/refer")
    fill_form(page)
    click_and_wait(page, CONTINUE)
    expect(page).to_have_url(re.compile(r"/en/refer/check$"))
    click_and_wait(page, "a:has-text('Change Postcode')")
    expect(page.locator("#parent_name")).to_have_value("Sam Example")


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_after_exit_a_fresh_tab_and_back_show_nothing(new_page, script):
    page = new_page(java_script_enabled=script)
    page.goto("/en/")
    filled_and_checked(page)
    page.fill("#details", "Something typed but never sent")
    with page.expect_navigation(url=EXIT_URL):
        page.click(".exit-button")
    expect(page.locator("h1")).to_have_text("Weather")

    # Someone picks up the phone: a fresh tab on the same browser.
    other = page.context.new_page()
    for path in ("/en/refer", "/en/refer/check"):
        other.goto(path)
        expect(other).to_have_url(re.compile(r"/en/refer$"))
        shows_nothing_typed(other)
    other.close()

    # And Back, as far as it goes, shows no answer either.
    for _ in range(4):
        if page.url.endswith("/en/"):
            break
        page.go_back()
        page.wait_for_load_state()
        if "/refer" in page.url:
            shows_nothing_typed(page)
            assert "Something typed but never sent" not in page.locator("main").inner_text()


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_delete_my_answers_empties_the_form_and_stays(new_page, script):
    page = new_page(java_script_enabled=script)
    filled_and_checked(page)
    click_and_wait(page, "form.delete-answers button")
    expect(page).to_have_url(re.compile(r"/en/refer\?deleted=1$"))
    expect(page.locator("main")).to_contain_text("Your answers have been deleted.")
    shows_nothing_typed(page)
    page.goto("/en/refer/check")
    expect(page).to_have_url(re.compile(r"/en/refer$"))
    shows_nothing_typed(page)


@pytest.mark.parametrize("width, height", [(320, 640), (1280, 800)])
def test_the_exit_is_on_screen_at_the_bottom_of_the_long_form(new_page, width, height):
    page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/en/refer")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * height  # a long page
    for position in ("document.body.scrollHeight / 2", "document.body.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {position})")
        page.wait_for_timeout(100)
        box = page.locator(".exit-button").bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= height, (width, position, box)
        expect(page.locator(".exit-button")).to_be_in_viewport()
    # Keyboard users reach it straight after the site's header, before any question.
    page.locator(".header-search button").focus()  # the header's last control
    page.keyboard.press("Tab")
    expect(page.locator(".exit-button")).to_be_focused()


def test_an_idle_draft_is_never_shown_again(new_page, live_app):
    page = new_page()
    filled_and_checked(page)
    with live_app.extensions["db"]() as db:
        db.execute(update(Draft).values(touched_at=utcnow() - datetime.timedelta(hours=3)))
        db.commit()
    page.goto("/en/refer/check")
    expect(page).to_have_url(re.compile(r"/en/refer$"))
    shows_nothing_typed(page)
    page.reload()
    shows_nothing_typed(page)
