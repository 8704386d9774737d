"""A family's whole journey through the self-referral form, on SQLite and PostgreSQL."""

import datetime
import email
import email.policy
import io
import logging

import pytest
from flask_babel import force_locale, gettext
from werkzeug.datastructures import MultiDict

from portal.outbox.delivery import background
from portal.referrals.reference import PATTERN as REFERENCE

from .conftest import (
    a_year_ago,
    all_messages,
    drafts,
    good_answers,
    messages_of,
    page_of,
    referrals,
    send_referral,
    text,
)

# What the family typed that must never leave the database (no log, no e-mail).
PERSONAL = ["Ann Testperson", "Testperson", "07700 900982", "07700900982", "7700 900982",
            "ann.testperson@example.org", "ann.testperson", "SK5 8AB", "sk5 8ab", "SK58AB", "Quietwater",
            "Bobbie", "Bedtimes are hard", "Cornish"]


def answers_on_check_page(page):
    return {text(row.dt): text(row.find("dd")) for row in page.select(".summary-row")}


def change_links(page):
    return {text(row.dt): row.select_one("dd.change a")["href"] for row in page.select(".summary-row")}


def checked(page, name):
    return [box["value"] for box in page.find_all("input", attrs={"name": name}) if box.has_attr("checked")]


def value_of(page, name):
    field = page.find(["input", "textarea"], attrs={"name": name})
    return field.get_text() if field.name == "textarea" else field.get("value")


def errors_of(page):
    """(anchor, message) pairs from the error summary."""
    summary = page.select_one(".error-summary")
    if summary is None:
        return []
    return [(link["href"], text(link)) for link in summary.select("a")]


def mail_files(app):
    background.settle()  # the first attempt is made after the response
    folder = app.config["INSTANCE_DIR"] / "mail"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


# ---- the journey ------------------------------------------------------------------

