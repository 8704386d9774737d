"""Choose a reader's language: a pure function, tested without an app."""

from babel import Locale, UnknownLocaleError, negotiate_locale

COOKIE = "lang"


def parse_accept_language(header):
    """Return the language tags of an Accept-Language header, best first."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or len(tag) > 35:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def _base(tag):
    """Reduce a tag to one we might offer: pl-PL -> pl, zh-Hans-CN -> zh."""
    try:
        return Locale.parse(tag.replace("-", "_")).language
    except (UnknownLocaleError, ValueError, TypeError):
        return tag.split("-")[0].split("_")[0].lower()


def choose_language(offered, default, cookie=None, accept_language=None):
    """Return the language for a reader with no language in the URL.

    The cookie (a choice the reader made) wins, then the browser's
    Accept-Language (with quality values and region fallbacks), then the
    site's default. Nothing outside ``offered`` is ever returned.
    """
    if cookie in offered:
        return cookie
    wanted = parse_accept_language(accept_language)
    match = negotiate_locale([t.replace("-", "_") for t in wanted], offered, sep="_")
    if match:
        return match
    for tag in wanted:
        if _base(tag) in offered:
            return _base(tag)
    return default
