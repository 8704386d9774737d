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

from .. import clock
from ..audit.log import record
from ..content import repository
from ..content.sections import BY_KEY as SECTIONS
from ..content.web import snapshot, store
from ..db.engine import db
from . import blanks, diffs, editing, files
from .corner import editors_only
from .edit_form import EditForm, NewPageForm

bp = Blueprint("workspace", __name__, url_prefix="/content")
bp.before_request(editors_only)


def _root():
    return current_app.config["CONTENT_DIR"]


def _shared():
    """(repository, instance folder) when servers share a content repository."""
    config = current_app.config
    return (config["CONTENT_REPO"], config["INSTANCE_DIR"]) if config["CONTENT_REPO"] else None


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
    return _workspace(rel, url_for(".edit", rel=rel))


@bp.route("/translate/<language>/<section>/<page_id>", methods=["GET", "POST"])
def translate(language, section, page_id):
    """A translation edited beside its English page; saving sets ``translated``.
    (Not ``lang``: that name is the public pages' language, taken by i18n.)"""
    content = snapshot()
    if language == content.default_language or language not in content.site.languages:
        abort(404)
    english_rel = f"{content.default_language}/{section}/{page_id}.md"
    english_text, _ = files.read(_path(english_rel))
    english = (content.pages.get((content.default_language, section, page_id))
               or content.drafts.get((content.default_language, section, page_id)))
    if english_text is None:
        abort(404)
    today = clock.today()
    return _workspace(
        f"{language}/{section}/{page_id}.md",
        url_for(".translate", language=language, section=section, page_id=page_id),
        starting=blanks.new_translation(english_text, today),
        stamp=lambda text: blanks.stamp_translated(text, today),
        beside=(english_rel, english, english_text),
    )


@bp.route("/new/<section>", methods=["GET", "POST"])
def new(section):
    """A new page in ``section``, from the section's blank."""
    if section not in SECTIONS:
        abort(404)
    form = NewPageForm()
    view = {"section": section, "url": url_for(".new", section=section)}
    if not form.is_submitted():
        form.text.data = blanks.new_page(section, clock.today(), snapshot())
        form.base.data = files.MISSING
        page, problems = editing.check(store().loader, _new_rel(section, "new"), form.text.data)
        return _form(None, form, page, problems, **view)
    if not form.validate():
        return _form(None, form, None, (), status=400, **view)
    rel = _new_rel(section, form.page_id.data)
    if request.form.get("action") == "preview":
        page, problems = editing.check(store().loader, rel, form.text.data)
        return _form(None, form, page, problems, **view)
    outcome = _save(rel, form.text.data, files.MISSING, form.message.data or f"New page {rel}",
                    new=True)
    return _after_save(rel, form, outcome, "new content file", **view)


def _new_rel(section, page_id):
    return f"{snapshot().default_language}/{section}/{page_id}.md"


def _workspace(rel, url, starting=None, stamp=None, beside=None):
    """Open, check and save one file: the edit form's GET and POST.

    ``starting`` is the text for a file not there yet (else a 404), ``stamp``
    changes the text before it is saved, ``beside`` is (path, page, text)
    of the page shown beside the form.
    """
    path = _path(rel)
    form = EditForm()
    view = {"url": url, "beside": beside}
    if not form.is_submitted():
        text, version = files.read(path)
        if text is None:
            if starting is None:
                abort(404)
            text = starting
        form.text.data, form.base.data = text, version
        page, problems = editing.check(store().loader, rel, text)
        _audit("open content file", rel)
        return _form(rel, form, page, problems, **view)
    if not form.validate():
        return _form(rel, form, None, (), status=400, **view)
    if stamp:
        form.text.data = stamp(form.text.data)
    if request.form.get("action") == "preview":
        page, problems = editing.check(store().loader, rel, form.text.data)
        return _form(rel, form, page, problems, **view)
    outcome = _save(rel, form.text.data, form.base.data, form.message.data or "")
    return _after_save(rel, form, outcome, "edit content file", redirect_to=url, **view)


def _save(rel, text, base, message, new=False):
    """Save as the signed-in editor, shared with the other servers if they are."""
    return editing.save(_root(), store().loader, rel, text, base, editing.author_of(current_user),
                        message, new=new, shared=_shared())


def _after_save(rel, form, outcome, action, redirect_to=None, **view):
    """Redirect after a save; otherwise show the form again with what was typed."""
    if outcome.saved:
        _audit(action, f"{rel} {outcome.commit[:12]}")
        store().reload()  # live on this server now, not at the next poll
        flash(f"Saved as change {outcome.commit[:12]}: the website shows it now.", "saved")
        return redirect(redirect_to or url_for(".edit", rel=rel))
    if outcome.unchanged:
        flash("Nothing to save: the file is the same as before.", "saved")
        return redirect(redirect_to or url_for(".edit", rel=rel))
    if outcome.conflict is not None:
        form.base.data = outcome.version  # saving again replaces theirs, knowingly
        return _form(rel, form, outcome.page, outcome.problems, conflict=outcome.conflict,
                     status=409, **view)
    return _form(rel, form, outcome.page, outcome.problems, refused=outcome.refused,
                 status=400, **view)


def _form(rel, form, page, problems, conflict=None, refused=None, status=200, **view):
    errors = [problem for problem in problems if problem.is_error]
    failed = bool(errors or refused or form.errors) and status != 200
    content = snapshot()
    return render_template(
        "editors/edit.html", rel=rel, form=form, page=page, problems=problems, errors=errors,
        conflict=conflict, changes=diffs.between(conflict, form.text.data) if conflict else None,
        refused=refused, failed=failed, saved=get_flashed_messages(category_filter=["saved"]),
        translations=_translation_links(content, rel), default_language=content.default_language,
        **{"url": None, "beside": None, "section": None, **view},
    ), status


def _translation_links(content, rel):
    """(language, address) for translating an English page's file, else []."""
    parts = (rel or "").split("/")
    if len(parts) != 3 or parts[0] != content.default_language or not parts[2].endswith(".md"):
        return []
    return [(lang, url_for(".translate", language=lang, section=parts[1], page_id=parts[2][:-3]))
            for lang in content.site.languages if lang != content.default_language]


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
    outcome = _save(rel, text, now,
                    f"Restore {rel} to the version of {commit.short} ({commit.message})")
    form = EditForm(formdata=None, text=text, base=outcome.version, message="")
    return _after_save(rel, form, outcome, "restore content file",
                       url=url_for(".edit", rel=rel))


def _commit(rel, sha):
    """The commit ``sha`` from this file's history, or a 404."""
    if not repository.is_repository(_root()) or not repository.is_commit(_root(), sha):
        abort(404)
    found = next((c for c in repository.history(_root(), rel, limit=1000) if c.sha == sha), None)
    if found is None:
        abort(404)
    return found
