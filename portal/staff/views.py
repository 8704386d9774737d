"""The staff inbox: sign in, the team's referrals, one referral, changes.

A team member reaches only their own team's referrals: every query is
scoped by team, and anything outside it is a 404, so ids are never
confirmed. Every view and change is written to the audit log.
"""

import csv
import datetime
import io
import logging

from flask import (Blueprint, Response, abort, current_app, flash, get_flashed_messages, redirect,
                   render_template, request, session, url_for)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField, PasswordField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..content.web import snapshot
from ..db.base import utcnow
from ..db.engine import session as db_session
from ..editors.corner import bp as editors_corner_bp
from ..extensions import limiter
from ..outbox.delivery import try_now
from ..referrals import safe_contact
from ..referrals.models import Referral
from ..referrals.reference import normalise as normalise_reference
from ..referrals.submit import inbox_url, moved_message
from . import waiting
from .audit import record
from .models import ReferralEvent, StaffUser
from .passwords import check_password

log = logging.getLogger(__name__)
bp = Blueprint("staff", __name__, url_prefix="/staff")
# The editors' corner lives under /staff, so its sign-in, idle expiry and
# no-store are the staff area's.
bp.register_blueprint(editors_corner_bp)
login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = None
MAX_FAILURES = 5
PER_PAGE = 100  # referrals on one page of the inbox
LOCK = datetime.timedelta(minutes=15)
STATUSES = {"received": "New", "with_team": "New", "contacted": "Contacted", "closed": "Closed"}
FILTERS = {"new": ("received", "with_team"), "contacted": ("contacted",), "closed": ("closed",)}
WRONG = "The email address or password is not right, or the account is locked. Try again in 15 minutes, or ask an administrator."


@login_manager.user_loader
def load_user(user_id):
    user = db_session().get(StaffUser, int(user_id))
    return user if user is not None and not user.disabled else None


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[InputRequired("Enter your email address")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=[("with_team", "New"), ("contacted", "Contacted"),
                                            ("closed", "Closed")])


class MoveForm(FlaskForm):
    """An administrator gives a referral to another team."""

    team = SelectField("Move to", validators=[InputRequired("Choose a team")])
    reason = TextAreaField("Why (optional; no personal details)", validators=[
        Length(max=500, message="Write 500 characters or fewer")])

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = [(team.id, team.name) for team in snapshot().localities.teams
                             if team.id != referral.team_id]


class NoteForm(FlaskForm):
    text = TextAreaField("Add a note", validators=[
        InputRequired("Write the note"), Length(max=2000, message="Write 2000 characters or fewer")])


@bp.before_request
def expire_idle_sessions():
    """Sign out after a spell without activity, so a left PC shows nothing."""
    if current_user.is_authenticated:
        seen = session.get("staff_seen")
        now = utcnow().timestamp()
        if seen and now - seen > current_app.config["STAFF_IDLE_MINUTES"] * 60:
            db = db_session()
            record(db, "signed out after inactivity")
            db.commit()
            logout_user()
            session.pop("staff_seen", None)
            return redirect(url_for("staff.login"))
        session["staff_seen"] = now


@bp.after_request
def never_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STAFF_LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        db = db_session()
        user = db.scalar(select(StaffUser).where(StaffUser.email == form.email.data.strip().lower()))
        now = utcnow()
        locked = user is not None and user.locked_until is not None and user.locked_until > now
        good = check_password(user.password_hash if user else None, form.password.data)
        if user is not None and good and not locked and not user.disabled:
            user.failed_logins, user.locked_until = 0, None
            session.clear()  # a fresh session: nothing carried over from before
            login_user(user)
            session["staff_seen"] = now.timestamp()
            record(db, "sign in")
            db.commit()
            return redirect(_home())
        if user is not None:
            user.failed_logins += 1
            locking = user.failed_logins >= MAX_FAILURES
            if locking:
                user.locked_until, user.failed_logins = now + LOCK, 0
            # The account's id, never the address typed: an unknown address
            # may be someone's personal one.
            record(db, "sign in refused", staff_id=user.id,
                   detail="account locked for 15 minutes" if locking else None)
            db.commit()
        log.warning("staff sign-in refused")  # no address, no e-mail: personal data
        failed = True
    return render_template("staff/login.html", form=form, failed=failed, wrong=WRONG), (400 if failed else 200)


def _home():
    return url_for("staff.inbox") if current_user.sees_referrals else url_for("staff.content.corner")


@bp.post("/logout")
@login_required
def logout():
    db = db_session()
    record(db, "sign out")
    db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"))


def _visible():
    """The referrals this person may see: their team's, or all for an admin.
    An editor's account with no team has no referral pages at all."""
    if not current_user.sees_referrals:
        abort(404)
    query = select(Referral)
    if not current_user.is_admin:
        query = query.where(Referral.team_id == current_user.team_id)
    return query


def _referral(reference):
    referral = db_session().scalar(_visible().where(Referral.reference == reference))
    if referral is None:
        abort(404)  # another team's referral looks exactly like no referral
    return referral