@pytest.mark.parametrize("typed, postcode, team, phone, outside", [
    ("sk5 8ab", "SK5 8AB", "North locality team", "0161 496 0101", False),
    ("sk25ab", "SK2 5AB", "East locality team", "0161 496 0103", False),
    ("m1 1aa", "M1 1AA", "Start Well triage team", "0161 496 0105", True),
])
def test_a_family_fills_in_checks_changes_and_sends(referral_app, referral_pages, typed, postcode, team, phone,
                                                     outside):
    client = referral_pages.client
    form = referral_pages.get("referrals.start", lang="en")
    assert form.select_one("form[action='/en/refer']") and not form.select(".error-summary")
    assert form.title.string.startswith("Ask for help")
    response = client.post("/en/refer", data=good_answers(postcode=typed))
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer/check")

    # Check your answers: every answer, as the family will recognise it.
    check = referral_pages.get("referrals.check", lang="en")
    assert answers_on_check_page(check) == {
        "Your full name": "Ann Testperson",
        "Phone number": "07700 900982",
        "Email address": "ann.testperson@example.org",
        "How can we contact you safely?": "Phone call, Email, Letter by post",
        "When is it best to contact you?": "Morning (9am to 12pm), Late afternoon (3pm to 5pm)",
        "Postcode": postcode,
        "Address": "12 Quietwater Lane, Reddish",
        "Child 1": f"Bobbie, born 3 April {a_year_ago()}",
        "What would you like help with?": "Sleep, Speech and language",
        "Tell us more (optional)": "Bedtimes are hard since the move",
        "Which language would you like us to speak?": "Cornish",
        "Would you like an interpreter?": "Yes",
    }

    # Each "Change" link goes back to its own question, filled in from the draft.
    links = change_links(check)
    assert links == {
        "Your full name": "/en/refer#parent_name", "Phone number": "/en/refer#phone",
        "Email address": "/en/refer#email", "How can we contact you safely?": "/en/refer#contact_ways-1",
        "When is it best to contact you?": "/en/refer#best_times-1", "Postcode": "/en/refer#postcode",
        "Address": "/en/refer#address", "Child 1": "/en/refer#children-0-born-1",
        "What would you like help with?": "/en/refer#help_with-1", "Tell us more (optional)": "/en/refer#details",
        "Which language would you like us to speak?": "/en/refer#spoken_language",
        "Would you like an interpreter?": "/en/refer#interpreter-1",
    }
    again = referral_pages.get_url("/en/refer")
    for href in links.values():
        target = again.find(id=href.split("#")[1])
        assert target is not None, href
        # The anchor is the question's own field (or its first choice).
        assert target.name in ("input", "textarea"), href
    assert value_of(again, "parent_name") == "Ann Testperson"
    assert value_of(again, "phone") == "07700 900982"
    assert value_of(again, "email") == "ann.testperson@example.org"
    assert checked(again, "contact_ways") == ["phone", "email", "letter"]
    assert checked(again, "best_times") == ["morning", "late-afternoon"]
    assert value_of(again, "postcode") == postcode
    assert value_of(again, "address") == "12 Quietwater Lane, Reddish"
    assert checked(again, "children-0-born") == ["yes"]
    assert value_of(again, "children-0-first_name") == "Bobbie"
    assert [value_of(again, f"children-0-date-{part}") for part in ("day", "month", "year")] == [
        "3", "4", str(a_year_ago())]
    assert checked(again, "help_with") == ["sleep", "speech"]
    assert value_of(again, "details") == "Bedtimes are hard since the move"
    assert value_of(again, "spoken_language") == "Cornish"
    assert checked(again, "interpreter") == ["yes"]
    assert again.find(id="consent").has_attr("checked")

    # A change replaces the draft; it does not add a second one.
    response = client.post("/en/refer", data=good_answers(postcode=typed, details="Bedtimes are hard, and meals"))
    assert response.status_code == 302
    check = referral_pages.get("referrals.check", lang="en")
    assert answers_on_check_page(check)["Tell us more (optional)"] == "Bedtimes are hard, and meals"
    assert len(drafts(referral_app)) == 1

    # Send.
    response = client.post("/en/refer/check")
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer/done")
    done = referral_pages.get("referrals.done", lang="en")
    shown = text(done.select_one("strong.reference"))
    assert REFERENCE.match(shown)
    words = text(done.find("main"))
    assert f"Your request has gone to the {team}." in words
    assert f"phone the team on {phone}" in words
    assert "What happens next" in words and "within 2 working days" in words
    assert ("looks outside the area we cover" in words) is outside

    # Stored: the referral and exactly one e-mail for the team, and no draft.
    [referral] = referrals(referral_app)
    assert referral.reference == shown
    assert (referral.parent_name, referral.postcode, referral.details) == (
        "Ann Testperson", postcode, "Bedtimes are hard, and meals")
    assert referral.children == [{"born": True, "first_name": "Bobbie", "date": f"{a_year_ago()}-04-03"}]
    assert referral.outside_area is outside and referral.language == "en"
    [message] = all_messages(referral_app)
    assert message.referral_id == referral.id
    assert message.recipient.split(".")[0] == referral.team_id
    assert drafts(referral_app) == []

    # The e-mail (written to the instance folder): the reference and the team, nothing personal.
    [path] = mail_files(referral_app)
    raw = path.read_bytes()
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    readable = mail["Subject"] + "\n" + mail.get_content() + "\n" + raw.decode("ascii", "replace")
    assert shown in mail["Subject"] and shown in mail.get_content()
    assert team in mail["Subject"] and mail["To"] == message.recipient
    for value in PERSONAL:
        assert value.lower() not in readable.lower(), value

    # Sending twice (a double tap, the back button) sends nothing more.
    response = client.post("/en/refer/check")
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer")
    assert len(referrals(referral_app)) == 1 and len(all_messages(referral_app)) == 1
    assert client.get("/en/refer/check").headers["Location"].endswith("/en/refer")


def test_the_referral_and_its_email_are_one_transaction(referral_app, monkeypatch):
    """If the e-mail row cannot be written, the referral is not stored either."""

    def broken_message(reference, team, inbox_url, language):
        return {"recipient": None, "subject": "x", "body": "x"}  # recipient is NOT NULL

    monkeypatch.setattr("portal.referrals.submit.team_message", broken_message)
    client = referral_app.test_client()
    assert client.post("/en/refer", data=good_answers()).status_code == 302
    assert client.post("/en/refer/check").status_code == 500
    assert referrals(referral_app) == [] and all_messages(referral_app) == []
    assert len(drafts(referral_app)) == 1  # the answers are not lost either


