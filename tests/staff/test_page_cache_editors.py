"""Editors never get, nor fill, a page the page cache keeps for families."""

from tests.staff.conftest import seed, signed_in

DRAFT = "/en/groups/stay-and-play-offerton"  # shipped with draft: true
LIVE = "/en/hubs/brinnington"


def test_editors_neither_get_nor_fill_the_families_pages(make_app, database_url, staff_content):
    app = make_app(content=staff_content, DATABASE_URL=database_url, SMTP_URL=None,
                   WTF_CSRF_ENABLED=False, PAGE_CACHE_SECONDS=60)
    seed(app)
    family = app.test_client()
    editor = signed_in(app, "editor@example.org")
    # Filled by the editor first: families still get their own page.
    for_editor = editor.get(LIVE)
    assert for_editor.headers["Cache-Control"] == "no-store"
    assert "Edit this page" in for_editor.get_data(as_text=True)
    assert family.get(LIVE).status_code == 200
    assert "Edit this page" not in family.get(LIVE).get_data(as_text=True)
    # Kept for families: the editor still gets theirs.
    again = editor.get(LIVE)
    assert again.headers["Cache-Control"] == "no-store"
    assert "Edit this page" in again.get_data(as_text=True)
    assert editor.get(DRAFT).status_code == 200 and family.get(DRAFT).status_code == 404
    stats = family.get("/healthz").get_json()["page_cache"]
    assert stats["pages"] == 1 and stats["hits"] == 1
