"""Every route, public and staff, given random query strings, headers and
bodies (issue 11): never a 5xx, and never a foreign host in any answer.

The routes come from the app's own URL map, so a new route is fuzzed
without anyone remembering to add it. Each route gets FUZZ_EXAMPLES
examples (20 by default). In CI (``CI`` set) the examples are derandomised,
so a failure there is the same failure on a developer's machine.
"""

import os
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from werkzeug.routing import BuildError

from portal import config, create_app
from portal.search.builder import rebuild
from tests.staff.conftest import reference_of, seed
from tests.support.accounts import PASSWORD
from tests.support.content import SHIPPED_CONTENT
from tests.support.databases import fresh_database

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
# Bounded, with no per-example deadline (a shared CI machine is slow now and
# then), and in CI derandomised: the same examples every run.
settings.register_profile("fuzz", max_examples=EXAMPLES, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("fuzz-ci", settings.get_profile("fuzz"), derandomize=True)
PROFILE = settings.get_profile("fuzz-ci" if os.environ.get("CI") else "fuzz")
BASE_HOST = "startwell.example.org"
FOREIGN = "attacker.invalid"  # sent only in headers: it must never come back
SECTIONS = ["hubs", "groups", "epec", "health-visiting", "pages"]
PAGE_IDS = ["stay-and-play-brinnington", "brinnington", "baby-clinics", "contact", "being-a-parent-adswood"]
QUERY_KEYS = ["q", "page", "status", "team", "lang", "section", "page_id", "_method", "_external",
              "_anchor", "_scheme", "age", "locality", "day", "hub", "search", "per_page", "reference",
              "taxonomy_id", "taxonomy_term_id", "start_time", "end_time", "minimum_age",
              "maximum_age", "postcode", "proximity", "deleted", "next"]
FORM_KEYS = ["email", "password", "parent_name", "phone", "postcode", "address", "details",
             "contact_ways", "best_times", "help_with", "consent", "interpreter", "website",
             "add_child", "remove_child", "children-0-born", "children-0-first_name",
             "children-0-date-day", "children-0-date-month", "children-0-date-year",
             "reference", "date-day", "date-month", "date-year", "status", "text", "team",
             "reason", "what", "detail", "csrf_token", "children-" + "9" * 40 + "-born"]

# Text as a browser (or anything else) might send it: any character that can
# be encoded, control characters included, and the awkward numbers.
awkward = st.sampled_from(["", "\x00", "-1", "0", str(2 ** 63), "9" * 5000, "%00", "../../etc",
                           "SW-TEAM-AAAA", "sw team aaaa", "en", "pl", "zz", "north", "new"])
any_text = st.one_of(awkward, st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
header_text = st.text(st.characters(max_codepoint=255, blacklist_characters="\r\n\x00"), max_size=40)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed(request, tmp_path_factory, parsed_content, migrated_sqlite):
    """The site with search, a seeded staff database, page cache on, one proxy
    trusted; and a signed-in administrator's session cookie."""
    folder = tmp_path_factory.mktemp("fuzz")
    database_url = fresh_database(request.param, folder, migrated_sqlite)
    rebuild(SHIPPED_CONTENT, folder / "search")
    app = create_app(config.TestConfig(
        CONTENT_DIR=SHIPPED_CONTENT, INSTANCE_DIR=folder / "instance", CONTENT_PARSE_CACHE=parsed_content,
        DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False,
        SEARCH_REBUILD="inline", SEARCH_DIR=folder / "search", PAGE_CACHE_SECONDS=60, PROXIES=1,
        BASE_URL=f"https://{BASE_HOST}", EXTRA_HOSTS=["localhost"],
        # Limits would answer 429 before the code under test runs.
        RATELIMIT_ENABLED=False))
    seed(app)
    client = app.test_client()
    signed_in = client.post("/staff/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302
    services = client.get("/api/v1/services").get_json()["contents"]
    app.fuzz = {"session": client.get_cookie("session").value,
                "service": services[0]["id"] if services else "none"}
    yield app
    app.extensions["db"].kw["bind"].dispose()


def values_for(app, rule):
    """A strategy for a rule's path arguments: real values mostly, junk sometimes."""
    real = {
        "lang": st.sampled_from(["en", "pl", "ur", "ar", "bn", "zh"]),
        "section": st.sampled_from(SECTIONS),
        "page_id": st.one_of(st.sampled_from(PAGE_IDS), st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)),
        "reference": st.one_of(st.sampled_from([reference_of("north"), reference_of("east")]), any_text),
        "report_id": st.integers(min_value=0, max_value=2 ** 70),
        "filename": st.one_of(st.just("css/site.css"), any_text),
        "address": st.lists(st.text(string.ascii_letters + string.digits + "_-.", min_size=1, max_size=12),
                            min_size=1, max_size=3).map("/".join),
        "service_id": st.one_of(st.just(app.fuzz["service"]), any_text),
    }
    return st.fixed_dictionaries({name: real.get(name, any_text) for name in rule.arguments})


def cookies(app):
    session = st.sampled_from([app.fuzz["session"], "", "garbage", app.fuzz["session"][:-3] + "abc"])
    return st.fixed_dictionaries({}, optional={
        "session": session, "lang": st.one_of(st.sampled_from(["pl", "ar"]), header_text),
        "draft": header_text, "referral": header_text})


def headers():
    hosts = st.sampled_from(["localhost", BASE_HOST, FOREIGN, f"{FOREIGN}:443", f"localhost.{FOREIGN}",
                             f"{BASE_HOST}@{FOREIGN}", "localhost:99999", "[::1]", ""])
    return st.fixed_dictionaries({}, optional={
        "Host": hosts, "X-Forwarded-Host": hosts, "X-Forwarded-For": st.one_of(header_text, st.just("::1")),
        "X-Forwarded-Proto": st.sampled_from(["https", "http", "gopher", ""]),
        "X-Forwarded-Port": header_text, "X-Forwarded-Prefix": header_text,
        "Accept-Language": st.one_of(st.sampled_from(["pl,en;q=0.5", "zz", "*", "ar-EG;q=x"]), header_text),
        "Referer": header_text, "Content-Type": st.sampled_from(
            ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "application/json"]),
    })


def queries():
    return st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), any_text), any_text, max_size=5)


