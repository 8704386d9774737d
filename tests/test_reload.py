"""Editors' changes go live without a restart, and never half-loaded."""

import os
import threading

import pytest

from portal.content.problems import KEPT


def test_edited_added_and_deleted_files_are_noticed(make_app, content_dir):
    client = make_app(content=content_dir).test_client()
    hub = content_dir / "en/hubs/reddish.md"
    assert b"Reddish" in client.get("/en/hubs/reddish").data

    hub.write_text(hub.read_text().replace("title: ", "title: Renamed ", 1))
    assert b"Renamed" in client.get("/en/hubs/reddish").data

    copy = content_dir / "en/hubs/new-place.md"
    copy.write_text(hub.read_text().replace("title: Renamed ", "title: Brand New ", 1))
    assert client.get("/en/hubs/new-place").status_code == 200
    assert b"Brand New" in client.get("/en/hubs/").data

    copy.unlink()
    assert client.get("/en/hubs/new-place").status_code == 404


def test_a_broken_edit_leaves_the_rest_of_the_site_up(make_app, content_dir, caplog):
    client = make_app(content=content_dir).test_client()
    group = content_dir / "en/groups/messy-play-reddish.md"
    group.write_text(group.read_text().replace("booking:", "booking: [", 1))
    # The broken page itself stays up in its last good version (below).
    assert client.get("/en/groups/messy-play-reddish").status_code == 200
    assert client.get("/en/groups/stay-and-play-reddish").status_code == 200
    assert any("en/groups/messy-play-reddish.md:" in r.getMessage() and "in brackets is not closed" in r.getMessage()
               for r in caplog.records)
    assert client.get("/healthz").get_json()["content"]["errors"] == 1


