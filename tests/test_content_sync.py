"""``flask content sync``: the content folder follows a git repository,
refusing a commit whose check has errors; /healthz says which commit."""

import shutil
import subprocess

import pytest

from portal import create_app
from portal.config import TestConfig as Settings
from tests.conftest import SHIPPED_CONTENT

PAGE = "en/health-visiting/vitamins-and-immunisations.md"
BROKEN = "en/health-visiting/broken-page.md"
GIT_ID = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]


def git(folder, *args):
    return subprocess.run(["git", "-C", str(folder), *GIT_ID, *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def commit_all(folder, message):
    git(folder, "add", "-A")
    git(folder, "commit", "--quiet", "-m", message)
    return git(folder, "rev-parse", "HEAD")


@pytest.fixture
def upstream(tmp_path):
    """The editors' repository: the shipped content, one commit."""
    repo = tmp_path / "upstream"
    shutil.copytree(SHIPPED_CONTENT, repo)
    git(repo, "init", "--quiet", "-b", "main")
    commit_all(repo, "The shipped content")
    return repo


@pytest.fixture
def config(tmp_path, upstream):
    """One server's settings: a clone of ``upstream``, its own instance folder."""
    config = Settings(CONTENT_DIR=tmp_path / "content", INSTANCE_DIR=tmp_path / "instance",
                      CONTENT_REPO=str(upstream))
    git(tmp_path, "clone", "--quiet", str(upstream), str(config.CONTENT_DIR))
    return config


def sync(config):
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["content", "sync"])
    return app, result


def test_sync_fast_forwards_and_healthz_shows_the_commit(config, upstream):
    first = git(upstream, "rev-parse", "HEAD")
    app, result = sync(config)
    assert result.exit_code == 0 and "unchanged" in result.output
    health = app.test_client().get("/healthz").get_json()
    assert health["content"]["commit"] == first
    assert health["content"]["sync"]["refused"] is None

    page = upstream / PAGE
    page.write_text(page.read_text().replace("title: Vitamins and immunisations",
                                             "title: Vitamins, drops and vaccines"))
    second = commit_all(upstream, "A clearer title")
    app, result = sync(config)
    assert result.exit_code == 0 and f"updated, on {second[:12]}" in result.output
    assert "title: Vitamins, drops and vaccines" in (config.CONTENT_DIR / PAGE).read_text()
    assert app.test_client().get("/healthz").get_json()["content"]["commit"] == second


def test_a_commit_with_errors_is_refused_named_and_the_last_good_one_kept(config, upstream,
                                                                        caplog):
    good = git(upstream, "rev-parse", "HEAD")
    (upstream / BROKEN).write_text("---\ntitle: [never closed\n---\nA page.\n")
    bad = commit_all(upstream, "A page with broken front matter")

    app, result = sync(config)
    assert result.exit_code == 1
    assert f"still on {good[:12]}" in result.output and BROKEN in result.output
    assert not (config.CONTENT_DIR / BROKEN).exists()
    assert git(config.CONTENT_DIR, "rev-parse", "HEAD") == good
    assert f"refused {bad[:12]}: {BROKEN}:" in caplog.text
    health = app.test_client().get("/healthz").get_json()["content"]
    assert health["commit"] == good
    assert health["sync"]["refused"] == bad
    assert health["sync"]["problems"][0].startswith(f"{BROKEN}:")

    (upstream / BROKEN).unlink()
    fixed = commit_all(upstream, "Remove the broken page")
    app, result = sync(config)
    assert result.exit_code == 0 and f"updated, on {fixed[:12]}" in result.output
    health = app.test_client().get("/healthz").get_json()["content"]
    assert health["commit"] == fixed and health["sync"]["refused"] is None


def test_a_folder_that_is_not_a_repository_is_left_alone(config):
    shutil.rmtree(config.CONTENT_DIR / ".git")
    app, result = sync(config)
    assert result.exit_code == 1
    assert "is not a git repository: clone PORTAL_CONTENT_REPO there first" in result.output


def test_rewritten_history_is_not_followed(config, upstream):
    ours = git(config.CONTENT_DIR, "rev-parse", "HEAD")
    (upstream / "README.md").write_text("Rewritten.\n")
    git(upstream, "add", "-A")
    git(upstream, "commit", "--quiet", "--amend", "-m", "Rewritten history")
    app, result = sync(config)
    assert result.exit_code == 1 and "not a fast-forward" in result.output
    assert git(config.CONTENT_DIR, "rev-parse", "HEAD") == ours


def test_sync_without_a_repository_says_so(app):
    result = app.test_cli_runner().invoke(args=["content", "sync"])
    assert result.exit_code == 2 and "PORTAL_CONTENT_REPO is not set" in result.output


def test_a_failed_fetch_is_shown_at_healthz_without_credentials_and_cleared(config, upstream,
                                                                             caplog):
    config.CONTENT_REPO = "https://editor:s3cret@127.0.0.1:9/content.git"  # nothing listens
    app, result = sync(config)
    assert result.exit_code == 1 and "git fetch failed" in result.output
    health = app.test_client().get("/healthz").get_json()["content"]
    assert health["commit"] == git(config.CONTENT_DIR, "rev-parse", "HEAD")
    assert health["sync"]["error"].startswith("git fetch failed")
    assert "s3cret" not in health["sync"]["error"] + result.output + caplog.text

    config.CONTENT_REPO = str(upstream)
    app, result = sync(config)
    assert result.exit_code == 0
    assert app.test_client().get("/healthz").get_json()["content"]["sync"]["error"] is None


def test_a_failed_fetch_names_git_s_reason_not_its_closing_advice(config, tmp_path):
    # git ends every failed fetch with "Please make sure you have the correct
    # access rights / and the repository exists.": the reason is its first line.
    config.CONTENT_REPO = str(tmp_path / "no-such-repository.git")
    app, result = sync(config)
    assert result.exit_code == 1
    error = app.test_client().get("/healthz").get_json()["content"]["sync"]["error"]
    assert error.startswith("git fetch failed: ") and "does not appear to be a git repository" in error
    assert "repository exists" not in error
    assert error in result.output


def test_a_commit_with_a_symbolic_link_is_refused_and_named(config, upstream, tmp_path):
    """A link in a commit would let any file on the server be read as content
    (and served, if it looks like a page): the commit is refused, the link named."""
    good = git(upstream, "rev-parse", "HEAD")
    outside = tmp_path / "outside.md"
    outside.write_text((upstream / PAGE).read_text().replace(
        "title: Vitamins and immunisations", "title: A file from outside the content"))
    (upstream / "en/health-visiting/linked.md").symlink_to(outside)
    bad = commit_all(upstream, "A page that is a link")

    app, result = sync(config)
    assert result.exit_code == 1
    assert f"still on {good[:12]}" in result.output
    assert "en/health-visiting/linked.md" in result.output and "link" in result.output
    assert git(config.CONTENT_DIR, "rev-parse", "HEAD") == good
    assert not (config.CONTENT_DIR / "en/health-visiting/linked.md").exists()
    assert app.test_client().get("/healthz").get_json()["content"]["sync"]["refused"] == bad
