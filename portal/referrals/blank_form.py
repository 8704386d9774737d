"""The empty referral form, rendered once per address and content.

Every family without a draft is shown the same page but for one thing: the
CSRF token, which belongs to their own session. The page is rendered with
a stand-in where the token goes, kept, and each family gets a copy with
their own token put in (made and stored in their session exactly as the
template's ``csrf_token()`` would). Rendering the form was about a quarter
of a referral journey's CPU.
"""

import secrets

from flask import current_app, g
from flask_wtf.csrf import generate_csrf

from ..kept_layout import KeptPages

# Never in a page otherwise: random, and made of letters and digits only,
# so escaping leaves it as it is.
STAND_IN = "csrf" + secrets.token_hex(16)


def init_app(app):
    app.extensions["blank_forms"] = KeptPages()


def page(render):
    """Return the empty form page with this family's token: ``render()``
    (the page as HTML) runs once per content snapshot and address."""
    kept = current_app.extensions["blank_forms"].get(lambda: _render_for_everyone(render))
    return kept.replace(STAND_IN, generate_csrf())


def _render_for_everyone(render):
    """Render with the stand-in as the request's token, touching no session."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    setattr(g, name, STAND_IN)  # what generate_csrf() returns while it is set
    try:
        page = render()
    finally:
        g.pop(name, None)
    if STAND_IN not in page:
        raise RuntimeError("the referral form no longer asks for csrf_token()")
    return page
