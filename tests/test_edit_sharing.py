"""An edit saved on one server reaches the others through the content
repository: brought up to date first, pushed after, taken back if refused."""

import shutil
import subprocess

import pytest

from portal.content.loader import ContentLoader
from portal.content.repository import Author
from portal.content.sync import sync
from portal.editors import editing, files
from tests.conftest import SHIPPED_CONTENT

PAGE = "en/groups/messy-play-reddish.md"
SAM = Author("sam", "sam@example.org")


def git(folder, *args):
    return subprocess.run(["git", "-C", str(folder), "-c", "user.name=Setup",
                           "-c", "user.email=setup@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def servers(tmp_path):
    """A bare content repository and two servers' clones of it."""
    bare = tmp_path / "content.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    shutil.copytree(SHIPPED_CONTENT, seed)
    git(seed, "init", "--quiet", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "Shipped")
    git(seed, "push", "--quiet", str(bare), "main")
    clones = []
    for name in ("a", "b"):
        git(tmp_path, "clone", "--quiet", str(bare), str(tmp_path / name))
        clones.append(tmp_path / name)
    return bare, *clones


def edit(root, bare, instance, change):
    loader = ContentLoader(root)
    loader.load()
    text, version = files.read(root / PAGE)
    return editing.save(root, loader, PAGE, change(text), version, SAM, "Change",
                        shared=(str(bare), instance))


def test_an_edit_on_one_server_reaches_the_other(servers, tmp_path):
    bare, a, b = servers
    outcome = edit(a, bare, tmp_path / "instance-a", lambda t: t.replace("at Reddish", "in Reddish", 1))
    assert outcome.saved
    assert git(bare, "rev-parse", "main") == outcome.commit
    assert sync(b, str(bare), tmp_path / "instance-b")[0] == "updated"
    assert (b / PAGE).read_text() == (a / PAGE).read_text()
    assert "title: Messy Play in Reddish" in (b / PAGE).read_text()


def test_a_server_behind_the_repository_is_brought_up_to_date_before_saving(servers, tmp_path):
    bare, a, b = servers
    assert edit(b, bare, tmp_path / "instance-b", lambda t: t.replace("at Reddish", "in Reddish", 1)).saved
    outcome = edit(a, bare, tmp_path / "instance-a", lambda t: t.replace("cost: £1", "cost: £2", 1))
    # A read its file before the sync, so the edit made on B is a conflict, not lost.
    assert not outcome.saved and outcome.conflict is not None
    assert "in Reddish" in outcome.conflict
    again = edit(a, bare, tmp_path / "instance-a", lambda t: t.replace("cost: £1", "cost: £2", 1))
    assert again.saved
    text = (a / PAGE).read_text()
    assert "in Reddish" in text and "cost: £2" in text
    assert git(bare, "rev-parse", "main") == again.commit


def test_a_change_the_repository_refuses_is_taken_back(servers, tmp_path):
    bare, a, _ = servers
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'closed for maintenance' >&2\nexit 1\n")
    hook.chmod(0o755)
    before, head = (a / PAGE).read_text(), git(a, "rev-parse", "HEAD")
    outcome = edit(a, bare, tmp_path / "instance-a", lambda t: t.replace("at Reddish", "in Reddish", 1))
    assert not outcome.saved and "could not be shared with the other servers" in outcome.refused
    assert (a / PAGE).read_text() == before
    assert git(a, "rev-parse", "HEAD") == head
    assert git(a, "status", "--porcelain") == ""
