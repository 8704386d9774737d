"""The database failing, and coming back, on SQLite and PostgreSQL: the
family is told politely to try again, /healthz says what is wrong, and
once the fault has gone, referrals work again without a restart."""

import shutil
import sqlite3

import pytest
from sqlalchemy import event

from .conftest import good_answers, referrals, send_referral


@pytest.fixture
def sqlite_app(make_app, tmp_path, migrated_sqlite):
    shutil.copyfile(migrated_sqlite, tmp_path / "portal.db")
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'portal.db'}", SMTP_URL=None,
                   WTF_CSRF_ENABLED=False)
    yield app
    app.extensions["db"].kw["bind"].dispose()


def database_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.get_json()["database"]


def test_after_sqlite_could_not_be_written_referrals_work_again_once_it_can(sqlite_app, tmp_path):
    """A disk that turns read-only: SQLite opens the file read-only (as
    ``mode=ro`` does here, since root may write any file) and such a
    connection stays read-only after the disk is writable again. The one
    that failed to write is dropped from the pool, so the next is fresh."""
    engine = sqlite_app.extensions["db"].kw["bind"]
    keeper = sqlite3.connect(tmp_path / "portal.db")  # another process: the WAL files stay
    fault = {"read_only": True}

    @event.listens_for(engine, "do_connect")
    def on_a_read_only_disk(dialect, record, cargs, cparams):
        if fault["read_only"]:
            cargs[0] = f"file:{cargs[0]}?mode=ro"
            cparams["uri"] = True

    client = sqlite_app.test_client()
    try:
        failed = client.post("/en/refer", data=good_answers())
        assert failed.status_code == 500
        assert "Please try again later" in failed.get_data(as_text=True)
        health = database_health(client)
        assert health["reachable"] is True and health["writable"] is False
        fault["read_only"] = False  # the disk is writable again
        assert database_health(client)["writable"] is True
        send_referral(client)
        assert len(referrals(sqlite_app)) == 1
    finally:
        keeper.close()


def test_healthz_says_the_database_is_writable(referral_app):
    health = database_health(referral_app.test_client())
    assert health["reachable"] is True and health["writable"] is True
