"""The workspace's file rules, atomic writes and the git wrapper, without a request."""

import os
import subprocess

import pytest

from portal.content import repository
from portal.editors import files


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "content"
    (folder / "en/groups").mkdir(parents=True)
    (folder / "en/groups/play.md").write_text("---\ntitle: Play\n---\n")
    (folder / "site.yml").write_text("name: x\n")
    return folder


@pytest.mark.parametrize("rel", ["en/groups/play.md", "pl/groups/play.md", "en/hubs/new-hub.md",
                                 "site.yml", "localities.yml", "synonyms.yml"])
def test_pages_and_the_three_settings_files_are_editable(root, rel):
    assert files.editable(root, rel) == root.resolve() / rel


@pytest.mark.parametrize("rel", ["", "/etc/passwd", "../x.md", "en/../site.yml", "en/groups/../play.md",
                                 "en/groups/play.txt", "en/groups/Play.md", "en/groups/.play.md",
                                 ".git/config", "README.md", "other.yml", "en/nowhere/play.md",
                                 "en/groups/play.md\x00", "en\\groups\\play.md", "en//groups/play.md",
                                 "EN/groups/play.md", "en/groups/sub/play.md"])
def test_anything_else_is_refused(root, rel):
    with pytest.raises(files.NotEditable):
        files.editable(root, rel)


def test_a_symlink_out_of_the_folder_is_refused_and_one_inside_is_not(root, tmp_path):
    (tmp_path / "elsewhere.md").write_text("secret")
    (root / "en/groups/out.md").symlink_to(tmp_path / "elsewhere.md")
    (root / "fr").symlink_to(tmp_path, target_is_directory=True)
    for rel in ("en/groups/out.md", "fr/groups/x.md"):
        with pytest.raises(files.NotEditable):
            files.editable(root, rel)
    (root / "en/groups/same.md").symlink_to(root / "en/groups/play.md")
    assert files.editable(root, "en/groups/same.md")


def test_an_atomic_write_leaves_the_old_file_whole_when_it_fails(root, monkeypatch):
    path = root / "en/groups/play.md"

    def fail(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        files.write_atomic(path, "---\ntitle: New\n---\n")
    assert path.read_text() == "---\ntitle: Play\n---\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["play.md"]  # no temporary file left


def test_an_atomic_write_replaces_the_file_whole_keeping_its_permissions(root):
    path = root / "en/groups/play.md"
    path.chmod(0o664)
    files.write_atomic(path, "---\ntitle: New\n---\n")
    assert path.read_text() == "---\ntitle: New\n---\n"
    assert path.stat().st_mode & 0o777 == 0o664
    files.write_atomic(root / "en/groups/new.md", "x\n")
    assert (root / "en/groups/new.md").stat().st_mode & 0o777 == 0o644
    assert files.read(path)[1] == files.version(b"---\ntitle: New\n---\n")
    assert files.read(root / "en/groups/none.md") == (None, files.MISSING)


def test_text_from_a_browser_is_tidied():
    assert files.tidy("a\r\nb\r\n\r\n") == "a\nb\n"


def test_the_git_wrapper_commits_as_the_author_and_reads_history(root):
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    assert repository.is_repository(root)
    first = repository.commit_file(root, "en/groups/play.md",
                                   repository.Author("sam", "sam@example.org"), "First")
    (root / "en/groups/play.md").write_text("---\ntitle: Played\n---\n")
    second = repository.commit_file(root, "en/groups/play.md",
                                    repository.Author("alex", "alex@example.org"), "Second")
    log = repository.history(root, "en/groups/play.md")
    assert [(c.sha, c.name, c.email, c.message) for c in log] == [
        (second, "alex", "alex@example.org", "Second"), (first, "sam", "sam@example.org", "First")]
    assert repository.changed_in(root, second, "en/groups/play.md") == (
        "---\ntitle: Play\n---\n", "---\ntitle: Played\n---\n")
    assert repository.changed_in(root, first, "en/groups/play.md")[0] is None
    assert repository.file_at(root, "0" * 40, "en/groups/play.md") is None
    assert repository.file_at(root, "HEAD", "en/groups/play.md") is None  # only full ids
    with pytest.raises(repository.GitError, match="git log failed"):
        repository.git(root, "log", "--no-such-option")
