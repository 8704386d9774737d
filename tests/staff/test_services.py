"""The staff rules called as plain functions, with no request: the views
only turn their answers into pages (the same rules are tested through the
pages in test_inbox.py)."""

import datetime

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.clock import utcnow
from portal.content.web import store
from portal.staff import accounts, actions, export, inbox
from portal.staff.models import EventKind, ReferralEvent, StaffUser

from .conftest import PASSWORD, reference_of


def account(session, email):
    return session.scalar(select(StaffUser).where(StaffUser.email == email))


def test_sign_in_succeeds_refuses_and_audits_without_a_request(app):
    with app.app_context(), app.extensions["db"]() as session:
        worker = account(session, "north.worker@example.org")
        assert accounts.sign_in(session, " North.Worker@example.org ", PASSWORD).user.id == worker.id
        assert accounts.sign_in(session, "north.worker@example.org", "not the password").user is None
        assert accounts.sign_in(session, "nobody@example.org", PASSWORD).user is None
        assert account(session, "north.worker@example.org").failed_logins == 1
        audited = [(entry.action, entry.staff_id) for entry in session.scalars(select(AuditEntry))]
        assert audited == [("sign in", worker.id), ("sign in refused", worker.id)]
    assert f"{accounts.LOCK_MINUTES} minutes" in accounts.WRONG


def test_idle_expiry_is_a_plain_rule():
    now = utcnow()
    seen = (now - datetime.timedelta(minutes=30, seconds=1)).timestamp()
    assert accounts.idle_too_long(seen, 30, now)
    assert not accounts.idle_too_long(seen + 2, 30, now)
    assert not accounts.idle_too_long(None, 30, now)


def test_the_inbox_and_actions_work_on_a_session(app):
    with app.app_context(), app.extensions["db"]() as session:
        north = account(session, "north.worker@example.org")
        editor = account(session, "editor@example.org")
        assert inbox.find(session, north, reference_of("south")) is None
        assert inbox.find(session, editor, reference_of("north")) is None
        assert export.export_csv(session, editor) is None
        found = inbox.find_typed(session, north, reference_of("north").lower().replace("-", " "))
        assert found is not None and found.reference == reference_of("north")
        listing = inbox.inbox_page(session, north, store().snapshot.localities, utcnow(), chosen="new")
        assert [r.reference for r in listing.referrals] == [reference_of("north")]
        assert listing.counts == {"new": 1, "contacted": 0, "closed": 0} and not listing.older
        assert listing.waits[found.id].days == 0 and not listing.waits[found.id].overdue
        actions.change_status(session, north, found, "contacted")
        actions.add_note(session, north, found, "  rang back  ")
        kinds = [(e.kind, e.text) for e in session.scalars(select(ReferralEvent).order_by(ReferralEvent.id))]
        assert kinds == [(EventKind.STATUS, "Contacted"), (EventKind.NOTE, "rang back")]
        assert not actions.may_move(north)
        assert export.export_csv(session, north).count("\n") == 2  # the header and one referral
