"""SQLite writers take turns on a lock file (portal/db/write_turns.py): the
next writer goes the moment the last one commits or rolls back, a reader
takes no turn, and a connection that goes away gives its turn back."""

import fcntl
import os
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal.db.engine import make_engine
from portal.db.readers import readers_of
from portal.db.write_turns import for_url


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    yield engine
    engine.dispose()


def turn_is_free(engine):
    """Whether another writer could take its turn now (asked without waiting)."""
    descriptor = os.open(engine.url.database + "-writers.lock", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)  # lets go of it if taken
    return True


def test_the_next_writer_goes_when_the_first_commits(engine):
    seen = []
    first = engine.connect()
    first.begin()
    first.execute(text("INSERT INTO t VALUES (1)"))
    assert not turn_is_free(engine)

    def second_writer():
        with engine.begin() as connection:
            seen.append("second began")
            connection.execute(text("INSERT INTO t VALUES (2)"))

    writer = threading.Thread(target=second_writer)
    writer.start()
    writer.join(0.5)
    assert writer.is_alive() and seen == []  # waiting for its turn
    seen.append("first commits")
    first.commit()
    writer.join(30)
    assert seen == ["first commits", "second began"]
    first.close()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    assert turn_is_free(engine)


def test_a_rollback_gives_the_turn_back(engine):
    with engine.connect() as connection:
        connection.begin()
        connection.execute(text("INSERT INTO t VALUES (1)"))
        assert not turn_is_free(engine)
        connection.rollback()
        assert turn_is_free(engine)


@pytest.mark.parametrize("ending", ["close", "invalidate"])
def test_a_connection_that_goes_away_mid_write_gives_the_turn_back(engine, ending):
    connection = engine.connect()
    connection.begin()
    connection.execute(text("INSERT INTO t VALUES (1)"))
    assert not turn_is_free(engine)
    if ending == "invalidate":
        connection.invalidate()  # as after a disconnect: the DB-API connection is closed
    else:
        connection.close()  # back to the pool, which rolls back
    assert turn_is_free(engine)
    connection.close()


def test_a_reader_takes_no_turn(engine):
    holder = engine.connect()
    holder.begin()
    holder.execute(text("INSERT INTO t VALUES (1)"))
    with readers_of(engine).connect() as reader:
        with reader.begin():
            assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 0
    holder.rollback()
    holder.close()


def test_a_lock_file_that_cannot_be_opened_slows_writers_but_stops_none(tmp_path, caplog):
    path = tmp_path / "blocked.db"
    (tmp_path / "blocked.db-writers.lock").mkdir()  # a folder where the file should be
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (n INTEGER)")
        connection.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM t")).scalars().all() == [1]
    assert "lock file cannot be opened (IsADirectoryError)" in caplog.text
    engine.dispose()


def test_a_database_in_memory_has_no_lock_file():
    for url in ("sqlite://", "sqlite:///:memory:"):
        assert for_url(make_url(url)) is None
    assert for_url(make_url("sqlite:///instance/portal.db")).path.endswith(
        "/instance/portal.db-writers.lock")
