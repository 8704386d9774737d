"""The staff inbox: each team sees exactly its own referrals, every action is
audited, and sign-in is throttled."""

import datetime
import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.clock import utcnow
from portal.referrals.models import Referral
from portal.staff.models import ReferralEvent, StaffUser

from .conftest import PASSWORD, TEAMS, add_referral, reference_of, signed_in


def actions(reference):
    """Every staff address and action on one referral: (method, url, data,
    the answer a member of the referral's own team gets)."""
    return [
        ("GET", f"/staff/referrals/{reference}", None, 200),
        ("POST", f"/staff/referrals/{reference}/status", {"status": "closed"}, 302),
        ("POST", f"/staff/referrals/{reference}/notes", {"text": "seen"}, 302),
        # Only an administrator moves a referral, even the team's own.
        ("POST", f"/staff/referrals/{reference}/team", {"team": "triage"}, 403),
    ]


def call(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data=data)


@pytest.mark.parametrize("team", TEAMS)
def test_a_team_member_never_reaches_another_teams_referral(app, team):
    client = signed_in(app, f"{team}.worker@example.org")
    for other in TEAMS:
        for method, url, data, own in actions(reference_of(other)):
            response = call(client, method, url, data)
            if other == team:
                assert response.status_code == own, (method, url, response.status_code)
            else:
                assert response.status_code == 404, (team, method, url, response.status_code)
    listed = client.get("/staff/").get_data(as_text=True)
    assert reference_of(team) in listed
    assert not any(reference_of(other) in listed for other in TEAMS if other != team)
    # Nothing of another team's was changed.
    with app.extensions["db"]() as db:
        for other in TEAMS:
            referral = db.scalar(select(Referral).where(Referral.reference == reference_of(other)))
            assert (referral.status == "closed") == (other == team)
            assert referral.team_id == other


def test_an_unknown_reference_looks_like_another_teams(app):
    client = signed_in(app, "north.worker@example.org")
    assert client.get("/staff/referrals/SW-NONE-NONE").status_code == 404
    assert client.get("/staff/referrals/" + reference_of("south")).status_code == 404


def test_nobody_signed_in_sees_nothing(app):
    client = app.test_client()
    for team in TEAMS:
        for method, url, data, _ in actions(reference_of(team)) + [
                ("GET", "/staff/", None, 200), ("GET", "/staff/export.csv", None, 200),
                ("GET", "/staff/content/", None, 200),
                ("POST", "/staff/content/reports/1/done", {}, 302)]:
            response = call(client, method, url, data)
            assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
            assert b"Alex Example" not in response.data


def test_an_editors_account_reaches_no_referral(app):
    client = signed_in(app, "editor@example.org")
    assert client.get("/staff/").headers["Location"].endswith("/staff/content/")
    assert client.get("/staff/export.csv").status_code == 404
    for team in TEAMS:
        for method, url, data, _ in actions(reference_of(team)):
            assert call(client, method, url, data).status_code == 404, (method, url)
    assert b"Alex Example" not in client.get("/staff/content/").data


def test_an_administrator_sees_every_team(app):
    listed = signed_in(app, "admin@example.org").get("/staff/").get_data(as_text=True)
    assert all(reference_of(team) in listed for team in TEAMS)


def test_every_view_and_change_is_audited_with_who_and_when(app):
    client = signed_in(app, "north.worker@example.org")
    reference = reference_of("north")
    client.get("/staff/")
    client.get(f"/staff/referrals/{reference}")
    client.post(f"/staff/referrals/{reference}/status", data={"status": "contacted"})
    client.post(f"/staff/referrals/{reference}/notes", data={"text": "Phoned, left no message"})
    with app.extensions["db"]() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.email == "north.worker@example.org"))
        entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["sign in", "view inbox", "view referral",
                                               "change status", "add note"]
        assert all(e.staff_id == user.id for e in entries)
        events = db.scalars(select(ReferralEvent).order_by(ReferralEvent.id)).all()
        assert [(e.kind, e.staff_id) for e in events] == [("status", user.id), ("note", user.id)]
    page = client.get(f"/staff/referrals/{reference}").get_data(as_text=True)
    assert "Phoned, left no message" in page and "north.worker@example.org" in page