def test_pages_without_a_draft_go_back_to_the_start(referral_pages):
    client = referral_pages.client
    for url in ("/en/refer/check", "/en/refer/done"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer"), url
    response = client.post("/en/refer/check")
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/refer")


def test_a_baby_on_the_way_is_kept_and_shown(referral_pages):
    due = datetime.date.today() + datetime.timedelta(days=100)
    answers = good_answers(**{
        "children-1-born": "no", "children-1-first_name": "", "children-1-date-day": str(due.day),
        "children-1-date-month": due.strftime("%B"), "children-1-date-year": str(due.year)})
    assert referral_pages.client.post("/en/refer", data=answers).status_code == 302
    check = referral_pages.get("referrals.check", lang="en")
    assert answers_on_check_page(check)["Child 2"] == f"due {due.day} {due.strftime('%B')} {due.year}"
    assert change_links(check)["Child 2"] == "/en/refer#children-1-born-1"
    again = referral_pages.get_url("/en/refer")
    assert checked(again, "children-1-born") == ["no"]
    assert [value_of(again, f"children-1-date-{part}") for part in ("day", "month", "year")] == [
        str(due.day), str(due.month), str(due.year)]


@pytest.mark.parametrize("born, days, accepted", [
    ("yes", 0, True), ("yes", 1, False), ("yes", -365 * 5, True), ("yes", -365 * 7, False),
    ("no", -13, True), ("no", -15, False), ("no", 299, True), ("no", 301, False),
])
def test_dates_are_checked_against_a_sensible_range(referral_app, referral_client, born, days, accepted):
    date = datetime.date.today() + datetime.timedelta(days=days)
    answers = good_answers(**{"children-0-born": born, "children-0-date-day": str(date.day),
                              "children-0-date-month": str(date.month), "children-0-date-year": str(date.year)})
    response = referral_client.post("/en/refer", data=answers)
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert [anchor for anchor, _ in errors_of(page_of(response))] == ["#children-0-date-day"]


# ---- errors -----------------------------------------------------------------------

def test_an_empty_form_lists_every_problem_and_links_to_each_field(referral_app, referral_client):
    response = referral_client.post("/en/refer", data={})
    assert response.status_code == 200
    page = page_of(response, "/en/refer")
    assert page.title.string.startswith("Error: Ask for help")
    errors = errors_of(page)
    assert [anchor for anchor, _ in errors] == [
        "#parent_name", "#contact_ways-1", "#postcode", "#children-0-born-1", "#children-0-date-day",
        "#help_with-1", "#interpreter-1", "#consent"]
    assert dict(errors)["#contact_ways-1"] == "Enter a phone number or an email address so we can contact you"
    assert dict(errors)["#consent"] == "You need to agree so that we can pass your request to the team"
    # Each link lands on a field, in page order, and the same message sits by that field.
    targets = [page.find(id=anchor[1:]) for anchor, _ in errors]
    assert all(target is not None for target in targets)
    order = {id(tag): position for position, tag in enumerate(page.find_all(True))}
    assert [order[id(target)] for target in targets] == sorted(order[id(target)] for target in targets)
    for (anchor, message), target in zip(errors, targets):
        box = target.find_parent(class_="field")
        assert "field-error" in box["class"], anchor
        beside = box.select_one(".error-message")
        assert beside is not None and text(beside) == f"Error: {message}", anchor
        described = (target.get("aria-describedby") or "") + " " + (
            target.find_parent("fieldset") or {}).get("aria-describedby", "")
        assert beside["id"] in described.split(), anchor
    assert len(page.select(".error-message")) == len(errors)
    assert drafts(referral_app) == []


def test_a_partly_filled_form_keeps_what_was_typed(referral_client):
    answers = good_answers(postcode="not a postcode", phone="12345", consent=None)
    page = page_of(referral_client.post("/en/refer", data=answers))
    assert [anchor for anchor, _ in errors_of(page)] == ["#phone", "#postcode", "#consent"]
    assert dict(errors_of(page))["#postcode"] == "Enter a full UK postcode, like SK5 8AB"
    assert value_of(page, "parent_name") == "Ann Testperson"
    assert value_of(page, "postcode") == "not a postcode"
    assert value_of(page, "phone") == "12345"
    assert checked(page, "help_with") == ["sleep", "speech"]
    assert value_of(page, "children-0-date-day") == "3"


@pytest.mark.parametrize("changes, anchor", [
    ({"parent_name": "   "}, "#parent_name"),                     # only spaces is not a name
    ({"consent": "false"}, "#consent"),                          # present, but not a yes
    ({"phone": "   ", "email": "", "contact_ways": ["phone"]}, "#contact_ways-1"),
    ({"email": "  ", "contact_ways": ["phone", "email"]}, "#contact_ways-1"),
    ({"phone": "07700 900982 ext. 123456789"}, "#phone"),        # longer than the phone column
    ({"children-0-first_name": ""}, "#children-0-first_name"),   # a born child needs a name
    ({"children-0-first_name": "  "}, "#children-0-first_name"),
    ({"children-0-date-month": "²"}, "#children-0-date-day"),
    ({"children-0-date-day": "9999999999"}, "#children-0-date-day"),
    ({"children-0-date-year": "99999"}, "#children-0-date-day"),
    ({"children-0-date-month": "Smarch"}, "#children-0-date-day"),
    ({"postcode": "SK5"}, "#postcode"),
    ({"help_with": [], "details": "   "}, "#help_with-1"),
    ({"contact_ways": ["phone", "telepathy"]}, "#contact_ways-1"),
    ({"interpreter": "maybe"}, "#interpreter-1"),
])
def test_answers_that_look_present_but_are_not_are_refused(referral_app, referral_client, changes, anchor):
    response = referral_client.post("/en/refer", data=good_answers(**changes))
    assert response.status_code == 200
    assert [a for a, _ in errors_of(page_of(response))] == [anchor]
    assert drafts(referral_app) == []


def _with(*extra):
    """The good answers plus some parts (a file is a fresh one each time)."""
    return lambda: {"data": MultiDict(list(good_answers().items(multi=True)) + [
        (name, (io.BytesIO(value), "upload.txt") if isinstance(value, bytes) else value) for name, value in extra])}


@pytest.mark.parametrize("request_kwargs", [
    pytest.param(lambda: {"json": {**good_answers().to_dict(), "parent_name": 5}}, id="json with a number"),
    pytest.param(lambda: {"json": [1, 2]}, id="json list"),
    pytest.param(lambda: {"json": dict(good_answers().lists())}, id="json of the good answers"),
    pytest.param(_with(("parent_name", b"Ann")), id="a file as a name"),
    pytest.param(_with(("children-0-date-day", b"3")), id="a file as a day"),
    pytest.param(_with(("children-\u00b2-born", "yes")), id="a child numbered with a superscript"),
    pytest.param(_with(("\n", ""), ("x", b"3")), id="a garbled part name"),
])
def test_posts_no_browser_sends_get_an_answer_not_a_crash(referral_app, referral_client, request_kwargs):
    response = referral_client.post("/en/refer", **request_kwargs())
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        page_of(response)
    for draft in drafts(referral_app):
        assert draft.answers["parent_name"] == "Ann Testperson"


def test_a_nul_character_is_dropped_not_stored(referral_app, referral_client):
    # PostgreSQL cannot store NUL in text: it must not get as far as the database.
    answers = good_answers(parent_name="Ann\x00 Testperson", details="Bed\x00times")
    send_referral(referral_client, answers)
    [referral] = referrals(referral_app)
    assert (referral.parent_name, referral.details) == ("Ann Testperson", "Bedtimes")


# ---- adding and removing children without JavaScript ----------------------------------

def test_add_and_remove_child_buttons_work_without_javascript(referral_app, referral_client):
    answers = good_answers()
    answers["add_child"] = "1"
    page = page_of(referral_client.post("/en/refer", data=answers))
    assert [text(legend) for legend in page.select("fieldset.child > legend")] == ["Child 1", "Child 2"]
    assert not page.select(".error-summary") and not page.title.string.startswith("Error")
    assert page.find(id="children-1-born-1") and page.find(id="children-1-date-day")
    assert value_of(page, "parent_name") == "Ann Testperson"
    assert value_of(page, "children-0-first_name") == "Bobbie"
    assert page.find("button", attrs={"name": "remove_child"})
    assert drafts(referral_app) == []

    # Up to six children: then no "add" button, and a seventh is not added.
    answers = good_answers()
    for index in range(1, 6):
        answers[f"children-{index}-born"] = "no"
    answers["add_child"] = "1"
    page = page_of(referral_client.post("/en/refer", data=answers))
    assert len(page.select("fieldset.child")) == 6
    assert page.find("button", attrs={"name": "add_child"}) is None
    page = page_of(referral_client.post("/en/refer", data=answers))
    assert len(page.select("fieldset.child")) == 6

    # Remove the last child; one child has no "remove" button.
    answers = good_answers()
    answers["children-1-born"] = "no"
    answers["remove_child"] = "1"
    page = page_of(referral_client.post("/en/refer", data=answers))
    assert len(page.select("fieldset.child")) == 1
    assert page.find("button", attrs={"name": "remove_child"}) is None
    assert value_of(page, "children-0-first_name") == "Bobbie"


# ---- abuse ------------------------------------------------------------------------

def test_the_robot_trap_refuses_and_stores_nothing(referral_app, referral_client):
    response = referral_client.post("/en/refer", data=good_answers(website="https://spam.example"))
    assert response.status_code == 400
    page = page_of(response)
    assert "Sorry, something went wrong" in text(page.find("main"))
    with referral_client.session_transaction() as cookie:
        assert "draft" not in cookie
    assert drafts(referral_app) == [] and referrals(referral_app) == []
    # The trap is hidden from people and from screen readers.
    trap = page_of(referral_client.get("/en/refer")).find(id="website")
    assert trap["tabindex"] == "-1" and trap.find_parent(attrs={"aria-hidden": "true"})


@pytest.fixture
def csrf_app(make_app, database_url):
    return make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=True)


