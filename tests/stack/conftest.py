"""The whole production stack on loopback, once for the stack tests:
PostgreSQL, Redis, an SMTP server, two app servers (each with its own
instance and content folders, one content repository) and nginx in front.
"""

import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.referrals.smtp_server import SmtpServer
from tests.support.content import SHIPPED_CONTENT

from .servers import ROOT, AppServer, Nginx, Postgres, Redis

GIT_ID = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
# Low enough for a test to reach, high enough that nothing else does.
STATUS_LIMIT = 5


def git(folder, *args):
    return subprocess.run(["git", "-C", str(folder), *GIT_ID, *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/stack/" in str(item.fspath):
            item.add_marker(pytest.mark.stack)


class Stack:
    """Everything the stack tests reach, and the commands an operator runs."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.smtp = SmtpServer()
        self.redis = Redis(self.workdir)
        self.postgres = Postgres(tempfile.mkdtemp(prefix="portal-stack-pg-"))
        self.servers = []
        self.nginx = None
        self.content_repo = self.workdir / "content.git"
        self.editor = self.workdir / "editor"

    def start(self):
        self.smtp.start()
        self.redis.start()
        self.postgres.start().create_database()
        self._content_repository()
        shared = {
            "PORTAL_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "PORTAL_DATA_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": self.postgres.url,
            "RATELIMIT_STORAGE_URI": self.redis.url,
            "SMTP_URL": self.smtp.url,
            "PORTAL_CONTENT_REPO": str(self.content_repo),
            "PORTAL_PROXIES": "1",
            "PORTAL_BASE_URL": "https://startwell.example.org",
            "PORTAL_HOSTS": "127.0.0.1",  # the tests ask nginx and the servers on loopback
            # The load test comes from one address: only the status look-up's
            # limit is tried here (shared through Redis).
            "PORTAL_REFERRAL_RATE_LIMIT": "100000 per hour",
            "PORTAL_SEARCH_RATE_LIMIT": "100000 per minute",
            "PORTAL_STATUS_RATE_LIMIT": f"{STATUS_LIMIT} per hour",
        }
        for name in ("a", "b"):
            folder = self.workdir / name
            folder.mkdir()
            git(self.workdir, "clone", "--quiet", str(self.content_repo), str(folder / "content"))
            env = {**shared, "PORTAL_INSTANCE_DIR": str(folder / "instance"),
                   "PORTAL_CONTENT_DIR": str(folder / "content")}
            self.servers.append(AppServer(folder / "gunicorn", env))
        # As deploy/README.md: the schema once, each server's own index.
        self.flask(self.servers[0], "db", "upgrade")
        for server in self.servers:
            self.flask(server, "search", "rebuild")
            server.start()
        self.nginx = Nginx(self.workdir / "nginx", [s.port for s in self.servers],
                           self._static_files())
        self.nginx.start()
        return self

    def _content_repository(self):
        """The editors' repository (bare, as on a git host) and an editor's clone."""
        subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(self.content_repo)],
                       check=True)
        shutil.copytree(SHIPPED_CONTENT, self.editor)
        git(self.editor, "init", "--quiet", "-b", "main")
        git(self.editor, "remote", "add", "origin", str(self.content_repo))
        self.commit("The shipped content")

    def commit(self, message):
        """Commit everything the editor changed and push it; return the commit."""
        git(self.editor, "add", "-A")
        git(self.editor, "commit", "--quiet", "-m", message)
        git(self.editor, "push", "--quiet", "origin", "main")
        return git(self.editor, "rev-parse", "HEAD")

    def _static_files(self):
        """The static folder as deploy/README.md prepares it: CSS and JS gzipped beside."""
        static = self.workdir / "static"
        shutil.copytree(ROOT / "static", static)
        subprocess.run(["find", str(static), "(", "-name", "*.css", "-o", "-name", "*.js", ")",
                        "-exec", "gzip", "-k", "-9", "-f", "{}", "+"], check=True)
        return static

    def flask(self, server, *args, check=True):
        """``flask --app wsgi ARGS`` with ``server``'s settings, as its timers run it."""
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                              env=server.env, capture_output=True, text=True, timeout=300)
        if check and done.returncode:
            raise AssertionError(f"flask {' '.join(args)} failed ({done.returncode}):\n"
                                 f"{done.stdout}\n{done.stderr}")
        return done

    def flask_on_all(self, *args):
        """Run a command on every server at once; return each one's result."""
        procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args],
                                  cwd=ROOT, env=server.env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for server in self.servers]
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
        return results

    def stop(self):
        for stop in ([self.nginx.stop] if self.nginx else []) + \
                [s.stop for s in self.servers] + [self.redis.stop, self.smtp.stop,
                                                  self.postgres.stop]:
            try:
                stop()
            except Exception as exc:  # noqa: BLE001 - stop the rest whatever happens
                print(f"stopping: {type(exc).__name__}: {exc}")
        shutil.rmtree(self.postgres.data.parent, ignore_errors=True)


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    for program in ("nginx", "redis-server", "git", "initdb"):
        if not (shutil.which(program) or Path("/usr/sbin", program).exists()
                or list(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"))):
            pytest.skip(f"{program} is not installed: `make system-deps` installs nginx and "
                        "redis-server, `bash .ci/postgres.sh` PostgreSQL")
    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        yield stack.start()
    finally:
        stack.stop()
