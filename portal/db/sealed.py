"""Families' details encrypted at rest, when the operators give a key.

``PORTAL_DATA_KEYS`` holds one or more Fernet keys, separated by commas:
the first encrypts, every one of them decrypts, so a key is rotated by
putting the new one first and running ``flask db encrypt``. Without keys,
the same columns hold plain JSON, and ``flask db encrypt`` seals them once
keys are set.

A backup, a database dump or a console on the database server then shows
no family's name, phone, address, children or notes; the key lives only in
the app servers' environment. The references, dates, teams and statuses stay
readable, because the inbox sorts, filters and purges on them.

Every sealed value is stored as text: JSON (which never starts with
``fernet:``) when plain, ``fernet:`` and a token when sealed; so a column
may hold both while a database is being sealed.
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text, literal, select, type_coerce, update
from sqlalchemy.types import TypeDecorator

from .base import Base

PREFIX = "fernet:"


class SealError(ValueError):
    """The keys given cannot be used, or a sealed value cannot be opened."""


def keyring(value):
    """Return a MultiFernet from a comma-separated list of keys, or None."""
    keys = [key.strip() for key in (value or "").split(",") if key.strip()]
    if not keys:
        return None
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise SealError(
            "PORTAL_DATA_KEYS: each key must be 32 url-safe base64-encoded bytes, as made by "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from None


def seal(value, ring):
    """Return the stored text for a value: JSON, encrypted when there is a keyring."""
    text = json.dumps(value, ensure_ascii=False)
    return PREFIX + ring.encrypt(text.encode()).decode() if ring else text


def is_sealed(stored):
    return stored is not None and stored.startswith(PREFIX)


def _open(stored, ring):
    """Return the JSON text inside a stored value."""
    if not is_sealed(stored):
        return stored
    if ring is None:
        raise SealError("this database holds encrypted details, and PORTAL_DATA_KEYS is not set")
    try:
        return ring.decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        raise SealError("a detail was encrypted with a key that is not in PORTAL_DATA_KEYS") from None


def unseal(stored, ring):
    """Return the value from its stored text."""
    return json.loads(_open(stored, ring))


def reseal(engine, ring, decrypt=False, batch=500):
    """Encrypt every personal value with the newest key (or, with ``decrypt``,
    store them all plain). Safe to run again, and while the site is serving:
    each batch is its own transaction, and readers accept either form.
    Return {table: values rewritten}."""
    if ring is None:
        raise SealError("PORTAL_DATA_KEYS is not set")
    counts = {}
    for table in Base.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, Sealed)]
        if not columns:
            continue
        key = table.primary_key.columns.values()[0]
        raw = [type_coerce(column, Text).label(column.name) for column in columns]
        counts[table.name], last = 0, None
        while True:
            # Locked while rewritten, so a draft saved meanwhile is not overwritten
            # with its older answers (SQLite's BEGIN IMMEDIATE locks already).
            query = select(key, *raw).order_by(key).limit(batch).with_for_update()
            if last is not None:
                query = query.where(key > last)
            with engine.begin() as connection:
                rows = connection.execute(query).all()
                for row in rows:
                    changes = {}
                    for column in columns:
                        stored = getattr(row, column.name)
                        if stored is None or (decrypt and not is_sealed(stored)):
                            continue
                        text = _open(stored, ring)
                        changes[column.name] = literal(
                            text if decrypt else PREFIX + ring.encrypt(text.encode()).decode(), Text)
                    if changes:
                        connection.execute(update(table).where(key == row[0]).values(changes))
                        counts[table.name] += len(changes)
            if len(rows) < batch:
                break
            last = rows[-1][0]
    return counts


class Sealed(TypeDecorator):
    """A personal value (text, list or dict), sealed with the engine's keyring.

    The keyring hangs on the engine's dialect (see engine.make_engine), so
    two apps in one process (tests) each use their own keys.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else seal(value, getattr(dialect, "portal_keyring", None))

    def process_result_value(self, value, dialect):
        return None if value is None else unseal(value, getattr(dialect, "portal_keyring", None))
