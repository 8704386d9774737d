"""The sign-in lock-out holds when many attempts arrive at once, on SQLite
and PostgreSQL: failures are counted in the database before any password
is checked, so no burst of attempts gets more guesses than the limit."""

import threading

import pytest
from sqlalchemy import select

from portal.staff import accounts
from portal.staff.models import StaffUser

from .conftest import PASSWORD

WORKER = "north.worker@example.org"
AT_ONCE = 30


@pytest.fixture
def staff_settings():
    """Wait up to 60 s for a database connection. Here 30 threads of one
    process share a pool of 10 connections (a server's workers each have
    their own), and on a loaded machine a thread can wait longer than a
    request's usual deadline for one: that is this test's burst, not the
    lock-out, failing."""
    return {"DATABASE_TIMEOUT": 60}


def attempt_all_at_once(app, passwords):
    """Sign in with each password from its own thread and session, all
    released together; return the accounts that got in."""
    start = threading.Barrier(len(passwords))
    signed_in, errors = [], []

    def attempt(password):
        try:
            with app.app_context(), app.extensions["db"]() as session:
                start.wait(30)
                user = accounts.sign_in(session, WORKER, password).user
                if user is not None:
                    signed_in.append(user.id)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(password,)) for password in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return signed_in


def test_a_burst_of_wrong_passwords_locks_the_account_and_gets_no_more_guesses(app, monkeypatch):
    checked = []
    real_check = accounts.check_password

    def counting_check(stored_hash, password):
        if stored_hash is not None:
            checked.append(password)
        return real_check(stored_hash, password)

    monkeypatch.setattr(accounts, "check_password", counting_check)
    assert attempt_all_at_once(app, [f"wrong guess number {n}" for n in range(AT_ONCE)]) == []
    # At most MAX_FAILURES guesses were checked against the real hash; the
    # rest were refused on the count alone.
    assert len(checked) <= accounts.MAX_FAILURES, len(checked)
    with app.extensions["db"]() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == WORKER))
        assert user.locked_until is not None
    # The right password, many times at once, after the limit: nobody gets in.
    assert attempt_all_at_once(app, [PASSWORD] * 10) == []
    assert app.test_client().post("/staff/login", data={"email": WORKER, "password": PASSWORD}) \
        .status_code == 400


def test_the_right_password_after_fewer_wrong_ones_signs_in_and_clears_the_count(app):
    """Counting before checking must not lock out the person who types it right."""
    with app.app_context(), app.extensions["db"]() as session:
        for n in range(accounts.MAX_FAILURES - 1):
            assert accounts.sign_in(session, WORKER, f"wrong guess {n}").user is None
        assert accounts.sign_in(session, WORKER, PASSWORD).user is not None
        user = session.scalar(select(StaffUser).where(StaffUser.email == WORKER)
                              .execution_options(populate_existing=True))
        assert (user.failed_logins, user.locked_until) == (0, None)
