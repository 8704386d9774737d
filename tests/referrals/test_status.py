"""The status page: a reference and the first child's date, and nothing else."""

import datetime
import re

import pytest
from sqlalchemy import update

from portal.referrals.models import STATUSES, Referral, StatusCheck

from .conftest import a_year_ago, database, good_answers, page_of, referrals, send_referral, text

NOT_FOUND = "We could not find a request with that reference number and date."


@pytest.fixture
def sent(referral_app):
    """One referral, its first child born on 3 April last year; returns its reference."""
    send_referral(referral_app.test_client())
    [referral] = referrals(referral_app)
    return referral.reference


def ask(client, reference, day="3", month="4", year=None):
    return client.post("/en/refer/status", data={
        "reference": reference, "date-day": day, "date-month": month,
        "date-year": str(a_year_ago()) if year is None else year})


def without_echoes(response):
    """The page with what the family typed (and the CSRF token) taken out."""
    html = response.get_data(as_text=True)
    return re.sub(r'\svalue="[^"]*"', "", html)


def set_status(app, reference, status):
    with database(app) as db:
        db.execute(update(Referral).where(Referral.reference == reference).values(status=status))
        db.commit()


def test_the_status_page_asks_for_the_reference_and_the_date(referral_pages):
    page = referral_pages.get("referrals.status", lang="en")
    assert page.find(id="reference") and page.find(id="date-day") and page.find(id="date-year")
    assert not page.select(".progress")


@pytest.mark.parametrize("status", STATUSES)
def test_the_right_answer_shows_the_progress_with_the_current_step(referral_app, referral_client, sent, status):
    set_status(referral_app, sent, status)
    response = ask(referral_client, sent)
    assert response.status_code == 200
    page = page_of(response)
    assert sent in text(page.find("main"))
    steps = page.select("ol.progress > li")
    assert [text(step).split(":")[0] for step in steps] == ["Received", "With your local team", "Contacted", "Closed"]
    current = [index for index, step in enumerate(steps) if step.get("aria-current") == "step"]
    assert current == [STATUSES.index(status)]
    assert "current" in steps[current[0]]["class"]
    # Nothing else about the family is shown.
    for value in ("Ann Testperson", "Bobbie", "SK5 8AB", "07700", "North locality team"):
        assert value not in page.get_text(), value


@pytest.mark.parametrize("typed, day, month", [
    ("{ref}", "3", "4"),
    ("{lower}", "03", "04"),
    ("{compact}", "3", "April"),
    ("  {spaced}  ", "3", "apr"),
])
def test_the_reference_and_date_may_be_typed_loosely(referral_client, sent, typed, day, month):
    variants = {"ref": sent, "lower": sent.lower(), "compact": sent.replace("-", "").lower(),
                "spaced": sent.replace("-", " ")}
    response = ask(referral_client, typed.format(**variants), day, month)
    assert response.status_code == 200 and page_of(response).select("ol.progress")


def test_wrong_answers_all_look_the_same(referral_app, referral_client, sent):
    # The date of a child someone else might know, a real-looking reference, and nonsense.
    another = "SW-" + ("WXYA" if sent[3:7] != "WXYA" else "XYAW") + "-3469"
    wrong = {
        "wrong date": ask(referral_client, sent, day="4"),
        "wrong year": ask(referral_client, sent, year=str(a_year_ago() - 1)),
        "wrong reference": ask(referral_client, another),
        "malformed reference": ask(referral_client, "hello there"),
        "reference with a confusable": ask(referral_client, sent[:-1] + "0"),
    }
    pages = {name: without_echoes(response) for name, response in wrong.items()}
    for name, response in wrong.items():
        assert response.status_code == 400, name
        page = page_of(response)
        assert NOT_FOUND in text(page.find("main")), name
        assert page.title.string.startswith("Error:"), name
        assert not page.select("ol.progress"), name
    assert len(set(pages.values())) == 1, "the answer hints at which part was wrong"


def test_five_wrong_tries_lock_a_reference_for_a_day(referral_app, referral_client, sent):
    for _ in range(5):
        assert ask(referral_client, sent, day="4").status_code == 400
    refused = ask(referral_client, sent)
    assert refused.status_code == 400
    assert NOT_FOUND in text(page_of(refused).find("main"))
    # Locked for whoever asks, not for one browser.
    assert ask(referral_app.test_client(), sent).status_code == 400
    # Another family's reference is not affected.
    client = referral_app.test_client()
    send_referral(client, good_answers(parent_name="Other Family"))
    other = next(r.reference for r in referrals(referral_app) if r.reference != sent)
    assert ask(client, other).status_code == 200
    # A day later the lock is gone.
    with database(referral_app) as db:
        db.execute(update(StatusCheck).values(
            at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=25)))
        db.commit()
    assert ask(referral_client, sent).status_code == 200


def test_four_wrong_tries_do_not_lock(referral_client, sent):
    for _ in range(4):
        assert ask(referral_client, sent, day="4").status_code == 400
    assert ask(referral_client, sent).status_code == 200


def test_a_missing_answer_is_a_form_error_not_a_lookup(referral_app, referral_client, sent):
    response = referral_client.post("/en/refer/status", data={"reference": sent})
    assert response.status_code == 200
    page = page_of(response)
    assert [link["href"] for link in page.select(".error-summary a")] == ["#date-day"]
    assert page.find(id="date-day") is not None
    response = referral_client.post("/en/refer/status", data={"date-day": "3", "date-month": "4",
                                                              "date-year": str(a_year_ago())})
    assert [link["href"] for link in page_of(response).select(".error-summary a")] == ["#reference"]
    with database(referral_app) as db:
        assert db.query(StatusCheck).count() == 0


def test_wrong_answers_are_rate_limited_but_right_ones_are_not(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False, STATUS_RATE_LIMIT="3 per hour")
    client = app.test_client()
    send_referral(client)
    [referral] = referrals(app)
    for _ in range(5):
        assert ask(client, referral.reference).status_code == 200
    for _ in range(2):
        assert ask(client, referral.reference, day="4").status_code == 400
    assert ask(client, referral.reference).status_code == 200  # not counted
    assert client.post("/en/refer/status", data={}).status_code == 200  # a form error: not counted
    assert ask(client, "SW-WXYA-3469").status_code == 400  # the third wrong answer
    response = ask(client, "SW-WXYA-3469")
    assert response.status_code == 429
    assert page_of(response).h1.string == "Too many requests"
    # Once limited, a right answer is refused too: a 200 among 429s would tell a guesser it was right.
    assert ask(client, referral.reference).status_code == 429
    # The limit is per address.
    other = app.test_client()
    response = other.post("/en/refer/status", data={"reference": "SW-WXYA-3469", "date-day": "1",
                                                    "date-month": "1", "date-year": "2025"},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 400
