"""``flask outbox deliver``: for cron or a systemd timer, on any server."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..db.engine import session_factory
from .delivery import deliver
from .mailer import mailer_for

outbox_cli = AppGroup("outbox", help="E-mails waiting to be delivered.")


@outbox_cli.command("deliver")
@click.option("--limit", default=200, show_default=True, help="At most this many messages.")
def deliver_command(limit):
    """Deliver pending e-mails, retrying failures with back-off."""
    config = current_app.config
    sent, failed = deliver(session_factory(), mailer_for(config), config["MAIL_FROM"],
                           config["MAIL_DOMAIN"], limit=limit)
    click.echo(f"delivered {sent}, still pending after a failure {failed}")
    if failed:
        raise SystemExit(75)  # EX_TEMPFAIL: cron and timers may alert on it
