"""A staff session ends on the server, not only in the browser: a copied
session cookie stops working after sign-out, a new password, an
administrator's "sign out everywhere", and a fixed time after signing in
however busy it is kept."""

import datetime

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.clock import utcnow
from portal.staff.models import StaffUser

from ..referrals.smtp_server import csrf_token
from .conftest import PASSWORD, seed, signed_in

WORKER = "north.worker@example.org"


def copy_of(app, client):
    """A second browser holding a copy of ``client``'s session cookie (stolen,
    or left in another tab)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/staff/").status_code == 200  # the copy works, for now
    return thief


def signed_out(response):
    return response.status_code == 302 and "/staff/login" in response.headers["Location"]


def account_id(app, email):
    with app.extensions["db"]() as db:
        return db.scalar(select(StaffUser.id).where(StaffUser.email == email))


def audited(app):
    with app.extensions["db"]() as db:
        return [(e.action, e.staff_id, e.detail)
                for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_signing_out_ends_a_copied_cookie_too(app):
    client = signed_in(app, WORKER)
    thief = copy_of(app, client)
    assert signed_out(client.post("/staff/logout"))
    assert signed_out(thief.get("/staff/"))
    assert signed_out(thief.get("/staff/referrals/SW-TEAM-AAAA"))
    # Signing in again starts a new session that works.
    assert signed_in(app, WORKER).get("/staff/").status_code == 200


def test_a_new_password_ends_every_session_of_the_account(app):
    client = signed_in(app, WORKER)
    thief = copy_of(app, client)
    other = signed_in(app, "south.worker@example.org")
    result = app.test_cli_runner().invoke(args=["staff", "password", WORKER],
                                          input="another long password\n")
    assert result.exit_code == 0, result.output
    assert signed_out(client.get("/staff/")) and signed_out(thief.get("/staff/"))
    assert other.get("/staff/").status_code == 200  # another account is untouched


def test_a_session_ends_a_fixed_time_after_sign_in_however_busy(app, monkeypatch):
    started = utcnow()
    monkeypatch.setattr("portal.clock.source", lambda: started)
    client = signed_in(app, WORKER)
    hours = app.config["STAFF_SESSION_HOURS"]
    assert 1 <= hours <= 24
    # A request every 20 minutes never lets the idle limit end it...
    for minutes in range(20, hours * 60, 20):
        monkeypatch.setattr("portal.clock.source",
                            lambda m=minutes: started + datetime.timedelta(minutes=m))
        assert client.get("/staff/").status_code == 200, minutes
    # ...but the whole session's lifetime does.
    monkeypatch.setattr("portal.clock.source",
                        lambda: started + datetime.timedelta(hours=hours, minutes=1))
    assert signed_out(client.get("/staff/"))
    assert signed_out(client.get("/staff/"))
    assert audited(app)[-1] == ("signed out at the session's time limit", account_id(app, WORKER), None)


def test_an_administrator_signs_an_account_out_everywhere(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None)  # CSRF on
    seed(app)

    def sign_in_with_token(email):
        client = app.test_client()
        page = client.get("/staff/login").get_data(as_text=True)
        response = client.post("/staff/login", data={"email": email, "password": PASSWORD,
                                                      "csrf_token": csrf_token(page)})
        assert response.status_code == 302
        return client

    worker = sign_in_with_token(WORKER)
    thief = copy_of(app, worker)
    admin = sign_in_with_token("admin@example.org")
    with app.extensions["db"]() as db:
        editor = db.scalar(select(StaffUser).where(StaffUser.email == "editor@example.org"))
        editor.locked_until = utcnow() + datetime.timedelta(minutes=10)
        db.commit()
    page = admin.get("/staff/accounts")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert WORKER in html and "Sign out everywhere" in html
    assert html.count("Locked after wrong passwords") == 1 and html.count("Active") >= 5
    target = f"/staff/accounts/{account_id(app, WORKER)}/sign-out"
    assert admin.post(target).status_code == 400  # no CSRF token: refused
    assert worker.get("/staff/").status_code == 200
    response = admin.post(target, data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert audited(app)[-1] == ("signed out everywhere", account_id(app, "admin@example.org"),
                                f"account {account_id(app, WORKER)}")
    assert signed_out(worker.get("/staff/")) and signed_out(thief.get("/staff/"))
    assert admin.get("/staff/").status_code == 200
    # A team member can neither see the page nor use the action.
    south = sign_in_with_token("south.worker@example.org")
    assert south.get("/staff/accounts").status_code == 403
    assert south.post(target, data={"csrf_token": csrf_token(html)}).status_code in (400, 403)
