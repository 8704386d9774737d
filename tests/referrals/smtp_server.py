"""Real servers for the outbox and concurrency tests, all on 127.0.0.1.

- ``SmtpServer``: an aiosmtpd server on a fixed free port that records what
  it accepts; it can be stopped (nothing listening), slow, or refusing.
- ``family_answers`` / ``form_fields``: one family's answers, each made
  unique so a test can look for every piece of personal data.
- ``HttpFamily``: one family's browser over real HTTP (tests/support/http.py):
  GET the form for the CSRF token, POST it, POST check, GET done.
- ``referral_gunicorn``: the real app under gunicorn sync workers
  (tests/support/servers.py), in its own process group, always stopped.
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
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from tests.support.content import SHIPPED_CONTENT  # noqa: F401  (for the tests that import it here)
from tests.support.http import HttpClient
from tests.support.servers import Gunicorn, free_port

# --------------------------------------------------------------------------
# SMTP
# --------------------------------------------------------------------------

class RecordingHandler:
    """Accept, stall or refuse; record every message accepted.

    mode: "accept"; "slow" (stall before answering MAIL FROM, so nothing is
    accepted); "trickle" (answer every step just within the client's
    per-step timeout: EHLO, MAIL, RCPT and DATA each wait ``delay``);
    "bad-quit" (accept the message, then answer QUIT with a 421); "slow-data" (keep the
    message, then stall before saying so, as an overloaded server does); "refuse-data" (answer DATA with
    ``reply``); "refuse-rcpt" (answer RCPT TO with ``reply``); "hang-up" (close the
    connection, unanswered, when a NOOP asks whether it is still open, as a
    server that dropped an idle connection is found to have); "one-a-connection"
    (answer a connection's second MAIL FROM with 421, as a server with a limit of
    messages a connection does). ``greetings`` counts EHLOs: one a connection.
    """

    def __init__(self):
        self.mode = "accept"
        self.delay = 0.0
        self.reply = "451 4.3.0 try later"
        self.received = []  # email.message.EmailMessage, in arrival order
        self.greetings = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.greetings += 1
        if self.mode == "trickle":
            await asyncio.sleep(self.delay)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mode in ("slow", "trickle"):
            await asyncio.sleep(self.delay)
        session.mails = getattr(session, "mails", 0) + 1
        if self.mode == "one-a-connection" and session.mails > 1:
            return "421 4.3.0 one message a connection"
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

    async def handle_NOOP(self, server, session, envelope, arg):
        if self.mode == "hang-up":
            server.transport.close()
        return "250 OK"

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


class HttpFamily(HttpClient):
    """One family's browser: its own connection and its own cookies."""

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

def referral_gunicorn(workdir, env, workers=2, timeout=30, log_level="warning"):
    """gunicorn serving the real app (WSGI_SHIM) from ``workdir``."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "referral_wsgi.py").write_text(WSGI_SHIM)
    return Gunicorn("referral_wsgi:app", workdir, workers, env, workdir, "referral",
                    timeout=timeout, log_level=log_level, health="/healthz")


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

        from portal import models  # noqa: F401  (every table, as in the app)
        from portal.db.engine import make_engine
        from portal.outbox.delivery import deliver
        from portal.outbox.mailer import SmtpMailer

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
