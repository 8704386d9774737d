"""CSRF protection, checked on the requests that can change something.

Flask-WTF's check runs before every request and, on a GET, looks the view
up for an exemption before it finds the method needs no check. Here it
runs only for the methods it protects (WTF_CSRF_METHODS: POST, PUT, PATCH,
DELETE); for those it is Flask-WTF's own token check, unchanged.

Over HTTPS, Flask-WTF's strict check (WTF_CSRF_SSL_STRICT) refuses a POST
that has no Referer, and some browsers and privacy tools leave it out: such
a family could never send the form. It is replaced by a check of what the
browser does send: an Origin or a Referer, when present, must be this
site over HTTPS. The token is required either way.
"""

from flask import current_app, g, request
from flask_wtf.csrf import CSRFError

from ..extensions import csrf
from ..site_url import is_this_site
from .hooks import guard_hooks


def init_app(app):
    app.config["WTF_CSRF_SSL_STRICT"] = False  # see the module's docstring
    csrf.init_app(app)
    guard_hooks(app, _is_csrf_check, _only_for_protected_methods)


def _is_csrf_check(hook):
    return getattr(hook, "__module__", None) == "flask_wtf.csrf" and \
        getattr(hook, "__name__", None) == "csrf_protect"


def _only_for_protected_methods(hook):
    def csrf_protect_if_method_protected():
        if request.method in current_app.config["WTF_CSRF_METHODS"]:
            refused = hook()
            # g.csrf_valid: the token was checked and good (not an exempt view).
            if g.get("csrf_valid") and request.is_secure and not _sent_from_here():
                raise CSRFError("The request was sent from another site.")
            return refused
        return None
    return csrf_protect_if_method_protected


def _sent_from_here():
    """Whether the Origin and Referer the browser sent, if any, are this site over HTTPS."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and not is_this_site(origin):
        return False
    return not request.referrer or is_this_site(request.referrer)