def _token(page):
    return page.find("input", attrs={"name": "csrf_token"})["value"]


@pytest.mark.parametrize("how", ["missing", "expired", "forged"])
def test_a_timed_out_form_keeps_the_answers_and_can_be_sent_again(csrf_app, how):
    client = csrf_app.test_client()
    token = _token(page_of(client.get("/en/refer")))
    answers = good_answers()
    if how == "expired":
        csrf_app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is now too old
        answers["csrf_token"] = token
    elif how == "forged":
        answers["csrf_token"] = token[:-4] + "AAAA"
    response = client.post("/en/refer", data=answers)
    assert response.status_code == 400
    page = page_of(response)
    assert "This page timed out" in text(page.find("main"))
    assert page.title.string.startswith("Error:")
    # No jargon about tokens, and every link in the summary goes somewhere.
    assert "CSRF" not in page.get_text() and "token" not in text(page.find("main")).lower()
    for anchor, _ in errors_of(page):
        assert page.find(id=anchor[1:]) is not None, anchor
    # What the family typed is still there.
    assert value_of(page, "parent_name") == "Ann Testperson"
    assert value_of(page, "email") == "ann.testperson@example.org"
    assert checked(page, "help_with") == ["sleep", "speech"]
    assert value_of(page, "children-0-date-day") == "3"
    assert drafts(csrf_app) == []
    # With the fresh token on that page, sending again works.
    csrf_app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    again = MultiDict(good_answers())
    again["csrf_token"] = _token(page)
    response = client.post("/en/refer", data=again)
    assert response.status_code == 302
    send = page_of(client.get("/en/refer/check"))
    response = client.post("/en/refer/check", data={"csrf_token": _token(send)})
    assert response.status_code == 302 and len(referrals(csrf_app)) == 1


