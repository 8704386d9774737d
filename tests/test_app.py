"""The app's shape: its public addresses and its settings."""

import pytest

from portal import create_app
from portal.config import ProductionConfig, config_from_environment

PUBLIC_RULES = {
    "/",
    "/<lang>/",
    '/<lang>/<any(hubs, groups, epec, "health-visiting"):section>/',
    '/<lang>/<any(hubs, groups, epec, "health-visiting", pages):section>/<slug:page_id>',
    "/<lang>/<any(hubs, groups, epec):section>/<slug:page_id>.ics",
    "/<lang>/whats-on",
    "/<lang>/whats-on.ics",
    "/healthz",
    "/robots.txt",
    "/sitemap.xml",
    "/static/<path:filename>",
}


def test_no_public_address_vanishes_silently(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert PUBLIC_RULES <= rules, PUBLIC_RULES - rules


def test_production_demands_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="needs SECRET_KEY"):
        config_from_environment()


def test_production_turns_on_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("PORTAL_BASE_URL", "https://startwell.example.org")
    monkeypatch.setenv("PORTAL_INSTANCE_DIR", str(tmp_path))
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.HSTS and config.SECRET_KEY == "x" * 32


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE_DIR", str(tmp_path / "inst"))
    monkeypatch.setenv("PORTAL_RETENTION_DAYS", "30")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1/x")
    config = config_from_environment()
    assert config.RETENTION_DAYS == 30
    assert config.DATABASE_URL.startswith("postgresql")
    # Development makes its own secret once, kept in the instance folder.
    assert config.SECRET_KEY == (tmp_path / "inst" / "secret_key").read_text()
    assert config_from_environment().SECRET_KEY == config.SECRET_KEY


def test_an_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "staging")
    with pytest.raises(RuntimeError, match="PORTAL_ENV='staging' is not one of"):
        config_from_environment()


def test_a_missing_site_file_stops_start_up_clearly(content_dir, tmp_path):
    from portal.config import TestConfig
    from portal.content.loader import ContentConfigError
    (content_dir / "site.yml").unlink()
    with pytest.raises(ContentConfigError, match="site.yml is missing"):
        create_app(TestConfig(CONTENT_DIR=content_dir, INSTANCE_DIR=tmp_path))
