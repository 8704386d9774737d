"""Jinja set-up: strictness, filters for dates and times, asset URLs."""

import datetime
import hashlib
from functools import lru_cache

from babel.dates import format_skeleton, get_day_names
from flask import current_app, url_for
from flask_babel import format_date, get_locale
from jinja2 import StrictUndefined
from markupsafe import Markup, escape

from .clock import LONDON
from .config import ROOT
from .content.web import snapshot
from .forms.errors import error_links
from .i18n.locale import current_language

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=32)
def _fingerprint(filename):
    return hashlib.sha256((ROOT / "static" / filename).read_bytes()).hexdigest()[:10]


def asset_url(filename):
    """Return a static file's URL with a content hash, so it can be cached for a year."""
    return url_for("static", filename=filename, v=_fingerprint(filename))


def in_english(value):
    """Mark text that is always English (addresses, facts from the English
    file) so screen readers pronounce it as English on a translated page."""
    if current_language() == "en":
        return escape(value)
    return Markup('<span lang="en" dir="ltr">%s</span>') % value


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
    app.jinja_env.globals["error_links"] = error_links  # every form page's error summary
    if app.config["TEMPLATES_AUTO_RELOAD"]:
        _fingerprint.cache_clear()
        app.jinja_env.globals["asset_url"] = lambda f: url_for("static", filename=f)
    else:
        app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.filters.update(
        # Skeletons, not fixed patterns: each locale orders day and month its
        # own way ("Monday 30 November", "11月30日周一").
        day=lambda d: format_skeleton("MMMMEEEEd", d, locale=get_locale()),
        date=lambda d: format_date(d, "long"),
        # Times are written 24-hour in every locale we offer: strftime is
        # ten times cheaper than Babel for the same digits.
        time=lambda t: t.strftime("%H:%M"),
        datetime=lambda dt: "{} {:%H:%M}".format(
            format_skeleton("MMMMEEEEd", dt.astimezone(LONDON), locale=get_locale()),
            dt.astimezone(LONDON)),
        weekday=lambda index: get_day_names("wide", locale=get_locale())[index],
        english=in_english,
        # A fact a translation may put into words (cost): English unless it did.
        english_unless=lambda value, translated: escape(value) if translated else in_english(value),
        # Digits in groups (phone numbers) reverse in right-to-left text.
        ltr=lambda value: Markup('<span dir="ltr">%s</span>') % value,
        isodate=datetime.date.fromisoformat,
        extract=lambda key, mapping: mapping.get(key, key),
    )
    app.jinja_env.globals["ask_for_help_url"] = ask_for_help_url

    @app.context_processor
    def site_context():
        return {"site": snapshot().site}
