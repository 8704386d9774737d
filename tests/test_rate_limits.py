"""Rate limits cost nothing on the routes that carry none, and hold on those that do."""

import pytest

from portal.extensions import limiter

UNLIMITED = ["/en/", "/en/hubs/brinnington", "/en/whats-on", "/robots.txt", "/healthz",
             "/en/refer", "/en/nowhere", "/static/css/site.css"]


@pytest.fixture
def storage_calls(monkeypatch):
    """Count every call to the limiter's storage (bound per app, so patched on its class)."""
    def spy(app):
        calls = []
        storage = type(limiter.storage)
        for name in dir(storage):
            method = getattr(storage, name)
            if name.startswith("_") or not callable(method):
                continue
            def counted(*args, _name=name, _method=method, **kwargs):
                calls.append(_name)
                return _method(*args, **kwargs)
            monkeypatch.setattr(storage, name, counted)
        return calls
    return spy


def test_a_route_without_a_limit_never_touches_the_limiter_storage(make_app, storage_calls):
    app = make_app(WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="1 per hour")
    client = app.test_client()
    calls = storage_calls(app)
    for url in UNLIMITED:
        client.get(url)
    assert calls == []
    # The spy does see a limited route's counting.
    client.post("/en/refer", data={})
    assert calls


def test_a_limited_route_still_counts_says_so_and_refuses(make_app):
    client = make_app(WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="1 per hour").test_client()
    first = client.post("/en/refer", data={})
    assert first.status_code == 200 and first.headers["X-RateLimit-Limit"] == "1"
    assert first.headers["X-RateLimit-Remaining"] == "0"
    second = client.post("/en/refer", data={})
    assert second.status_code == 429 and int(second.headers["Retry-After"]) > 0
    # The unlimited page beside it carries no rate-limit headers.
    assert "X-RateLimit-Limit" not in client.get("/en/").headers


def test_an_app_wide_limit_keeps_the_check_on_every_route(make_app, monkeypatch):
    # The limiter is one per process and keeps its application limits: undo them after.
    monkeypatch.setattr(limiter.limit_manager, "_application_limits", [])
    client = make_app(RATELIMIT_APPLICATION="2 per hour").test_client()
    assert [client.get("/robots.txt").status_code for _ in range(3)] == [200, 200, 429]


def test_a_limited_request_is_checked_once_by_its_route(make_app, monkeypatch):
    # Without app-wide limits the check before the request had nothing to count:
    # it is dropped, and the route's own wrapper checks its limits alone.
    # The hook is bound when the app is made: spy on the method first.
    checks = []
    original = type(limiter)._check_request_limit

    def counted(self, *args, **kwargs):
        checks.append(kwargs.get("in_middleware", True))
        return original(self, *args, **kwargs)
    monkeypatch.setattr(type(limiter), "_check_request_limit", counted)
    client = make_app(WTF_CSRF_ENABLED=False, REFERRAL_RATE_LIMIT="5 per hour").test_client()
    assert client.post("/en/refer", data={}).headers["X-RateLimit-Remaining"] == "4"
    assert checks == [False]
