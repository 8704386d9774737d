"""The production stack's servers, each our own process on 127.0.0.1, never
a system service: PostgreSQL (initdb + pg_ctl), Redis, nginx with the site
file deploy/ ships, and gunicorn with deploy/gunicorn.conf.py.
"""

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.support.servers import GUNICORN_CONF, Gunicorn, free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def wait_for_port(port, proc=None, seconds=30, what="server"):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{what} exited with {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not listen on {port} in {seconds} s") from None
            time.sleep(0.05)


def stop_group(proc, sig=signal.SIGTERM, seconds=15):
    """Stop a process group we started (by its leader's id)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=seconds)
    except ProcessLookupError:
        pass


class Postgres:
    """A PostgreSQL cluster of the test's own (initdb) on a free port, so a
    restart disturbs nobody else's server. As root, it runs as "postgres"."""

    def __init__(self, workdir):
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                          key=lambda p: int(p.parent.parent.name))
        if not versions:
            raise RuntimeError("PostgreSQL is not installed (bash .ci/postgres.sh installs it)")
        self.bin = versions[-1].parent
        self.port = free_port()
        self.data = Path(workdir, "pgdata")
        self.log = Path(workdir, "postgres.log")
        self.as_owner = []
        if os.geteuid() == 0:  # initdb refuses root
            self.as_owner = ["runuser", "-u", "postgres", "--"]
            Path(workdir).mkdir(parents=True, exist_ok=True)
            owner = pwd.getpwnam("postgres")
            os.chown(workdir, owner.pw_uid, owner.pw_gid)
        self.url = f"postgresql+psycopg://portal@127.0.0.1:{self.port}/portal"

    def _run(self, *args, timeout=120):
        subprocess.run([*self.as_owner, *args], check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self):
        if not self.data.exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "portal",
                      "--auth=trust", "--no-sync")
        options = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                  "-o", options, "-w", "start")
        return self

    def create_database(self):
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "portal", "portal")

    def restart(self):
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "restart")

    def stop(self):
        if self.data.exists():
            subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data),
                            "-m", "immediate", "-w", "stop"], timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Redis:
    """redis-server on a free port, nothing saved; stop() is the "Redis down" fault."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--loglevel", "warning"],
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.proc, what="redis-server")
        return self

    def stop(self):
        stop_group(self.proc)
        self.proc = None

    def client(self):
        import redis
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)


class AppServer(Gunicorn):
    """One app server: the real ``wsgi:app`` under deploy/gunicorn.conf.py
    (the command line sets only the port, workers and log files)."""

    def __init__(self, workdir, env, workers=2):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        super().__init__("wsgi:app", ROOT, workers, env, self.workdir, "app", timeout=30,
                         log_level="info", health="/healthz")
        deploy_conf = DEPLOY / "gunicorn.conf.py"
        # The shipped settings first, then the hook that says a worker is ready.
        (self.workdir / "gunicorn_conf.py").write_text(
            f"exec(compile(open({str(deploy_conf)!r}).read(), {str(deploy_conf)!r}, 'exec'))\n"
            + GUNICORN_CONF)
        self.access_log = self.workdir / "access.log"
        self.args[-1:] = ["--access-logfile", str(self.access_log), "wsgi:app"]

    def kill(self):
        """kill -9 the master and its workers (the process group we started)."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


class Nginx:
    """Our own nginx master with deploy/nginx/portal.conf, TLS lines dropped,
    listening on a free loopback port in front of ``upstreams``."""

    def __init__(self, workdir, upstreams, static_dir):
        self.prefix = Path(workdir)
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.site = self.prefix / "portal.conf"
        self.site.write_text(site_for_loopback(
            (DEPLOY / "nginx" / "portal.conf").read_text(), self.port, upstreams, static_dir,
            self.prefix / "access.log"))
        self.conf = self.prefix / "nginx.conf"
        user = ""
        if os.geteuid() == 0:  # workers would run as nobody, who cannot read our files
            user = "user root root;\n"
        temp = "\n".join(f"    {kind}_temp_path {self.prefix / 'tmp' / kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.conf.write_text(f"""{user}worker_processes 1;
pid {self.prefix / 'nginx.pid'};
error_log {self.prefix / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
    include {self.site};
}}
""")
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        check = subprocess.run([nginx, "-t", "-c", str(self.conf), "-p", str(self.prefix)],
                               capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.proc = subprocess.Popen([nginx, "-c", str(self.conf), "-p", str(self.prefix),
                                      "-g", "daemon off;"], start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.proc, what="nginx")
        return self

    def error_log(self):
        path = self.prefix / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        stop_group(self.proc, signal.SIGQUIT)


def site_for_loopback(site, port, upstreams, static_dir, access_log):
    """The shipped site file as the stack test runs it: the lines marked
    "# tls" dropped, plain HTTP on ``port``, our servers and paths."""
    kept = [line for line in site.splitlines() if not line.rstrip().endswith("# tls")]
    site = "\n".join(kept) + "\n"
    server_lines = re.findall(r"^\s*server 127\.0\.0\.1:8000 (.*);$", site, re.MULTILINE)
    assert len(server_lines) == 1, "the site file's upstream has changed shape"
    servers = "".join(f"    server 127.0.0.1:{p} {server_lines[0]};\n" for p in upstreams)
    site = re.sub(r"^\s*server 127\.0\.0\.1:8000 .*;\n", servers, site, flags=re.MULTILINE)
    site = site.replace("server_name startwell.example.org;",
                        f"listen 127.0.0.1:{port};\n    server_name startwell.example.org;")
    for old, new in (("/srv/portal/app/static/", f"{static_dir}/"),
                     ("/var/log/nginx/portal.access.log", str(access_log))):
        assert old in site, f"{old} is no longer in the site file"
        site = site.replace(old, new)
    return site
