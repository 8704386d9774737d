"""The editors' workspace: every mistake at once, preview, editing, history."""

import logging
import re
import subprocess

import pytest
from bs4 import BeautifulSoup

from portal import clock

from ..conftest import check_basics
from .conftest import PASSWORD, seed, signed_in
from .test_editors import audit_actions

GROUP = "en/groups/messy-play-reddish.md"


@pytest.fixture
def staff_content(content_dir):
    """A private copy of the content, as its own git repository (as deployed)."""
    for args in (["init", "--quiet", "--initial-branch=main"], ["add", "-A"],
                 ["commit", "--quiet", "-m", "Content as shipped"]):
        subprocess.run(["git", "-C", str(content_dir), "-c", "user.name=Setup",
                        "-c", "user.email=setup@example.org", *args], check=True)
    return content_dir


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
    # Besides the three, the page stays live in its last good version (issue
    # 11, L7), and the log says so.
    kept = [message for message in logged if "last good version" in message]
    assert len(kept) == 1, logged
    logged = [message for message in logged if message not in kept]
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


def test_the_editor_hint_cookie_grants_nothing_and_goes_at_sign_out(app):
    forged = app.test_client()
    forged.set_cookie("editor", "1")
    assert forged.get(DRAFT).status_code == 404
    editor = signed_in(app, "editor@example.org")
    assert editor.get_cookie("editor") is not None  # set by the sign-in itself
    editor.post("/staff/logout")
    assert editor.get_cookie("editor") is None
    assert editor.get(DRAFT).status_code == 404


def test_a_team_member_who_is_not_an_editor_gets_the_404(app):
    assert signed_in(app, "north.worker@example.org").get(DRAFT).status_code == 404


def test_a_page_with_mistakes_shows_editors_its_problems_at_its_address(app, make_app,
                                                                      database_url, content_dir):
    """A worker that starts with the file broken has no good version of it to
    keep: families get the 404, editors the problems at the address."""
    break_three_ways(content_dir)
    app = make_app(content=content_dir, DATABASE_URL=database_url, SMTP_URL=None,
                   WTF_CSRF_ENABLED=False)  # the accounts are the fixture's
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


def test_a_page_broken_while_live_stays_for_families_and_shows_editors_why(app, content_dir):
    """The last good version stays live (issue 11, L7); the editor sees it
    with the newer file's problems in the banner."""
    address = "/en/groups/messy-play-reddish"
    assert app.test_client().get(address).status_code == 200  # loaded while good
    break_three_ways(content_dir)
    family = app.test_client().get(address)
    assert family.status_code == 200 and b"editor-banner" not in family.data
    response = signed_in(app, "editor@example.org").get(address)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.h1.get_text(strip=True) == "Messy Play at Reddish"
    items = [li.get_text(strip=True) for li in page.select(".editor-banner li")]
    errors = [item for item in items if "last good version" not in item]
    assert len(errors) == 3 and all(item.startswith(GROUP + ":") for item in errors), items


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


# Editing in the browser -----------------------------------------------------------

def git_log(content_dir, rel, fields="%an|%ae|%cn|%s"):
    return subprocess.run(["git", "-C", str(content_dir), "log", f"--format={fields}", "--", rel],
                          capture_output=True, text=True, check=True).stdout.splitlines()


