"""The editors' workspace: every mistake at once, preview, editing, history."""

import logging
import re

import pytest
from bs4 import BeautifulSoup

from ..conftest import check_basics
from .conftest import signed_in

GROUP = "en/groups/messy-play-reddish.md"


@pytest.fixture
def staff_content(content_dir):
    return content_dir  # these tests change content files


def break_three_ways(content_dir):
    """Give one file three mistakes of different kinds: a field, a session, a date."""
    path = content_dir / GROUP
    text = path.read_text()
    for old, new in (("booking: drop-in", "booking: maybe"), ("weekly: ", "weekly: fun")):
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(re.sub(r"(?m)^updated: .*$", "updated: 2026-02-30", text))
    return path


# Every mistake at once ---------------------------------------------------------

def test_every_mistake_in_a_file_reaches_the_log_healthz_and_the_corner(app, content_dir, caplog):
    caplog.set_level(logging.WARNING)
    break_three_ways(content_dir)
    editor = signed_in(app, "editor@example.org")
    page = BeautifulSoup(editor.get("/staff/content/").get_data(as_text=True), "html.parser")
    listed = [li.get_text(" ", strip=True) for li in page.select("#errors ~ ul.problems")[0].select("li")]
    mine = [item for item in listed if GROUP in item]
    assert len(mine) == 3, listed
    assert any("booking" in item for item in mine)
    assert any("sessions[1].weekly" in item for item in mine)
    assert any("updated: expected a date" in item for item in mine)
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith(GROUP + ":")]
    assert len(logged) == 3, logged
    assert app.test_client().get("/healthz").get_json()["content"]["errors"] == 3


# Preview ------------------------------------------------------------------------

DRAFT = "/en/groups/stay-and-play-offerton"  # shipped with draft: true


def test_a_draft_is_previewed_by_editors_and_not_found_by_families(app):
    family = app.test_client()
    assert family.get(DRAFT).status_code == 404
    for email in ("editor@example.org", "admin@example.org"):
        response = signed_in(app, email).get(DRAFT)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        check_basics(page, DRAFT)
        banner = page.select_one(".editor-banner")
        assert "Draft: families can't see this page." in banner.get_text(" ", strip=True)
        assert banner["lang"] == "en"
        assert page.h1.get_text(strip=True) == "Stay and Play at Offerton"
    # The editor's page was not kept for families, nor theirs for the editor.
    assert family.get(DRAFT).status_code == 404
    assert "Draft:" in signed_in(app, "editor@example.org").get(DRAFT).get_data(as_text=True)


def test_a_team_member_who_is_not_an_editor_gets_the_404(app):
    assert signed_in(app, "north.worker@example.org").get(DRAFT).status_code == 404


def test_a_page_with_mistakes_shows_editors_its_problems_at_its_address(app, content_dir):
    break_three_ways(content_dir)
    address = "/en/groups/messy-play-reddish"
    assert app.test_client().get(address).status_code == 404
    response = signed_in(app, "editor@example.org").get(address)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(page, address)
    assert page.h1.get_text(strip=True) == "This page is not on the website"
    items = [li.get_text(strip=True) for li in page.select(".editor-banner li")]
    assert len(items) == 3 and all(item.startswith(GROUP + ":") for item in items), items
    assert app.test_client().get(address).status_code == 404  # still, after the editor


def test_a_live_page_shows_editors_the_problems_in_its_translation(app, content_dir):
    translation = content_dir / "pl/groups/stay-and-play-reddish.md"
    translation.write_text(translation.read_text().replace("translated:", "translated: nie\nx:", 1))
    family = app.test_client().get("/pl/groups/stay-and-play-reddish")
    assert family.status_code == 200 and b"editor-banner" not in family.data
    page = BeautifulSoup(signed_in(app, "editor@example.org").get(
        "/pl/groups/stay-and-play-reddish").get_data(as_text=True), "html.parser")
    banner = page.select_one(".editor-banner").get_text(" ", strip=True)
    assert "pl/groups/stay-and-play-reddish.md:" in banner and "translated: expected a date" in banner


def test_an_address_with_no_file_is_a_404_for_editors_too(app):
    assert signed_in(app, "editor@example.org").get("/en/groups/no-such-group").status_code == 404


def test_the_corner_lists_the_drafts(app):
    page = BeautifulSoup(signed_in(app, "editor@example.org").get("/staff/content/")
                         .get_data(as_text=True), "html.parser")
    drafts = page.find(id="drafts").find_next("ul")
    assert DRAFT in [a["href"] for a in drafts.select("a")]
