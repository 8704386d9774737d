"""The empty form is rendered once and each family gets it with their own CSRF token."""

import pytest

from portal.referrals.blank_form import STAND_IN

from .conftest import good_answers, page_of, referrals


@pytest.fixture
def csrf_app(make_app, database_url):
    return make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=True)


def token_of(response):
    return page_of(response).find("input", attrs={"name": "csrf_token"})["value"]


@pytest.mark.parametrize("path", ["/en/refer", "/ur/refer", "/en/refer?deleted=1"])
def test_each_family_gets_the_same_page_with_their_own_token(csrf_app, make_app, database_url, path):
    first, second = csrf_app.test_client(), csrf_app.test_client()
    one, two = first.get(path), second.get(path)
    assert one.status_code == two.status_code == 200
    mine, theirs = token_of(one), token_of(two)
    assert mine != theirs and STAND_IN not in one.get_data(as_text=True)
    assert two.get_data(as_text=True).replace(theirs, mine) == one.get_data(as_text=True)
    # Rendered afresh by another app, the page is the same but for the token.
    fresh = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=True).test_client()
    page = fresh.get(path)
    assert page.get_data(as_text=True).replace(token_of(page), mine) == one.get_data(as_text=True)


def test_a_token_from_the_kept_page_works_for_its_family_only(csrf_app):
    first, second = csrf_app.test_client(), csrf_app.test_client()
    mine = token_of(first.get("/en/refer"))
    theirs = token_of(second.get("/en/refer"))
    # Another family's token is refused: the form comes back, nothing is kept.
    refused = first.post("/en/refer", data=good_answers(csrf_token=theirs))
    assert refused.status_code == 400 and "Location" not in refused.headers
    answered = first.post("/en/refer", data=good_answers(csrf_token=mine))
    assert answered.status_code == 302 and answered.headers["Location"].endswith("/en/refer/check")
    sent = first.post("/en/refer/check", data={"csrf_token": mine})
    assert sent.status_code == 302 and len(referrals(csrf_app)) == 1