def open_form(client, rel=GROUP):
    """GET the edit form; return (page, the text in the textarea, the base version)."""
    response = client.get(f"/staff/content/edit/{rel}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(page, rel)
    return page, page.find("textarea", attrs={"name": "text"}).string, page.find(
        "input", attrs={"name": "base"})["value"]


def test_the_edit_form_shows_the_file_its_preview_and_problems(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    page, text, base = open_form(editor)
    assert text == (content_dir / GROUP).read_text()
    assert page.select_one(".file-preview .preview-title").get_text(strip=True) == "Messy Play at Reddish"
    assert page.find(id="problems").get_text(strip=True) == "No problems found."
    assert "open content file" in audit_actions(app)


def test_every_content_page_has_an_edit_link_for_editors_only(app):
    address = "/en/groups/messy-play-reddish"
    assert b"Edit this page" not in app.test_client().get(address).data
    page = BeautifulSoup(signed_in(app, "editor@example.org").get(address).get_data(as_text=True),
                         "html.parser")
    link = page.find("a", string="Edit this page")
    assert link["href"] == f"/staff/content/edit/{GROUP}"


def test_saving_writes_the_file_commits_it_by_the_editor_and_is_live_at_once(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    _, text, base = open_form(editor)
    changed = text.replace("title: Messy Play at Reddish", "title: Messy Play in Reddish")
    response = editor.post(f"/staff/content/edit/{GROUP}", data={
        "text": changed.replace("\n", "\r\n"), "base": base, "message": "Say in, not at",
        "action": "save"})
    assert response.status_code == 302
    assert (content_dir / GROUP).read_text() == changed  # browser line ends made plain
    assert git_log(content_dir, GROUP)[0] == "editor|editor@example.org|Family Front Door|Say in, not at"
    assert "Messy Play in Reddish" in app.test_client().get("/en/groups/messy-play-reddish").get_data(as_text=True)
    page = BeautifulSoup(editor.get(response.headers["Location"]).get_data(as_text=True), "html.parser")
    assert "Saved as change" in page.select_one("[role=status]").get_text()
    assert "edit content file" in audit_actions(app)
    assert not list((content_dir / "en/groups").glob(".*"))  # no temporary file left


def test_a_version_with_errors_is_refused_and_what_was_typed_is_kept(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    _, text, base = open_form(editor)
    before = (content_dir / GROUP).read_text()
    typed = text.replace("booking: drop-in", "booking: maybe").replace("weekly: ", "weekly: fun", 1)
    response = editor.post(f"/staff/content/edit/{GROUP}", data={
        "text": typed, "base": base, "message": "", "action": "save"})
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(page, GROUP)
    assert page.title.string.startswith("Error:")
    summary = [li.get_text(strip=True) for li in page.select("#error-summary li")]
    assert len(summary) == 2 and all(item.startswith("Line ") for item in summary), summary
    assert page.find("textarea", attrs={"name": "text"}).string == typed
    assert (content_dir / GROUP).read_text() == before
    assert len(git_log(content_dir, GROUP)) == 1  # no new commit


def test_check_and_preview_saves_nothing(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    _, text, base = open_form(editor)
    typed = text.replace("title: Messy Play at Reddish", "title: Messy Play, Reddish")
    response = editor.post(f"/staff/content/edit/{GROUP}", data={
        "text": typed, "base": base, "action": "preview"})
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one(".preview-title").get_text(strip=True) == "Messy Play, Reddish"
    assert "Messy Play, Reddish" not in (content_dir / GROUP).read_text()


def test_a_conflicting_edit_shows_both_versions_instead_of_overwriting(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    _, text, base = open_form(editor)
    theirs = text.replace("cost: £1 a family,", "cost: £2 a family,")
    assert theirs != text
    (content_dir / GROUP).write_text(theirs)  # saved by someone else meanwhile
    mine = text.replace("title: Messy Play at Reddish", "title: Messy Play in Reddish")
    response = editor.post(f"/staff/content/edit/{GROUP}", data={
        "text": mine, "base": base, "action": "save"})
    assert response.status_code == 409
    assert (content_dir / GROUP).read_text() == theirs
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "£2 a family" in page.select_one("#conflict pre").get_text()
    assert page.find("textarea", attrs={"name": "text"}).string == mine
    removed = [row.get_text(" ", strip=True) for row in page.select("#conflict tr.diff-removed")]
    assert any("£2 a family" in row for row in removed), removed
    # Saving again, having seen theirs, replaces it knowingly.
    again = page.find("input", attrs={"name": "base"})["value"]
    assert editor.post(f"/staff/content/edit/{GROUP}", data={
        "text": mine, "base": again, "action": "save"}).status_code == 302
    assert (content_dir / GROUP).read_text() == mine


ATTACKS = ["../site.yml", "en/../../site.yml", "en/groups/../../../etc/passwd", "%2e%2e/site.yml",
           "/etc/passwd", "en/groups/notes.txt", ".git/config", "en/groups/.hidden.md",
           "en/nowhere/x.md", "README.md", "en/groups/x.md/..", "outside.md"]


@pytest.mark.parametrize("rel", ATTACKS)
def test_paths_outside_the_content_files_are_refused(app, rel):
    editor = signed_in(app, "editor@example.org")
    # (Werkzeug first redirects "//" to "/"; where it leads is still refused.)
    for url in (f"/staff/content/edit/{rel}", f"/staff/content/history/{rel}"):
        assert editor.get(url, follow_redirects=True).status_code == 404, url
    assert editor.post(f"/staff/content/edit/{rel}", follow_redirects=True, data={
        "text": "---\ntitle: x\n---\n", "base": "new", "action": "save"}).status_code == 404


def test_a_symlink_out_of_the_content_folder_is_refused(app, content_dir, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: secret\n---\n")
    (content_dir / "en/groups/linked.md").symlink_to(outside)
    (content_dir / "en/linked-folder").symlink_to(tmp_path, target_is_directory=True)
    editor = signed_in(app, "editor@example.org")
    assert editor.get("/staff/content/edit/en/groups/linked.md").status_code == 404
    assert editor.post("/staff/content/edit/en/groups/linked.md", data={
        "text": "x", "base": "new", "action": "save"}).status_code == 404
    assert outside.read_text() == "---\ntitle: secret\n---\n"


def test_only_editors_and_administrators_reach_the_workspace(app):
    assert app.test_client().get(f"/staff/content/edit/{GROUP}").status_code == 302  # to sign in
    worker = signed_in(app, "north.worker@example.org")
    assert worker.get(f"/staff/content/edit/{GROUP}").status_code == 403
    assert worker.post(f"/staff/content/edit/{GROUP}", data={"text": "x", "base": "new"}).status_code == 403
    assert signed_in(app, "admin@example.org").get(f"/staff/content/edit/{GROUP}").status_code == 200


def test_a_save_without_the_csrf_token_is_refused(make_app, database_url, staff_content):
    app = make_app(content=staff_content, DATABASE_URL=database_url, SMTP_URL=None)
    seed(app)
    client = app.test_client()
    login = BeautifulSoup(client.get("/staff/login").get_data(as_text=True), "html.parser")
    token = login.find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post("/staff/login", data={"email": "editor@example.org", "password": PASSWORD,
                                             "csrf_token": token}).status_code == 302
    before = (staff_content / GROUP).read_text()
    response = client.post(f"/staff/content/edit/{GROUP}", data={
        "text": before.replace("Messy", "Tidy"), "base": "x", "action": "save"})
    assert response.status_code == 400
    assert (staff_content / GROUP).read_text() == before


# History and undo -------------------------------------------------------------------

def save(client, text, message, rel=GROUP):
    _, _, base = open_form(client, rel)
    response = client.post(f"/staff/content/edit/{rel}", data={
        "text": text, "base": base, "message": message, "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_history_shows_who_when_what_and_a_readable_diff(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    original = (content_dir / GROUP).read_text()
    save(editor, original.replace("title: Messy Play at Reddish", "title: Messy Play in Reddish"),
         "Say in, not at")
    response = editor.get(f"/staff/content/history/{GROUP}")
    assert response.headers["Cache-Control"] == "no-store"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(page, "history")
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("tbody tr")]
    assert len(rows) == 2, rows
    assert rows[0][1:3] == ["editor (editor@example.org)", "Say in, not at"]
    assert rows[1][1:3] == ["Setup (setup@example.org)", "Content as shipped"]
    change = editor.get(page.select("tbody tr")[0].a["href"])
    page = BeautifulSoup(change.get_data(as_text=True), "html.parser")
    check_basics(page, "change")
    removed = [tr.get_text(" ", strip=True) for tr in page.select("tr.diff-removed")]
    added = [tr.get_text(" ", strip=True) for tr in page.select("tr.diff-added")]
    assert removed == ["2 Removed: − title: Messy Play at Reddish"]
    assert added == ["2 Added: + title: Messy Play in Reddish"]
    assert {"view content history", "view content change"} <= set(audit_actions(app))


def test_restore_this_version_is_a_new_commit_and_is_audited(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    original = (content_dir / GROUP).read_text()
    save(editor, original.replace("title: Messy Play at Reddish", "title: Oops"), "A mistake")
    shipped = git_log(content_dir, GROUP, "%H")[-1]
    before = git_log(content_dir, GROUP, "%H")
    response = editor.post(f"/staff/content/restore/{shipped}/{GROUP}")
    assert response.status_code == 302
    assert (content_dir / GROUP).read_text() == original
    after = git_log(content_dir, GROUP, "%H|%an|%s")
    assert len(after) == len(before) + 1 and [line.split("|")[0] for line in after[1:]] == before
    assert after[0].split("|")[1] == "editor" and "Restore" in after[0]
    assert "restore content file" in audit_actions(app)
    assert "Oops" not in app.test_client().get("/en/groups/messy-play-reddish").get_data(as_text=True)


def test_a_version_that_no_longer_passes_the_checks_is_not_restored(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    original = (content_dir / GROUP).read_text()
    # A version naming a hub, then the hub goes: restoring it would break the page.
    save(editor, original.replace("venue: reddish", "venue: brinnington"), "Moved")
    moved = git_log(content_dir, GROUP, "%H")[0]
    save(editor, original, "Back")
    (content_dir / "en/hubs/brinnington.md").unlink()
    app.extensions["content"].reload()
    response = editor.post(f"/staff/content/restore/{moved}/{GROUP}")
    assert response.status_code == 400
    assert "'brinnington' is not a hub" in BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    assert (content_dir / GROUP).read_text() == original


@pytest.mark.parametrize("sha", ["HEAD", "0" * 40, "../../etc", "f" * 39])
def test_only_commits_in_the_files_history_are_shown_or_restored(app, sha):
    editor = signed_in(app, "editor@example.org")
    assert editor.get(f"/staff/content/change/{sha}/{GROUP}").status_code == 404
    assert editor.post(f"/staff/content/restore/{sha}/{GROUP}").status_code == 404


# New pages and translations -----------------------------------------------------------

@pytest.mark.parametrize("section", ["hubs", "groups", "epec", "health-visiting", "pages"])
def test_a_new_page_starts_from_its_sections_blank_as_a_draft(app, content_dir, section):
    editor = signed_in(app, "editor@example.org")
    response = editor.get(f"/staff/content/new/{section}")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(page, section)
    blank = page.find("textarea", attrs={"name": "text"}).string
    assert "draft: true" in blank
    assert page.find(id="problems").get_text(strip=True) == "No problems found."  # the blank passes
    response = editor.post(f"/staff/content/new/{section}", data={
        "page_id": "trial-page", "text": blank, "message": "", "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    rel = f"en/{section}/trial-page.md"
    assert (content_dir / rel).read_text() == blank
    assert git_log(content_dir, rel) == [f"editor|editor@example.org|Family Front Door|New page {rel}"]
    assert "new content file" in audit_actions(app)
    # A draft: the editor previews it at its address, families get the 404.
    assert "Draft:" in editor.get(f"/en/{section}/trial-page").get_data(as_text=True)
    assert app.test_client().get(f"/en/{section}/trial-page").status_code == 404


def test_a_new_page_never_replaces_an_existing_one(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    before = (content_dir / GROUP).read_text()
    response = editor.post("/staff/content/new/groups", data={
        "page_id": "messy-play-reddish", "text": before.replace("Messy", "Tidy"), "action": "save"})
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert (content_dir / GROUP).read_text() == before


@pytest.mark.parametrize("page_id", ["../site", "Upper", "with space", ".hidden", ""])
def test_a_new_pages_name_must_be_a_plain_address(app, content_dir, page_id):
    editor = signed_in(app, "editor@example.org")
    response = editor.post("/staff/content/new/groups", data={
        "page_id": page_id, "text": "---\ntitle: x\n---\n", "action": "save"})
    assert response.status_code == 400
    assert sorted(p.name for p in (content_dir / "en/groups").iterdir()) == sorted(
        p.name for p in (content_dir / "en/groups").iterdir() if not p.name.startswith("."))
    assert not (content_dir / "site.md").exists()


def test_a_translation_is_edited_beside_its_english_page_and_sets_translated(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    rel = "pl/groups/messy-play-reddish.md"
    assert not (content_dir / rel).exists()
    response = editor.get("/staff/content/translate/pl/groups/messy-play-reddish")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(page, "translate")
    beside = page.select_one(".beside")
    assert "Messy Play at Reddish" in beside.select_one(".preview-frame").get_text()
    start = page.find("textarea", attrs={"name": "text"}).string
    assert start.startswith('---\ntitle: "Messy Play at Reddish"\n')
    typed = start.replace('title: "Messy Play at Reddish"', "title: Zabawa sensoryczna w Reddish")
    typed = typed.replace(typed.split("translated: ")[1][:10], "2020-01-01")
    response = editor.post("/staff/content/translate/pl/groups/messy-play-reddish", data={
        "text": typed, "base": "new", "message": "Polish", "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    saved = (content_dir / rel).read_text()
    assert f"translated: {clock.today().isoformat()}" in saved and "2020-01-01" not in saved
    assert "Zabawa sensoryczna w Reddish" in app.test_client().get(
        "/pl/groups/messy-play-reddish").get_data(as_text=True)


def test_translating_into_english_or_an_unknown_language_is_a_404(app):
    editor = signed_in(app, "editor@example.org")
    for lang in ("en", "xx", ".."):
        assert editor.get(f"/staff/content/translate/{lang}/groups/messy-play-reddish").status_code == 404
    assert editor.get("/staff/content/translate/pl/groups/no-such-page").status_code == 404


def test_the_corner_links_to_editing_new_pages_and_translating(app, content_dir):
    break_three_ways(content_dir)
    page = BeautifulSoup(signed_in(app, "editor@example.org").get("/staff/content/")
                         .get_data(as_text=True), "html.parser")
    hrefs = {a["href"] for a in page.select("a")}
    assert f"/staff/content/edit/{GROUP}" in hrefs  # beside its errors
    assert "/staff/content/edit/en/groups/stay-and-play-offerton.md" in hrefs  # a draft
    assert {f"/staff/content/new/{s}" for s in ("hubs", "groups", "epec", "health-visiting", "pages")} <= hrefs
    assert any(href.startswith("/staff/content/translate/pl/") for href in hrefs)