def test_sending_without_a_token_is_refused_politely_and_keeps_the_draft(csrf_app):
    client = csrf_app.test_client()
    answers = good_answers()
    answers["csrf_token"] = _token(page_of(client.get("/en/refer")))
    assert client.post("/en/refer", data=answers).status_code == 302
    response = client.post("/en/refer/check")
    assert response.status_code == 400
    page = page_of(response)
    assert "timed out" in text(page.find("main"))
    assert referrals(csrf_app) == [] and len(drafts(csrf_app)) == 1


@pytest.mark.parametrize("headers, status", [
    ({}, 302),  # a browser or privacy tool that sends neither header
    ({"Referer": "https://localhost/en/refer"}, 302),
    ({"Origin": "https://localhost"}, 302),
    ({"Referer": "https://elsewhere.example.org/en/refer"}, 400),
    ({"Origin": "https://elsewhere.example.org"}, 400),
    ({"Origin": "https://elsewhere.example.org", "Referer": "https://localhost/en/refer"}, 400),
    ({"Referer": "http://localhost/en/refer"}, 400),  # the same host, but not over HTTPS
])
def test_over_https_the_form_needs_its_token_and_refuses_other_origins(csrf_app, headers, status):
    """Flask-WTF's strict check refused every POST over HTTPS without a Referer,
    so a family whose browser leaves it out could never send the form. The
    token is always required; a Referer or Origin, when sent, must be ours."""
    client = csrf_app.test_client()
    https = {"base_url": "https://localhost"}
    answers = good_answers()
    answers["csrf_token"] = _token(page_of(client.get("/en/refer", **https)))
    response = client.post("/en/refer", data=answers, headers=headers, **https)
    assert response.status_code == status
    if status == 400:
        assert "timed out" in text(page_of(response).find("main"))
        assert drafts(csrf_app) == []
    else:
        del answers["csrf_token"]  # and never without the token
        assert client.post("/en/refer", data=answers, headers=headers, **https).status_code == 400


