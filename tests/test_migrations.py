"""Migrations keep every row: up from the first released schema and back."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from portal.db.engine import make_engine
from portal.db.migrate import downgrade, upgrade
from portal.outbox.models import Message
from portal.referrals.models import Referral
from portal.staff.models import ReferralEvent, StaffUser

# A referral with a note by a member of staff and its team e-mail, as the
# 0002 schema stored them (the e-mail and the note hang off the referral).
ROWS = [
    """INSERT INTO staff_users (id, email, password_hash, team_id, is_admin, disabled, failed_logins, created_at)
       VALUES (7, 'north.worker@example.org', 'x', 'north', false, false, 0, '2026-01-01 00:00:00+00:00')""",
    """INSERT INTO referrals (id, reference, created_at, status, team_id, outside_area, language, parent_name,
       phone, email, contact_ways, best_times, postcode, address, children, help_with, details, spoken_language,
       interpreter, consent)
       VALUES (1, 'SW-AAAA-BBBB', '2026-01-01 00:00:00+00:00', 'received', 'north', false, 'en',
       'Alex "Quoted" Example', '0161 496 0999', NULL, '["phone"]', '[]', 'SK5 8AB', 'Flat 1
Road', '[{"first_name": "Sam", "born": true, "date": "2025-04-03"}]', '["sleep"]', NULL, 'Polski', false, true)""",
    """INSERT INTO referral_events (id, referral_id, staff_id, at, kind, text)
       VALUES (1, 1, 7, '2026-01-02 00:00:00+00:00', 'note', 'Phoned "twice"')""",
    """INSERT INTO outbox (id, referral_id, created_at, recipient, subject, body, status, attempts, next_attempt_at)
       VALUES (1, 1, '2026-01-01 00:00:00+00:00', 'north.team@example.org', 's', 'b', 'sent', 1,
       '2026-01-01 00:00:00+00:00')""",
]


@pytest.fixture
def old_database(database_url):
    """The database at 0002 (the first schema a council ran) with one referral."""
    downgrade(database_url, "base")  # the fixture made it at head: start empty
    upgrade(database_url, "0002")
    engine = create_engine(database_url)
    with engine.begin() as connection:
        for statement in ROWS:
            connection.exec_driver_sql(statement)
    engine.dispose()
    return database_url


def check_everything_is_there(url):
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            referral = db.get(Referral, 1)
            assert referral.parent_name == 'Alex "Quoted" Example' and referral.phone == "0161 496 0999"
            assert referral.email is None and referral.address == "Flat 1\nRoad"
            assert referral.children == [{"first_name": "Sam", "born": True, "date": "2025-04-03"}]
            event = db.get(ReferralEvent, 1)
            assert (event.text, event.staff_id) == ('Phoned "twice"', 7)  # not cascaded away or nulled
            assert db.get(Message, 1).referral_id == 1
            assert db.get(StaffUser, 7).session_generation == 0  # 0006: signed-in sessions count from 0
    finally:
        engine.dispose()


def test_upgrading_keeps_every_referral_note_and_email(old_database):
    upgrade(old_database)
    check_everything_is_there(old_database)


def test_downgrading_and_upgrading_again_keeps_them_too(old_database):
    upgrade(old_database)
    downgrade(old_database, "0002")
    engine = create_engine(old_database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT parent_name, phone FROM referrals")).one() == \
            ('Alex "Quoted" Example', "0161 496 0999")
        assert connection.execute(text("SELECT text, staff_id FROM referral_events")).one() == \
            ('Phoned "twice"', 7)
        assert connection.execute(text("SELECT count(*) FROM outbox")).scalar() == 1
    engine.dispose()
    upgrade(old_database)
    check_everything_is_there(old_database)
