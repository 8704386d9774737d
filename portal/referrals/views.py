"""The self-referral journey: form, check your answers, done; and status."""

import logging

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import lazy_gettext as _l

from ..content.web import snapshot
from ..db.engine import db
from ..db.readers import read_only
from ..extensions import csrf, limiter
from ..forms.timeouts import TIMED_OUT, keeps_answers
from ..i18n.locale import current_language, language_name
from ..kept_layout import render as render_in_kept_layout
from ..localities.routing import route
from ..outbox.delivery import deliver_soon
from . import blank_form, drafts
from .forms import BEST_TIMES, CONTACT_WAYS, HELP_WITH, ReferralForm, StatusLookupForm
from .models import STATUSES
from .phone import country_name
from .reference import normalise
from .status import lookup
from .submit import inbox_url, sent, submit

log = logging.getLogger(__name__)
bp = Blueprint("referrals", __name__, url_prefix="/<lang>/refer")
bp.record_once(lambda state: blank_form.init_app(state.app))
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


@bp.app_template_global()
def family_phone(answers):
    """The number as the family typed it, with its country when outside the UK."""
    country = country_name(answers.get("phone_e164"), current_language())
    return f"{answers['phone']} ({country})" if country and answers.get("phone") else answers.get("phone")


def _form(**kwargs):
    content = snapshot()
    localities = content.localities
    return ReferralForm(team_name=content.site.team_name, area=localities.area,
                        triage_team=localities.team(localities.triage).name, **kwargs)


def _render_form(form, status=200, notice=None):
    return render_template("referrals/form.html", form=form, notice=notice,
                           max_children=form.children.max_entries,
                           deleted=request.args.get("deleted") == "1"), status


@bp.get("")
def start():
    draft = drafts.current()
    if draft:
        return _render_form(_form(data=ReferralForm.data_from_answers(draft.answers)))
    return blank_form.page(_render_blank)


def _render_blank():
    form = _form()
    if not form.spoken_language.data:
        form.spoken_language.data = language_name(current_language())
    page, _ = _render_form(form)
    return page


@bp.get("/exit")
@bp.post("/exit")
def leave():
    """"Exit this page": forget the family's answers, then go somewhere neutral.

    A plain link, so it works without JavaScript. The browser is also asked
    to drop this site's cookies and stored data.
    """
    drafts.forget()
    response = redirect(snapshot().site.exit_url)
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/delete")
def delete_answers():
    """"Delete my answers": forget them and start again, on this site."""
    drafts.forget()
    return redirect(url_for(".start", deleted=1))


# Leaving must work even when the page's form token has run out.
csrf.exempt(leave)
csrf.exempt(delete_answers)


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
    drafts.save(form.answers())
    return redirect(url_for(".check"))


@bp.get("/check")
def check():
    draft = drafts.current()
    if draft is None:
        return redirect(url_for(".start"))
    drafts.touch(draft)
    destination = route(snapshot().localities, draft.answers["postcode"])
    return render_template("referrals/check.html", answers=draft.answers, destination=destination,
                           labels=dict(CONTACT_WAYS + BEST_TIMES + HELP_WITH))


@bp.post("/check")
@limiter.limit(lambda: current_app.config["REFERRAL_RATE_LIMIT"])
def send():
    draft = drafts.current()
    if draft is None:
        return redirect(url_for(".start"))
    content = snapshot()
    referral, destination = submit(db(), draft.answers, content.localities, current_language(),
                                   inbox_url_for=inbox_url, staff_language=content.default_language,
                                   draft_id=draft.id)
    if referral is None:
        # Another press of "Send" stored it first; its answer holds the reference.
        return redirect(url_for(".done"))
    # The referral is committed, and its draft deleted with it: from here on
    # nothing can lose it.
    cookie.clear()
    # The id only: the confirmation reads the rest from the database, so no
    # answer of the family's is ever in a cookie.
    cookie["done"] = {"referral": referral.id, "team": destination.team.id,
                      "outside": destination.outside_area}
    deliver_soon(referral.messages)
    return redirect(url_for(".done"))


@bp.get("/done")
def done():
    # Shown once: on a shared phone the next person must not find it.
    finished = cookie.pop("done", None)
    referral = sent(read_only(db()), finished.get("referral")) if finished else None
    if referral is None:
        return redirect(url_for(".start"))
    team = snapshot().localities.team(finished["team"])
    return render_in_kept_layout("referrals/done.html", referral=referral,
                                 reference=referral.reference, team=team,
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
