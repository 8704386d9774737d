"""Shared fixtures: a fresh app per test, and a client that checks every page."""

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from portal import create_app
from portal.config import TestConfig
from tests.support.content import SHIPPED_CONTENT, save_parsed, shipped
from tests.support.databases import fresh_database


@pytest.fixture(autouse=True)
def no_email_attempt_outlives_its_test():
    """The e-mails' first attempts run after the response, in background
    threads: each test's are over before the next test's database exists."""
    yield
    from portal.outbox.delivery import background
    assert background.settle(60), "an immediate e-mail attempt is still running"


@pytest.fixture(scope="session")
def parsed_content(tmp_path_factory):
    """The shipped content's parsed files, written once per run."""
    return save_parsed(tmp_path_factory.mktemp("content") / "parsed.pickle")


@pytest.fixture(scope="session")
def shipped_snapshot():
    """The shipped content as one immutable snapshot, shared by every test."""
    return shipped()


@pytest.fixture
def content_dir(tmp_path):
    """A private copy of the shipped content that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, target)
    return target


@pytest.fixture
def make_app(tmp_path, parsed_content):
    def make(content=SHIPPED_CONTENT, **overrides):
        config = TestConfig(CONTENT_DIR=Path(content), INSTANCE_DIR=tmp_path / "instance",
                            **{"CONTENT_PARSE_CACHE": parsed_content, **overrides})
        return create_app(config)
    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


class PageClient:
    """Fetch pages by endpoint and check the basics every page must meet."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def url(self, endpoint, **values):
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def get(self, endpoint, status=200, headers=None, **values):
        return self.get_url(self.url(endpoint, **values), status=status, headers=headers)

    def get_url(self, url, status=200, headers=None):
        response = self.client.get(url, headers=headers)
        assert response.status_code == status, (url, response.status_code)
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        check_basics(page, url)
        page.response = response
        return page


def check_basics(page, url):
    """Assert what every HTML page needs, whatever it is."""
    html = page.find("html")
    assert html and html.get("lang"), f"{url}: <html> has no lang"
    assert html.get("dir") in ("ltr", "rtl"), f"{url}: <html> has no dir"
    assert page.title and page.title.string and page.title.string.strip(), f"{url}: no <title>"
    assert len(page.find_all("h1")) == 1, f"{url}: expected one h1"
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [name for name, count in ids.items() if count > 1]
    assert not duplicates, f"{url}: duplicate ids {duplicates}"
    for field in page.select("input:not([type=hidden]):not([type=submit]), select, textarea"):
        labelled = (field.get("id") and page.find("label", attrs={"for": field["id"]})) \
            or field.get("aria-label") or field.find_parent("label")
        assert labelled, f"{url}: field {field.get('name')} has no label"
    assert page.find("main"), f"{url}: no <main>"
    assert page.select_one("footer"), f"{url}: no footer"


@pytest.fixture
def pages(app, client):
    return PageClient(app, client)


def text_of(tag):
    """Return a tag's text with whitespace collapsed."""
    return re.sub(r"\s+", " ", tag.get_text(" ")).strip()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """An empty SQLite database migrated to the newest schema, once per run."""
    from portal.db.migrate import upgrade
    path = tmp_path_factory.mktemp("migrated") / "portal.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, migrated_sqlite):
    """An empty, migrated database: SQLite, and PostgreSQL when one is given."""
    return fresh_database(request.param, tmp_path, migrated_sqlite)


@pytest.fixture
def referral_app(make_app, database_url):
    """The app on a fresh database, e-mail written to files, forms without CSRF."""
    return make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
