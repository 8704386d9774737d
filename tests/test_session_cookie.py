"""Public pages neither read nor write the cookie session; the pages that use it still do."""

import pytest
from flask.sessions import SecureCookieSessionInterface

PUBLIC = ["/en/", "/ur/", "/en/hubs/brinnington", "/en/hubs/brinnington", "/en/groups/",
          "/en/whats-on", "/en/whats-on.ics", "/en/pages/about", "/en/search?q=play",
          "/robots.txt", "/sitemap.xml", "/en/nowhere"]
# These show the parent's remembered area (its own "area" cookie, not the
# session), so they rightly vary on Cookie; no other public page does.
AREA_PAGES = {"/en/", "/ur/", "/en/groups/", "/en/whats-on", "/en/search?q=play"}


@pytest.fixture
def cookie_reads(monkeypatch):
    reads = []
    read = SecureCookieSessionInterface.open_session

    def counted(self, app, request):
        reads.append(request.path)
        return read(self, app, request)
    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counted)
    return reads


@pytest.mark.parametrize("cached", [0, 60])
def test_a_public_page_neither_reads_nor_sets_the_session_cookie(make_app, cookie_reads, cached):
    client = make_app(PAGE_CACHE_SECONDS=cached).test_client()
    # A family part-way through a referral has a session cookie.
    with client.session_transaction() as session:
        session["draft"] = "a-draft-id"
    cookie_reads.clear()
    for url in PUBLIC:
        response = client.get(url)
        assert not any(c.startswith("session=") for c in response.headers.getlist("Set-Cookie")), url
        assert ("Cookie" in response.headers.get("Vary", "")) == (url in AREA_PAGES), url
    assert cookie_reads == []
    # Untouched, the family's cookie is still theirs.
    with client.session_transaction() as session:
        assert session["draft"] == "a-draft-id"


def test_pages_that_use_the_session_still_read_and_set_it(client, cookie_reads):
    form = client.get("/en/refer")  # its CSRF token lives in the session
    assert any(c.startswith("session=") for c in form.headers.getlist("Set-Cookie"))
    assert "Cookie" in form.headers["Vary"]
    assert cookie_reads == []  # there was no cookie to read yet
    assert client.get("/en/refer").status_code == 200
    assert client.get("/staff/login").status_code == 200
    assert cookie_reads == ["/en/refer", "/staff/login"]
