"""Fresh, migrated databases for tests: SQLite, and PostgreSQL when one is given."""

import os
import shutil

import pytest
from sqlalchemy import create_engine, text

from portal.db.migrate import upgrade


def fresh_database(kind, folder, migrated_sqlite):
    """The URL of an empty, migrated database of ``kind`` ("sqlite" or "postgresql").

    SQLite is a copy, in ``folder``, of a database migrated once per run: the
    same schema without running every migration again. PostgreSQL is
    TEST_DATABASE_URL with its schema dropped and migrated afresh; the test
    is skipped when it is not set.
    """
    if kind == "sqlite":
        shutil.copyfile(migrated_sqlite, folder / "portal.db")
        return f"sqlite:///{folder / 'portal.db'}"
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set, so PostgreSQL is skipped "
                    "(.ci/run starts a server and sets it)")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)
    return url
