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


@content_cli.command("sync")
def sync_command():
    """Fetch and fast-forward the content folder from PORTAL_CONTENT_REPO,
    refusing a commit whose check has errors."""
    from .sync import SyncError, sync
    config = current_app.config
    if not config["CONTENT_REPO"]:
        click.echo("PORTAL_CONTENT_REPO is not set: the content folder is edited in place", err=True)
        sys.exit(2)
    try:
        outcome, commit, problems = sync(config["CONTENT_DIR"], config["CONTENT_REPO"],
                                         config["INSTANCE_DIR"])
    except SyncError as exc:
        click.echo(f"content sync: {exc}", err=True)
        sys.exit(1)
    if outcome == "refused":
        click.echo(f"content sync: refused the new commit; still on {commit[:12]}:", err=True)
        for line in problems:
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    click.echo(f"content sync: {outcome}, on {commit[:12]}")
