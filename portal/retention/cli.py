"""``flask referrals purge`` and ``flask referrals export REF``."""

import datetime
import json
import logging

import click
from flask import current_app
from flask.cli import AppGroup

from ..audit.log import record_command
from ..db.engine import session_factory
from ..referrals.reference import normalise
from .access import export
from .purge import purge

log = logging.getLogger(__name__)
referrals_cli = AppGroup("referrals", help="The families' referrals: retention and access requests.")


@referrals_cli.command("purge")
def purge_command():
    """Delete referrals older than PORTAL_RETENTION_DAYS (counts only are logged)."""
    with session_factory()() as session:
        counts = purge(session, current_app.config["RETENTION_DAYS"],
                       draft_idle=datetime.timedelta(minutes=current_app.config["DRAFT_IDLE_MINUTES"]))
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    log.info("purged %s", summary)
    click.echo(f"purged {summary}")


@referrals_cli.command("export")
@click.argument("reference")
def export_command(reference):
    """Print one family's data as JSON, for a subject-access request."""
    with session_factory()() as session:
        data = export(session, normalise(reference) or reference.strip().upper())
        if data is None:
            raise click.ClickException(f"no referral {reference}")
        record_command(session, "export for subject access", referral_id=data["id"])
        session.commit()
    click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=2))
