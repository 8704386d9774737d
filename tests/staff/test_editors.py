"""Roles, re-assignment, the editors' corner and readers' page reports."""

import datetime
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from portal.audit.models import AuditEntry
from portal.clock import utcnow
from portal.editors.models import PageReport
from portal.editors.scrub import scrub
from portal.outbox.delivery import background
from portal.outbox.models import Message
from portal.referrals.models import Referral
from portal.staff.models import ReferralEvent, StaffUser

from ..conftest import check_basics
from ..test_security_headers import assert_security_headers
from .conftest import PASSWORD, reference_of, seed, signed_in


@pytest.fixture
def staff_content(content_dir):
    return content_dir  # these tests break and mend content files


def audit_actions(app):
    with app.extensions["db"]() as db:
        return [entry.action for entry in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def team_of(app, reference):
    with app.extensions["db"]() as db:
        return db.scalar(select(Referral.team_id).where(Referral.reference == reference))


# Re-assignment ------------------------------------------------------------

def test_an_administrator_moves_a_referral_and_the_new_team_is_told(app):
    reference = reference_of("north")
    admin = signed_in(app, "admin@example.org")
    page = admin.get(f"/staff/referrals/{reference}").get_data(as_text=True)
    assert "Move to another team" in page
    response = admin.post(f"/staff/referrals/{reference}/team",
                          data={"team": "south", "reason": "lives in SK7, postcode typed wrong"})
    assert response.status_code == 302
    assert team_of(app, reference) == "south"
    # The team it left no longer sees it; the new one does.
    assert signed_in(app, "north.worker@example.org").get(f"/staff/referrals/{reference}").status_code == 404
    south = signed_in(app, "south.worker@example.org")
    assert reference in south.get("/staff/").get_data(as_text=True)
    assert "moved from north to south: lives in SK7" in south.get(
        f"/staff/referrals/{reference}").get_data(as_text=True)
    background.settle()  # the e-mail's first attempt is made after the response
    with app.extensions["db"]() as db:
        message = db.scalar(select(Message).where(Message.recipient == "south.team@example.org"))
        assert message.status == "sent"  # tried at once; .eml in the instance folder
        assert reference in message.subject and reference in message.body
        assert f"/staff/referrals/{reference}" in message.body
        assert "Alex Example" not in message.body and "0161 496 0999" not in message.body
        event = db.scalar(select(ReferralEvent).where(ReferralEvent.kind == "team"))
        assert event.staff_id == db.scalar(select(StaffUser.id).where(StaffUser.is_admin))
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "move referral"))
        assert entry.detail == "north to south" and entry.referral_id == event.referral_id
    mail = list((Path(app.instance_path) / "mail").glob("*.eml"))
    assert len(mail) == 1 and reference in mail[0].read_text()


@pytest.mark.parametrize("team", ["north", "nowhere", ""])
def test_a_referral_cannot_be_moved_to_its_own_team_or_no_team(app, team):
    reference = reference_of("north")
    admin = signed_in(app, "admin@example.org")
    assert admin.post(f"/staff/referrals/{reference}/team", data={"team": team}).status_code == 400
    assert team_of(app, reference) == "north"
    with app.extensions["db"]() as db:
        assert db.scalars(select(Message)).all() == []


def test_a_move_is_kept_when_the_mail_server_is_down(make_app, database_url, staff_content):
    app = make_app(content=staff_content, DATABASE_URL=database_url, WTF_CSRF_ENABLED=False,
                   SMTP_URL="smtp://127.0.0.1:9", DELIVERY_TIMEOUT=1)
    seed(app)
    reference = reference_of("east")
    admin = signed_in(app, "admin@example.org")
    assert admin.post(f"/staff/referrals/{reference}/team", data={"team": "triage"}).status_code == 302
    assert team_of(app, reference) == "triage"
    background.settle()
    with app.extensions["db"]() as db:
        message = db.scalar(select(Message))
        assert message.status == "pending" and message.attempts == 1  # queued for `outbox deliver`


# Roles ----------------------------------------------------------------------

def test_a_team_member_is_refused_the_editors_corner(app):
    client = signed_in(app, "north.worker@example.org")
    response = client.get("/staff/content/")
    assert response.status_code == 403
    assert "Ask an administrator" in response.get_data(as_text=True)
    assert client.post("/staff/content/reports/1/done").status_code == 403
    assert "Editors' corner" not in client.get("/staff/").get_data(as_text=True)


def test_editors_and_administrators_reach_the_editors_corner(app):
    for email in ("editor@example.org", "admin@example.org"):
        client = signed_in(app, email)
        response = client.get("/staff/content/")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        assert_security_headers(response.headers)
        check_basics(BeautifulSoup(response.data, "html.parser"), "/staff/content/")
    assert audit_actions(app).count("view content corner") == 2


