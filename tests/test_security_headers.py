"""Every kind of response carries the security headers."""

import pytest

URLS = ["/", "/en/", "/en/hubs/", "/en/hubs/brinnington", "/en/whats-on", "/en/whats-on.ics",
        "/en/search?q=sleep", "/en/pages/about", "/en/nowhere", "/healthz", "/sitemap.xml",
        "/robots.txt", "/static/css/site.css", "/en/refer", "/en/hubs/brinnington/report",
        "/staff/login", "/staff/", "/staff/content/"]


@pytest.mark.parametrize("url", URLS)
def test_security_headers_on_every_response(client, url):
    assert_security_headers(client.get(url).headers)


def assert_security_headers(headers):
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert "default-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # only in production


def test_hsts_in_production(make_app):
    client = make_app(HSTS=True).test_client()
    assert client.get("/en/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_inline_script_or_style_in_any_template():
    import re
    from pathlib import Path
    for template in Path("portal/templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert " style=" not in text and "<style" not in text, template
