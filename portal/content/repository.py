"""The content folder's git repository, through the ``git`` command.

Why the command and not a library: ``flask content sync`` already runs git
(fetch, merge --ff-only, archive), every server has it (deploy/README.md),
and an editor's commit must be an ordinary commit that sync, ``git log`` and
any other clone read the same way. One small wrapper, tested, so there is
one way of running git in the code: fixed argument lists (never a shell),
no prompts, a time limit, and the line of git's complaint that says why
in the error.
"""

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 120  # seconds: a fetch from a slow remote, at most
# user:password@ in a repository's address, as git may repeat it.
CREDENTIALS = re.compile(r"://[^/@\s]+@")
# Fields of one commit in ``git log``, split by a character no message has.
LOG_FORMAT = "%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e"


class GitError(RuntimeError):
    """git failed, or the folder is not a repository."""


def git(folder, *args, env=None, check=True, strip=True):
    """Run ``git -C folder args...``; return its output, stripped.

    ``env`` adds variables (an author's name and e-mail); with ``check``
    false a failure returns None instead of raising; ``strip`` false keeps
    a file's text exactly.
    """
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=TIMEOUT,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
    )
    if done.returncode:
        if not check:
            return None
        said = CREDENTIALS.sub("://", _cause(done))  # never a password in the log or /healthz
        raise GitError(f"git {args[0]} failed: {said}")
    return done.stdout.strip() if strip else done.stdout


def _cause(done):
    """Return the line of git's complaint that says why: its first fatal or
    error line (the later ones, such as "Please make sure you have the correct
    access rights", are the same for every cause), else its last line."""
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal: ", "error: ")):
            return line.split(": ", 1)[1]
    return lines[-1] if lines else f"exit {done.returncode}"


def ok(folder, *args):
    """Whether a git command succeeds (a yes-or-no question to git)."""
    return git(folder, *args, check=False) is not None


def is_repository(folder):
    """Whether ``folder`` is the top of its own git repository (not a folder
    inside another project's), so commits there are the content's history."""
    return Path(folder, ".git").exists()


@dataclass(frozen=True)
class Author:
    name: str
    email: str


@dataclass(frozen=True)
class Commit:
    sha: str
    name: str
    email: str
    at: str  # ISO 8601, with the author's offset
    message: str

    @property
    def short(self):
        return self.sha[:12]


def commit_file(folder, rel, author, message):
    """Commit one file's change (or its creation) by ``author``; return the commit.

    The committer is the website, so history says who changed the page and
    that it was done through the site.
    """
    git(folder, "add", "--", rel)
    env = {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email,
           "GIT_COMMITTER_NAME": "Family Front Door", "GIT_COMMITTER_EMAIL": author.email}
    git(folder, "commit", "--quiet", "--no-verify", "-m", message, "--", rel, env=env)
    return git(folder, "rev-parse", "HEAD")


def history(folder, rel, limit=50):
    """Return the commits that changed ``rel``, newest first."""
    out = git(folder, "log", f"--max-count={limit}", f"--format={LOG_FORMAT}", "--", rel)
    commits = []
    for record in out.split("\x1e"):
        record = record.strip()
        if record:
            commits.append(Commit(*record.split("\x1f")))
    return commits


def file_at(folder, sha, rel):
    """Return the text of ``rel`` as it was in commit ``sha`` (None if absent)."""
    if not is_commit(folder, sha):
        return None
    return git(folder, "show", f"{sha}:{rel}", check=False, strip=False)


def is_commit(folder, sha):
    """Whether ``sha`` is a full commit id in this repository."""
    return (len(sha) == 40 and all(c in "0123456789abcdef" for c in sha)
            and ok(folder, "cat-file", "-e", f"{sha}^{{commit}}"))


def changed_in(folder, sha, rel):
    """Return (before, after): the file's text before and in commit ``sha``."""
    parent = git(folder, "rev-parse", "--verify", "--quiet", f"{sha}^", check=False)
    before = git(folder, "show", f"{parent}:{rel}", check=False, strip=False) if parent else None
    return before, file_at(folder, sha, rel)


def publish(folder, repo):
    """Push the folder's HEAD to the branch ``repo`` serves as its HEAD (the
    one every server's ``content sync`` follows)."""
    said = git(folder, "ls-remote", "--symref", str(repo), "HEAD")
    branch = next((line.split()[1] for line in said.splitlines() if line.startswith("ref: ")),
                  None)
    if branch is None:
        raise GitError(f"git ls-remote failed: {repo} has no HEAD branch")
    git(folder, "push", "--quiet", str(repo), f"HEAD:{branch}")


def take_back(folder, rel):
    """Undo the last commit (ours, not yet shared) for ``rel`` only: the
    branch and the file's index entry go back; the working tree is left to
    the caller, so nobody else's unsaved work in the folder is touched."""
    git(folder, "reset", "--quiet", "--soft", "HEAD~1")
    git(folder, "reset", "--quiet", "HEAD", "--", rel)