def test_a_team_member_who_is_also_an_editor_sees_both(app):
    with app.extensions["db"]() as db:
        db.scalar(select(StaffUser).where(StaffUser.email == "east.worker@example.org")).is_editor = True
        db.commit()
    client = signed_in(app, "east.worker@example.org")
    inbox = client.get("/staff/").get_data(as_text=True)
    assert reference_of("east") in inbox and "Editors' corner" in inbox
    assert client.get("/staff/content/").status_code == 200
    assert client.get(f"/staff/referrals/{reference_of('north')}").status_code == 404


def test_the_staff_add_command_makes_editors(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "add", "words@example.org", "--editor"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["staff", "add", "none@example.org"], input=PASSWORD + "\n").exit_code == 2
    with app.extensions["db"]() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.email == "words@example.org"))
        assert user.is_editor and not user.is_admin and user.team_id is None


# The audit log --------------------------------------------------------------

@pytest.mark.parametrize("change", [
    lambda: update(AuditEntry).values(action="nothing to see"),
    lambda: delete(AuditEntry),
])
def test_the_database_refuses_to_change_the_audit_log(app, change):
    signed_in(app, "north.worker@example.org")
    with app.extensions["db"]() as db:
        with pytest.raises(DBAPIError, match="audit log is written once"):
            db.execute(change())
            db.commit()
        db.rollback()
    assert audit_actions(app) == ["sign in"]


# The editors' corner ----------------------------------------------------------

def corner(client):
    return client.get("/staff/content/").get_data(as_text=True)


def test_the_corner_shows_problems_from_the_running_site_within_seconds(app, content_dir):
    editor = signed_in(app, "editor@example.org")
    before = corner(editor)
    assert "No errors: every file is being served." in before
    group = content_dir / "en" / "groups" / "stay-and-play-adswood.md"
    group.write_text(group.read_text().replace("booking: drop-in", "booking: sometimes", 1))
    translation = content_dir / "pl" / "groups" / "baby-clinic-adswood.md"
    translation.write_text(re.sub(r"translated: .*", "translated: 2020-01-01", translation.read_text()))
    hub = content_dir / "en" / "hubs" / "adswood.md"
    hub.write_text(re.sub(r"review_by: .*", "review_by: 2021-01-01", hub.read_text()))
    after = corner(editor)  # tests poll for changes on every request
    assert re.search(r"<code>en/groups/stay-and-play-adswood.md</code>, line \d+: booking", after)
    assert "<code>pl/groups/baby-clinic-adswood.md</code>" in after.split('id="stale"')[1].split('id="review"')[0]
    assert "<code>en/hubs/adswood.md</code>" in after.split('id="review"')[1].split('id="other"')[0]


def test_the_corner_shows_translation_coverage(app):
    page = BeautifulSoup(corner(signed_in(app, "editor@example.org")), "html.parser")
    with app.app_context():
        from portal.content.web import snapshot
        coverage = snapshot().coverage()
    rows = {row.find("td").span["lang"]: row.find_all("td")[1].get_text()
            for row in page.select("#coverage + .table-scroll tbody tr")}
    assert rows == {lang: f"{done} of {total}" for lang, (done, total) in coverage.items()}
    assert "Urdu (" in page.select_one("#coverage + .table-scroll").get_text()
    assert 0 < coverage["pl"][0] < coverage["pl"][1]  # the demo is part-translated
    missing = page.select("#coverage ~ details")
    assert [d.summary.span["lang"] for d in missing] == [lang for lang, (done, total) in coverage.items()
                                                         if done < total]
    assert all(d.summary.get_text().startswith("Not yet translated into") for d in missing)
    assert len(missing[0].find_all("li")) == coverage[missing[0].summary.span["lang"]][1] - \
        coverage[missing[0].summary.span["lang"]][0]


# Readers' reports -------------------------------------------------------------

CONTENT_PAGES = ["/en/hubs/adswood", "/ur/groups/stay-and-play-adswood", "/pl/epec/being-a-parent-adswood",
                 "/en/health-visiting/new-birth-visit", "/ar/pages/about"]


@pytest.mark.parametrize("url", CONTENT_PAGES)
def test_every_content_page_links_to_its_report_form(app, url):
    client = app.test_client()
    page = BeautifulSoup(client.get(url).data, "html.parser")
    link = page.select_one("p.page-report a")
    assert link["href"] == url + "/report"
    form = client.get(link["href"])
    assert form.status_code == 200
    check_basics(BeautifulSoup(form.data, "html.parser"), link["href"])


