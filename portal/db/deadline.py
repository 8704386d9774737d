"""A time limit on every call to the database server, kept by the client.

A stopped or stuck server still has its kernel accept connections and
acknowledge what is sent, so neither TCP keepalives nor
``tcp_user_timeout`` notice, and the server's own ``statement_timeout`` never
runs. Without a limit here a request waits for ever, holding a worker's
thread. One watchdog thread per process shuts down the socket of any call
that runs past its deadline: the call then fails at once as a lost
connection, which SQLAlchemy drops from the pool.
"""

import logging
import os
import socket
import threading
import time

log = logging.getLogger(__name__)
# The dialect's calls that talk to the server, and which argument holds
# the connection (a cursor's, for the execute calls).
CALLS = {"do_execute": "cursor", "do_executemany": "cursor", "do_execute_no_params": "cursor",
         "do_commit": "connection", "do_rollback": "connection", "do_ping": "connection"}


class Watchdog:
    """Cut the connections whose call is past its deadline."""

    def __init__(self, seconds, tick=0.1):
        self.seconds, self.tick = seconds, tick
        self._watched = {}  # token -> (deadline, DB-API connection)
        self._lock = threading.Lock()
        self._thread = None

    def watch(self, connection):
        """Start watching one call; return the token that ends it."""
        token = object()
        with self._lock:
            self._watched[token] = (time.monotonic() + self.seconds, connection)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="database deadline",
                                                daemon=True)
                self._thread.start()
        return token

    def done(self, token):
        with self._lock:
            self._watched.pop(token, None)

    def _run(self):
        while True:
            time.sleep(self.tick)
            now = time.monotonic()
            with self._lock:
                late = [token for token, (deadline, _) in self._watched.items() if deadline < now]
                cut = [self._watched.pop(token)[1] for token in late]
            for connection in cut:
                log.warning("a database call ran past %s s; its connection is cut", self.seconds)
                _shut(connection)


def _shut(connection):
    """Shut the connection's socket down under the driver's feet."""
    try:
        with socket.socket(fileno=os.dup(connection.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError, ValueError):
        log.exception("could not cut a database connection")


def bound(dialect, seconds):
    """Put every server call of ``dialect`` (one engine's) under a deadline."""
    watchdog = Watchdog(seconds)
    for name, holder in CALLS.items():
        setattr(dialect, name, _watched(getattr(dialect, name), holder, watchdog))
    return watchdog


def _watched(call, holder, watchdog):
    def watched(target, *args, **kwargs):
        connection = target.connection if holder == "cursor" else target
        token = watchdog.watch(connection)
        try:
            return call(target, *args, **kwargs)
        finally:
            watchdog.done(token)
    return watched