def bodies():
    return st.dictionaries(st.one_of(st.sampled_from(FORM_KEYS), any_text),
                           st.one_of(any_text, st.lists(any_text, max_size=3)), max_size=8)


def routes():
    """Every (rule, method) of the app, read from a fresh app's URL map."""
    app = create_app(config.TestConfig(CONTENT_DIR=SHIPPED_CONTENT, INSTANCE_DIR="/nonexistent-fuzz-instance",
                                SEARCH_REBUILD="off"))
    found = sorted({(rule.rule, rule.endpoint, method) for rule in app.url_map.iter_rules()
                    for method in rule.methods - {"HEAD", "OPTIONS"}})
    return [pytest.param(rule, endpoint, method, id=f"{method} {rule}") for rule, endpoint, method in found]


def cookie_header(jar):
    return "; ".join(f"{name}={value}" for name, value in jar.items())


@pytest.mark.parametrize("rule_text, endpoint, method", routes())
def test_no_route_fails_or_echoes_a_foreign_host(fuzzed, rule_text, endpoint, method):
    rule = next(r for r in fuzzed.url_map.iter_rules(endpoint) if r.rule == rule_text)
    adapter = fuzzed.url_map.bind("localhost")
    client = fuzzed.test_client(use_cookies=False)

    @settings(PROFILE)
    @given(values=values_for(fuzzed, rule), query=queries(), sent_headers=headers(),
           jar=cookies(fuzzed), body=bodies())
    def request_once(values, query, sent_headers, jar, body):
        try:
            path = adapter.build(endpoint, values, method=method)
        except (BuildError, ValueError):
            assume(False)
        sent_headers = dict(sent_headers)
        if jar:
            sent_headers["Cookie"] = cookie_header(jar)
        kind = sent_headers.pop("Content-Type", None)
        extra = {}
        if method in ("POST", "PUT", "PATCH"):
            extra = {"data": body} if kind != "application/json" else {"json": body}
            if kind == "text/plain":
                extra = {"data": repr(body), "content_type": kind}
        response = client.open(path, method=method, query_string=query, headers=sent_headers, **extra)
        answer = response.get_data(as_text=True)
        assert response.status_code < 500, (method, path, query, sent_headers, answer[:300])
        assert FOREIGN not in answer, (method, path, query, sent_headers)
        assert FOREIGN not in response.headers.get("Location", ""), (method, path, query, sent_headers)

    request_once()
