"""Browser fixtures: the app on a real port, Debian's Chromium, a phone-sized page.

Never `playwright install`: the browser is Debian's (see /work/shared/TESTING.md).
"""

import contextlib
import datetime
import http.server
import ssl
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.clock import LONDON
from portal.config import TestConfig
from portal.db.migrate import upgrade
from tests.conftest import SHIPPED_CONTENT

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
OFFICE_PC = {"viewport": {"width": 1280, "height": 800}, "is_mobile": False, "has_touch": False}
# A term-time Monday morning in the demo timetable: what's on shows a full week
# whatever day the tests run (on a Friday the rest of the real week has no
# Brinnington sessions at all).
A_TERM_MONDAY = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)


@contextlib.contextmanager
def serving(app):
    """Serve ``app`` on a free loopback port, threaded; give its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextlib.contextmanager
def office_page(browser, browser_context_args, **settings):
    """A fresh office-PC-sized page in its own context (no cookies), closed afterwards."""
    context = browser.new_context(**{**browser_context_args, **OFFICE_PC, **settings})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`, and skip them all without Chromium."""
    missing = None if CHROMIUM.exists() else pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-core")
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(missing)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app with the shipped content on a fresh, migrated SQLite database.

    E-mail is written to files in the instance folder, CSRF stays on (a real
    browser sends the token), and the rate limits are high enough for a
    test run. Tests may add staff accounts through its database.
    """
    instance = tmp_path_factory.mktemp("instance")
    database_url = f"sqlite:///{instance / 'portal.db'}"
    upgrade(database_url)
    return create_app(TestConfig(CONTENT_DIR=SHIPPED_CONTENT, INSTANCE_DIR=instance,
                                 DATABASE_URL=database_url, SMTP_URL=None,
                                 REFERRAL_RATE_LIMIT="1000 per hour",
                                 STATUS_RATE_LIMIT="1000 per hour",
                                 EXTRA_HOSTS=["127.0.0.1"]))  # the browser asks for 127.0.0.1:port


@pytest.fixture
def frozen_now(monkeypatch):
    """Fix the live server's clock at A_TERM_MONDAY (it reads portal.clock.source on each request)."""
    monkeypatch.setattr("portal.clock.source", lambda: A_TERM_MONDAY)


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve the app on a free loopback port."""
    with serving(live_app) as address:
        yield address


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


NEUTRAL_HOST = "www.bbc.co.uk"  # where "Exit this page" goes with the shipped site.yml
NEUTRAL_PAGE = b"<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"


def _self_signed(folder):
    """Write a throwaway certificate and key for the stand-in neutral site."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NEUTRAL_HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(NEUTRAL_HOST)]), critical=False)
                   .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


class _NeutralPage(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(NEUTRAL_PAGE)))
        self.end_headers()
        self.wfile.write(NEUTRAL_PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_site(tmp_path_factory):
    """The neutral site "Exit this page" leads to, served on loopback over TLS.

    The machine is offline, and Playwright cannot intercept the request our
    exit route redirects to, so the browser is told this host lives here.
    """
    cert, key = _self_signed(tmp_path_factory.mktemp("neutral"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NeutralPage)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, neutral_site):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--host-resolver-rules=MAP {NEUTRAL_HOST} 127.0.0.1:{neutral_site}",
                 "--ignore-certificate-errors"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


def _shared_page(browser, browser_context_args, **overrides):
    context = browser.new_context(**{**browser_context_args, **overrides})
    return context, context.new_page()


@pytest.fixture(scope="session")
def phone(browser, browser_context_args):
    """One 390 px page reused by every test that only navigates and reads."""
    context, page = _shared_page(browser, browser_context_args)
    yield page
    context.close()


@pytest.fixture(scope="session")
def narrow_phone(browser, browser_context_args):
    """One 320 px page: the narrowest screen WCAG reflow asks for."""
    context, page = _shared_page(browser, browser_context_args,
                                 viewport={"width": 320, "height": 640})
    yield page
    context.close()


@pytest.fixture(scope="session")
def no_script_phone(browser, browser_context_args):
    """One 390 px page with JavaScript turned off."""
    context, page = _shared_page(browser, browser_context_args, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture(scope="module")
def contexts(browser, browser_context_args):
    """One phone-sized context with JavaScript and one without, kept for the module
    (a new context costs a fresh HTTP cache on every test)."""
    made = {}

    def get(script):
        if script not in made:
            made[script] = browser.new_context(**browser_context_args, java_script_enabled=script)
        return made[script]

    yield get
    for context in made.values():
        context.close()


@pytest.fixture
def new_page(contexts):
    """Open a fresh page with no cookies (no draft, no confirmation from another test)."""
    pages = []

    def make(java_script_enabled=True):
        context = contexts(java_script_enabled)
        context.clear_cookies()
        page = context.new_page()
        page.set_default_timeout(10_000)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()


@pytest.fixture
def small_phone(browser):
    """Open a fresh 360x740 phone with no cookies; JavaScript on unless asked."""
    contexts = []

    def make(java_script_enabled=True):
        # bypass_csp: only so a test can add the 200% text style; the site has none inline.
        context = browser.new_context(**SMALL_PHONE, java_script_enabled=java_script_enabled,
                                      bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()
