"""Pages whose layout is the same for everyone at an address.

A page that shows one family's own details (the referral's confirmation)
cannot be kept whole, but the site's layout around them is the same for
everyone who asks for that address in that language: the head, the header
with its menu and language links, the footer. That was about seven tenths
of rendering the confirmation. So the layout is rendered once per content,
template, address and language, with a stand-in where the ``main`` block
goes, and kept; each page is then the ``main`` block alone, rendered with
the view's variables, put in the stand-in's place. The result is the same
text ``render_template`` gives (a test compares them).

The layout is rendered *without* the view's variables, so nothing of one
family's can be kept in it and shown to the next: a layout that needed one
fails to render (strict templates, as in the tests) or leaves it out.
The ``main`` block is rendered on its own, so it may use the view's
variables and the app's globals and filters, but not a macro imported or
defined at the top of its template; that raises at once.
"""

import secrets
import threading

from cachetools import LRUCache
from flask import current_app, request
from flask_babel import get_locale

from .content.web import snapshot

# Never in a page otherwise: random, and letters and digits only, so
# escaping leaves it as it is.
STAND_IN = "main" + secrets.token_hex(16)


class KeptPages:
    """Text one app renders once and keeps: by content snapshot, address
    (path and query) and whatever else the caller's key adds. The empty
    referral form (``referrals/blank_form.py``) and the layouts here."""

    def __init__(self, maxsize=64):
        self.pages = LRUCache(maxsize=maxsize)
        self.lock = threading.Lock()

    def get(self, render, *key):
        """The kept text for this request's content and address (and ``key``),
        or ``render()``'s, kept."""
        key = (snapshot().fingerprint, request.full_path, *key)
        with self.lock:
            page = self.pages.get(key)
        if page is None:
            page = render()
            with self.lock:
                self.pages[key] = page
        return page


def init_app(app):
    app.extensions["kept_layouts"] = KeptPages()


def render(template_name, **context):
    """``render_template(template_name, **context)``, with the layout kept."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_template(template_name)
    # The template object itself is in the key: in development an edited
    # template is a new object, so its layout is rendered afresh.
    layout = app.extensions["kept_layouts"].get(
        lambda: _render_layout(app, template_name), template, str(get_locale()))
    variables = dict(context)
    app.update_template_context(variables)
    main = "".join(template.blocks["main"](template.new_context(variables)))
    return layout.replace(STAND_IN, main, 1)


def _render_layout(app, template_name):
    """The template with the stand-in for its main block (compiled on a miss
    only: once per content, address and language)."""
    derived = app.jinja_env.from_string(
        '{% extends ' + repr(template_name) + ' %}{% block main %}' + STAND_IN + '{% endblock %}')
    variables = {}
    app.update_template_context(variables)
    layout = derived.render(variables)
    if layout.count(STAND_IN) != 1:
        raise RuntimeError(f"{template_name}: its layout must show the main block once")
    return layout
