"""``flask search rebuild``."""

import click
from flask import current_app
from flask.cli import AppGroup

from .builder import rebuild

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("rebuild")
def rebuild_command():
    """Rebuild the search index from the content folder (into a new generation)."""
    folder = rebuild(current_app.config["CONTENT_DIR"], current_app.config["SEARCH_DIR"], force=True)
    click.echo(f"search index rebuilt: {folder.name}")
