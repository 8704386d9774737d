"""A family in danger leaves without a trace, and is told the truth early.

"Exit this page" and "Delete my answers" forget everything on the server;
an idle draft is never shown again; a phone number the team cannot use is
refused; the area a postcode belongs to is said before sending.
"""

import datetime
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from portal.db.base import utcnow
from portal.referrals.models import Draft
from portal.referrals.phone import parse_phone

from .conftest import SHIPPED_CONTENT, all_messages, database, drafts, good_answers, page_of, referrals, text

NEUTRAL = "https://www.bbc.co.uk/weather"


def filled_in(client, **changes):
    """Fill in the form and reach "check your answers"; return the client."""
    response = client.post("/en/refer", data=good_answers(**changes))
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer/check")
    assert client.get("/en/refer/check").status_code == 200
    return client


def words(page):
    """The main text as read aloud: a number in its own span is still one sentence."""
    return text(page.find("main")).replace(" .", ".")


def field_values(page):
    """Every answer the form page shows: text boxes and ticked choices."""
    values = {}
    for field in page.select("main form[action$='/refer'] input, main form[action$='/refer'] textarea"):
        name = field.get("name")
        if name in (None, "csrf_token", "website") or field.get("type") in ("submit", "hidden"):
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values.setdefault(name, []).append(field["value"])
        elif (field.get_text() if field.name == "textarea" else field.get("value")):
            values[name] = field.get_text() if field.name == "textarea" else field["value"]
    return values


# What the app fills in for every new family: the language of the page they read and "no" interpreter.
EMPTY_FORM = {"spoken_language": "English", "interpreter": ["no"]}


@pytest.mark.parametrize("how", ["GET", "POST"])
def test_exit_forgets_the_draft_and_the_cookie_then_leaves(referral_app, how):
    client = filled_in(referral_app.test_client())
    assert len(drafts(referral_app)) == 1
    response = client.open("/en/refer/exit", method=how)
    assert response.status_code == 302 and response.headers["Location"] == NEUTRAL
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # The cookie is emptied on the phone, and the draft is gone from the server.
    assert "session=;" in response.headers.get("Set-Cookie", "")
    assert drafts(referral_app) == []
    # Coming back (a fresh tab, or Back) shows an empty form, and no answers to check.
    assert client.get("/en/refer/check").headers["Location"].endswith("/en/refer")
    assert field_values(page_of(client.get("/en/refer"))) == EMPTY_FORM


