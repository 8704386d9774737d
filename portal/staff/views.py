"""The staff inbox's pages: sign in, the team's referrals, one referral, changes.

HTTP only: each view reads the request, calls the inbox, accounts, actions
or export module, and renders or redirects. A referral outside the
person's team is a 404, so ids are never confirmed.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie
from flask_login import current_user, login_required, login_user, logout_user

from ..clock import utcnow
from ..content.web import snapshot
from ..db.engine import db
from ..editors import preview
from ..editors.corner import bp as editors_corner_bp
from ..editors.edit_views import bp as editors_workspace_bp
from ..extensions import limiter
from ..outbox.delivery import deliver_soon
from ..referrals import safe_contact
from . import actions, waiting
from . import inbox as inboxes
from .accounts import (
    SEEN,
    SINCE,
    WRONG,
    begin_session,
    every_account,
    idle_too_long,
    sign_in,
    signed_out,
    signed_out_everywhere,
    too_old,
)
from .export import export_csv as csv_of
from .forms import EmptyForm, LoginForm, MoveForm, NoteForm, StatusChangeForm
from .inbox import LABELS
from .models import StaffUser

bp = Blueprint("staff", __name__, url_prefix="/staff")
# The editors' corner lives under /staff, so its sign-in, idle expiry and
# no-store are the staff area's.
bp.register_blueprint(editors_corner_bp)
bp.register_blueprint(editors_workspace_bp)


@bp.before_request
def expire_sessions():
    """Sign out after a spell without activity, so a left PC shows nothing,
    and a fixed time after signing in, however busy the session was."""
    if current_user.is_authenticated:
        config = current_app.config
        if idle_too_long(cookie.get(SEEN), config["STAFF_IDLE_MINUTES"]):
            return _expired("signed out after inactivity")
        if too_old(cookie.get(SINCE), config["STAFF_SESSION_HOURS"]):
            return _expired("signed out at the session's time limit")
        cookie[SEEN] = utcnow().timestamp()
    return None


def _expired(action):
    signed_out(db(), current_user, action)
    logout_user()
    cookie.clear()
    return preview.unmark(redirect(url_for("staff.login")))


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
        result = sign_in(db(), form.email.data, form.password.data)
        if result.user is not None:
            cookie.clear()  # a fresh session: nothing carried over from before
            login_user(result.user)
            begin_session(result.user, result.at)
            return preview.mark(redirect(_home()), result.user)
        failed = True
    return render_template("staff/login.html", form=form, failed=failed, wrong=WRONG), (400 if failed else 200)


def _home():
    return url_for("staff.inbox") if current_user.sees_referrals else url_for("staff.content.corner")


@bp.post("/logout")
@login_required
def logout():
    # Every session of the account ends, so a copy of this cookie is no use.
    signed_out_everywhere(db(), current_user, "sign out")
    logout_user()
    cookie.clear()
    return preview.unmark(redirect(url_for("staff.login")))


def _referral(reference):
    found = inboxes.find(db(), current_user, reference)
    if found is None:
        abort(404)  # another team's referral looks exactly like no referral
    return found


@bp.get("/")
@login_required
def inbox():
    if not current_user.sees_referrals:
        return redirect(_home())  # an editor's account: straight to the editors' corner
    database = db()
    wanted = request.args.get("reference", "").strip()
    if wanted:
        # A family on the phone reads out their reference: straight to it.
        found = inboxes.find_typed(database, current_user, wanted)
        if found is not None:
            return redirect(url_for("staff.referral", reference=found.reference))
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= inboxes.MAX_PAGE:
        abort(404)
    localities = snapshot().localities
    listing = inboxes.inbox_page(database, current_user, localities, utcnow(),
                                 request.args.get("status"), request.args.get("team"), page)
    teams = {each.id: each.name for each in localities.teams}
    return render_template("staff/inbox.html", referrals=listing.referrals, counts=listing.counts,
                           waits=listing.waits, safe=safe_contact.read,
                           chosen=listing.chosen, statuses=LABELS, teams=teams, page=page,
                           older=listing.older, team=listing.team, not_found=wanted or None)


@bp.get("/export.csv")
@login_required
def export_csv():
    """The team's referrals as CSV (an administrator's: all of them)."""
    text = csv_of(db(), current_user)
    if text is None:
        abort(404)  # an editor's account with no team has no referral pages
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=referrals.csv"})


def _move_form(found):
    return MoveForm(teams=snapshot().localities.teams, referral=found)


@bp.get("/referrals/<reference>")
@login_required
def referral(reference):
    found = _referral(reference)
    past = actions.history(db(), current_user, found)
    localities = snapshot().localities
    return render_template("staff/referral.html", referral=found, events=past.events, names=past.names,
                           safe=safe_contact.read(found.contact_ways), note_warning=safe_contact.warnings,
                           note_warnings=get_flashed_messages(category_filter=["note-warning"]),
                           waited=waiting.waiting(found, localities, utcnow()),
                           status_form=StatusChangeForm(status=found.status), note_form=NoteForm(),
                           move_form=_move_form(found) if actions.may_move(current_user) else None,
                           statuses=LABELS, team=localities.team(found.team_id))


@bp.post("/referrals/<reference>/status")
@login_required
def change_status(reference):
    found = _referral(reference)
    form = StatusChangeForm()
    if not form.validate_on_submit():
        abort(400)
    actions.change_status(db(), current_user, found, form.status.data)
    return redirect(url_for("staff.referral", reference=found.reference))


@bp.post("/referrals/<reference>/notes")
@login_required
def add_note(reference):
    found = _referral(reference)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    # Saved (it records what happened), and the writer is told at once.
    for warning in actions.add_note(db(), current_user, found, form.text.data):
        flash(warning, "note-warning")
    return redirect(url_for("staff.referral", reference=found.reference))


@bp.post("/referrals/<reference>/team")
@login_required
def move(reference):
    """An administrator gives the referral to another team, which is told by e-mail."""
    found = _referral(reference)
    if not actions.may_move(current_user):
        abort(403)  # a team's own referral: seen, but only an administrator moves it
    form = _move_form(found)
    if not form.validate_on_submit():
        abort(400)
    content = snapshot()
    message = actions.move(db(), current_user, found, content.localities.team(form.team.data),
                           form.reason.data, content.default_language)
    deliver_soon([message])
    return redirect(url_for("staff.referral", reference=found.reference))


def _administrators_only():
    if not current_user.is_admin:
        abort(403)


@bp.get("/accounts")
@login_required
def account_list():
    """An administrator's list of accounts, each with "Sign out everywhere"."""
    _administrators_only()
    return render_template("staff/accounts.html", accounts=every_account(db()), now=utcnow(),
                           teams={each.id: each.name for each in snapshot().localities.teams})


@bp.post("/accounts/<id:account_id>/sign-out")
@login_required
def sign_out_everywhere(account_id):
    """End every session of an account (a lost phone, a stolen cookie)."""
    _administrators_only()
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = db().get(StaffUser, account_id)
    if user is None:
        abort(404)
    signed_out_everywhere(db(), user, "signed out everywhere", detail=f"account {user.id}")
    flash(f"{user.email} is signed out everywhere.", "accounts")
    return redirect(url_for("staff.account_list"))
