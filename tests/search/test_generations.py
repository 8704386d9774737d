"""Rebuilding while several processes search: no error, no empty result."""

import multiprocessing
import os
import time

from portal.search.builder import rebuild
from portal.search.generations import Generations

from ..conftest import SHIPPED_CONTENT


def keep_searching(search_dir, stop, report):
    """Search the way a web worker does: reopen only when the pointer moves."""
    from portal.search.engine import Index
    generations = Generations(search_dir)
    opened, searches, empty, errors, reopened = None, 0, 0, [], 0
    while not stop.is_set():
        try:
            current = generations.current()
            if opened is None or opened.folder != current:
                opened, reopened = Index(current), reopened + 1
            if opened.search("stay and play", "en").total == 0:
                empty += 1
            searches += 1
            time.sleep(0.005)  # leave the builder some of the two cores
        except Exception as exc:  # any failure is the test's failure
            errors.append(repr(exc))
    report.put((searches, empty, errors[:3], reopened))


def test_searching_processes_never_fail_while_the_index_is_rebuilt(tmp_path):
    search_dir = tmp_path / "search"
    rebuild(SHIPPED_CONTENT, search_dir)
    context = multiprocessing.get_context("spawn")
    stop, report = context.Event(), context.Queue()
    readers = [context.Process(target=keep_searching, args=(search_dir, stop, report))
               for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        time.sleep(2)  # let the readers start and open the first generation
        for _ in range(3):
            assert rebuild(SHIPPED_CONTENT, search_dir, force=True) is not None
    finally:
        stop.set()
        outcomes = [report.get(timeout=60) for _ in readers]
        for reader in readers:
            reader.join(timeout=30)
    for searches, empty, errors, reopened in outcomes:
        assert errors == [] and empty == 0 and searches > 0
        assert reopened >= 2  # they followed the pointer to new generations


def test_only_one_builder_at_a_time_and_no_needless_rebuild(tmp_path):
    search_dir = tmp_path / "search"
    assert rebuild(SHIPPED_CONTENT, search_dir) is not None
    assert rebuild(SHIPPED_CONTENT, search_dir) is None  # same content: nothing to do
    generations = Generations(search_dir)
    with generations.lock():
        with generations.lock(wait=False) as got:
            assert got is False


def test_old_generations_are_removed_after_the_grace_period(tmp_path):
    search_dir = tmp_path / "search"
    first = rebuild(SHIPPED_CONTENT, search_dir)
    second = rebuild(SHIPPED_CONTENT, search_dir, force=True)
    generations = Generations(search_dir)
    generations.discard_old(grace=600)
    assert first.exists()  # still within its grace period
    generations.discard_old(grace=600, now=time.time() + 601)
    assert not first.exists() and second.exists()
    assert generations.current() == second


def test_the_pointer_is_a_symlink_replaced_atomically(tmp_path):
    search_dir = tmp_path / "search"
    folder = rebuild(SHIPPED_CONTENT, search_dir)
    assert os.path.islink(search_dir / "current")
    assert os.readlink(search_dir / "current") == folder.name
    assert not list(search_dir.glob(".current-*"))


def test_a_web_worker_starts_a_separate_builder_process(make_app, tmp_path):
    """In production mode the worker only spawns the builder; it never writes."""
    search_dir = tmp_path / "search"
    app = make_app(SEARCH_REBUILD="process", SEARCH_DIR=search_dir)
    generations = app.extensions["search"].generations
    deadline = time.time() + 60
    while generations.current() is None and time.time() < deadline:
        time.sleep(0.2)
    assert generations.current() is not None
    assert generations.fingerprint() == app.extensions["content"].snapshot.fingerprint


def test_one_changed_page_is_updated_in_a_copy(tmp_path, content_dir, caplog):
    import logging

    from portal.search.engine import Index
    caplog.set_level(logging.INFO, logger="portal.search.builder")
    search_dir = tmp_path / "search"
    first = rebuild(content_dir, search_dir)
    page = content_dir / "en/groups/messy-play-reddish.md"
    page.write_text(page.read_text().replace("title: ", "title: Zebracrossing ", 1))
    (content_dir / "en/groups/baby-sensory-belmont.md").unlink()
    second = rebuild(content_dir, search_dir)
    assert second != first and first.exists()  # the live generation was not written
    assert "search index updated 1 and removed 1 of" in caplog.text
    fresh, old = Index(second), Index(first)
    try:
        assert [h.page_id for h in fresh.search("zebracrossing", "en").hits] == ["messy-play-reddish"]
        assert old.search("zebracrossing", "en").total == 0
        assert "baby-sensory-belmont" not in {h.page_id for h in fresh.search("sensory", "en", per_page=50).hits}
        assert "baby-sensory-belmont" in {h.page_id for h in old.search("sensory", "en", per_page=50).hits}
        # Everything else is still there.
        assert fresh.search("stay and play", "en").total == old.search("stay and play", "en").total
    finally:
        fresh.close()
        old.close()


def test_the_builder_reparses_only_the_changed_file(tmp_path, content_dir, monkeypatch):
    from portal.content import markdown_render
    search_dir = tmp_path / "search"
    rebuild(content_dir, search_dir)
    rendered = []
    original = markdown_render.render
    monkeypatch.setattr(markdown_render, "render", lambda text: rendered.append(1) or original(text))
    page = content_dir / "en/groups/messy-play-reddish.md"
    page.write_text(page.read_text().replace("title: ", "title: Again ", 1))
    assert rebuild(content_dir, search_dir) is not None
    assert len(rendered) == 1


def test_a_builder_that_parsed_few_files_leaves_the_parse_cache(tmp_path, content_dir, monkeypatch):
    """Saving it costs a second at 10,000 pages; the next builder parses the
    few files again, and saves once more than RESAVE_AFTER are new."""
    from portal.content import markdown_render
    from portal.search import builder
    search_dir = tmp_path / "search"
    rebuild(content_dir, search_dir)
    cache = search_dir / builder.PARSE_CACHE
    saved = cache.stat().st_mtime_ns
    page = content_dir / "en/groups/messy-play-reddish.md"
    for word in ("Again", "Twice"):
        page.write_text(page.read_text().replace("title: ", f"title: {word} ", 1))
        assert rebuild(content_dir, search_dir) is not None
    assert cache.stat().st_mtime_ns == saved
    rendered = []
    original = markdown_render.render
    monkeypatch.setattr(markdown_render, "render", lambda text: rendered.append(1) or original(text))
    monkeypatch.setattr(builder, "RESAVE_AFTER", 0)
    page.write_text(page.read_text().replace("title: ", "title: Thrice ", 1))
    assert rebuild(content_dir, search_dir) is not None
    assert len(rendered) == 1  # only the changed file, though the cache was not saved
    assert cache.stat().st_mtime_ns != saved
    rendered.clear()
    page.write_text(page.read_text().replace("title: ", "title: Again ", 1))
    assert rebuild(content_dir, search_dir) is not None
    assert len(rendered) == 1  # and the saved cache holds the file parsed last time
