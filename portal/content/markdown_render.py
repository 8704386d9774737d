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
    return html, text, has_h1, tuple(_LINK.findall(html))