def test_a_report_is_stored_and_reaches_the_editors(app):
    client = app.test_client()
    response = client.post("/pl/hubs/adswood/report", data={
        "problem": "contact", "details": "The phone number 0161 496 0220 rings out. Call me on 07700 900123."})
    assert response.status_code == 302 and response.headers["Location"].endswith("/pl/hubs/adswood/report/sent")
    assert client.get(response.headers["Location"]).status_code == 200
    with app.extensions["db"]() as db:
        report = db.scalar(select(PageReport))
        assert (report.lang, report.section, report.page_id, report.problem) == ("pl", "hubs", "adswood", "contact")
        assert report.text == "The phone number 0161 496 0220 rings out. Call me on [removed]."
    editor = signed_in(app, "editor@example.org")
    assert "rings out" in corner(editor)
    assert editor.post(f"/staff/content/reports/{report.id}/done").status_code == 302
    page = corner(editor)
    assert "rings out" not in page and "No reports waiting." in page and "Recently dealt with (1)" in page
    assert audit_actions(app)[-2:] == ["page report dealt with", "view content corner"]


def test_a_report_needs_to_say_what_is_wrong_next_to_the_field(app):
    response = app.test_client().post("/en/groups/stay-and-play-adswood/report", data={"details": "x" * 1001})
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert page.title.string.startswith("Error:")
    assert [a["href"] for a in page.select(".error-summary a")] == ["#problem-1", "#details"]
    assert "Choose what is wrong with the page" in page.select_one("#problem .error-message").get_text()
    assert "1000 characters or fewer" in page.select_one("#details-error").get_text()
    assert page.select_one("#details").get_text() == "x" * 1001  # what they wrote is kept
    with app.extensions["db"]() as db:
        assert db.scalars(select(PageReport)).all() == []


def test_a_robot_filling_the_trap_stores_nothing(app):
    response = app.test_client().post("/en/hubs/adswood/report", data={"problem": "other", "website": "http://spam"})
    assert response.status_code == 400
    with app.extensions["db"]() as db:
        assert db.scalars(select(PageReport)).all() == []


@pytest.mark.parametrize("url", ["/en/hubs/nowhere/report", "/xx/hubs/adswood/report",
                                 "/en/whats-on/report", "/en/hubs/adswood/report/nope"])
def test_reports_about_pages_that_do_not_exist_are_404(app, url):
    assert app.test_client().get(url).status_code == 404
    assert app.test_client().post(url, data={"problem": "other"}).status_code in (404, 405)


def test_reports_are_limited_per_client(make_app, database_url, staff_content):
    app = make_app(content=staff_content, DATABASE_URL=database_url, WTF_CSRF_ENABLED=False,
                   PAGE_REPORT_RATE_LIMIT="2 per hour")
    client = app.test_client()
    codes = [client.post("/en/hubs/adswood/report", data={"problem": "other"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_the_report_form_needs_its_csrf_token(make_app, database_url, staff_content):
    app = make_app(content=staff_content, DATABASE_URL=database_url)
    client = app.test_client()
    assert client.post("/en/hubs/adswood/report", data={"problem": "other"}).status_code == 400
    form = BeautifulSoup(client.get("/en/hubs/adswood/report").data, "html.parser")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post("/en/hubs/adswood/report", data={"problem": "other", "csrf_token": token}).status_code == 302


def test_page_reports_are_purged_with_the_referrals(app):
    from portal.retention.purge import purge
    with app.extensions["db"]() as db:
        db.add(PageReport(lang="en", section="hubs", page_id="adswood", problem="other",
                          created_at=utcnow() - datetime.timedelta(days=800)))
        db.add(PageReport(lang="en", section="hubs", page_id="adswood", problem="times"))
        db.commit()
        assert purge(db, retention_days=730)["page reports"] == 1
        assert [r.problem for r in db.scalars(select(PageReport))] == ["times"]


# Scrubbing ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("ring me on 07700 900123 please", "ring me on [removed] please"),
    ("or +44 7700 900123", "or [removed]"),
    ("mail me at someone@mail.example.org", "mail me at [removed]"),
    ("I live at SK4 1AA", "I live at [removed]"),
    ("sk41aa@example.org", "[removed]"),
    ("starts 10:00-11:30 on 12/03/2026, room 2", "starts 10:00-11:30 on 12/03/2026, room 2"),
    ("the hub's 0161 4960210 is wrong, SK5 8AB fine", "the hub's 0161 4960210 is wrong, SK5 8AB fine"),
    ("", ""),
])
def test_contact_details_are_scrubbed_unless_the_page_prints_them(text, expected):
    assert scrub(text, "Phone 0161 496 0210, Brinnington SK5 8AB") == expected


def test_a_report_that_timed_out_comes_back_with_what_was_written(make_app, database_url, staff_content):
    app = make_app(content=staff_content, DATABASE_URL=database_url)
    response = app.test_client().post("/en/hubs/adswood/report", data={
        "problem": "times", "details": "The Saturday times are wrong", "csrf_token": "expired"})
    assert response.status_code == 400
    page = BeautifulSoup(response.data, "html.parser")
    assert "This page timed out" in page.select_one(".notice").get_text()
    assert page.select_one("#details").get_text() == "The Saturday times are wrong"
    assert page.select_one("#problem-1").has_attr("checked")
    with app.extensions["db"]() as db:
        assert db.scalars(select(PageReport)).all() == []
