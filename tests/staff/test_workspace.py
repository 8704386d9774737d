"""The editors' workspace: every mistake at once, preview, editing, history."""

import logging
import re

import pytest
from bs4 import BeautifulSoup

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
