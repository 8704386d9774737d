"""SQLite's read-only transactions, on connections of their own.

A page that only shows what is stored (the family's draft, the
confirmation) reads in a transaction that takes no write lock, so it never
queues behind the families sending referrals, and a write in it fails at
once (``PRAGMA query_only``).

Those transactions used to switch a pooled connection to ``query_only`` and
back again for the next writer. But SQLite expires every prepared statement
of a connection when a flag pragma changes, so each statement after a switch
was compiled afresh: measured with the referral benchmark's journeys
in-process, the switches cost about 7% of a referral's CPU (issue 18). The
readers now have a pool of their own, each connection made read-only once,
when it opens; the writers' connections never change.

``read_only(session)`` sends the session's next transaction to the readers
(``Session.get_bind``: the session routes by what its transaction was begun
for, not by statement, so a transaction that writes reads its own writes).
When that transaction ends, the session goes back to the writers.
Elsewhere (PostgreSQL, or SQLite in memory) there is one pool, and
``read_only`` changes nothing.
"""

from sqlalchemy import create_engine, event, orm

from .write_turns import database_file

READERS = "portal_readers"


def attach(engine, pragmas):
    """Give a SQLite ``engine`` a pool of read-only connections to the same
    file; ``pragmas(cursor)`` sets up each new connection as the writers'
    are. Return the readers' engine, or None for a database in memory (a
    connection of its own would open another, empty, database)."""
    if database_file(engine.url) is None:
        return None
    readers = create_engine(engine.url, connect_args={"timeout": 30}, hide_parameters=True)

    @event.listens_for(readers, "connect")
    def read_only_connection(connection, record):
        connection.isolation_level = None  # SQLAlchemy, not pysqlite, says when to BEGIN
        cursor = connection.cursor()
        pragmas(cursor)
        cursor.execute("PRAGMA query_only=1")
        cursor.close()

    @event.listens_for(readers, "begin")
    def deferred_begin(connection):
        connection.exec_driver_sql("BEGIN")  # a snapshot, and no write lock

    @event.listens_for(engine, "engine_disposed")
    def dispose_readers(engine):
        readers.dispose()

    engine.dialect.portal_readers = readers
    return readers


def readers_of(engine):
    """The read-only pool beside ``engine``, or None (PostgreSQL, or SQLite in memory)."""
    return getattr(engine.dialect, "portal_readers", None)


class Session(orm.Session):
    """A session whose transaction begun by ``read_only`` runs on the readers."""

    def get_bind(self, mapper=None, **kwargs):
        readers = self.info.get(READERS)
        if readers is not None:
            return readers
        return super().get_bind(mapper, **kwargs)


@event.listens_for(Session, "after_transaction_end")
def _back_to_the_writers(session, transaction):
    if transaction.parent is None:
        session.info.pop(READERS, None)


def read_only(session):
    """Begin ``session``'s next transaction as one that only reads, and
    return the session. On SQLite it runs on a read-only connection: a plain
    BEGIN, no write lock, and a write in it fails. Elsewhere it changes
    nothing. A session already in a transaction goes on in it."""
    if not isinstance(session, Session):
        raise TypeError("read_only() needs a portal.db.readers.Session (see engine.sessions_for)")
    readers = readers_of(session.get_bind())
    if readers is None or session.in_transaction():
        return session
    session.info[READERS] = readers
    session.connection()  # begins on the readers
    return session