def test_exit_works_with_an_expired_form_token(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/en/refer/exit", data={"csrf_token": "long-gone"})
    assert response.status_code == 302 and response.headers["Location"] == NEUTRAL
    response = client.post("/en/refer/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer?deleted=1")


def test_delete_my_answers_forgets_them_and_stays_on_the_site(referral_app):
    client = filled_in(referral_app.test_client())
    check = page_of(client.get("/en/refer/check"))
    assert check.select_one("form.delete-answers[action='/en/refer/delete'] button")
    response = client.post("/en/refer/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer?deleted=1")
    assert drafts(referral_app) == []
    page = page_of(client.get("/en/refer?deleted=1"))
    assert "Your answers have been deleted." in text(page.find("main"))
    assert field_values(page) == EMPTY_FORM
    assert page.select_one("form.delete-answers button")  # on the form page too
    assert client.get("/en/refer/check").headers["Location"].endswith("/en/refer")


def test_a_draft_idle_too_long_is_never_shown_and_is_deleted(referral_app):
    client = filled_in(referral_app.test_client())
    with database(referral_app) as db:
        db.execute(update(Draft).values(touched_at=utcnow() - datetime.timedelta(minutes=121)))
        db.commit()
    assert client.get("/en/refer/check").headers["Location"].endswith("/en/refer")
    assert drafts(referral_app) == []
    assert field_values(page_of(client.get("/en/refer"))) == EMPTY_FORM
    # Sending an expired draft sends nothing.
    assert client.post("/en/refer/check").headers["Location"].endswith("/en/refer")
    assert referrals(referral_app) == []


def test_reading_the_answers_keeps_the_draft_alive(referral_app):
    client = filled_in(referral_app.test_client())
    with database(referral_app) as db:
        db.execute(update(Draft).values(touched_at=utcnow() - datetime.timedelta(minutes=119)))
        db.commit()
    assert client.get("/en/refer/check").status_code == 200
    with database(referral_app) as db:
        [draft] = db.scalars(select(Draft)).all()
        assert utcnow() - draft.touched_at < datetime.timedelta(minutes=1)


def test_the_idle_limit_is_a_setting(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False, DRAFT_IDLE_MINUTES=5)
    client = filled_in(app.test_client())
    with database(app) as db:
        db.execute(update(Draft).values(touched_at=utcnow() - datetime.timedelta(minutes=6)))
        db.commit()
    assert client.get("/en/refer/check").headers["Location"].endswith("/en/refer")


def test_purge_deletes_idle_drafts(referral_app):
    from portal.referrals.cli import purge
    filled_in(referral_app.test_client())
    filled_in(referral_app.test_client())
    with database(referral_app) as db:
        first = db.scalars(select(Draft)).first()
        first.touched_at = utcnow() - datetime.timedelta(hours=3)
        db.commit()
        assert purge(db, retention_days=730)["drafts"] == 1
    assert len(drafts(referral_app)) == 1


def test_the_exit_goes_where_site_yml_says(make_app, database_url, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    site = content / "site.yml"
    site.write_text(site.read_text() + "exit_url: https://www.google.co.uk/\n")
    app = make_app(content=content, DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    assert app.test_client().get("/en/refer/exit").headers["Location"] == "https://www.google.co.uk/"


def test_every_referral_page_has_the_exit_first_and_keeps_nothing(referral_app):
    client = referral_app.test_client()
    form = page_of(client.get("/en/refer"))
    filled_in(client)
    check = page_of(client.get("/en/refer/check"))
    status = page_of(client.get("/en/refer/status"))
    for page in (form, check, status):
        assert page.response.headers["Cache-Control"] == "no-store"
        # After the header, before the content, where GOV.UK puts it.
        exit_link = page.select_one("header + .wrap > .exit-this-page:first-child a.exit-button")
        assert exit_link["href"] == "/en/refer/exit" and "Exit this page" in text(exit_link)
    # No box of the family's answers is one the browser may keep or refill.
    answers_form = form.select_one("form[action='/en/refer']")
    assert answers_form["autocomplete"] == "off"
    for field in answers_form.select("input, textarea"):
        assert field.get("autocomplete", "off") == "off", field
    # Before any question: what to do in an emergency, and what the exit does.
    main = form.find("main")
    first_question = main.find("label")
    before = text(main)[:text(main).index(text(first_question))]
    assert "If you or your child are in danger now, call 999." in before
    assert "For urgent health advice, call 111." in before
    assert "Escape key three times" in before


# ---- phone numbers the team can use ------------------------------------------------

@pytest.mark.parametrize("typed, e164", [
    ("07700 900982", "+447700900982"),
    ("0161 496 0123", "+441614960123"),
    ("+44 (0)161 496 0123", "+441614960123"),
])
def test_a_phone_number_is_stored_as_typed_and_in_e164(referral_app, typed, e164):
    client = filled_in(referral_app.test_client(), phone=typed, contact_ways=["phone"])
    check = page_of(client.get("/en/refer/check"))
    assert typed in text(check.find("main"))
    client.post("/en/refer/check")
    done = page_of(client.get("/en/refer/done"))
    assert f"We will phone you on {typed}." in words(done)
    [referral] = referrals(referral_app)
    assert (referral.phone, referral.phone_e164) == (typed, e164)


@pytest.mark.parametrize("typed", ["0770090012", "0161 496 012", "12345", "07700 9009821", "+44 20 1234",
                                   "phone me", "+999 123 456"])
def test_a_number_nobody_could_ring_is_refused_next_to_the_field(referral_app, typed):
    client = referral_app.test_client()
    response = client.post("/en/refer", data=good_answers(phone=typed))
    page = page_of(response)
    assert response.status_code == 200
    message = text(page.select_one("#phone-error"))
    assert message == "Error: Enter a phone number, like 07700 900 982 or 0161 496 0000. " \
                      "For a number outside the UK, start with + and the country code"
    assert page.select_one("#phone")["aria-invalid"] == "true"
    assert drafts(referral_app) == []


def test_a_number_from_abroad_is_accepted_with_its_country(referral_app):
    client = filled_in(referral_app.test_client(), phone="+48 22 123 4567", contact_ways=["phone"])
    check = page_of(client.get("/en/refer/check"))
    assert "+48 22 123 4567 (Poland)" in text(check.find("main"))
    client.post("/en/refer/check")
    [referral] = referrals(referral_app)
    assert (referral.phone, referral.phone_e164) == ("+48 22 123 4567", "+48221234567")


def test_text_messages_need_a_mobile_number(referral_app):
    response = referral_app.test_client().post(
        "/en/refer", data=good_answers(phone="0161 496 0123", contact_ways=["text"]))
    page = page_of(response)
    assert text(page.select_one("#contact_ways-error")).startswith("Error: To text you we need a mobile number")
    assert drafts(referral_app) == []


def test_the_done_page_reads_back_how_the_family_will_be_contacted(referral_app):
    client = filled_in(referral_app.test_client(), phone="07700 900123", contact_ways=["text"], email="",
                       address="")
    client.post("/en/refer/check")
    said = words(page_of(client.get("/en/refer/done")))
    assert "We will contact you on 07700 900123 by text message." in said
    assert "We will not leave a voicemail or message." in said
    assert "We will not write to you." in said
    assert "We will phone" not in said and "We will email" not in said


# ---- the area, said before sending --------------------------------------------------

def test_the_form_says_which_postcodes_are_covered_before_anything_is_sent(referral_app):
    page = page_of(referral_app.test_client().get("/en/refer"))
    hint = text(page.select_one("#postcode-hint"))
    assert hint == ("We cover postcodes starting SK1, SK2, SK3, SK4, SK5, SK6, SK7, SK8. If you live somewhere "
                    "else, the Start Well triage team will read your request and tell you who can help.")
    assert "postcode-hint" in page.select_one("#postcode")["aria-describedby"]


@pytest.mark.parametrize("postcode, notice", [
    ("M1 1AA", "Your postcode M1 1AA looks outside the area we cover. If you send this request, the Start Well "
               "triage team will read it and tell you who can help."),
    ("SK5 8AB", None),
])
def test_check_your_answers_says_a_postcode_is_outside_the_area(referral_app, postcode, notice):
    client = filled_in(referral_app.test_client(), postcode=postcode)
    found = page_of(client.get("/en/refer/check")).select_one("#outside-area")
    assert (text(found) if found else None) == notice


def test_a_postcode_no_team_covers_is_said_too(make_app, database_url, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    localities = content / "localities.yml"
    localities.write_text(localities.read_text().replace("area: [SK1, SK2, SK3, SK4, SK5, SK6, SK7, SK8]",
                                                         "area: [SK1, SK2, SK3, SK4, SK5, SK6, SK7, SK8, SK9]"))
    app = make_app(content=content, DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    client = filled_in(app.test_client(), postcode="SK9 1AA")
    assert text(page_of(client.get("/en/refer/check")).select_one("#outside-area")) == (
        "None of our local teams covers the postcode SK9 1AA. If you send this request, the Start Well "
        "triage team will read it and pass it to the right team.")


# ---- the team's deputy -----------------------------------------------------------------

def test_a_teams_deputy_is_sent_the_same_email(make_app, database_url, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, content)
    localities = content / "localities.yml"
    localities.write_text(localities.read_text().replace(
        "    email: north.team@example.org\n",
        "    email: north.team@example.org\n    deputy_email: north.deputy@example.org\n"))
    app = make_app(content=content, DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    client = filled_in(app.test_client(), postcode="SK5 8AB")
    client.post("/en/refer/check")
    [referral] = referrals(app)
    team, deputy = all_messages(app)
    assert (team.recipient, deputy.recipient) == ("north.team@example.org", "north.deputy@example.org")
    assert deputy.subject == team.subject and deputy.body == team.body
    assert referral.reference in deputy.body and "Ann" not in deputy.body
    assert {team.status, deputy.status} == {"sent"}


# ---- any phone number typed: a clear error or a usable number, never a 500 -----------

@pytest.fixture
def unlimited_app(make_app, database_url):
    # The rate limit would (rightly) stop a hundred posts from one address.
    return make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False,
                    REFERRAL_RATE_LIMIT="100000 per hour")


TYPED_PHONES = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\+?[0-9 ()-]{3,24}", fullmatch=True),
    st.integers(0, 999).map(lambda n: f"0161 496 0{n:03d}"),
    st.integers(0, 999).map(lambda n: f"+44 7700 900{n:03d}"),
)


def test_any_phone_number_typed_is_refused_by_the_field_or_stored_usable(unlimited_app):
    seen = {200: 0, 302: 0}

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(typed=TYPED_PHONES)
    def post(typed):
        client = unlimited_app.test_client()
        response = client.post("/en/refer", data=good_answers(phone=typed, contact_ways=["phone"]))
        assert response.status_code in (200, 302)
        seen[response.status_code] += 1
        typed = typed.replace("\x00", "")  # dropped by the form: no family types one
        if response.status_code == 200:
            page = page_of(response)
            # Explained next to the field, or, with no number at all, next to the way it was needed for.
            assert page.select_one("#phone-error" if typed.strip() else "#contact_ways-error"), typed
            return
        with client.session_transaction() as cookie:
            draft_id = cookie["draft"]
        with database(unlimited_app) as db:
            answers = db.get(Draft, draft_id).answers
        phone = parse_phone(answers["phone"])
        assert phone is not None and phone.e164 == answers["phone_e164"], typed
        assert answers["phone"] == " ".join(typed.split())

    post()
    assert seen[200] >= 10 and seen[302] >= 10, seen  # both paths were really taken
