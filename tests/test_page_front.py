"""The page cache's front: a kept page is sent exactly as Flask sent it, and only where it may be."""

import time

import pytest

from portal.public.page_cache import PageFront

PAGES = ["/en/", "/en/groups/", "/ur/hubs/brinnington", "/en/whats-on", "/en/groups/?age=baby"]
EVIL = "evil.example"


def front_of(app):
    layer = app.wsgi_app
    while not isinstance(layer, PageFront):
        layer = getattr(layer, "wsgi_app", None) or layer.app  # ProxyFix calls it .app
    return layer


def flask_calls(app):
    """Count the requests that get past the front to Flask."""
    front = front_of(app)
    calls = []
    inner = front.wsgi_app

    def counted(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)
    front.wsgi_app = counted
    return calls


def sent(response):
    """Everything a response puts on the wire: status line, header list, body."""
    return response.status, list(response.headers.items()), response.get_data()


def cookie(value):
    return {"Cookie": value} if value else {}


def same_minute(get_two):
    """Run ``get_two`` again if the minute turned meanwhile: the language
    cookie's Expires date is made once a minute, by Flask as by the front."""
    for _ in range(2):
        minute = int(time.time()) // 60
        result = get_two()
        if int(time.time()) // 60 == minute:
            return result
    raise AssertionError("the minute turned twice")


@pytest.fixture
def app(make_app):
    return make_app(PAGE_CACHE_SECONDS=60)


@pytest.fixture
def client(app):
    return app.test_client(use_cookies=False)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("cookies", ["", "lang=en", "lang=ur", "area=north", "lang=en; area=north"])
def test_a_kept_page_is_sent_byte_for_byte_as_flask_sent_it(app, client, path, cookies):
    calls = flask_calls(app)
    made, kept = same_minute(lambda: (client.get(path, headers=cookie(cookies)),
                                      client.get(path, headers=cookie(cookies))))
    assert made.status_code == 200
    assert calls == [path.split("?")[0]], "the second request reached Flask"
    assert sent(kept) == sent(made)


@pytest.mark.parametrize("filler, reader", [("", "lang=en"), ("lang=en", ""), ("lang=ur", "lang=en"),
                                            ("lang=xx", "lang=en"), ("lang=en", "lang=zh")])
def test_a_page_kept_for_one_reader_is_what_flask_sends_another(make_app, filler, reader):
    """The language cookie is set, or not, for each reader as Flask would."""
    path = "/en/groups/"
    app = make_app(PAGE_CACHE_SECONDS=60)
    calls = flask_calls(app)
    client = app.test_client(use_cookies=False)
    fresh = make_app(PAGE_CACHE_SECONDS=60).test_client(use_cookies=False)

    def get_two():
        client.get(path, headers=cookie(filler))
        return client.get(path, headers=cookie(reader)), fresh.get(path, headers=cookie(reader))
    kept, flasks = same_minute(get_two)
    assert calls == [path]
    assert sent(kept) == sent(flasks)


def test_head_gets_the_kept_pages_headers_and_no_body(app, client):
    calls = flask_calls(app)
    made, head = same_minute(lambda: (client.get("/en/groups/"), client.head("/en/groups/")))
    assert calls == ["/en/groups/"]
    assert (head.status, list(head.headers.items())) == sent(made)[:2]
    assert head.get_data() == b""


def test_an_answer_to_head_is_not_kept(app, client):
    calls = flask_calls(app)
    client.head("/en/groups/")
    client.get("/en/groups/")
    assert calls == ["/en/groups/"] * 2


@pytest.mark.parametrize("path", ["/en/groups/no-such-group", "/xx/", "/en/groups/?postcode=SK5+7AB",
                                  "/en/groups/?area=all"])
def test_errors_and_redirects_are_never_kept(app, client, path):
    calls = flask_calls(app)
    first, second = client.get(path), client.get(path)
    assert first.status_code in (303, 404) and sent(first) == sent(second)
    assert len(calls) == 2
    assert client.get("/healthz").get_json()["page_cache"]["pages"] == 0


def test_a_page_that_sets_another_cookie_is_not_kept(app, client):
    """A postcode outside the area forgets the area: each reader's cookie is cleared."""
    calls = flask_calls(app)
    path = "/en/groups/?postcode=m1+1aa"
    for _ in range(2):
        response = client.get(path, headers=cookie("area=north"))
        assert response.status_code == 200
        assert any(value.startswith("area=") and "Max-Age=0" in value
                   for value in response.headers.getlist("Set-Cookie"))
    assert len(calls) == 2


@pytest.mark.parametrize("private", ["session=anything", "editor=1", "remember_token=x"])
def test_a_request_with_a_session_or_editor_cookie_goes_to_flask(app, client, private):
    calls = flask_calls(app)
    kept = client.get("/en/groups/", headers=cookie("lang=en")).get_data()
    for _ in range(2):
        assert client.get("/en/groups/", headers=cookie(f"lang=en; {private}")).get_data() == kept
    assert len(calls) == 3
    # ... nor is Flask's answer to it kept for anyone.
    other = "/en/hubs/"
    client.get(other, headers=cookie(private))
    client.get(other)
    assert calls[-2:] == [other, other]


def test_a_cookie_header_that_is_not_utf8_goes_to_flask(app, client):
    """Found by the fuzz test in CI: parsing such a header in the front was a 500."""
    calls = flask_calls(app)
    kept = client.get("/en/groups/").get_data()
    response = client.get("/en/groups/", headers=cookie("referral=\x80"))
    assert response.status_code == 200 and response.get_data() == kept
    assert len(calls) == 2


def test_an_edited_file_is_served_at_once(make_app, content_dir):
    app = make_app(content=content_dir, PAGE_CACHE_SECONDS=60)
    client = app.test_client(use_cookies=False)
    path = "/en/hubs/brinnington"
    before = client.get(path).get_data(as_text=True)
    assert client.get(path).get_data(as_text=True) == before
    source = content_dir / "en" / "hubs" / "brinnington.md"
    source.write_text(source.read_text().replace("\n---\n", "\n---\n\nBring a towel for the garden.\n", 1))
    after = client.get(path).get_data(as_text=True)
    assert "Bring a towel for the garden." in after and "Bring a towel" not in before


@pytest.mark.parametrize("headers", [{"Host": EVIL}, {"X-Forwarded-Host": EVIL}])
def test_an_unknown_host_is_refused_before_a_kept_page_is_served(make_app, headers):
    app = make_app(PAGE_CACHE_SECONDS=60, PROXIES=1)
    client = app.test_client(use_cookies=False)
    assert client.get("/en/groups/").status_code == 200
    assert client.get("/en/groups/", headers=headers).status_code == 400


def test_healthz_counts_the_fronts_hits(app, client):
    for _ in range(3):
        client.get("/en/groups/")
    client.get("/en/groups/", headers=cookie("session=x"))  # through Flask: a hit on the body
    client.get("/static/missing.css")  # no page: neither
    stats = client.get("/healthz").get_json()["page_cache"]
    assert (stats["pages"], stats["hits"], stats["misses"]) == (1, 3, 1)
