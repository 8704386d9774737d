"""The shipped deployment keeps client addresses honest (issue 11, L9):
nginx overwrites X-Forwarded-For, gunicorn listens on loopback by default,
and the README says why both matter."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def directives(text):
    """nginx directives, comments removed."""
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def test_nginx_overwrites_x_forwarded_for():
    lines = directives((ROOT / "deploy/nginx/portal.conf").read_text())
    forwarded = [line for line in lines if "X-Forwarded-For" in line]
    assert forwarded == ["proxy_set_header X-Forwarded-For $remote_addr;"]
    assert not any("$proxy_add_x_forwarded_for" in line for line in lines)


def test_gunicorn_listens_on_loopback_by_default():
    text = (ROOT / "deploy/gunicorn.conf.py").read_text()
    assert re.search(r'bind = os.environ.get\("PORTAL_BIND", "127\.0\.0\.1:\d+"\)', text)


def test_the_readmes_say_the_app_is_reachable_only_through_the_proxy():
    for name in ("README.md", "deploy/README.md"):
        text = " ".join((ROOT / name).read_text().split())
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in text, name
        assert "listen only where nginx reaches them" in text or \
            "listens only where the proxy reaches it" in text, name
