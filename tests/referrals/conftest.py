"""Helpers for the self-referral tests: good answers, posting them, reading the database."""

import datetime
import re
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.outbox.delivery import background
from portal.referrals.models import Draft, Referral
from tests.conftest import PageClient, check_basics
from tests.support.content import SHIPPED_CONTENT  # noqa: F401  (for this folder's tests)

# One family's answers, as a browser posts them (checkbox groups repeat the key).
GOOD = [
    ("parent_name", "Ann Testperson"),
    ("phone", "07700 900982"),
    ("email", "ann.testperson@example.org"),
    ("contact_ways", "phone"),
    ("contact_ways", "email"),
    ("contact_ways", "letter"),
    ("best_times", "morning"),
    ("best_times", "late-afternoon"),
    ("postcode", "sk5 8ab"),
    ("address", "12 Quietwater Lane, Reddish"),
    ("children-0-born", "yes"),
    ("children-0-first_name", "Bobbie"),
    ("children-0-date-day", "3"),
    ("children-0-date-month", "4"),
    ("children-0-date-year", ""),  # filled in by good_answers(): a year ago
    ("help_with", "sleep"),
    ("help_with", "speech"),
    ("details", "Bedtimes are hard since the move"),
    ("spoken_language", "Cornish"),
    ("interpreter", "yes"),
    ("consent", "y"),
]


def a_year_ago():
    return datetime.date.today().year - 1


def good_answers(**changes):
    """Return the good answers as a MultiDict; a change of None removes the key.

    A list value replaces every value of a repeated key (checkboxes).
    """
    form = MultiDict(GOOD)
    form.setlist("children-0-date-year", [str(a_year_ago())])
    for key, value in changes.items():
        if value is None:
            form.poplist(key)
        elif isinstance(value, list):
            form.setlist(key, value)
        else:
            form.setlist(key, [value])
    return form


def page_of(response, url="(posted)"):
    """Parse an HTML response and check what every page needs."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_basics(page, url)
    page.response = response
    return page


def text(tag):
    return re.sub(r"\s+", " ", tag.get_text(" ")).strip()


@contextmanager
def database(app):
    """A session on the app's database, outside any request, once the
    e-mails' first attempts (made after the response) have been made."""
    background.settle()
    with app.app_context():
        factory = app.extensions["db"]
        with factory() as db:
            yield db


def referrals(app):
    with database(app) as db:
        return db.scalars(select(Referral).order_by(Referral.id)).all()


def drafts(app):
    with database(app) as db:
        return db.scalars(select(Draft)).all()


def messages_of(app, referral_id):
    from portal.outbox.models import Message
    with database(app) as db:
        return db.scalars(select(Message).where(Message.referral_id == referral_id)).all()


def all_messages(app):
    from portal.outbox.models import Message
    with database(app) as db:
        return db.scalars(select(Message).order_by(Message.id)).all()


def send_referral(client, answers=None, lang="en"):
    """Fill in the form, check the answers and send; return the done page's response."""
    response = client.post(f"/{lang}/refer", data=answers if answers is not None else good_answers())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"].endswith(f"/{lang}/refer/check")
    response = client.post(f"/{lang}/refer/check")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{lang}/refer/done")
    response = client.get(f"/{lang}/refer/done")
    assert response.status_code == 200
    page_of(response, f"/{lang}/refer/done")
    return response


@pytest.fixture
def referral_client(referral_app):
    return referral_app.test_client()


@pytest.fixture
def referral_pages(referral_app, referral_client):
    """``pages`` from tests/conftest.py, on the app with a database."""
    return PageClient(referral_app, referral_client)