def test_refused_sign_ins_and_sign_outs_are_audited_without_the_address_typed(app):
    client = app.test_client()
    client.post("/staff/login", data={"email": "someone.else@example.org", "password": "guess"})
    for _ in range(5):
        client.post("/staff/login", data={"email": "north.worker@example.org", "password": "wrong guess"})
    signed_in(app, "south.worker@example.org").post("/staff/logout")
    with app.extensions["db"]() as db:
        ids = {user.email: user.id for user in db.scalars(select(StaffUser))}
        entries = [(e.action, e.staff_id, e.detail) for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert entries == [("sign in refused", ids["north.worker@example.org"], None)] * 4 + [
        ("sign in refused", ids["north.worker@example.org"], "account locked for 15 minutes"),
        ("sign in", ids["south.worker@example.org"], None),
        ("sign out", ids["south.worker@example.org"], None)]


def test_account_commands_are_audited(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["staff", "add", "new.editor@example.org", "--locality", "east", "--editor"],
                         input=PASSWORD + "\n").exit_code == 0
    assert runner.invoke(args=["staff", "password", "new.editor@example.org"],
                         input="another long password\n").exit_code == 0
    assert runner.invoke(args=["staff", "disable", "new.editor@example.org"]).exit_code == 0
    with app.extensions["db"]() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.email == "new.editor@example.org"))
        entries = [(e.action, e.staff_id, e.detail) for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert entries == [("account created", None, f"account {user.id}: team east, editor"),
                       ("password changed", None, f"account {user.id}"),
                       ("account disabled", None, f"account {user.id}")]


def test_wrong_password_and_unknown_account_get_the_same_answer(app):
    client = app.test_client()
    unknown = client.post("/staff/login", data={"email": "nobody@example.org", "password": PASSWORD})
    wrong = client.post("/staff/login", data={"email": "north.worker@example.org", "password": "not it at all"})
    assert unknown.status_code == wrong.status_code == 400
    message = "The email address or password is not right"
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)


def test_an_account_locks_after_five_wrong_passwords(app):
    client = app.test_client()
    for _ in range(5):
        client.post("/staff/login", data={"email": "north.worker@example.org", "password": "wrong password"})
    right = client.post("/staff/login", data={"email": "north.worker@example.org", "password": PASSWORD})
    assert right.status_code == 400  # locked, and it does not say so differently


def test_sign_in_attempts_are_limited_per_client(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, WTF_CSRF_ENABLED=False, STAFF_LOGIN_RATE_LIMIT="3 per hour")
    client = app.test_client()
    for _ in range(3):
        client.post("/staff/login", data={"email": "x@example.org", "password": "y"})
    assert client.post("/staff/login", data={"email": "x@example.org", "password": "y"}).status_code == 429


def test_a_disabled_account_cannot_sign_in_or_stay_signed_in(app):
    client = signed_in(app, "north.worker@example.org")
    with app.extensions["db"]() as db:
        db.scalar(select(StaffUser).where(StaffUser.email == "north.worker@example.org")).disabled = True
        db.commit()
    assert client.get("/staff/").status_code == 302
    response = app.test_client().post("/staff/login", data={"email": "north.worker@example.org",
                                                            "password": PASSWORD})
    assert response.status_code == 400


def test_the_session_ends_after_inactivity(app):
    client = signed_in(app, "north.worker@example.org")
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        session["staff_seen"] = (utcnow() - datetime.timedelta(minutes=31)).timestamp()
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/").status_code == 302
    with app.extensions["db"]() as db:
        assert db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()[-1] == \
            "signed out after inactivity"


def test_staff_pages_are_never_cached(app):
    client = signed_in(app, "north.worker@example.org")
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"


def test_the_staff_add_command(make_app, database_url):
    app = make_app(DATABASE_URL=database_url)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["staff", "add", "new.worker@example.org", "--locality", "east"],
                       input=PASSWORD + "\n")
    assert ok.exit_code == 0, ok.output
    assert runner.invoke(args=["staff", "add", "x@example.org", "--locality", "west"],
                         input=PASSWORD + "\n").exit_code == 2
    assert runner.invoke(args=["staff", "add", "y@example.org", "--admin", "--locality", "east"],
                         input=PASSWORD + "\n").exit_code == 2
    assert runner.invoke(args=["staff", "add", "z@example.org", "--admin"], input="short\n").exit_code == 2
    with app.extensions["db"]() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.email == "new.worker@example.org"))
        assert user.team_id == "east" and user.password_hash.startswith("$argon2")


def test_staff_pages_have_the_basics(app):
    from bs4 import BeautifulSoup

    from ..conftest import check_basics
    from ..test_security_headers import assert_security_headers
    client = app.test_client()
    check_basics(BeautifulSoup(client.get("/staff/login").data, "html.parser"), "/staff/login")
    client = signed_in(app, "north.worker@example.org")
    for url in ("/staff/", "/staff/?status=new", f"/staff/referrals/{reference_of('north')}"):
        response = client.get(url)
        assert response.status_code == 200
        assert_security_headers(response.headers)
        check_basics(BeautifulSoup(response.data, "html.parser"), url)


def test_csv_export_holds_only_the_team_and_defuses_formulas(app):
    import csv
    import io
    with app.extensions["db"]() as db:
        referral = db.scalar(select(Referral).where(Referral.reference == reference_of("north")))
        referral.details = '=HYPERLINK("http://example.org","click")'
        referral.parent_name = "+44 trick"
        db.commit()
    client = signed_in(app, "north.worker@example.org")
    response = client.get("/staff/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["reference"] for row in rows] == [reference_of("north")]
    assert rows[0]["details"].startswith("'=HYPERLINK") and rows[0]["parent_name"] == "'+44 trick"
    with app.extensions["db"]() as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "export csv")).detail == "1 referrals"
    assert app.test_client().get("/staff/export.csv").status_code == 302


