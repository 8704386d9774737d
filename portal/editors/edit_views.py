"""The editors' workspace pages: edit a content file, with preview and problems.

HTTP only: each view checks the path (``files.editable``), calls
``editing``, and renders or redirects. Every view and change is audited.
Registered under /staff, so sign-in, idle expiry and no-store apply.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..audit.log import record
from ..content import repository
from ..content.web import store
from ..db.engine import db
from . import diffs, editing, files
from .corner import editors_only
from .edit_form import EditForm

bp = Blueprint("workspace", __name__, url_prefix="/content")
bp.before_request(editors_only)


def _root():
    return current_app.config["CONTENT_DIR"]


def _path(rel):
    """The checked file for ``rel``, or a 404 that names nothing."""
    try:
        return files.editable(_root(), rel)
    except files.NotEditable:
        abort(404)


def _audit(action, detail):
    session = db()
    record(session, action, detail=detail[:200])
    session.commit()


@bp.route("/edit/<path:rel>", methods=["GET", "POST"])
def edit(rel):
    path = _path(rel)
    form = EditForm()
    if not form.is_submitted():
        text, version = files.read(path)
        if text is None:
            abort(404)
        form.text.data, form.base.data = text, version
        page, problems = editing.check(store().loader, rel, text)
        _audit("open content file", rel)
        return _form(rel, form, page, problems)
    if not form.validate():
        return _form(rel, form, None, (), status=400)
    if request.form.get("action") == "preview":
        page, problems = editing.check(store().loader, rel, form.text.data)
        return _form(rel, form, page, problems)
    outcome = editing.save(_root(), store().loader, rel, form.text.data, form.base.data,
                           editing.author_of(current_user), form.message.data or "")
    return _after_save(rel, form, outcome, "edit content file")


def _after_save(rel, form, outcome, action):
    """Redirect after a save; otherwise show the form again with what was typed."""
    if outcome.saved:
        _audit(action, f"{rel} {outcome.commit[:12]}")
        store().reload()  # live on this server now, not at the next poll
        flash(f"Saved. Families see the change now (commit {outcome.commit[:12]}).", "saved")
        return redirect(url_for(".edit", rel=rel))
    if outcome.unchanged:
        flash("Nothing to save: the file is the same as before.", "saved")
        return redirect(url_for(".edit", rel=rel))
    if outcome.conflict is not None:
        form.base.data = outcome.version  # saving again replaces theirs, knowingly
        return _form(rel, form, outcome.page, outcome.problems, conflict=outcome.conflict,
                     status=409)
    return _form(rel, form, outcome.page, outcome.problems, refused=outcome.refused, status=400)


def _form(rel, form, page, problems, conflict=None, refused=None, status=200):
    errors = [problem for problem in problems if problem.is_error]
    failed = bool(errors or refused or form.errors) and status != 200
    return render_template(
        "editors/edit.html", rel=rel, form=form, page=page, problems=problems, errors=errors,
        conflict=conflict, changes=diffs.between(conflict, form.text.data) if conflict else None,
        refused=refused, failed=failed,
        saved=get_flashed_messages(category_filter=["saved"]),
    ), status


@bp.get("/history/<path:rel>")
def history(rel):
    _path(rel)
    commits = repository.history(_root(), rel) if repository.is_repository(_root()) else []
    _audit("view content history", rel)
    return render_template("editors/history.html", rel=rel, commits=commits)


@bp.get("/change/<sha>/<path:rel>")
def change(rel, sha):
    _path(rel)
    commit = _commit(rel, sha)
    before, after = repository.changed_in(_root(), sha, rel)
    _audit("view content change", f"{rel} {sha[:12]}")
    return render_template("editors/change.html", rel=rel, commit=commit,
                           changes=diffs.between(before, after), restorable=after is not None)


@bp.post("/restore/<sha>/<path:rel>")
def restore(rel, sha):
    path = _path(rel)
    commit = _commit(rel, sha)
    text = repository.file_at(_root(), sha, rel)
    if text is None:
        abort(404)
    _, now = files.read(path)
    outcome = editing.save(_root(), store().loader, rel, text, now,
                           editing.author_of(current_user),
                           f"Restore {rel} to the version of {commit.short} ({commit.message})")
    form = EditForm(formdata=None, text=text, base=outcome.version, message="")
    return _after_save(rel, form, outcome, "restore content file")


def _commit(rel, sha):
    """The commit ``sha`` from this file's history, or a 404."""
    if not repository.is_repository(_root()) or not repository.is_commit(_root(), sha):
        abort(404)
    found = next((c for c in repository.history(_root(), rel, limit=1000) if c.sha == sha), None)
    if found is None:
        abort(404)
    return found
