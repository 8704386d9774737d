"""The services the settings name: a missing client stops start-up with one
line; Redis that does not answer never stops a family sending a referral."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.referrals.smtp_server import csrf_token, family_answers, submit_with_test_client
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("setting, value, named", [
    ("RATELIMIT_STORAGE_URI", "memcached://127.0.0.1:11211", "pymemcache"),
    ("RATELIMIT_STORAGE_URI", "nosuch://user:secret@127.0.0.1", "unknown storage scheme"),
    ("DATABASE_URL", "mysql://user:secret@127.0.0.1/portal", "MySQLdb"),
])
def test_a_backend_without_its_client_stops_start_up_with_one_line(tmp_path, setting, value,
                                                                   named):
    env = {**os.environ, "PORTAL_INSTANCE_DIR": str(tmp_path), setting: value}
    env.pop("PORTAL_ENV", None)
    done = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{setting} names ") and named in lines[0]
    assert "secret" not in done.stderr  # the URL's password is never printed


def test_the_redis_client_is_installed():
    from limits.storage import storage_from_string
    storage_from_string("redis://127.0.0.1:6379")  # raises if the client is missing


def test_redis_unreachable_falls_back_to_memory_and_a_family_still_sends(make_app,
                                                                        database_url, caplog,
                                                                        monkeypatch):
    # The Limiter is one per process: an earlier test here may have found
    # Redis dead already, and then it would not say so again.
    from portal.extensions import limiter
    monkeypatch.setattr(limiter, "_storage_dead", False)
    nobody = f"redis://127.0.0.1:{free_port()}"  # nothing listens there
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, RATELIMIT_STORAGE_URI=nobody,
                   RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1},
                   REFERRAL_RATE_LIMIT="2 per hour")
    client = app.test_client()
    reference, _ = submit_with_test_client(client, family_answers(1))
    assert reference.startswith("SW-")
    assert "Rate limit storage unreachable" in caplog.text
    health = client.get("/healthz").get_json()
    assert health["rate_limits"] == {"storage": "redis", "shared": False}
    # The limits still hold, counted in this process's memory: the journey
    # posted the form once, this is the second, the third is one too many.
    token = csrf_token(client.get("/en/refer").get_data(as_text=True))
    assert client.post("/en/refer", data={"csrf_token": token}).status_code == 200
    assert client.post("/en/refer", data={"csrf_token": token}).status_code == 429


def test_healthz_says_memory_limits_are_not_shared(client):
    assert client.get("/healthz").get_json()["rate_limits"] == {"storage": "memory",
                                                                "shared": False}
