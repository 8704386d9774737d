"""The one locale policy: language from the URL, chosen once at ``/``."""

import functools
import time

from flask import abort, g, redirect, request, url_for
from flask_babel import get_locale, get_translations
from werkzeug.http import dump_cookie

from ..config import ROOT
from ..content.web import snapshot
from ..extensions import babel
from ..site_url import query_args
from .choice import COOKIE, choose_language

RIGHT_TO_LEFT = {"ar", "ur", "fa", "he", "ps", "sd", "ug", "yi"}
# Formatting conventions where the bare language would pick another
# country's: English dates as in the UK.
FORMAT_LOCALES = {"en": "en_GB"}
ONE_YEAR = 365 * 24 * 3600


def current_language():
    return g.get("lang") or snapshot().default_language


def current_locale():
    lang = current_language()
    return FORMAT_LOCALES.get(lang, lang)


def _translations():
    """flask-babel's translations for this request's locale (which
    ``force_locale`` may change for a while), kept for the request."""
    if not g:
        return get_translations()
    locale = get_locale()
    kept = g.get("_portal_translations")
    if kept is None or kept[0] is not locale:
        kept = g._portal_translations = (locale, get_translations())
    return kept[1]


def direction(lang):
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def init_app(app):
    babel.init_app(
        app,
        locale_selector=current_locale,
        timezone_selector=lambda: "Europe/London",
        # Absolute: flask-babel resolves a relative folder against the package.
        default_translation_directories=str(ROOT / "translations"),
    )
    # A template's _() asked flask-babel for the request's translations on
    # every call (about 10 µs, thirty-odd times a page); they are looked up
    # once per request and locale instead.
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _translations().ugettext(string),
        ngettext=lambda string, plural, n: _translations().ungettext(string, plural, n),
        pgettext=lambda context, string: _translations().upgettext(context, string),
        npgettext=lambda context, string, plural, n: _translations().unpgettext(
            context, string, plural, n),
        newstyle=True,
    )

    @app.url_value_preprocessor
    def take_language(endpoint, values):
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in snapshot().site.languages:
                abort(404)
            g.lang = lang

    @app.url_defaults
    def add_language(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()

    @app.after_request
    def remember_language(response):
        # The language a reader last read in is the one "/" sends them to.
        # The page cache's front (page_cache/front.py) adds the same cookie
        # to a kept page, last, as this hook (the last to add a header) does.
        if response.status_code < 400:
            cookie = cookie_to_remember(g.get("lang"), request.cookies.get(COOKIE),
                                        app.config["SESSION_COOKIE_SECURE"])
            if cookie:
                response.headers.add("Set-Cookie", cookie)
        return response

    @app.get("/")
    def root():
        site = snapshot().site
        lang = choose_language(
            site.languages, site.default_language,
            cookie=request.cookies.get(COOKIE),
            accept_language=request.headers.get("Accept-Language"),
        )
        response = redirect(url_for("public.home", lang=lang))
        response.headers["Vary"] = "Cookie, Accept-Language"
        return response

    app.jinja_env.globals.update(
        alternates=alternates, language_name=language_name, direction=direction
    )

    @app.context_processor
    def language_context():
        lang = current_language()
        return {"lang": lang, "dir": direction(lang)}


def cookie_to_remember(lang, sent, secure):
    """Return the Set-Cookie value that remembers ``lang``, or None when the
    reader's language cookie (``sent``) already names it."""
    if not lang or sent == lang:
        return None
    return language_cookie(lang, secure, int(time.time()) // 60)


@functools.lru_cache(maxsize=64)
def language_cookie(lang, secure, minute):
    """The Set-Cookie value that remembers ``lang`` for a year, made once a minute.

    Every first visit gets one; its Expires date (beside Max-Age, which
    browsers prefer) may be up to a minute early.
    """
    return dump_cookie(COOKIE, lang, max_age=ONE_YEAR, httponly=True, samesite="Lax",
                       secure=secure)


# Each language named in its own script, as the switcher shows it.
LANGUAGE_NAMES = {
    "en": "English", "pl": "Polski", "ur": "اردو", "ar": "العربية",
    "bn": "বাংলা", "zh": "中文",
}


def language_name(code):
    return LANGUAGE_NAMES.get(code) or code


def alternates():
    """Return (code, url) for this page in every offered language.

    The query (a search, filters) is kept, but never one that would make the
    link another page (``?page_id=``) or break it (``?_method=``).
    """
    languages = snapshot().site.languages
    endpoint = request.endpoint
    if endpoint and request.url_rule and "lang" in request.url_rule.arguments:
        args = {**query_args(endpoint), **(request.view_args or {})}
        return [(code, url_for(endpoint, **args, lang=code)) for code in languages]
    return [(code, url_for("public.home", lang=code)) for code in languages]
