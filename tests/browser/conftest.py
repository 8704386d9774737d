"""Browser fixtures: the app on a real port, Debian's Chromium, a phone-sized page.

Never `playwright install`: the browser is Debian's (see /work/shared/TESTING.md).
"""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.config import TestConfig
from portal.db.migrate import upgrade
from tests.conftest import SHIPPED_CONTENT

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


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
                                 STATUS_RATE_LIMIT="1000 per hour"))


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve the app on a free loopback port."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"],
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
