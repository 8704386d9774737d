"""SQLite's read-only transactions run on connections of their own (portal/db/readers.py).
That a write in one fails and the next transaction writes: tests/referrals/test_write_lock.py."""

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session as PlainSession

from portal.db.engine import make_engine, sessions_for
from portal.db.readers import read_only, readers_of


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'readers.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    yield engine
    engine.dispose()


def statements(*engines):
    seen = []
    for each in engines:
        event.listen(each, "before_cursor_execute",
                     lambda connection, cursor, statement, *rest: seen.append(statement))
    return seen


def test_reads_and_writes_alternate_without_switching_a_connection(engine):
    # A flag pragma (query_only) expires every prepared statement of its
    # connection: switching one back and forth recompiled each statement.
    seen = statements(engine, readers_of(engine))
    with sessions_for(engine)() as session:
        for n in range(3):
            session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
            session.commit()
            assert read_only(session).execute(text("SELECT count(*) FROM t")).scalar() == n + 1
            session.commit()
    assert not [statement for statement in seen if "PRAGMA" in statement]
    assert seen.count("BEGIN IMMEDIATE") == 3 and seen.count("BEGIN") == 3


def test_a_session_already_in_a_transaction_reads_on_in_it(engine):
    with sessions_for(engine)() as session:
        session.execute(text("INSERT INTO t VALUES (1)"))
        # Not yet committed: only this transaction can see the row.
        assert read_only(session).execute(text("SELECT count(*) FROM t")).scalar() == 1
        session.rollback()


def test_read_only_needs_the_portal_session(engine):
    with PlainSession(engine) as session, pytest.raises(TypeError, match="sessions_for"):
        read_only(session)


def test_a_database_in_memory_has_no_readers_and_disposing_closes_both_pools(engine):
    assert readers_of(make_engine("sqlite://")) is None
    with sessions_for(engine)() as session:
        read_only(session).execute(text("SELECT 1"))
    assert readers_of(engine).pool.checkedin() == 1
    engine.dispose()
    assert readers_of(engine).pool.checkedin() == 0
