"""Staff pages given what no browser sends (issue 11, L3, L4, L5): never a
500, and the audit log holds only values the inbox knows."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry

from .conftest import signed_in


def audit_details(app):
    with app.extensions["db"]() as db:
        return [entry.detail or "" for entry in db.scalars(select(AuditEntry))]


@pytest.mark.parametrize("page", [2 ** 63, 2 ** 64 + 1, 10 ** 30, 10 ** 6 + 1], ids=str)
def test_a_huge_inbox_page_is_not_found(app, page):
    client = signed_in(app, "admin@example.org")
    assert client.get(f"/staff/?page={page}").status_code == 404


def test_a_page_number_of_4300_digits_is_not_found(app):
    client = signed_in(app, "admin@example.org")
    assert client.get(f"/staff/?page={'9' * 4300}").status_code == 404


@pytest.mark.parametrize("query", ["team=%00", "team=north%00", "status=%00", "status=" + "x" * 5000,
                                   "reference=%00", "team=" + "y" * 5000])
def test_odd_filters_give_the_inbox(app, query):
    client = signed_in(app, "admin@example.org")
    assert client.get(f"/staff/?{query}").status_code == 200


def test_a_nul_in_the_sign_in_address_is_a_wrong_sign_in(app):
    response = app.test_client().post("/staff/login", data={
        "email": "admin@example.org\x00", "password": "wrong"})
    assert response.status_code in (200, 400)


def test_only_known_filters_are_written_to_the_audit_log(app):
    client = signed_in(app, "admin@example.org")
    crafted = "Alex+Example+phoned+0161+496+0123"
    assert client.get(f"/staff/?status={crafted}&team={crafted}").status_code == 200
    assert client.get("/staff/?status=closed&team=north").status_code == 200
    details = audit_details(app)
    assert not [d for d in details if "Alex" in d or "0161" in d]
    assert "filter all, team all, page 1" in details
    assert "filter closed, team north, page 1" in details


@pytest.mark.parametrize("address", ["/staff/accounts/{}/sign-out", "/staff/content/reports/{}/done"])
def test_an_id_past_the_database_s_integers_is_not_found(app, address):
    """Found by the fuzz test on PostgreSQL (integer out of range: a 500)."""
    client = signed_in(app, "admin@example.org")
    assert client.post(address.format(2 ** 63)).status_code == 404
