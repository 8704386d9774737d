"""``flask referrals purge`` and ``flask referrals export REF``."""

import datetime
import json
import logging

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, select

from ..db.base import utcnow
from ..db.engine import sessions
from ..editors.models import PageReport
from ..outbox.models import Message
from ..staff.audit import record_command
from ..staff.models import ReferralEvent
from .drafts import delete_stale
from .models import Referral, StatusCheck
from .reference import normalise

log = logging.getLogger(__name__)
referrals_cli = AppGroup("referrals", help="The families' referrals: retention and access requests.")


def purge(session, retention_days, now=None, draft_idle=datetime.timedelta(hours=2)):
    """Delete referrals past retention (their notes and e-mails go with them,
    by the database's cascades), stale drafts, old status failures and
    readers' page reports past retention. Return the counts."""
    now = now or utcnow()
    cutoff = now - datetime.timedelta(days=retention_days)
    old = select(Referral.id).where(Referral.created_at < cutoff)
    # The database cascades too; deleting the dependants first does not rely on it.
    session.execute(delete(ReferralEvent).where(ReferralEvent.referral_id.in_(old)))
    session.execute(delete(Message).where(Message.referral_id.in_(old)))
    counts = {"referrals": session.execute(delete(Referral).where(Referral.created_at < cutoff)).rowcount}
    counts["drafts"] = delete_stale(session, draft_idle, now)
    counts["status failures"] = session.execute(
        delete(StatusCheck).where(StatusCheck.at < now - datetime.timedelta(days=2))).rowcount
    counts["page reports"] = session.execute(
        delete(PageReport).where(PageReport.created_at < cutoff)).rowcount
    session.commit()
    return counts


@referrals_cli.command("purge")
def purge_command():
    """Delete referrals older than PORTAL_RETENTION_DAYS (counts only are logged)."""
    with sessions()() as session:
        counts = purge(session, current_app.config["RETENTION_DAYS"],
                       draft_idle=datetime.timedelta(minutes=current_app.config["DRAFT_IDLE_MINUTES"]))
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    log.info("purged %s", summary)
    click.echo(f"purged {summary}")


def export(session, reference):
    """Return everything held about one referral, as plain data."""
    referral = session.scalar(select(Referral).where(Referral.reference == reference))
    if referral is None:
        return None
    fields = [column.key for column in Referral.__table__.columns]
    data = {name: getattr(referral, name) for name in fields}
    data["events"] = [
        {"at": event.at, "kind": event.kind, "text": event.text}
        for event in session.scalars(select(ReferralEvent).where(
            ReferralEvent.referral_id == referral.id).order_by(ReferralEvent.at))
    ]
    data["emails_to_team"] = [
        {"created_at": message.created_at, "status": message.status, "subject": message.subject}
        for message in referral.messages
    ]
    return data


@referrals_cli.command("export")
@click.argument("reference")
def export_command(reference):
    """Print one family's data as JSON, for a subject-access request."""
    with sessions()() as session:
        data = export(session, normalise(reference) or reference.strip().upper())
        if data is None:
            raise click.ClickException(f"no referral {reference}")
        record_command(session, "export for subject access", referral_id=data["id"])
        session.commit()
    click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=2))