@bp.get("/")
@login_required
def inbox():
    if not current_user.sees_referrals:
        return redirect(_home())  # an editor's account: straight to the editors' corner
    db = db_session()
    wanted = request.args.get("reference", "").strip()
    if wanted:
        # A family on the phone reads out their reference: straight to it.
        reference = normalise_reference(wanted)
        if reference and db.scalar(_visible().where(Referral.reference == reference)):
            return redirect(url_for("staff.referral", reference=reference))
    chosen = request.args.get("status")
    team = request.args.get("team") if current_user.is_admin else None
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    localities, now = snapshot().localities, waiting.now()
    query = _visible().order_by(*waiting.overdue_first(localities, now))
    if chosen in FILTERS:
        query = query.where(Referral.status.in_(FILTERS[chosen]))
    if team:
        query = query.where(Referral.team_id == team)
    # One more than a page, to know whether there is an older page.
    referrals = db.scalars(query.offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)).all()
    more = len(referrals) > PER_PAGE
    counting = _visible().where(Referral.team_id == team) if team else _visible()
    counted = dict(db.execute(
        counting.with_only_columns(Referral.status, func.count()).group_by(Referral.status)).all())
    counts = {name: sum(counted.get(s, 0) for s in statuses) for name, statuses in FILTERS.items()}
    record(db, "view inbox", detail=f"filter {chosen or 'all'}, team {team or 'all'}, page {page}"
           if current_user.is_admin else f"filter {chosen or 'all'}, page {page}")
    db.commit()
    teams = {team.id: team.name for team in snapshot().localities.teams}
    referrals = referrals[:PER_PAGE]
    waits = {referral.id: waiting.waiting(referral, localities, now) for referral in referrals}
    return render_template("staff/inbox.html", referrals=referrals, counts=counts, waits=waits,
                           safe=safe_contact.read,
                           chosen=chosen, statuses=STATUSES, teams=teams, page=page,
                           older=more, team=team,
                           not_found=wanted or None)


# A cell a spreadsheet would run as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = ("reference", "created_at", "status", "team_id", "parent_name", "phone", "phone_e164",
                  "email", "contact_ways", "best_times", "postcode", "address", "children", "help_with",
                  "details", "spoken_language", "interpreter")


def spreadsheet_safe(value):
    """Return text a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, list):
        value = "; ".join(
            ", ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item)
            for item in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@bp.get("/export.csv")
@login_required
def export_csv():
    """The team's referrals as CSV (an administrator's: all of them)."""
    db = db_session()
    rows = db.scalars(_visible().order_by(Referral.created_at.desc())).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(getattr(row, column)) for column in EXPORT_COLUMNS])
    record(db, "export csv", detail=f"{len(rows)} referrals")
    db.commit()
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=referrals.csv"})


@bp.get("/referrals/<reference>")
@login_required
def referral(reference):
    db = db_session()
    found = _referral(reference)
    events = db.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == found.id)
                        .order_by(ReferralEvent.at)).all()
    names = {user.id: user.email for user in db.scalars(select(StaffUser))}
    record(db, "view referral", found)
    db.commit()
    return render_template("staff/referral.html", referral=found, events=events, names=names,
                           safe=safe_contact.read(found.contact_ways), note_warning=safe_contact.warnings,
                           note_warnings=get_flashed_messages(category_filter=["note-warning"]),
                           waited=waiting.waiting(found, snapshot().localities, waiting.now()),
                           status_form=StatusForm(status=found.status), note_form=NoteForm(),
                           move_form=MoveForm(referral=found) if current_user.is_admin else None,
                           statuses=STATUSES, team=snapshot().localities.team(found.team_id))


@bp.post("/referrals/<reference>/status")
@login_required
def change_status(reference):
    found = _referral(reference)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    db = db_session()
    if form.status.data != found.status:
        found.status = form.status.data
        db.add(ReferralEvent(referral_id=found.id, staff_id=current_user.id, kind="status",
                             text=STATUSES[form.status.data]))
        record(db, "change status", found, detail=form.status.data)
        db.commit()
    return redirect(url_for("staff.referral", reference=found.reference))


@bp.post("/referrals/<reference>/notes")
@login_required
def add_note(reference):
    found = _referral(reference)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    db = db_session()
    db.add(ReferralEvent(referral_id=found.id, staff_id=current_user.id, kind="note",
                         text=form.text.data.strip()))
    record(db, "add note", found)
    db.commit()
    # Saved (it records what happened), and the writer is told at once.
    for warning in safe_contact.warnings(form.text.data, found.contact_ways):
        flash(warning, "note-warning")
    return redirect(url_for("staff.referral", reference=found.reference))


@bp.post("/referrals/<reference>/team")
@login_required
def move(reference):
    """An administrator gives the referral to another team, which is told by
    e-mail; the team it leaves no longer sees it."""
    found = _referral(reference)
    if not current_user.is_admin:
        abort(403)  # a team's own referral: seen, but only an administrator moves it
    form = MoveForm(referral=found)
    if not form.validate_on_submit():
        abort(400)
    db = db_session()
    team = snapshot().localities.team(form.team.data)
    previous = found.team_id
    found.team_id = team.id
    reason = (form.reason.data or "").strip()
    db.add(ReferralEvent(referral_id=found.id, staff_id=current_user.id, kind="team",
                         text=f"moved from {previous} to {team.id}" + (f": {reason}" if reason else "")))
    message = moved_message(found, team, inbox_url(found.reference), snapshot().default_language)
    db.add(message)
    record(db, "move referral", found, detail=f"{previous} to {team.id}")
    db.commit()
    try_now(message.id)
    return redirect(url_for("staff.referral", reference=found.reference))
