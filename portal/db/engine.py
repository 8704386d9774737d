"""Engines and sessions, bound to the app; one session per request."""

import logging

from flask import current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from .deadline import bound
from .readers import Session, readers_of
from .readers import attach as attach_readers
from .sealed import keyring
from .write_turns import for_url as write_turns_for

log = logging.getLogger(__name__)
# SQLite's primary result codes for a file it cannot write: READONLY,
# IOERR, FULL, CANTOPEN (extended codes carry them in the low byte).
SQLITE_UNWRITABLE = {8, 10, 13, 14}


def make_engine(url, keys=None, timeout=None):
    """Return an engine; SQLite gets WAL, a busy timeout and foreign keys.

    hide_parameters: an error's log line must never carry a family's answers.
    ``keys`` (PORTAL_DATA_KEYS) seal the personal columns: see sealed.py.
    ``timeout`` (seconds, PostgreSQL) bounds every call to the server, so a
    server that hangs fails a request instead of holding it; None (the
    migrations) waits as long as a statement takes.
    """
    engine = _engine(url, timeout)
    engine.dialect.portal_keyring = keyring(keys)
    readers = readers_of(engine)
    if readers is not None:
        readers.dialect.portal_keyring = engine.dialect.portal_keyring
    return engine


def _engine(url, timeout):
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        turns = write_turns_for(engine.url)
        if turns:
            turns.install(engine)

        @event.listens_for(engine, "connect")
        def sqlite_pragmas(connection, record):
            cursor = connection.cursor()
            _sqlite_pragmas(cursor)
            cursor.close()

        # The read-only transactions have connections of their own (readers.py).
        attach_readers(engine, _sqlite_pragmas)

        @event.listens_for(engine, "begin")
        def sqlite_begin(connection):
            # Take the write lock at BEGIN so two writers queue instead of
            # failing half-way (pysqlite's deferred BEGIN would deadlock);
            # our own writers queue on write_turns' file lock before it.
            if not turns:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            # Queue on the file lock first (see write_turns.py).
            dbapi_connection = connection.connection.dbapi_connection
            turns.take(dbapi_connection)
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                turns.give_back(dbapi_connection)
                raise

        # Let SQLAlchemy, not pysqlite, say when a transaction begins.
        @event.listens_for(engine, "connect")
        def sqlite_no_autobegin(connection, record):
            connection.isolation_level = None

        @event.listens_for(engine, "handle_error")
        def sqlite_drop_unwritable(context):
            # A connection opened while the disk was read-only (or full, or
            # failing) stays read-only for good: SQLAlchemy does not count
            # that as a disconnect, so it would go back to the pool and fail
            # every referral until a restart. Treat it as one: the pool is
            # emptied and the next connection is opened afresh.
            code = getattr(context.original_exception, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in SQLITE_UNWRITABLE:
                context.is_disconnect = True

        return engine
    bounded = url.startswith("postgresql") and timeout is not None
    # A request that finds the server hung spends half its time on the call
    # that hangs (or the wait for a free connection), and half on the one
    # new connection the pool then tries: it fails within ``timeout``.
    half = timeout / 2 if bounded else None
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                           hide_parameters=True, connect_args=_connect_args(url, half),
                           **({"pool_timeout": half} if bounded else {}))
    if bounded:
        bound(engine.dialect, half)
    return engine


def _sqlite_pragmas(cursor):
    # WAL: readers never block the writer, and a crash loses nothing that
    # was committed.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")


def _connect_args(url, seconds):
    """libpq's own limits: the server cancels a statement itself, and the
    kernel gives up on a peer that stopped acknowledging or answering
    keepalives. The watchdog (deadline.py) covers a server that hangs
    while its kernel still answers."""
    if not url.startswith("postgresql"):
        return {}
    if seconds is None:
        return {"connect_timeout": 5}
    return {"connect_timeout": max(2, int(seconds)),  # libpq's least
            "options": f"-c statement_timeout={max(500, int(seconds * 1000) - 500)}",
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 2,
            "keepalives_count": 3, "tcp_user_timeout": int(seconds * 1000)}


def init_app(app):
    if app.config["ENV_NAME"] == "production" and not app.config["DATA_KEYS"]:
        log.warning("PORTAL_DATA_KEYS is not set: families' details are stored unencrypted")
    engine = make_engine(app.config["DATABASE_URL"], app.config["DATA_KEYS"],
                         app.config["DATABASE_TIMEOUT"])
    app.extensions["db"] = sessions_for(engine)

    @app.teardown_appcontext
    def close_session(exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def sessions_for(engine):
    """The app's session factory on ``engine`` (sessions that ``read_only`` can send to
    SQLite's readers)."""
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


def session_factory():
    """Return the database session factory (for commands and background work)."""
    return current_app.extensions["db"]


def db():
    """Return this request's database session, opened on first use."""
    if "db_session" not in g:
        g.db_session = session_factory()()
    return g.db_session
