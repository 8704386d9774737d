"""The public "Is something wrong on this page?" form, on every content page.

The link sits on the cached page; the form is its own page, because a
form carries a CSRF token that must never be shared through the cache.
"""

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from ..content.sections import BY_KEY, url_rule
from ..content.sections import NAMES as SECTION_NAMES
from ..content.web import snapshot
from ..db.engine import db
from ..extensions import limiter
from ..forms.timeouts import TIMED_OUT, keeps_answers
from ..i18n.locale import current_language
from .models import PageReport
from .report_form import PageReportForm
from .scrub import scrub

log = logging.getLogger(__name__)
bp = Blueprint("page_reports", __name__, url_prefix=f"/<lang>/<{url_rule(BY_KEY)}:section>/<slug:page_id>/report")


def _page(section, page_id):
    page = snapshot().page(current_language(), section, page_id)
    if page is None:
        abort(404)
    return page


def _printed_by_the_site(page):
    """Every number and address the site itself prints, which a reader may quote back."""
    content = snapshot()
    hub = content.hub(current_language(), page.hub_id) if getattr(page, "hub_id", None) else None
    return " ".join(map(repr, (page, hub, content.site, content.localities)))


def _render(page, section, form, status=200, notice=None):
    return render_template("editors/report.html", page=page, section=section,
                           section_name=SECTION_NAMES[section], form=form,
                           notice=notice), status


@bp.get("")
def start(section, page_id):
    page = _page(section, page_id)
    return _render(page, section, PageReportForm())


@bp.post("")
@limiter.limit(lambda: current_app.config["PAGE_REPORT_RATE_LIMIT"])
def send(section, page_id):
    page = _page(section, page_id)
    form = PageReportForm()
    if form.website.data:
        log.warning("page report refused: the robot trap was filled in")
        return _render(page, section, form, 400, _l("Sorry, something went wrong. Please try again."))
    if not form.validate_on_submit():
        return _render(page, section, form, 400)
    session = db()
    session.add(PageReport(lang=current_language(), section=section, page_id=page_id,
                      problem=form.problem.data, text=scrub(form.details.data, _printed_by_the_site(page)) or None))
    session.commit()
    log.info("page report stored for %s/%s", section, page_id)
    return redirect(url_for(".sent", section=section, page_id=page_id))


@keeps_answers("page_reports.send")
def send_again(section, page_id):
    """The form timed out: show it again with what the reader wrote."""
    page = _page(section, page_id)
    return _render(page, section, PageReportForm(), 400, TIMED_OUT)


@bp.get("/sent")
def sent(section, page_id):
    page = _page(section, page_id)
    return render_template("editors/report_sent.html", page=page, section=section,
                           section_name=SECTION_NAMES[section])
