"""``flask db upgrade``: create or migrate the schema with Alembic."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .engine import make_engine
from .sealed import SealError, keyring, reseal

# portal/migrations: it reads every feature's tables (portal/models.py).
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
db_cli = AppGroup("db", help="The database schema.")


def alembic_config(url):
    # Alembic (10 MB beside SQLAlchemy) is imported only by the commands
    # that need it, never by a web worker.
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _migrate(url, move, revision):
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                # SQLite alters a table by copying it and dropping the old
                # one: with foreign keys on, that drop would cascade to every
                # note and e-mail of every referral. Off (outside any
                # transaction) while migrating; checked afterwards.
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            config = alembic_config(url)
            config.attributes["connection"] = connection
            move(config, revision)
            connection.commit()
            if engine.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                connection.commit()
                if broken:
                    raise RuntimeError(f"the migration left {len(broken)} rows without their parent")
    finally:
        engine.dispose()


def upgrade(url, revision="head"):
    """Bring the database at ``url`` up to ``revision``."""
    from alembic import command
    _migrate(url, command.upgrade, revision)


def downgrade(url, revision):
    """Take the database at ``url`` back to ``revision`` (for a rolled-back release)."""
    from alembic import command
    _migrate(url, command.downgrade, revision)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision):
    """Create or migrate the database schema."""
    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url, revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision):
    """Take the schema back to an earlier revision (before rolling back a release).
    Encrypted details must be decrypted first: see `db encrypt --decrypt`."""
    downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@db_cli.command("encrypt")
@click.option("--decrypt", is_flag=True, help="Store every detail plain again (before a downgrade).")
def encrypt_command(decrypt):
    """Encrypt families' details with the first key in PORTAL_DATA_KEYS:
    after setting keys for the first time, and after putting a new key first."""
    config = current_app.config
    engine = make_engine(config["DATABASE_URL"], config["DATA_KEYS"])
    try:
        counts = reseal(engine, keyring(config["DATA_KEYS"]), decrypt=decrypt)
    except SealError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    done = "decrypted" if decrypt else "encrypted"
    click.echo(f"{done}: " + ", ".join(f"{count} values in {table}" for table, count in counts.items()))
