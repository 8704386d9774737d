"""Turn an editor's markdown into safe HTML and plain text."""

import re
import threading
from html import unescape

import markdown
import nh3

# Tags an editor may use in a page body; anything else (script, style,
# iframe, forms, event handlers) is dropped by nh3 so it can never run.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "details", "dl", "dt",
    "em", "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "pre", "strong",
    "summary", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}}
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
# A UK phone number's digit groups reverse in right-to-left text ("0161 496
# 0100" would read "0100 496 0161"), so each is isolated left-to-right.
_PHONE = re.compile(r"(?<![\w\u2066])(?:\+44\s?|0)\d{2,4}(?:[ \u00a0]\d{3,4}){1,2}(?![\w\u2069])")
_TEXT_BETWEEN_TAGS = re.compile(r"(<[^>]+>)")
_LINK = re.compile(r'<a href="([^"]*)"')
_local = threading.local()


def _converter():
    # A Markdown instance is not thread-safe, but is costly to build.
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(extensions=["tables", "sane_lists"])
    return _local.md


def render(source):
    """Return (html, text, has_h1, links) for a markdown body."""
    md = _converter()
    md.reset()
    html = md.convert(source)
    # The page title is the page's only h1; a '# heading' in a body becomes h2.
    has_h1 = bool(_H1.search(html))
    html = _H1.sub(r"<\1h2", html)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    text = " ".join(unescape(_TAG.sub(" ", html)).split())
    return isolate_phone_numbers(html), text, has_h1, tuple(_LINK.findall(html))


def isolate_phone_numbers(html):
    """Wrap phone numbers in text (not in tags or links' addresses) in dir="ltr"."""
    parts = _TEXT_BETWEEN_TAGS.split(html)
    for index in range(0, len(parts), 2):  # even parts are text, odd are tags
        parts[index] = _PHONE.sub(r'<span dir="ltr">\g<0></span>', parts[index])
    return "".join(parts)