@pytest.mark.parametrize("how", ["invalid YAML", "half-written", "a bad field"])
def test_a_page_saved_broken_keeps_its_last_good_version_while_the_problem_is_reported(
        make_app, content_dir, caplog, how):
    app = make_app(content=content_dir)
    client = app.test_client()
    hub = content_dir / "en/hubs/reddish.md"
    good = hub.read_text()
    hub.write_text(good.replace("title: ", "title: Renamed ", 1))
    assert b"Renamed" in client.get("/en/hubs/reddish").data
    renamed = hub.read_text()
    broken = {"invalid YAML": renamed.replace("title: ", "title: [", 1),
              "half-written": renamed[:len(renamed) // 3],
              "a bad field": renamed.replace("title: Renamed ", "title: \n", 1)}[how]
    hub.write_text(broken)
    page = client.get("/en/hubs/reddish")
    assert page.status_code == 200 and b"Renamed" in page.data  # the last good version
    assert client.get("/pl/hubs/reddish").status_code == 200  # and its translation
    health = client.get("/healthz").get_json()["content"]
    assert health["errors"] >= 1 and health["kept_last_good"] >= 1
    content = app.extensions["content"].snapshot
    assert content.kept[("en", "hubs", "reddish")] == "en/hubs/reddish.md"
    kinds = [(p.severity, p.kind) for p in content.problems_for("en/hubs/reddish.md")]
    assert ("error", "") in kinds and ("warning", KEPT) in kinds
    assert any("en/hubs/reddish.md:" in r.getMessage() and "last good version" in r.getMessage()
               for r in caplog.records)
    assert app.extensions["content"].loader.last_good("en/hubs/reddish.md")[("en", "hubs", "reddish")].title \
        .startswith("Renamed")
    # Fixed: the new version, and no problem left.
    hub.write_text(good)
    page = client.get("/en/hubs/reddish")
    assert page.status_code == 200 and b"Renamed" not in page.data
    assert client.get("/healthz").get_json()["content"]["kept_last_good"] == 0
    # Deleted (not broken): gone, as before.
    hub.unlink()
    assert client.get("/en/hubs/reddish").status_code == 404


def test_changes_wait_for_the_poll_interval(make_app, content_dir):
    app = make_app(content=content_dir, CONTENT_POLL_SECONDS=3600)
    client = app.test_client()
    client.get("/en/")
    hub = content_dir / "en/hubs/reddish.md"
    hub.write_text(hub.read_text().replace("title: ", "title: Later ", 1))
    assert b"Later" not in client.get("/en/hubs/reddish").data
    app.extensions["content"].reload()
    assert b"Later" in client.get("/en/hubs/reddish").data


def test_the_default_poll_is_well_inside_five_seconds():
    from portal.config import Config
    assert Config.CONTENT_POLL_SECONDS <= 2


def test_readers_never_see_a_half_loaded_snapshot(make_app, content_dir):
    """Reload over and over while other threads read: every page whole."""
    app = make_app(content=content_dir)
    store = app.extensions["content"]
    hub = content_dir / "en/hubs/reddish.md"
    original = hub.read_text()
    failures = []
    stop = threading.Event()

    def read():
        client = app.test_client()
        while not stop.is_set():
            for url in ("/en/hubs/", "/en/hubs/reddish", "/en/whats-on"):
                response = client.get(url)
                if response.status_code != 200:
                    failures.append((url, response.status_code))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for round_ in range(15):
            # Saved the way git and most editors save: a new file renamed over.
            draft = hub.with_suffix(".tmp")
            draft.write_text(original.replace("title: ", f"title: Round {round_} ", 1))
            os.replace(draft, hub)
            store.reload()
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert failures == []
    assert store.snapshot.page("en", "hubs", "reddish").title.startswith("Round 14")


def test_a_request_keeps_one_snapshot_throughout(make_app, content_dir):
    app = make_app(content=content_dir)
    store = app.extensions["content"]
    with app.test_request_context("/en/"):
        app.preprocess_request()
        from portal.content.web import snapshot
        before = snapshot()
        store.reload()
        assert snapshot() is before
        assert store.snapshot is not before


def test_listeners_hear_of_each_new_snapshot(make_app, content_dir):
    app = make_app(content=content_dir)
    heard = []
    app.extensions["content"].listeners.append(heard.append)
    (content_dir / "en/pages/about.md").touch()
    app.test_client().get("/en/")
    assert len(heard) == 1 and heard[0].page("en", "pages", "about")


def test_content_check_over_the_shipped_content_passes(app):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert ", 0 errors," in result.output


def test_content_check_fails_on_a_broken_file_naming_its_line(make_app, content_dir):
    group = content_dir / "en/groups/messy-play-reddish.md"
    group.write_text(group.read_text().replace("booking: ", "booking: sometimes #", 1))
    app = make_app(content=content_dir)
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "en/groups/messy-play-reddish.md:" in result.output
    assert "booking: 'sometimes' is not one of: drop-in, required" in result.output


def test_content_check_strict_fails_on_warnings(app):
    result = app.test_cli_runner().invoke(args=["content", "check", "--strict"])
    assert "review date" in result.output and result.exit_code == 1
    assert "translated into pl:" in result.output


def test_pages_are_cached_per_snapshot_and_never_stale(make_app, content_dir):
    from flask import template_rendered
    app = make_app(content=content_dir, PAGE_CACHE_SECONDS=60)
    client = app.test_client()
    rendered = []
    template_rendered.connect(lambda sender, template, context, **extra: rendered.append(template.name),
                              app, weak=False)
    first = client.get("/en/hubs/reddish")
    second = client.get("/en/hubs/reddish")
    assert first.data == second.data and rendered == ["public/hub.html"]
    client.get("/en/hubs/reddish?x=1")
    assert len(rendered) == 2  # the query is part of the address
    hub = content_dir / "en/hubs/reddish.md"
    hub.write_text(hub.read_text().replace("title: ", "title: Fresh ", 1))
    assert b"Fresh" in client.get("/en/hubs/reddish").data
    # A cached page still gets the response's own cookie handling.
    another = app.test_client()
    another.set_cookie("lang", "pl")
    assert "lang=en" in another.get("/en/hubs/reddish").headers["Set-Cookie"]


def test_a_new_day_reloads_so_passed_review_dates_are_reported(make_app, content_dir, monkeypatch):
    import datetime
    import re

    from portal import clock
    app = make_app(content=content_dir)
    hub = content_dir / "en/hubs/reddish.md"
    hub.write_text(re.sub(r"review_by: .*", "review_by: 2031-01-02", hub.read_text()))
    app.extensions["content"].reload()
    flagged = lambda: [p.path for p in app.extensions["content"].refresh_if_due().warnings  # noqa: E731
                       if p.kind == "review date passed"]
    assert "en/hubs/reddish.md" not in flagged()
    monkeypatch.setattr(clock, "source", lambda: datetime.datetime(2031, 1, 3, 12, tzinfo=datetime.UTC))
    assert "en/hubs/reddish.md" in flagged()
