"""The production stack, proven on loopback (issue 13's list, in order).

The tests share one stack and run in file order: each fault (mail server,
Redis, PostgreSQL) is repaired before the test ends; the one that is not
(an app server killed) comes last.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import sys
import threading
import time
import urllib.parse

import pytest

from tests.referrals.smtp_server import HttpError, HttpFamily, csrf_token, family_answers

from .conftest import STATUS_LIMIT
from .servers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from content_bench import run_wrk  # noqa: E402  (the benchmarks' wrk runner, reused)

PAGES = ["/en/", "/en/health-visiting/vitamins-and-immunisations", "/en/refer",
         "/en/search?q=sleep"]


def get(base, path, headers=None, method="GET", body=None):
    """One request on its own connection: (status, headers, raw body)."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Accept-Language": "en", **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def text_of(headers, body):
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode("utf-8")


def test_pages_come_through_nginx_gzipped_and_static_files_with_the_long_cache(stack):
    for path in PAGES * 2:
        status, headers, body = get(stack.nginx.base, path, {"Accept-Encoding": "gzip"})
        assert status == 200, (path, status)
        assert headers.get("content-encoding") == "gzip", (path, headers)
        assert "<html" in text_of(headers, body)
    # Either server answers the same (nginx spreads them; each one directly too).
    for server in stack.servers:
        for path in PAGES:
            status, headers, body = get(server.base, path, {"Accept-Encoding": "gzip"})
            assert status == 200 and "<html" in text_of(headers, body)
    html = "".join(text_of(*get(stack.nginx.base, path, {"Accept-Encoding": "gzip"})[1:])
                   for path in ("/en/", "/en/refer"))
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)\?v=[0-9a-f]+)"', html)
    assert any(".css?" in a for a in assets) and any(".js?" in a for a in assets), assets
    for asset in assets:
        status, headers, body = get(stack.nginx.base, asset, {"Accept-Encoding": "gzip"})
        assert status == 200
        assert "max-age=31536000" in headers["cache-control"], headers
        assert headers.get("content-encoding") == "gzip"  # the .gz beside it (gzip_static)
        plain = get(stack.nginx.base, asset)[2]
        assert gzip.decompress(body) == plain and len(body) < len(plain)
    # A body bigger than the app's 64 KiB is refused by nginx itself.
    status, _, _ = get(stack.nginx.base, "/en/refer", method="POST", body=b"x" * 70_000,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    # Search words never reach the app servers' access logs.
    for server in stack.servers:
        log = server.access_log.read_text()
        assert '"GET /en/search"' in log and "sleep" not in log


# ---- referrals and their e-mails ----------------------------------------------------

def sql(stack, query, *params):
    """Run one statement on the stack's database; return the rows (if any)."""
    import psycopg
    url = stack.postgres.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def stored_counts(stack, references):
    rows = sql(stack, "SELECT reference, count(*) FROM referrals WHERE reference = ANY(%s) "
                      "GROUP BY reference", list(references))
    return dict(rows)


def delivered(results):
    total = 0
    for result in results:
        assert result.returncode in (0, 75), result.stderr[-2000:]
        total += int(re.search(r"delivered (\d+)", result.stdout).group(1))
    return total


def test_referrals_through_both_servers_are_stored_once_and_mailed_once_across_an_outage(stack):
    before = len(stack.smtp.messages())
    stack.smtp.stop()  # the mail server is down while families send
    references = [HttpFamily(stack.servers[n % 2].base).submit(family_answers(1000 + n))
                  for n in range(30)]
    assert len(set(references)) == 30
    assert stored_counts(stack, references) == dict.fromkeys(references, 1)
    # Both servers' timers fire at once while it is still down: nothing is lost.
    assert delivered(stack.flask_on_all("outbox", "deliver")) == 0
    stack.smtp.start()
    # The back-off minute passes, then both timers fire at once again.
    sql(stack, "UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'")
    assert delivered(stack.flask_on_all("outbox", "deliver")) == 30
    assert delivered(stack.flask_on_all("outbox", "deliver")) == 0
    stack.smtp.wait_for(before + 30)
    time.sleep(0.5)  # a duplicate would arrive now
    received = stack.smtp.messages()[before:]
    assert sorted(m["Subject"].split()[2] for m in received) == sorted(references)
    assert sql(stack, "SELECT count(*) FROM outbox WHERE status <> 'sent'") == [(0,)]


# ---- rate limits shared through Redis ----------------------------------------------------

def wrong_status_checks(base, count):
    """POST the status form ``count`` times with a reference nobody has: the
    statuses (400 while under the limit, then 429)."""
    family = HttpFamily(base)
    status, _, html = family.request("GET", "/en/refer/status")
    assert status == 200
    fields = [("csrf_token", csrf_token(html)), ("reference", "SW-ZZZZ-ZZZZ"),
              ("date-day", "1"), ("date-month", "1"), ("date-year", "2025")]
    return [family.request("POST", "/en/refer/status", fields)[0] for _ in range(count)]


def test_a_rate_limit_reached_through_one_server_counts_on_the_other(stack):
    stack.redis.client().flushall()
    assert wrong_status_checks(stack.servers[0].base, STATUS_LIMIT) == [400] * STATUS_LIMIT
    assert wrong_status_checks(stack.servers[1].base, 1) == [429]


def test_redis_down_public_pages_and_referrals_still_work_then_limits_are_shared_again(stack):
    stack.redis.stop()
    try:
        for path in PAGES * 2:
            assert get(stack.nginx.base, path)[0] == 200, path
        reference = HttpFamily(stack.nginx.base).submit(family_answers(2000))
        assert stored_counts(stack, [reference]) == {reference: 1}
        for server in stack.servers:
            health = json.loads(get(server.base, "/healthz")[2])
            assert health["rate_limits"] == {"storage": "redis", "shared": False}
    finally:
        stack.redis.start()  # back, empty, on the same port
    for server in stack.servers:
        assert json.loads(get(server.base, "/healthz")[2])["rate_limits"]["shared"] is True
    # Each worker looks for Redis again after a back-off (1, 2, 4 ... s)
    # while it serves. Fewer probes of B than the limit, so B's own memory
    # can never be what refuses it: a 429 there comes from Redis.
    for wait in (2, 8, 15, 20)[:STATUS_LIMIT - 1]:
        poke_until = time.monotonic() + wait
        while time.monotonic() < poke_until:
            for server in stack.servers:
                get(server.base, "/en/refer/status")
            time.sleep(0.2)
        stack.redis.client().flushall()
        wrong_status_checks(stack.servers[0].base, STATUS_LIMIT)
        if wrong_status_checks(stack.servers[1].base, 1) == [429]:
            break
    else:
        pytest.fail("the rate limits were not shared again after Redis came back")


# ---- PostgreSQL restarted ---------------------------------------------------------

def test_postgres_restarted_mid_way_loses_no_confirmed_referral(stack):
    acknowledged, failures, statuses = [], [], []
    stop = threading.Event()

    def families(first):
        number = first
        while not stop.is_set():
            family = HttpFamily(stack.nginx.base)
            try:
                acknowledged.append(family.submit(family_answers(number)))
            except HttpError as exc:
                failures.append((exc.step, exc.status))
            statuses.extend(family.statuses)
            number += 10

    threads = [threading.Thread(target=families, args=(3000 + n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        stack.postgres.restart()
        time.sleep(2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert len(acknowledged) > 4, (acknowledged, failures)
    stored = stored_counts(stack, acknowledged)
    assert stored == dict.fromkeys(acknowledged, 1), "a confirmed referral was not stored"
    # A request that met the outage got an error page, never a confirmation.
    assert all(status in (503, 500) for step, status in failures if status), failures
    # Afterwards every worker's pool reconnects: the next submissions work.
    for n in range(4):
        reference = HttpFamily(stack.servers[n % 2].base).submit(family_answers(3900 + n))
        assert stored_counts(stack, [reference]) == {reference: 1}


# ---- content follows the repository ------------------------------------------------

PAGE = "en/health-visiting/vitamins-and-immunisations.md"
PAGE_URL = "/en/health-visiting/vitamins-and-immunisations"
BROKEN = "en/health-visiting/broken-page.md"
NEW_WORD = "quillowberry"  # in no other page


def wait_for(seconds, check, what):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds} s")
        time.sleep(0.5)


def test_a_pushed_commit_reaches_both_servers_and_a_broken_one_is_refused_by_both(stack):
    page = stack.editor / PAGE
    page.write_text(page.read_text().replace(
        "title: Vitamins and immunisations", "title: Vitamins, drops and vaccines").replace(
        "Vitamins and vaccines are two", f"Vitamins ({NEW_WORD} drops) and vaccines are two"))
    good = stack.commit("A clearer title")
    # What the content sync timer does on each server (every 2 minutes).
    for result in stack.flask_on_all("content", "sync"):
        assert result.returncode == 0 and f"updated, on {good[:12]}" in result.stdout, result
    synced = time.monotonic()
    for server in stack.servers:
        wait_for(30, lambda base=server.base: "Vitamins, drops and vaccines" in get(base, PAGE_URL)[2]
                 .decode(), f"the new title on {server.base}")
        wait_for(60, lambda base=server.base: PAGE_URL in get(base, f"/en/search?q={NEW_WORD}")[2]
                 .decode(), f"the new word found by search on {server.base}")
        health = json.loads(get(server.base, "/healthz")[2])["content"]
        assert health["commit"] == good and health["sync"]["refused"] is None
    print(f"content on both servers, pages and search, {time.monotonic() - synced:.1f} s "
          "after the sync")

    (stack.editor / BROKEN).write_text("---\ntitle: [never closed\n---\nA page.\n")
    bad = stack.commit("A page with broken front matter")
    for result in stack.flask_on_all("content", "sync"):
        assert result.returncode == 1 and BROKEN in result.stderr, result
        assert f"still on {good[:12]}" in result.stderr
    for server in stack.servers:
        health = json.loads(get(server.base, "/healthz")[2])["content"]
        assert health["commit"] == good and health["sync"]["refused"] == bad
        assert health["sync"]["problems"][0].startswith(f"{BROKEN}:")
        assert "Vitamins, drops and vaccines" in get(server.base, PAGE_URL)[2].decode()
        assert get(server.base, "/en/health-visiting/broken-page")[0] == 404

    (stack.editor / BROKEN).unlink()
    fixed = stack.commit("Remove the broken page")
    for result in stack.flask_on_all("content", "sync"):
        assert result.returncode == 0 and f"updated, on {fixed[:12]}" in result.stdout


# ---- load -------------------------------------------------------------------------

# Mostly pages, with a search (about 30 times a page's cost) and the forms.
LOAD_PATHS = ["/en/", PAGE_URL, "/en/search?q=sleep", "/en/whats-on", "/en/refer", "/pl/",
              "/en/health-visiting/", "/ur/", "/en/refer/status"]


def test_two_hundred_connections_for_a_minute_through_nginx_get_no_errors(stack, tmp_path):
    if not shutil.which("wrk"):
        pytest.skip("wrk is not installed (make system-deps installs it)")
    for path in LOAD_PATHS:
        assert get(stack.nginx.base, path)[0] == 200, path
    seconds = int(os.environ.get("STACK_LOAD_SECONDS", "60"))
    logged = len(stack.nginx.error_log())
    result = run_wrk(stack.nginx.base, LOAD_PATHS, seconds, 200, tmp_path)
    print("nginx during the load:", stack.nginx.error_log()[logged:][-3000:])
    print(f"load: 200 connections, {seconds} s: {result['requests']} requests, "
          f"{result['rps']:.0f}/s, p50 {result['p50'] * 1000:.0f} ms, "
          f"p99 {result['p99'] * 1000:.0f} ms, errors {result['errors']}, "
          f"socket errors {result['socket_errors']}")
    assert result["errors"] == 0 and result["socket_errors"] == 0, result
    assert result["requests"] > seconds  # it really ran


# ---- one app server killed ----------------------------------------------------------

def test_one_app_server_killed_nginx_keeps_serving_from_the_other(stack):
    victim = stack.servers[1]
    logged = len(stack.nginx.error_log())
    victim.kill()  # kill -9 of its master and workers
    for path in PAGES * 3:
        status, _, body = get(stack.nginx.base, path)
        assert status == 200, (path, status, body[:300])
    reference = HttpFamily(stack.nginx.base).submit(family_answers(4000))
    assert stored_counts(stack, [reference]) == {reference: 1}
    # nginx did meet the dead server (refused, or reset by the dying workers)
    # and retried on the other.
    log = stack.nginx.error_log()[logged:]
    assert f"upstream: \"http://127.0.0.1:{victim.port}/" in log, log[-3000:]


def test_no_app_server_left_families_get_the_try_again_page_not_nginx_s(stack):
    """Last of all: both servers down. A page and a referral sent (POST) get
    the static "try again" page in every language, with the status kept."""
    for server in stack.servers:
        if server.proc.poll() is None:
            server.kill()
    status, headers, body = get(stack.nginx.base, "/en/groups/")
    assert status == 502, status
    page = text_of(headers, body)
    assert "Sorry, there is a problem with the service" in page and 'lang="ur"' in page
    status, headers, body = get(stack.nginx.base, "/en/refer/check", method="POST",
                                body="confirm=1",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 502 and "call 999" in text_of(headers, body), status
