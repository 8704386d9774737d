"""Follow the content repository: fetch, check, fast-forward (``content sync``).

Every server runs this from a timer, so all converge on the same commit. A
commit whose ``content check`` has errors is refused: the folder stays on
the last good commit, and the refusal is logged and kept in the instance
folder for /healthz until a good commit arrives.
"""

import datetime
import json
import logging
import os
import tempfile
from pathlib import Path

from .loader import ContentConfigError, ContentLoader
from .repository import GitError, git, ok

log = logging.getLogger(__name__)
STATE_FILE = "content-sync.json"
# A refusal names this many problems (path:line: message) at most.
PROBLEMS_SHOWN = 5


class SyncError(RuntimeError):
    """The content folder cannot follow the repository (git failed, or the
    folder is not a clone, or the repository's history was rewritten)."""


def _git(folder, *args, env=None):
    try:
        return git(folder, *args, env=env)
    except GitError as exc:
        raise SyncError(str(exc)) from None


def sync(content_dir, repo, instance_dir):
    """Bring ``content_dir`` to the repository's newest good commit.

    A failure (git, or a folder that cannot follow) is kept for /healthz, as
    a refusal is, and raised.
    Return ("unchanged" | "updated" | "refused", the commit now on, problems).
    """
    content_dir = Path(content_dir)
    try:
        if not (content_dir / ".git").exists():
            raise SyncError(f"{content_dir} is not a git repository: clone PORTAL_CONTENT_REPO "
                            "there first (deploy/README.md)")
        return _follow(content_dir, repo, instance_dir)
    except SyncError as exc:
        log.error("content sync: %s", exc)
        _record(instance_dir, head_commit(content_dir), None, [], error=str(exc))
        raise


def _follow(content_dir, repo, instance_dir):
    head = _git(content_dir, "rev-parse", "HEAD^{commit}")
    _git(content_dir, "fetch", "--quiet", "--no-tags", str(repo), "HEAD")
    target = _git(content_dir, "rev-parse", "FETCH_HEAD^{commit}")
    if target == head:
        _record(instance_dir, head, None, [])
        return "unchanged", head, []
    if ok(content_dir, "merge-base", "--is-ancestor", target, head):
        _record(instance_dir, head, None, [])  # the repository is behind us: keep ours
        return "unchanged", head, []
    if not ok(content_dir, "merge-base", "--is-ancestor", head, target):
        raise SyncError(f"the repository's {target[:12]} does not follow this folder's "
                        f"{head[:12]} (history rewritten?): not a fast-forward")
    problems = check_commit(content_dir, target)
    if problems:
        for line in problems:
            log.error("content sync: refused %s: %s", target[:12], line)
        _record(instance_dir, head, target, problems)
        return "refused", head, problems
    _git(content_dir, "merge", "--ff-only", "--quiet", target)
    log.info("content sync: now on %s", target[:12])
    _record(instance_dir, target, None, [])
    return "updated", target, []


# git's modes for entries that are not ordinary files: a symbolic link, and
# a submodule (another repository's commit).
NOT_FILES = {"120000": "a symbolic link", "160000": "a submodule"}


def check_commit(content_dir, commit):
    """Return the errors ``content check`` finds in ``commit`` (path:line: message).

    An entry that is not an ordinary file is an error of its own: a link
    could make any file on the server read as content, and served.
    """
    listing = _git(content_dir, "ls-tree", "-r", "--full-tree", "-z", commit)
    odd = [(entry.split(" ", 1)[0], entry.split("\t", 1)[1])
           for entry in listing.split("\0") if entry]
    refused = [f"{path}:1: {NOT_FILES[mode]}: content must be ordinary files"
               for mode, path in odd if mode in NOT_FILES]
    if refused:
        return refused
    with tempfile.TemporaryDirectory(prefix="content-check-") as scratch:
        tree = Path(scratch, "tree")
        # The commit's files, written as a checkout would write them, through an
        # index of our own: the folder's index and files stay as they are. (Not
        # tarfile's filter="data": Debian 12's Python 3.11.2 predates it.)
        index = {"GIT_INDEX_FILE": str(Path(scratch, "index"))}
        _git(content_dir, "read-tree", commit, env=index)
        _git(content_dir, "checkout-index", "--all", f"--prefix={tree}/", env=index)
        try:
            snapshot = ContentLoader(tree).load()
        except ContentConfigError as exc:
            return [str(exc)]
        return [str(problem).replace(f"{tree}/", "") for problem in snapshot.errors]


def _record(instance_dir, commit, refused, problems, error=None):
    """Keep the outcome for /healthz (written whole, then moved into place)."""
    state = {"commit": commit, "refused": refused, "problems": problems[:PROBLEMS_SHOWN],
             "error": error,
             "checked_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    instance_dir = Path(instance_dir)
    instance_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=instance_dir, prefix=".content-sync-")
    with os.fdopen(fd, "w") as out:
        json.dump(state, out)
    os.replace(tmp, instance_dir / STATE_FILE)


def status(content_dir, instance_dir):
    """The commit the content folder is on and the last refusal, for /healthz."""
    found = {"commit": head_commit(content_dir)}
    try:
        state = json.loads(Path(instance_dir, STATE_FILE).read_text())
    except (OSError, ValueError):
        return found
    found["sync"] = {"checked_at": state.get("checked_at"), "refused": state.get("refused"),
                     "problems": state.get("problems", []),
                     "error": state.get("error")}
    return found


def head_commit(folder):
    """The commit a git folder is on, read from its files (no process per request)."""
    git = Path(folder, ".git")
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        try:
            return (git / ref).read_text().strip()
        except FileNotFoundError:
            for line in (git / "packed-refs").read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split()[0]
    except OSError:
        pass
    return None
