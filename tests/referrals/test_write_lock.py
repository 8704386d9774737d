"""SQLite has one write lock, and every family sending a referral queues for
it: a referral takes it as few times as it needs. Saving the answers is one
write transaction; sending is one (the referral, its e-mail, already claimed
for its first attempt, and the end of the draft), after reading the draft
without the lock; the confirmation page none; and the e-mail's first
attempt one (its outcome). A page that only reads never waits for a
writer, and cannot write."""

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete, event, select, text
from sqlalchemy.exc import OperationalError

from portal.content.web import snapshot
from portal.db.engine import make_engine, sessions_for
from portal.db.readers import read_only, readers_of
from portal.outbox.delivery import background
from portal.outbox.models import Message
from portal.referrals.models import Draft, Referral
from portal.referrals.submit import submit
from tests.support.databases import fresh_database

from .conftest import all_messages, drafts, good_answers, referrals


@pytest.fixture
def sqlite_url(tmp_path, migrated_sqlite):
    return fresh_database("sqlite", tmp_path, migrated_sqlite)


@contextmanager
def transactions(engine):
    """Record the BEGIN of every transaction on ``engine`` and on its readers
    (the read-only connections beside it), as sent to SQLite."""
    seen = []

    def record(connection, cursor, statement, *rest):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    engines = [engine, readers_of(engine)]
    for each in engines:
        event.listen(each, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for each in engines:
            event.remove(each, "before_cursor_execute", record)


def test_a_referral_takes_the_write_lock_three_times_in_all(make_app, sqlite_url):
    app = make_app(DATABASE_URL=sqlite_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    engine = app.extensions["db"].kw["bind"]
    client = app.test_client()
    with transactions(engine) as seen:
        assert client.post("/en/refer", data=good_answers()).status_code == 302
        assert seen == ["BEGIN IMMEDIATE"]  # the draft

        seen.clear()
        assert client.post("/en/refer/check").status_code == 302
        background.settle()
        # Sending: read the draft (no lock), then store referral and e-mail
        # and delete the draft; then the e-mail's first attempt marks it sent.
        assert seen == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]

        seen.clear()
        page = client.get("/en/refer/done").get_data(as_text=True)
        assert seen == ["BEGIN"]  # the confirmation only reads
    [referral] = referrals(app)
    assert referral.reference in page
    assert drafts(app) == []
    assert [message.status for message in all_messages(app)] == ["sent"]


def test_outbox_deliver_claims_every_due_message_at_once(make_app, sqlite_url):
    """`flask outbox deliver` after an outage: one transaction claims every
    due message, and each is still recorded the moment it is sent."""
    app = make_app(DATABASE_URL=sqlite_url, SMTP_URL=None)
    engine = app.extensions["db"].kw["bind"]
    with app.extensions["db"].begin() as session:
        session.add_all([Message(recipient=f"team{n}@example.org", subject=f"Referral {n}",
                                 body="Open it in the staff inbox.") for n in range(3)])
    with transactions(engine) as seen:
        with app.app_context():
            assert app.test_cli_runner().invoke(args=["outbox", "deliver"]).exit_code == 0
    assert seen == ["BEGIN IMMEDIATE"] * 4  # one claim, then each one's record
    assert [message.status for message in all_messages(app)] == ["sent"] * 3
    assert len(list((Path(app.config["INSTANCE_DIR"]) / "mail").glob("*.eml"))) == 3


def test_a_reader_does_not_wait_for_a_writer_and_cannot_write(sqlite_url):
    engine = make_engine(sqlite_url)
    sessions = sessions_for(engine)
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process, mid-way through a write
    found = []

    def read():
        with sessions() as session:
            found.append(read_only(session).scalars(select(Referral)).all())

    reader = threading.Thread(target=read, daemon=True)
    try:
        reader.start()
        reader.join(10)  # a writer would wait 30 s (the busy timeout) here
        assert found == [[]], "the reader waited for the write lock"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        reader.join()

    with sessions() as session:
        read_only(session)
        with pytest.raises(OperationalError, match="readonly"):
            session.execute(text("DELETE FROM referral_drafts"))
        session.rollback()
        # With that transaction over, the same session writes again (on a writer).
        session.execute(text("DELETE FROM referral_drafts"))
        session.commit()
    assert engine.pool.checkedin() == 1 and readers_of(engine).pool.checkedin() == 1
    engine.dispose()


def test_two_presses_of_send_at_once_store_one_referral(referral_app):
    """Both presses found the draft; whichever deletes it first sends it, and
    the other stores nothing. Here the first press's transaction has deleted
    the draft but not yet committed when the second arrives: PostgreSQL
    makes the second's delete wait for that commit (SQLite's write lock
    queues the whole transaction), and then it finds the draft gone."""
    client = referral_app.test_client()
    assert client.post("/en/refer", data=good_answers()).status_code == 302
    [draft] = drafts(referral_app)
    sessions = referral_app.extensions["db"]
    with referral_app.app_context():
        localities = snapshot().localities
        first = sessions()
        first.execute(delete(Draft).where(Draft.id == draft.id))  # not committed yet
        second = []

        def press():
            with referral_app.app_context(), sessions() as session:
                second.append(submit(session, draft.answers, localities, "en",
                                     inbox_url_for=lambda reference: reference,
                                     draft_id=draft.id)[0])

        pressing = threading.Thread(target=press, daemon=True)
        pressing.start()
        pressing.join(0.5)  # it waits for the first press's lock meanwhile
        first.commit()
        first.close()
        pressing.join(30)
    assert second == [None]
    assert referrals(referral_app) == [] and all_messages(referral_app) == []
    # Pressed once, the same answers are sent.
    client = referral_app.test_client()
    assert client.post("/en/refer", data=good_answers()).status_code == 302
    assert client.post("/en/refer/check").status_code == 302
    assert len(referrals(referral_app)) == 1
