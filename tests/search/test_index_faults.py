"""A damaged index never takes search down: a corrupted segment, a truncated
one or a deleted index is detected, the previous generation (or a rebuild)
serves instead, and /healthz says what happened. No 500, no crashed worker."""

import shutil

import pytest

QUERY = "/en/search?q=sleep"


@pytest.fixture
def fault_app(make_app, search_dir, tmp_path):
    """The app on a private copy of the session's index, rebuilding inline."""
    folder = tmp_path / "search"
    shutil.copytree(search_dir, folder, symlinks=True)
    return make_app(SEARCH_REBUILD="inline", SEARCH_DIR=folder)


def largest_segment(app):
    current = app.extensions["search"].generations.current()
    return max((f for f in current.iterdir() if f.suffix in (".seg", ".pst", ".trm")),
               key=lambda f: f.stat().st_size)


def corrupt(path):
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = b"\xff" * min(4096, len(data) - middle)
    path.write_bytes(bytes(data))


def truncate(path):
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


# Corruption that keeps a file's size, in a generation a worker already has
# open, is found when a query trips on it (or by the next worker to open it):
# checking every byte on every search would cost more than it saves.
@pytest.mark.parametrize(("damage", "when"), [
    (corrupt, "before the worker opened it"), (truncate, "before the worker opened it"),
    (truncate, "while the worker serves it")], ids=["corrupted", "truncated", "truncated-live"])
def test_a_damaged_segment_is_detected_and_search_keeps_working(app, fault_app, damage, when):
    before = app.test_client().get(QUERY).get_data(as_text=True)  # the whole index's answer
    client = fault_app.test_client()
    if when == "while the worker serves it":
        client.get("/en/search?q=baby")  # opened, and some postings read
    damaged = fault_app.extensions["search"].generations.current()
    damage(largest_segment(fault_app))
    response = client.get(QUERY)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<li") == before.count("<li")  # the same results
    search = client.get("/healthz").get_json()["search"]
    assert search["problems"] and damaged.name in search["problems"][0]
    assert search["generation"] != damaged.name  # rebuilt (or the previous one)


def test_a_deleted_index_is_rebuilt_not_being_set_up_for_ever(fault_app):
    client = fault_app.test_client()
    before = client.get(QUERY).get_data(as_text=True)
    shutil.rmtree(fault_app.config["SEARCH_DIR"])
    response = client.get(QUERY)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<li") == before.count("<li")
    assert client.get("/healthz").get_json()["search"]["generation"] is not None


def test_a_generation_that_fails_in_use_is_dropped_and_the_search_answered(app, fault_app, monkeypatch):
    from portal.search.engine import Index
    before = app.test_client().get(QUERY).get_data(as_text=True)
    client = fault_app.test_client()
    client.get("/en/search?q=baby")
    damaged = fault_app.extensions["search"].generations.current()
    real_search = Index.search

    def fails_on_the_damaged_one(self, *args, **kwargs):
        if self.folder == damaged:
            raise ValueError("simulated: a posting block that does not decode")
        return real_search(self, *args, **kwargs)

    monkeypatch.setattr(Index, "search", fails_on_the_damaged_one)
    response = client.get(QUERY)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<li") == before.count("<li")
    search = client.get("/healthz").get_json()["search"]
    assert search["problems"] == [f"{damaged.name}: ValueError while searching"]
    assert search["generation"] != damaged.name