def test_purge_removes_old_referrals_with_their_notes_and_emails(app):
    from portal.outbox.models import Message
    from portal.retention.purge import purge
    with app.extensions["db"]() as db:
        old = db.scalar(select(Referral).where(Referral.reference == reference_of("north")))
        old.created_at = utcnow() - datetime.timedelta(days=800)
        old.messages.append(Message(recipient="north.team@example.org", subject="s", body="b"))
        db.add(ReferralEvent(referral_id=old.id, kind="note", text="seen"))
        db.commit()
        assert purge(db, retention_days=730) == {"referrals": 1, "drafts": 0, "status failures": 0,
                                                     "page reports": 0}
        assert db.scalar(select(Referral).where(Referral.reference == reference_of("north"))) is None
        assert db.scalars(select(Message)).all() == [] and db.scalars(select(ReferralEvent)).all() == []
        assert len(db.scalars(select(Referral)).all()) == len(TEAMS) - 1


def test_purge_command_logs_counts_only(app, caplog):
    import logging
    caplog.set_level(logging.INFO)
    result = app.test_cli_runner().invoke(args=["referrals", "purge"])
    assert result.exit_code == 0 and "purged 0 referrals" in result.output
    assert "Alex Example" not in caplog.text


def test_subject_access_export(app):
    import json
    result = app.test_cli_runner().invoke(args=["referrals", "export", reference_of("east").lower()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["reference"] == reference_of("east") and data["parent_name"] == "Alex Example"
    assert data["children"][0]["first_name"] == "Sam"
    assert app.test_cli_runner().invoke(args=["referrals", "export", "SW-NONE-NONE"]).exit_code == 1


def test_the_inbox_pages_through_every_referral_newest_first(app):
    with app.extensions["db"]() as db:
        start = utcnow() - datetime.timedelta(days=1)
        for number in range(150):
            add_referral(db, "north", f"SW-PAGE-{number:04d}", created_at=start + datetime.timedelta(minutes=number))
        db.commit()
    client = signed_in(app, "north.worker@example.org")
    first = client.get("/staff/").get_data(as_text=True)
    # The fixture's own referral came in just now: newest of all.
    assert re.findall(r">(SW-[A-Z]{4}-[A-Z0-9]{4})<", first) == \
        [reference_of("north")] + [f"SW-PAGE-{n:04d}" for n in range(149, 50, -1)]
    assert "Older referrals" in first and "Newer referrals" not in first
    second = client.get("/staff/?page=2").get_data(as_text=True)
    assert re.findall(r">(SW-[A-Z]{4}-[A-Z0-9]{4})<", second) == [f"SW-PAGE-{n:04d}" for n in range(50, -1, -1)]
    assert "Older referrals" not in second and "Newer referrals" in second
    assert client.get("/staff/?page=0").status_code == 404


def test_a_reference_read_out_on_the_phone_opens_the_referral(app):
    client = signed_in(app, "north.worker@example.org")
    typed = reference_of("north").lower().replace("-", " ")
    response = client.get("/staff/", query_string={"reference": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/referrals/{reference_of('north')}")


@pytest.mark.parametrize("typed", [reference_of("south"), "SW-NONE-NONE", "not a reference"])
def test_another_teams_reference_is_not_found_like_a_wrong_one(app, typed):
    response = signed_in(app, "north.worker@example.org").get("/staff/", query_string={"reference": typed})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error:" in page
    assert f"There is no referral {typed} in your team's inbox" in page
    assert 'aria-invalid="true"' in page


def test_an_administrator_can_show_one_team(app):
    client = signed_in(app, "admin@example.org")
    page = client.get("/staff/?team=south").get_data(as_text=True)
    assert re.findall(r">(SW-TEAM-[A-Z]{4})<", page) == [reference_of("south")]
    assert "All (1)" in page and "New (1)" in page
    # A team member's ?team= is ignored: they only ever see their own.
    page = signed_in(app, "north.worker@example.org").get("/staff/?team=south").get_data(as_text=True)
    assert re.findall(r">(SW-TEAM-[A-Z]{4})<", page) == [reference_of("north")]


def test_the_staff_session_cookie_is_httponly_samesite_and_secure_in_production(
        monkeypatch, tmp_path, database_url):
    from bs4 import BeautifulSoup

    from portal import create_app
    from portal.config import config_from_environment
    from tests.conftest import SHIPPED_CONTENT

    from .conftest import seed
    for name, value in {"PORTAL_ENV": "production", "SECRET_KEY": "s" * 32, "DATABASE_URL": database_url,
                        "PORTAL_INSTANCE_DIR": str(tmp_path / "prod"), "PORTAL_BASE_URL": "https://localhost",
                        "PORTAL_CONTENT_DIR": str(SHIPPED_CONTENT)}.items():
        monkeypatch.setenv(name, value)
    app = create_app(config_from_environment())
    app.config["SEARCH_REBUILD"] = "off"
    seed(app)
    client = app.test_client()
    form = BeautifulSoup(client.get("https://localhost/staff/login").data, "html.parser")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post("https://localhost/staff/login", data={
        "email": "north.worker@example.org", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/staff/login"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "; HttpOnly" in cookie and "; Secure" in cookie and "; SameSite=Lax" in cookie
