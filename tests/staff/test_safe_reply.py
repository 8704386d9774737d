"""The team replies safely, and nothing waits unseen.

How the family asked to be contacted comes first on the referral's page and
in the inbox row; a note that mentions a way they refused is flagged; the
inbox shows how long each new referral has waited, flags those past the
team's target and puts them first. The clock is fixed, so the tests hold on
any day.
"""

import datetime
import shutil

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.referrals.models import Referral
from portal.staff.models import ReferralEvent
from tests.conftest import SHIPPED_CONTENT

from .conftest import add_referral, reference_of, signed_in

UTC = datetime.timezone.utc
# Thursday 3 December 2026, 10:00 in London (GMT).
NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def words(tag):
    return " ".join(tag.get_text(" ").split())


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("portal.staff.waiting.now", lambda: NOW)
    return NOW


def set_fields(app, reference, **fields):
    with app.extensions["db"]() as db:
        referral = db.scalar(select(Referral).where(Referral.reference == reference))
        for key, value in fields.items():
            setattr(referral, key, value)
        db.commit()


def test_the_safe_contact_panel_comes_first(app):
    set_fields(app, reference_of("north"), contact_ways=["text"], phone="07700 900123",
               phone_e164="+447700900123")
    client = signed_in(app, "north.worker@example.org")
    shown = page(client, f"/staff/referrals/{reference_of('north')}")
    main = shown.find("main")
    # Straight after the page's heading, before anything else about the referral.
    heading = main.find("h1")
    panel = heading.find_next_sibling()
    assert panel.name == "section" and "safe-contact" in panel["class"]
    assert words(panel.select_one(".safe-summary")) == (
        "Text only. Do not phone. Do not e-mail. Do not leave voicemail or messages. Do not write.")
    listed = [words(item) for item in panel.select(".safe-ways li")]
    assert listed[0] == "✓ Text messages to 07700 900123 (+447700900123)"
    assert "✗ Do not phone." in listed
    # The icons are decoration: the words say it to a screen reader.
    assert all(icon["aria-hidden"] == "true" for icon in panel.select(".safe-ways li span"))


def test_a_note_about_a_way_the_family_refused_is_saved_and_flagged(app):
    set_fields(app, reference_of("north"), contact_ways=["text"], phone="07700 900123")
    client = signed_in(app, "north.worker@example.org")
    url = f"/staff/referrals/{reference_of('north')}"
    response = client.post(f"{url}/notes", data={"text": "Phoned mum, no answer"})
    assert response.status_code == 302
    shown = page(client, url)
    warning = shown.select_one("#note-warning")
    assert warning["role"] == "alert"
    assert "You wrote 'Phoned'; this family asked not to be phoned." in words(warning)
    assert "Text only." in words(warning)
    # Beside the note box: the warning comes just before the box in the note form.
    form = shown.select_one(f"form[action='{url}/notes']")
    assert form.select_one("#note-warning") and form.select_one("textarea")
    # The note is kept (it records what happened), and flagged in the history for the next reader.
    history = words(shown.select_one("ol.events"))
    assert "Phoned mum, no answer" in history and "Check You wrote 'Phoned'" in history
    with app.extensions["db"]() as db:
        assert db.scalar(select(ReferralEvent.text).where(ReferralEvent.kind == "note")) == \
            "Phoned mum, no answer"
    # Shown once: the next visit has no warning beside the box.
    assert page(client, url).select_one("#note-warning") is None


def test_a_note_that_keeps_to_what_the_family_allowed_is_not_flagged(app):
    set_fields(app, reference_of("north"), contact_ways=["text"], phone="07700 900123")
    client = signed_in(app, "north.worker@example.org")
    url = f"/staff/referrals/{reference_of('north')}"
    client.post(f"{url}/notes", data={"text": "Texted the group times"})
    shown = page(client, url)
    assert shown.select_one("#note-warning") is None and "Check" not in words(shown.select_one("ol.events"))


def test_the_inbox_row_says_how_to_contact_the_family(app):
    set_fields(app, reference_of("north"), contact_ways=["text", "phone"])
    client = signed_in(app, "north.worker@example.org")
    row = page(client, "/staff/").select_one("table.inbox tbody tr")
    assert "Phone or text. ✗ Do not e-mail. ✗ Do not leave voicemail or messages. ✗ Do not write." in words(row)


def make_waiting(app, created):
    """North's referrals, created at each given moment (newest last)."""
    references = []
    with app.extensions["db"]() as db:
        for index, moment in enumerate(created):
            reference = f"SW-WAIT-{'FGHJK'[index] * 4}"
            add_referral(db, "north", reference)
            references.append(reference)
        db.commit()
        for reference, moment in zip(references, created):
            db.scalar(select(Referral).where(Referral.reference == reference)).created_at = moment
        db.scalar(select(Referral).where(Referral.reference == reference_of("north"))).created_at = NOW
        db.commit()
    return references


def test_the_inbox_shows_waiting_flags_overdue_and_puts_it_first(app, clock):
    recent, old, older = make_waiting(app, [
        datetime.datetime(2026, 12, 1, 11, 0, tzinfo=UTC),  # Tuesday 11:00: not yet 2 working days
        datetime.datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        datetime.datetime(2026, 11, 27, 9, 0, tzinfo=UTC),  # Friday 9:00: 4 working days by Thursday
    ])
    set_fields(app, old, status="contacted")  # the team has acted: the clock stops
    client = signed_in(app, "north.worker@example.org")
    rows = page(client, "/staff/").select("table.inbox tbody tr")
    order = [words(row.select_one(".reference-cell")) for row in rows]
    # Overdue first (Friday 27th: 4 working days), then the rest newest first.
    assert order == [older, reference_of("north"), recent, old]
    cells = {words(row.select_one(".reference-cell")): words(row.select("td")[3]) for row in rows}
    assert cells[older] == "4 working days Overdue"
    assert cells[recent] == "1 working day"
    assert cells[reference_of("north")] == "0 working days"
    assert cells[old] == "–"


def test_a_teams_target_is_a_setting(make_app, database_url, tmp_path, monkeypatch):
    monkeypatch.setattr("portal.staff.waiting.now", lambda: NOW)
    content = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    localities = content / "localities.yml"
    localities.write_text(localities.read_text().replace(
        "    email: north.team@example.org\n", "    email: north.team@example.org\n    target_working_days: 1\n"))
    from .conftest import seed
    app = make_app(content=content, DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    seed(app)
    [recent] = make_waiting(app, [datetime.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)])
    client = signed_in(app, "north.worker@example.org")
    shown = page(client, f"/staff/referrals/{recent}")
    assert "Overdue (the team's target is 1 working day)" in words(shown.find("main"))


def test_healthz_counts_overdue_referrals(app, clock):
    make_waiting(app, [datetime.datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
                       datetime.datetime(2026, 12, 3, 9, 0, tzinfo=UTC)])
    body = app.test_client().get("/healthz").get_json()
    assert body["database"]["referrals"] == {"overdue": 1}
