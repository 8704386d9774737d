"""Real servers for the outbox and concurrency tests, all on 127.0.0.1.

- ``SmtpServer``: an aiosmtpd server on a fixed free port that records what
  it accepts; it can be stopped (nothing listening), slow, or refusing.
- ``family_answers`` / ``form_fields``: one family's answers, each made
  unique so a test can look for every piece of personal data.
- ``HttpFamily``: one family's browser over real HTTP (http.client, its own
  cookies): GET the form for the CSRF token, POST it, POST check, GET done.
- ``Gunicorn``: the real app under gunicorn sync workers, in its own process
  group, always stopped.
- ``deliver_in_process``: a sender in a separate process with its own
  engine, for the "never twice" test (spawn start method).
"""

import asyncio
import datetime
import email
import email.policy
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_CONTENT = ROOT / "content"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------
# SMTP
# --------------------------------------------------------------------------

class RecordingHandler:
    """Accept, stall or refuse; record every message accepted.

    mode: "accept"; "slow" (stall before answering MAIL FROM, so nothing is
    accepted); "trickle" (answer every step just within the client's
    per-step timeout: EHLO, MAIL, RCPT and DATA each wait ``delay``);
    "bad-quit" (accept the message, then answer QUIT with a 421); "slow-data" (keep the message, then stall before saying so,
    as an overloaded server does); "refuse-data" (answer DATA with
    ``reply``); "refuse-rcpt" (answer RCPT TO with ``reply``).
    """

    def __init__(self):
        self.mode = "accept"
        self.delay = 0.0
        self.reply = "451 4.3.0 try later"
        self.received = []  # email.message.EmailMessage, in arrival order
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.mode == "trickle":
            await asyncio.sleep(self.delay)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mode in ("slow", "trickle"):
            await asyncio.sleep(self.delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse-rcpt":
            return self.reply
        if self.mode == "trickle":
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "refuse-data":
            return self.reply
        if self.mode == "trickle":
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.original_content or envelope.content,
                                          policy=email.policy.default)
        parsed.envelope_to = list(envelope.rcpt_tos)
        with self.lock:
            self.received.append(parsed)
        if self.mode == "slow-data":
            # Kept (queued) at once, confirmed late: the sender may give up first.
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        if self.mode == "bad-quit":
            return "421 4.4.2 closing, goodbye"
        return "221 Bye"

    def messages(self):
        with self.lock:
            return list(self.received)


