"""The self-referral journey: form, check your answers, done; and status."""

import logging

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import lazy_gettext as _l

from ..content.web import snapshot
from ..db.engine import db
from ..extensions import limiter
from ..forms.timeouts import TIMED_OUT, keeps_answers
from ..i18n.locale import current_language, language_name
from ..outbox.delivery import try_now
from . import drafts
from .forms import BEST_TIMES, CONTACT_WAYS, HELP_WITH, ReferralForm, StatusLookupForm
from .models import STATUSES
from .reference import normalise
from .status import lookup
from .submit import send_draft

log = logging.getLogger(__name__)
bp = Blueprint("referrals", __name__, url_prefix="/<lang>/refer")
STATUS_NAMES = {
    "received": _l("Received: we have your request"),
    "with_team": _l("With your local team: they will contact you soon"),
    "contacted": _l("Contacted: the team has been in touch"),
    "closed": _l("Closed: the team has finished working on this request"),
}


@bp.after_request
def never_store(response):
    """Personal details must not stay in a shared phone's cache or history."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _form(**kwargs):
    return ReferralForm(team_name=snapshot().site.team_name, **kwargs)


def _draft():
    return drafts.load(db(), cookie.get("draft"))


def _render_form(form, status=200, notice=None):
    return render_template("referrals/form.html", form=form, notice=notice,
                           max_children=form.children.max_entries), status


@bp.get("")
def start():
    draft = _draft()
    form = _form(data=ReferralForm.data_from_answers(draft.answers)) if draft else _form()
    if not draft and not form.spoken_language.data:
        form.spoken_language.data = language_name(current_language())
    return _render_form(form)


@bp.post("")
@limiter.limit(lambda: current_app.config["REFERRAL_RATE_LIMIT"])
def answer():
    form = _form()
    if "add_child" in request.form or "remove_child" in request.form:
        # Without JavaScript: the page comes back with one more (or fewer) child.
        if "add_child" in request.form and len(form.children) < form.children.max_entries:
            form.children.append_entry()
        elif "remove_child" in request.form and len(form.children) > 1:
            form.children.pop_entry()
        return _render_form(form)
    if form.website.data:
        log.warning("self-referral refused: the robot trap was filled in")
        return _render_form(form, 400, _l("Sorry, something went wrong. Please try again."))
    if not form.validate():
        return _render_form(form)
    draft = drafts.save(db(), _draft(), form.answers())
    cookie["draft"] = draft.id
    return redirect(url_for(".check"))


@bp.get("/check")
def check():
    draft = _draft()
    if draft is None:
        return redirect(url_for(".start"))
    return render_template("referrals/check.html", answers=draft.answers,
                           labels=dict(CONTACT_WAYS + BEST_TIMES + HELP_WITH))


@bp.post("/check")
@limiter.limit(lambda: current_app.config["REFERRAL_RATE_LIMIT"])
def send():
    draft = _draft()
    if draft is None:
        return redirect(url_for(".start"))
    content = snapshot()
    referral, destination = send_draft(db(), draft, content.localities, current_language(),
                                       staff_language=content.default_language)
    cookie.pop("draft", None)
    cookie["done"] = {"reference": referral.reference, "team": destination.team.id,
                      "outside": destination.outside_area}
    try_now(referral.messages[0].id)
    return redirect(url_for(".done"))


@bp.get("/done")
def done():
    # Shown once: on a shared phone the next person must not find it.
    finished = cookie.pop("done", None)
    if not finished:
        return redirect(url_for(".start"))
    team = snapshot().localities.team(finished["team"])
    return render_template("referrals/done.html", reference=finished["reference"], team=team,
                           outside=finished["outside"])


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STATUS_RATE_LIMIT"], methods=["POST"],
               deduct_when=lambda response: response.status_code == 400)
def status():
    form = StatusLookupForm()
    found = None
    failed = False
    if form.validate_on_submit():
        found = lookup(db(), normalise(form.reference.data), form.date.data)
        failed = found is None
    status_code = 400 if failed else 200
    return render_template("referrals/status.html", form=form, found=found, failed=failed,
                           statuses=STATUSES, names=STATUS_NAMES), status_code


@keeps_answers("referrals.answer")
def answer_again():
    """A timed-out form: keep the family's answers and ask them to send again."""
    form = _form(formdata=request.form)
    form.validate()
    return _render_form(form, 400, TIMED_OUT)
