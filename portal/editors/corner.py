"""The editors' corner, ``/staff/content``: what is wrong with the content
the site is serving now, and what readers have reported, for an editor who
has no terminal. Open to editors and administrators; every view and change
is audited like the rest of the staff area."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..audit.log import record
from ..clock import utcnow
from ..content.sections import SECTIONS
from ..content.web import snapshot
from ..db.engine import db
from ..errors import render_error
from .health import content_health
from .models import PageReport
from .report_form import PROBLEMS

bp = Blueprint("content", __name__, url_prefix="/content")
RECENTLY_DEALT_WITH = 20


@bp.before_request
@login_required
def editors_only():
    if not current_user.sees_content:
        return render_error(403)
    return None


@bp.get("/")
def corner():
    session = db()
    reports = session.scalars(select(PageReport).where(PageReport.dealt_with_at.is_(None))
                         .order_by(PageReport.created_at.desc())).all()
    dealt_with = session.scalars(select(PageReport).where(PageReport.dealt_with_at.is_not(None))
                            .order_by(PageReport.dealt_with_at.desc())
                            .limit(RECENTLY_DEALT_WITH)).all()
    record(session, "view content corner")
    session.commit()
    content = snapshot()
    return render_template("editors/corner.html", content=content, health=content_health(content),
                           reports=reports, dealt_with=dealt_with, problems=dict(PROBLEMS),
                           sections=[(section.key, str(section.name or section.key).lower())
                                     for section in SECTIONS])


@bp.post("/reports/<id:report_id>/done")
def report_dealt_with(report_id):
    session = db()
    report = session.get(PageReport, report_id)
    if report is None:
        abort(404)
    if report.dealt_with_at is None:
        report.dealt_with_at, report.dealt_with_by = utcnow(), current_user.id
        record(session, "page report dealt with", detail=f"report {report.id}")
        session.commit()
    return redirect(url_for(".corner") + "#reports")