class SmtpServer:
    """A recording SMTP server on a port that stays the same across restarts."""

    def __init__(self, handler=None, port=None):
        self.handler = handler or RecordingHandler()
        self.port = port or free_port()
        self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def running(self):
        return self.controller is not None

    def start(self):
        from aiosmtpd.controller import Controller
        if self.controller is None:
            deadline = time.monotonic() + 10
            while True:
                controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                        ready_timeout=10)
                try:
                    controller.start()
                    break
                except Exception:  # the port may linger for a moment after a stop
                    controller.stop(no_assert=True)
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            self.controller = controller
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def messages(self):
        return self.handler.messages()

    def wait_for(self, count, seconds=10):
        deadline = time.monotonic() + seconds
        while len(self.messages()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages()


# --------------------------------------------------------------------------
# A family's answers
# --------------------------------------------------------------------------

def family_answers(number, postcode="SK4 1AA"):
    """Answers whose personal data is unique to ``number``."""
    born = datetime.date.today() - datetime.timedelta(days=400)
    return {
        "parent_name": f"Parveen Quillfeather{number}",
        "phone": f"07700 900{number % 1000:03d}",  # Ofcom's drama range: reaches nobody
        "email": f"parveen{number}.quill@example.org",
        "contact_ways": ["phone", "email"],
        "best_times": ["morning"],
        "postcode": postcode,
        "address": f"{number} Kestrel Close",
        "child_name": f"Zephyrine{number}",
        "child_born": born,
        "help_with": ["sleep", "feeding"],
        "details": f"Nights are hard since the move {number}",
        "spoken_language": "English",
    }


def personal_data(answers):
    """Every piece of personal data a test may look for in an e-mail or log."""
    digits = re.sub(r"\D", "", answers["phone"])
    return [answers["parent_name"], answers["parent_name"].split()[-1], answers["email"],
            answers["phone"], digits, answers["postcode"],
            answers["postcode"].replace(" ", ""), answers["address"], answers["child_name"],
            answers["details"]]


def form_fields(answers, csrf_token):
    """The POST body of /<lang>/refer as (name, value) pairs."""
    born = answers["child_born"]
    fields = [("csrf_token", csrf_token), ("website", ""),
              ("parent_name", answers["parent_name"]), ("phone", answers["phone"]),
              ("email", answers["email"]), ("postcode", answers["postcode"]),
              ("address", answers["address"]),
              ("children-0-born", "yes"), ("children-0-first_name", answers["child_name"]),
              ("children-0-date-day", str(born.day)), ("children-0-date-month", str(born.month)),
              ("children-0-date-year", str(born.year)),
              ("details", answers["details"]), ("spoken_language", answers["spoken_language"]),
              ("interpreter", "no"), ("consent", "y")]
    fields += [("contact_ways", way) for way in answers["contact_ways"]]
    fields += [("best_times", time_) for time_ in answers["best_times"]]
    fields += [("help_with", item) for item in answers["help_with"]]
    return fields


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REFERENCE = re.compile(r'class="reference[^"]*">\s*(SW-[A-Z0-9]{4}-[A-Z0-9]{4})\s*<')


def csrf_token(html):
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def reference_on(html):
    found = REFERENCE.search(html)
    assert found, "no reference on the done page"
    return found.group(1)


def submit_with_test_client(client, answers, lang="en"):
    """The whole journey through the app's WSGI stack, CSRF included.

    Return (reference, done page html).
    """
    form = client.get(f"/{lang}/refer")
    assert form.status_code == 200
    token = csrf_token(form.get_data(as_text=True))
    from werkzeug.datastructures import MultiDict
    answered = client.post(f"/{lang}/refer", data=MultiDict(form_fields(answers, token)))
    assert answered.status_code == 302, answered.get_data(as_text=True)[:2000]
    assert answered.headers["Location"].endswith(f"/{lang}/refer/check")
    check = client.get(f"/{lang}/refer/check")
    assert check.status_code == 200
    sent = client.post(f"/{lang}/refer/check",
                       data={"csrf_token": csrf_token(check.get_data(as_text=True))})
    assert sent.status_code == 302, sent.status_code
    assert sent.headers["Location"].endswith(f"/{lang}/refer/done")
    done = client.get(f"/{lang}/refer/done")
    assert done.status_code == 200
    html = done.get_data(as_text=True)
    return reference_on(html), html


# --------------------------------------------------------------------------
# A family over real HTTP
# --------------------------------------------------------------------------

class HttpError(Exception):
    """A step of the journey failed; ``status`` is the HTTP status or None."""

    def __init__(self, step, status, detail=""):
        super().__init__(f"{step}: {status} {detail}".strip())
        self.step = step
        self.status = status


class HttpFamily:
    """One family's browser: its own connection and its own cookies.

    Cookies are kept by hand (name=value), so a Secure session cookie from a
    production config is still sent back over plain HTTP on loopback.
    """

    def __init__(self, base, timeout=30):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies = {}
        self.statuses = []

    def request(self, method, path, fields=None):
        headers = {"Accept-Language": "en"}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        # A new connection per request: gunicorn's sync workers close each one.
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=thu, 01 jan 1970" in value.lower() or cookie_value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        self.statuses.append(response.status)
        return response.status, response.getheader("Location"), data.decode("utf-8", "replace")

    def submit(self, answers, lang="en"):
        """Return the reference the done page shows; raise HttpError otherwise."""
        try:
            status, _, html = self.request("GET", f"/{lang}/refer")
            if status != 200:
                raise HttpError("form", status)
            token = csrf_token(html)  # one per session: the check page's is the same
            status, location, html = self.request(
                "POST", f"/{lang}/refer", form_fields(answers, token))
            if status != 302 or not location.endswith("/refer/check"):
                raise HttpError("answer", status, html[:300])
            status, location, _ = self.request(
                "POST", f"/{lang}/refer/check", [("csrf_token", token)])
            if status != 302 or not location.endswith("/refer/done"):
                raise HttpError("send", status)
            status, _, html = self.request("GET", f"/{lang}/refer/done")
            if status != 200:
                raise HttpError("done", status)
            return reference_on(html)
        except (OSError, http.client.HTTPException) as exc:
            raise HttpError("connection", None, type(exc).__name__) from exc


# --------------------------------------------------------------------------
# Gunicorn
# --------------------------------------------------------------------------

# The real app, with the settings a load test needs that cannot be set from
# the environment (see the report: REFERRAL_RATE_LIMIT is a class attribute,
# and every test client comes from 127.0.0.1).
WSGI_SHIM = """\
import os
from portal import create_app
from portal.config import config_from_environment

config = config_from_environment()
config.REFERRAL_RATE_LIMIT = os.environ.get("TEST_REFERRAL_RATE_LIMIT", config.REFERRAL_RATE_LIMIT)
config.SEARCH_REBUILD = os.environ.get("TEST_SEARCH_REBUILD", config.SEARCH_REBUILD)
if os.environ.get("TEST_DELIVERY_TIMEOUT"):
    config.DELIVERY_TIMEOUT = float(os.environ["TEST_DELIVERY_TIMEOUT"])
app = create_app(config)
"""

GUNICORN_CONF = """\
import os, pathlib
def post_worker_init(worker):
    pathlib.Path(os.environ["GUNICORN_READY_DIR"], str(worker.pid)).touch()
"""


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
    """gunicorn serving the real app on 127.0.0.1; its process group is
    always killed on exit."""

    def __init__(self, workdir, env, workers=2, timeout=30, log_level="warning"):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.workers = workers
        self.ready = self.workdir / "ready"
        self.ready.mkdir(exist_ok=True)
        (self.workdir / "referral_wsgi.py").write_text(WSGI_SHIM)
        conf = self.workdir / "gunicorn_conf.py"
        conf.write_text(GUNICORN_CONF)
        self.log = self.workdir / "gunicorn.log"
        self.args = [sys.executable, "-m", "gunicorn", "--config", str(conf),
                     "--workers", str(workers), "--worker-class", "sync",
                     "--bind", f"127.0.0.1:{self.port}", "--chdir", str(self.workdir),
                     "--timeout", str(timeout), "--graceful-timeout", "2",
                     "--error-logfile", str(self.log), "--log-level", log_level,
                     "referral_wsgi:app"]
        pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        self.env = {**os.environ, "PYTHONPATH": pythonpath, **env,
                    "GUNICORN_READY_DIR": str(self.ready)}
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, seconds=60):
        self.proc = subprocess.Popen(self.args, env=self.env, start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + seconds
        try:
            while len(list(self.ready.iterdir())) < self.workers:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start; its log:\n" + self.log_text())
                time.sleep(0.05)
            # The workers are up; make sure the socket answers too.
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                    conn.request("GET", "/healthz")
                    conn.getresponse().read()
                    conn.close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        except BaseException:
            self.stop()
            raise
        return self

    def log_text(self):
        return self.log.read_text() if self.log.exists() else "(no log)"

    def worker_pids(self):
        return sorted(children_of(self.proc.pid))

    def kill_worker(self, pid):
        """kill -9 one of our workers (by its id)."""
        assert pid in children_of(self.proc.pid), "not one of this gunicorn's workers"
        os.kill(pid, signal.SIGKILL)

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


# --------------------------------------------------------------------------
# A sender in its own process
# --------------------------------------------------------------------------

def deliver_in_process(database_url, smtp_url, ready, go, results, limit=10, seconds=60):
    """Run ``deliver`` until nothing is due, with this process's own engine.

    The process says it is ready on ``ready`` (a Queue), then waits for
    ``go`` (an Event) so that every sender starts at once; it puts
    (pid, sent, failed, error) on ``results``.
    """
    try:
        from sqlalchemy.orm import sessionmaker

        from portal.db.engine import make_engine
        from portal.outbox.delivery import deliver
        from portal.outbox.mailer import SmtpMailer
        from portal.referrals import models  # noqa: F401  (Message's relationship needs it)

        engine = make_engine(database_url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        mailer = SmtpMailer(smtp_url, timeout=10)
        sent = failed = 0
        ready.put(os.getpid())
        if not go.wait(60):
            raise TimeoutError("never told to go")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done, missed = deliver(sessions, mailer, "no-reply@example.org", "example.org",
                                   limit=limit)
            sent += done
            failed += missed
            if done == 0 and missed == 0:
                break
        engine.dispose()
        results.put((os.getpid(), sent, failed, None))
    except BaseException as exc:  # report, never hang the parent
        results.put((os.getpid(), 0, 0, f"{type(exc).__name__}: {exc}"))


@contextmanager
def time_limit(seconds, name):
    """Fail (and so clean up) a test that runs past ``seconds`` instead of hanging."""
    def expired(signum, frame):
        raise TimeoutError(f"{name} took more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
