"""``flask content check``: every problem in the content folder, by line."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from .loader import ContentConfigError, ContentLoader

content_cli = AppGroup("content", help="Check the editors' content files.")


@content_cli.command("check")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(strict):
    """Validate every content file; print path:line: message per problem."""
    root = current_app.config["CONTENT_DIR"]
    try:
        snapshot = ContentLoader(root).load()
    except ContentConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for problem in snapshot.problems:
        click.echo(str(problem))
    click.echo(
        f"{snapshot.files} files, {len(snapshot.pages)} pages served, "
        f"{len(snapshot.errors)} errors, {len(snapshot.warnings)} warnings"
    )
    for lang, (done, total) in snapshot.coverage().items():
        click.echo(f"translated into {lang}: {done} of {total} pages ({done * 100 // max(total, 1)}%)")
    if snapshot.errors or (strict and snapshot.warnings):
        sys.exit(1)
