"""gunicorn on 127.0.0.1 for the tests and benchmarks that need a real server:
a free port, sync workers, started in its own process group and always
stopped (the whole group)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

GUNICORN_CONF = """\
import os, pathlib
def post_worker_init(worker):
    # The app (and so the content) is loaded: this worker is ready.
    pathlib.Path(os.environ["GUNICORN_READY_DIR"], str(worker.pid)).touch()
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid):
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


class Gunicorn:
    """gunicorn in its own process group; the group is killed on exit.

    ``module`` is the WSGI app ("hello_app:app"), loaded from ``chdir`` (the
    repository root is on PYTHONPATH too, for ``portal``); ``env`` is added
    to this process's environment. Starting waits until every worker has
    loaded the app and, when ``health`` is a path, until it answers.
    """

    def __init__(self, module, chdir, workers, env, workdir, name, timeout=120,
                 log_level="warning", health=None):
        workdir = Path(workdir)
        self.port = free_port()
        self.workers = workers
        self.health = health
        self.ready = workdir / f"ready-{name}"
        self.ready.mkdir(parents=True)
        conf = workdir / "gunicorn_conf.py"
        conf.write_text(GUNICORN_CONF)
        self.log = workdir / f"gunicorn-{name}.log"
        self.args = [sys.executable, "-m", "gunicorn", "--config", str(conf),
                     "--workers", str(workers), "--worker-class", "sync",
                     "--bind", f"127.0.0.1:{self.port}", "--chdir", str(chdir),
                     "--timeout", str(timeout), "--graceful-timeout", "2",
                     "--backlog", "2048",  # gunicorn's default, stated
                     # gunicorn 27's control socket is one path for every
                     # gunicorn on the machine: two runs at once would collide.
                     "--no-control-socket",
                     "--error-logfile", str(self.log), "--log-level", log_level, module]
        pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        self.env = {**os.environ, "PYTHONPATH": pythonpath, **env,
                    "GUNICORN_READY_DIR": str(self.ready)}
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, seconds=120):
        self.proc = subprocess.Popen(self.args, env=self.env, start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + seconds
        try:
            while len(list(self.ready.iterdir())) < self.workers:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start; its log:\n" + self.log_text())
                time.sleep(0.05)
            if self.health:
                self._wait_for_answer(deadline)
        except BaseException:  # __exit__ is not called when __enter__ fails
            self.stop()
            raise
        return self

    def _wait_for_answer(self, deadline):
        """The workers are up; make sure the socket answers too."""
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", self.health)
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def log_text(self):
        return self.log.read_text() if self.log.exists() else "(no log)"

    def worker_pids(self):
        return sorted(children_of(self.proc.pid))

    def kill_worker(self, pid):
        """kill -9 one of our workers (by its id)."""
        assert pid in children_of(self.proc.pid), "not one of this gunicorn's workers"
        os.kill(pid, signal.SIGKILL)

    def worker_rss_kib(self, field="VmRSS"):
        """The resident memory (KiB) of each worker now running; ``field="VmHWM"``
        gives each one's peak since it started."""
        sizes = []
        for entry in self.ready.iterdir():
            try:
                for line in Path("/proc", entry.name, "status").read_text().splitlines():
                    if line.startswith(field + ":"):
                        sizes.append(int(line.split()[1]))
            except FileNotFoundError:
                pass
        return sizes

    def workers_counts(self):
        """What the workers now running have used so far (Linux's /proc/<pid>/stat):
        CPU seconds in user and system mode, and minor page faults."""
        ticks = os.sysconf("SC_CLK_TCK")
        counts = {"user": 0.0, "system": 0.0, "minor_faults": 0}
        for entry in self.ready.iterdir():
            try:
                fields = Path("/proc", entry.name, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            counts["minor_faults"] += int(fields[7])  # minflt
            counts["user"] += int(fields[11]) / ticks  # utime
            counts["system"] += int(fields[12]) / ticks  # stime
        return counts

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group we started
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def stop_on_sigterm(signum, frame):
    """A SIGTERM handler: exit through the finally blocks, so gunicorn is stopped."""
    raise SystemExit(128 + signum)