def test_a_request_too_large_gets_a_413_page_in_the_layout(referral_app, referral_client):
    limit = referral_app.config["MAX_CONTENT_LENGTH"]
    response = referral_client.post("/en/refer", data=good_answers(details="x" * (limit + 1)))
    assert response.status_code == 413
    page = page_of(response)
    assert page.h1.string == "What you sent is too large"
    assert page.select_one("header.site-header") and page.select_one("footer")
    assert drafts(referral_app) == []


def test_the_form_is_rate_limited_per_address(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="3 per hour")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/en/refer", data={}).status_code == 200
    response = client.post("/en/refer", data=good_answers())
    assert response.status_code == 429
    page = page_of(response)
    assert page.h1.string == "Too many requests"
    assert drafts(app) == []
    # Reading the form is not limited; another address may still send.
    assert client.get("/en/refer").status_code == 200
    other = app.test_client()
    response = other.post("/en/refer", data=good_answers(), environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 302


# ---- languages ---------------------------------------------------------------------

def test_the_journey_in_urdu_is_right_to_left(referral_app, referral_pages):
    form = referral_pages.get("referrals.start", lang="ur")
    assert (form.html["lang"], form.html["dir"]) == ("ur", "rtl")
    with referral_app.test_request_context("/ur/refer"), force_locale("ur"):
        in_urdu = gettext("Ask for help")
    assert in_urdu != "Ask for help" and text(form.h1) == in_urdu
    assert value_of(form, "spoken_language") == "اردو"
    errors = page_of(referral_pages.client.post("/ur/refer", data={}))
    assert errors.html["dir"] == "rtl" and errors_of(errors)
    done = page_of(send_referral(referral_pages.client, lang="ur"))
    assert (done.html["lang"], done.html["dir"]) == ("ur", "rtl")
    [referral] = referrals(referral_app)
    assert referral.language == "ur" and referral.reference in text(done.find("main"))
    # The team reads English.
    [message] = messages_of(referral_app, referral.id)
    assert message.subject == f"New referral {referral.reference} for the North locality team"


# ---- logs -------------------------------------------------------------------------

def test_no_personal_data_in_any_log_line(referral_app, referral_client, caplog):
    caplog.set_level(logging.DEBUG)
    client = referral_client
    client.get("/en/refer")
    client.post("/en/refer", data=good_answers(postcode="not a postcode"))
    client.post("/en/refer", data=good_answers(website="https://spam.example"))
    send_referral(client, good_answers())
    [referral] = referrals(referral_app)
    client.get("/en/refer/status")
    client.post("/en/refer/status", data={"reference": referral.reference, "date-day": "3", "date-month": "4",
                                          "date-year": str(a_year_ago())})
    client.post("/en/refer/status", data={"reference": referral.reference, "date-day": "4", "date-month": "4",
                                          "date-year": str(a_year_ago())})
    assert caplog.records, "nothing was logged at all: is capture working?"
    assert any("stored" in record.getMessage() for record in caplog.records)
    for record in caplog.records:
        line = logging.Formatter().format(record)
        for value in PERSONAL + [referral.reference]:
            assert value.lower() not in line.lower(), (value, line)


def test_a_database_failure_logs_no_personal_data(referral_app, referral_client, caplog):
    from sqlalchemy import event

    engine = referral_app.extensions["db"].kw["bind"]

    def disk_full(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO REFERRALS"):
            raise connection.dialect.loaded_dbapi.OperationalError("simulated: the disk is full")

    event.listen(engine, "before_cursor_execute", disk_full)
    try:
        caplog.set_level(logging.DEBUG)
        assert referral_client.post("/en/refer", data=good_answers()).status_code == 302
        assert referral_client.post("/en/refer/check").status_code == 500
    finally:
        event.remove(engine, "before_cursor_execute", disk_full)
    assert any("simulated" in logging.Formatter().format(record) for record in caplog.records)
    for record in caplog.records:
        line = logging.Formatter().format(record)
        for value in PERSONAL:
            assert value.lower() not in line.lower(), (value, line)


def test_a_rate_limited_family_is_not_logged_by_address(make_app, database_url, caplog):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="1 per hour")
    client = app.test_client()
    caplog.set_level(logging.DEBUG)
    address = {"REMOTE_ADDR": "198.51.100.23"}
    assert client.post("/en/refer", data={}, environ_base=address).status_code == 200
    assert client.post("/en/refer", data={}, environ_base=address).status_code == 429
    for record in caplog.records:
        assert "198.51.100.23" not in logging.Formatter().format(record), record.getMessage()
