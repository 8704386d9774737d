"""The database failing, and coming back, on SQLite and PostgreSQL: the
family is told politely to try again, /healthz says what is wrong, and
once the fault has gone, referrals work again without a restart."""

import shutil
import sqlite3
import threading
import time

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from portal.staff.models import StaffUser
from tests.support.accounts import PASSWORD, password_hash
from tests.support.proxy import FreezableProxy

from .conftest import database, good_answers, referrals, send_referral
from .smtp_server import time_limit


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


# ---- a database that hangs ----------------------------------------------------------

TIMEOUT = 4  # seconds; the setting's default is 5 (README: "fails a request after 5 seconds")


@pytest.fixture
def hung_app(make_app, database_url):
    """The app with a database that can be made to hang, and that hang's switch.

    PostgreSQL is reached through a proxy that can be frozen (a stopped
    server). SQLite hangs when another process holds its write lock."""
    if database_url.startswith("sqlite"):
        app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False,
                       DATABASE_TIMEOUT=TIMEOUT)
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        switch = Switch(lambda: holder.execute("BEGIN IMMEDIATE"), lambda: holder.execute("ROLLBACK"))
        yield app, switch
        holder.close()
    else:
        url = make_url(database_url)
        proxy = FreezableProxy(url.host, url.port or 5432)
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        app = make_app(DATABASE_URL=proxied, SMTP_URL=None, WTF_CSRF_ENABLED=False,
                       DATABASE_TIMEOUT=TIMEOUT)
        yield app, Switch(proxy.freeze, proxy.thaw)
        proxy.thaw()
        proxy.stop()
    app.extensions["db"].kw["bind"].dispose()


def signed_in_staff(app):
    with database(app) as db:
        db.add(StaffUser(email="north.worker@example.org", password_hash=password_hash(), team_id="north"))
        db.commit()
    staff = app.test_client()
    assert staff.post("/staff/login", data={"email": "north.worker@example.org",
                                            "password": PASSWORD}).status_code == 302
    return staff


class Switch:
    def __init__(self, hang, release):
        self.hang, self.release = hang, release


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_the_default_database_timeout_is_the_five_seconds_the_readme_promises(app):
    assert app.config["DATABASE_TIMEOUT"] == 5


def test_a_hung_database_leaves_the_public_pages_fast_and_loses_nothing(hung_app, database_url):
    app, switch = hung_app
    client = app.test_client()
    send_referral(client)  # the pool holds connections that worked
    staff = signed_in_staff(app)  # a session cookie whose account is in the database
    with time_limit(90, "hung database"):
        switch.hang()
        try:
            # Public pages need no database, whatever cookies come with them.
            for url in ["/en/", "/en/hubs/adswood", "/pl/groups/", "/en/search?q=sleep"]:
                for browser in (client, staff):
                    response, took = timed(lambda url=url, browser=browser: browser.get(url))
                    assert response.status_code == 200, url
                    assert took < 1, f"{url} took {took:.1f} s with the database hung"
            if database_url.startswith("postgresql"):
                # A referral fails politely within the time limit, not never.
                response, took = timed(lambda: client.post("/en/refer", data=good_answers()))
                assert response.status_code == 500
                assert "Please try again later" in response.get_data(as_text=True)
                assert took < TIMEOUT + 1, f"a referral waited {took:.1f} s on a hung database"
                health, took = timed(lambda: database_health(client))
                assert health == {"reachable": False} and took < TIMEOUT + 1, took
            else:
                # SQLite waits for a writer's lock (up to 30 s) rather than fail.
                waiting = threading.Thread(target=send_referral, args=(app.test_client(),))
                waiting.start()
                time.sleep(TIMEOUT)
        finally:
            switch.release()
        if database_url.startswith("sqlite"):
            waiting.join(30)
        # The database is back: referrals work at once, without a restart.
        send_referral(app.test_client())
    assert len(referrals(app)) == (3 if database_url.startswith("sqlite") else 2)
