"""Staff tests: a database with one worker and one referral per team, an
administrator and an editor."""

import pytest

from portal.referrals.models import Referral
from portal.staff.models import StaffUser
from tests.conftest import SHIPPED_CONTENT
from tests.support.accounts import PASSWORD, password_hash

TEAMS = ["north", "central", "east", "south", "triage"]


@pytest.fixture
def staff_content():
    """The content folder the staff app serves (a module may give a private copy)."""
    return SHIPPED_CONTENT


@pytest.fixture
def staff_settings():
    """Settings the staff app is made with beyond these (a module may add some)."""
    return {}


@pytest.fixture
def app(make_app, database_url, staff_content, staff_settings):
    app = make_app(content=staff_content, DATABASE_URL=database_url, SMTP_URL=None,
                   WTF_CSRF_ENABLED=False, **staff_settings)
    seed(app)
    return app


def seed(app):
    """A worker and a referral for each team, an administrator and an editor."""
    with app.extensions["db"]() as db:
        for team in TEAMS:
            db.add(StaffUser(email=f"{team}.worker@example.org", password_hash=password_hash(),
                             team_id=team))
            add_referral(db, team, reference_of(team))
        db.add(StaffUser(email="admin@example.org", password_hash=password_hash(), is_admin=True))
        db.add(StaffUser(email="editor@example.org", password_hash=password_hash(), is_editor=True))
        db.commit()


def reference_of(team):
    """A well-formed reference for the team's referral: SW-TEAM-AAAA for the first."""
    return f"SW-TEAM-{'ABCDE'[TEAMS.index(team)] * 4}"


def signed_in(app, email):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def add_referral(db, team, reference, **fields):
    """Add a referral with made-up answers (example.org, 0161 496 0xxx)."""
    db.add(Referral(**{**dict(
        reference=reference, team_id=team, language="en", parent_name="Alex Example",
        phone="0161 496 0999", email=None, contact_ways=["phone"], best_times=[],
        postcode="SK5 8AB", address=None,
        children=[{"born": True, "first_name": "Sam", "date": "2025-04-03"}],
        help_with=["sleep"], details=None, spoken_language="English", interpreter=False,
        consent=True), **fields}))
