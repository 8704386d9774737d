"""Jinja set-up: strictness, filters for dates and times, asset URLs."""

import hashlib
from functools import lru_cache

from flask import current_app, url_for
from babel.dates import get_day_names
from flask_babel import format_date, format_datetime, format_time, get_locale
from jinja2 import StrictUndefined

from .config import ROOT
from .content.web import snapshot

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=32)
def _fingerprint(filename):
    return hashlib.sha256((ROOT / "static" / filename).read_bytes()).hexdigest()[:10]


def asset_url(filename):
    """Return a static file's URL with a content hash, so it can be cached for a year."""
    return url_for("static", filename=filename, v=_fingerprint(filename))


def ask_for_help_url():
    """Link "Ask for help" to the self-referral form once it exists."""
    if "referrals.start" in current_app.view_functions:
        return url_for("referrals.start")
    return url_for("public.page", section="pages", page_id="contact")


def init_app(app):
    if app.config["STRICT_TEMPLATES"]:
        app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = ONE_YEAR
    if app.config["TEMPLATES_AUTO_RELOAD"]:
        _fingerprint.cache_clear()
        app.jinja_env.globals["asset_url"] = lambda f: url_for("static", filename=f)
    else:
        app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.filters.update(
        day=lambda d: format_date(d, "EEEE d MMMM"),
        date=lambda d: format_date(d, "d MMMM yyyy"),
        time=lambda t: format_time(t, "HH:mm"),
        datetime=lambda dt: format_datetime(dt, "EEEE d MMMM, HH:mm"),
        weekday=lambda index: get_day_names("wide", locale=get_locale())[index],
    )
    app.jinja_env.globals["ask_for_help_url"] = ask_for_help_url

    @app.context_processor
    def site_context():
        return {"site": snapshot().site}
