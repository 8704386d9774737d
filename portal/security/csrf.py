"""CSRF protection, checked on the requests that can change something.

Flask-WTF's check runs before every request and, on a GET, looks the view
up for an exemption before it finds the method needs no check. Here it
runs only for the methods it protects (WTF_CSRF_METHODS: POST, PUT, PATCH,
DELETE); for those it is Flask-WTF's own check, unchanged.
"""

from flask import current_app, request

from ..extensions import csrf
from .hooks import guard_hooks


def init_app(app):
    csrf.init_app(app)
    guard_hooks(app, _is_csrf_check, _only_for_protected_methods)


def _is_csrf_check(hook):
    return getattr(hook, "__module__", None) == "flask_wtf.csrf" and \
        getattr(hook, "__name__", None) == "csrf_protect"


def _only_for_protected_methods(hook):
    def csrf_protect_if_method_protected():
        if request.method in current_app.config["WTF_CSRF_METHODS"]:
            return hook()
        return None
    return csrf_protect_if_method_protected
