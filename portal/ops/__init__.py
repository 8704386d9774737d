"""For operators and search engines: health, robots.txt, sitemap."""

import logging

from flask import Blueprint, Response, current_app, jsonify, render_template
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..clock import utcnow
from ..content import sections
from ..content.sync import status as content_sync_status
from ..content.web import snapshot
from ..db.engine import db
from ..extensions import limiter
from ..outbox.models import Message
from ..referrals.models import Referral
from ..search.service import search_service
from ..site_url import external_url
from ..staff import waiting
from .backends import rate_limit_storage

log = logging.getLogger(__name__)
bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """Say the worker is up, which content it serves, and whether the
    database and the teams' e-mail are healthy, and how this worker's page
    cache is doing (counts only, no personal data).

    It answers 200 while the worker serves the site: the public pages need
    no database, so a database fault must not take the site out of the load
    balancer. Monitoring watches ``database.reachable`` and the outbox.
    """
    content = snapshot()
    return jsonify(
        status="ok",
        content={
            "loaded_at": content.loaded_at.isoformat(),
            "files": content.files,
            "pages": len(content.pages),
            "errors": len(content.errors),
            "warnings": len(content.warnings),
            # Pages served from their last good version: their file has an error.
            "kept_last_good": len(content.kept),
            **content_sync_status(current_app.config["CONTENT_DIR"],
                                  current_app.config["INSTANCE_DIR"]),
        },
        database=_database(content.localities),
        rate_limits=rate_limit_storage(limiter, current_app.config["RATELIMIT_STORAGE_URI"]),
        # This worker's own: each worker keeps its own cache.
        page_cache=current_app.extensions["page_cache"].stats(),
        search=search_service().health(),
    ), 200, {"Cache-Control": "no-store"}


def _database(localities):
    """Whether the database answers and can be written, how the teams' e-mail
    is doing, and how many new referrals are past their team's target."""
    session = db()
    try:
        pending, oldest = session.execute(select(func.count(), func.min(Message.created_at))
                                     .where(Message.status == "pending")).one()
        failed = session.scalar(select(func.count()).select_from(Message)
                           .where(Message.status == "failed"))
        overdue = session.scalar(select(func.count()).select_from(Referral)
                                 .where(waiting.overdue_clause(localities, utcnow())))
    except SQLAlchemyError as exc:
        session.rollback()
        log.warning("healthz: the database did not answer (%s)", type(exc).__name__)
        return {"reachable": False}
    waited = (utcnow() - oldest).total_seconds() // 60 if oldest else 0
    return {"reachable": True, "writable": _writable(session),
            "outbox": {"pending": pending, "oldest_pending_minutes": int(waited), "failed": failed},
            "referrals": {"overdue": overdue}}


def _writable(session):
    """Write an outbox row, as a referral does, and roll it back: a database
    that answers reads may still refuse writes (a read-only or full disk)."""
    try:
        session.add(Message(recipient="healthz@example.org", subject="healthz", body=""))
        session.flush()
        return True
    except SQLAlchemyError as exc:
        log.warning("healthz: the database refused a write (%s)", type(exc).__name__)
        return False
    finally:
        session.rollback()


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /staff/",
             f"Sitemap: {external_url('ops.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    """List every page, and each language's home, listings and what's on,
    with its translations as hreflang alternates."""
    content = snapshot()
    default = content.default_language
    keys = sorted({(section, page_id) for (lang, section, page_id) in content.pages
                   if lang == default})
    pages = [content.pages[(default, section, page_id)] for section, page_id in keys]
    newest = {}
    for page in pages:
        newest[page.section] = max(newest.get(page.section, page.updated), page.updated)
    everything = max(newest.values(), default=None)
    urls = [("public.home", {}, everything), ("public.whats_on", {}, everything)] + [
        ("public.section", {"section": section}, newest[section])
        for section in sections.LISTED if section in newest
    ] + [("public.page", {"section": page.section, "page_id": page.id}, page.updated)
         for page in pages]
    body = render_template("ops/sitemap.xml", urls=urls, languages=content.site.languages)
    return Response(body, mimetype="application/xml")
