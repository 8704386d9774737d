"""Save an editor's version of a content file: check, write, commit.

No request here: a test calls ``save`` with a folder, a loader and text.
Saving refuses a version with errors (the caller keeps what was typed),
notices a file changed since the form was opened (a conflict: both
versions go back to the editor), writes atomically and commits with the
editor as author. One save at a time per content folder (a file lock), so
two editors on one server cannot interleave.
"""

import fcntl
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..content import repository
from ..content.sync import SyncError, sync
from . import files

MAX_CHARACTERS = 60_000  # a page is a few thousand; the form post is capped at 64 KiB


@dataclass(frozen=True)
class Outcome:
    """What became of a save."""

    saved: bool = False
    commit: str | None = None
    page: object = None  # the page as families will get it (the preview)
    problems: tuple = ()
    conflict: str | None = None  # the file's text now, when it changed meanwhile
    version: str = files.MISSING  # the version the next save is made against
    refused: str | None = None  # why nothing could be checked or saved at all
    unchanged: bool = False


def author_of(user):
    """The git author for a staff account: its e-mail, and the name before the @."""
    return repository.Author(name=user.email.split("@")[0], email=user.email)


@contextmanager
def one_at_a_time(root):
    """Hold the content folder's edit lock (shared by every worker on a server)."""
    with open(Path(root, ".git", "portal-edit.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def check(loader, rel, text):
    """Return (page, problems) for ``text`` as the file ``rel``; nothing written."""
    return loader.trial(rel, files.tidy(text))


def save(root, loader, rel, text, base, author, message, new=False, shared=None):
    """Save ``text`` as ``rel`` if it has no errors and the file is still at
    version ``base`` (``files.MISSING`` for a new file); return an Outcome.

    ``shared`` is (the content repository, the instance folder) when several
    servers follow one repository: the folder is first brought up to the
    repository's newest good commit (``content sync``), and the new commit
    is pushed there, or taken back if it cannot be, so no server's history
    ever parts from the others'.
    """
    path = files.editable(root, rel)
    if not repository.is_repository(root):
        return Outcome(refused="the content folder has no history (it is not a git "
                               "repository), so it cannot be changed from the website")
    if len(text) > MAX_CHARACTERS:
        return Outcome(refused=f"the text is longer than {MAX_CHARACTERS:,} characters")
    text = files.tidy(text)
    page, problems = loader.trial(rel, text)
    if any(problem.is_error for problem in problems):
        return Outcome(page=page, problems=tuple(problems), version=base)
    with one_at_a_time(root):
        if shared:
            try:
                sync(root, *shared)
            except SyncError as exc:
                return Outcome(page=page, problems=tuple(problems), version=base,
                               refused=f"the content could not be brought up to date first ({exc})")
        current, version = files.read(path)
        if new and current is not None:
            return Outcome(refused="a file with that name already exists")
        if version != base:
            return Outcome(page=page, problems=tuple(problems), conflict=current,
                           version=version)
        if current == text:
            return Outcome(page=page, problems=tuple(problems), version=version, unchanged=True)
        files.write_atomic(path, text)
        try:
            commit = repository.commit_file(root, rel, author, message.strip()
                                            or f"Edit {rel}")
        except repository.GitError:
            _put_back(path, current)  # no change without history
            raise
        if shared:
            try:
                repository.publish(root, shared[0])
            except repository.GitError as exc:
                repository.take_back(root, rel)
                _put_back(path, current)
                return Outcome(page=page, problems=tuple(problems), version=base,
                               refused="the change could not be shared with the other "
                                       f"servers ({exc}), so nothing was saved; save again")
    return Outcome(saved=True, commit=commit, page=page, problems=tuple(problems),
                   version=files.version(text.encode()))


def _put_back(path, text):
    """Return a file to ``text`` (None: it did not exist)."""
    if text is None:
        path.unlink(missing_ok=True)
    else:
        files.write_atomic(path, text)
