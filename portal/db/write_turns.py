"""SQLite writers take turns on a lock file, handed over the moment it is free.

Every write transaction begins with ``BEGIN IMMEDIATE``, which takes SQLite's
write lock. A writer that finds the lock taken is left to SQLite's busy
handler, which sleeps and tries again after 1, 2, 5, 10, 15... ms: a lock
held for half a millisecond cost the next writer 1 to 5 ms of doing
nothing. Measured with two gunicorn workers taking referrals (issue 18):
a fifth of the BEGINs waited, 3.5 ms each on average, about 8% of each
worker's time spent asleep while there was work to do.

So each connection first takes an exclusive ``flock`` on one lock file
beside the database (``<database>-writers.lock``), just before ``BEGIN
IMMEDIATE``, and lets it go just after its ``COMMIT`` or ``ROLLBACK``. A
writer that finds it taken waits in the kernel, which wakes it as soon as
the holder lets go. SQLite's own lock is unchanged underneath: a process
that does not take the file lock (the ``sqlite3`` shell, say) is still
queued by the busy timeout, and nothing can write without SQLite's lock.

If the lock file cannot be opened (a folder where it should be, say), that
connection writes without it, queued by SQLite's busy timeout as before,
and the log says so: slower, never lost.

The wait has no time limit of its own. Only our own write transactions
hold the file lock, and none of them talks to anything but the database
while it is open; a process that dies holding it lets it go with its file
descriptors, and a stuck web worker is ended by gunicorn's timeout. The
lock file is left in place (removing a lock file in use would let two
writers hold "the" lock at once).
"""

import fcntl
import logging
import os

from sqlalchemy import event

log = logging.getLogger(__name__)


class WriteTurns:
    """The turns of one SQLite database's writers, for one engine."""

    def __init__(self, database_path):
        self.path = f"{database_path}-writers.lock"
        self._files = {}  # id(DB-API connection) -> its own descriptor of the lock file

    def install(self, engine):
        event.listen(engine, "connect", self._opened)
        event.listen(engine, "close", self._closed)
        event.listen(engine, "invalidate", self._closed_on_invalidate)
        event.listen(engine, "close_detached", self._closed_detached)
        dialect = engine.dialect
        for name in ("do_commit", "do_rollback"):
            setattr(dialect, name, self._then_give_back(getattr(dialect, name)))

    def take(self, dbapi_connection):
        """Wait for this connection's turn to write (call before BEGIN IMMEDIATE).
        A connection without the lock file (it could not be opened) waits
        by SQLite's busy timeout alone, as before."""
        descriptor = self._files.get(id(dbapi_connection))
        if descriptor is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)

    def give_back(self, dbapi_connection):
        """End this connection's turn, if it has one (harmless otherwise)."""
        descriptor = self._files.get(id(dbapi_connection))
        if descriptor is not None:
            fcntl.flock(descriptor, fcntl.LOCK_UN)

    def _opened(self, dbapi_connection, record):
        # A descriptor of its own: flock() turns belong to an open file, so
        # two connections in one process queue like two processes.
        try:
            self._files[id(dbapi_connection)] = os.open(
                self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            # Slower, never lost: SQLite's own lock still keeps writers apart.
            log.warning("SQLite writers' lock file cannot be opened (%s); this connection "
                        "waits by the busy timeout instead", type(exc).__name__)

    def _closed(self, dbapi_connection, record):
        descriptor = self._files.pop(id(dbapi_connection), None)
        if descriptor is not None:
            os.close(descriptor)  # lets go of a turn still held

    def _closed_on_invalidate(self, dbapi_connection, record, exception):
        self._closed(dbapi_connection, record)

    def _closed_detached(self, dbapi_connection):
        self._closed(dbapi_connection, None)

    def _then_give_back(self, call):
        def ended(connection):
            try:
                return call(connection)
            finally:
                # SQLAlchemy passes the pool's proxy here; the events, the
                # DB-API connection itself.
                self.give_back(getattr(connection, "dbapi_connection", connection))
        return ended


def database_file(url):
    """The path of a SQLite URL's database file, or None (in memory, or a
    ``file:`` URI)."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database)


def for_url(url):
    """``WriteTurns`` for a SQLite database file, or None (in memory)."""
    path = database_file(url)
    return WriteTurns(path) if path else None
