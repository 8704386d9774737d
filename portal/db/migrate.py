"""``flask db upgrade``: create or migrate the schema with Alembic."""

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup

from .engine import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
db_cli = AppGroup("db", help="The database schema.")


def alembic_config(url):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url, revision="head"):
    """Bring the database at ``url`` to ``revision``."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
    finally:
        engine.dispose()


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision):
    """Create or migrate the database schema."""
    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url, revision)
    click.echo(f"database at {revision}")
