"""A form whose CSRF token has expired comes back with what was typed.

A form view that can be shown again from the posted answers registers
itself with ``keeps_answers(endpoint)``; any other timed-out form gets the
plain "this page timed out" page.
"""

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

_AGAIN = {}  # endpoint -> function(**view_args) returning the form with a notice

TIMED_OUT = _l("This page timed out to keep your information safe. Check your answers and send them again.")


def keeps_answers(endpoint):
    """Register a function that shows ``endpoint``'s form again from request.form."""
    def register(show_again):
        _AGAIN[endpoint] = show_again
        return show_again
    return register


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_expired(error):
        show_again = _AGAIN.get(request.endpoint)
        if show_again is not None:
            return show_again(**(request.view_args or {}))
        return render_template("errors/error.html", code=400,
                               title=_l("This page timed out"),
                               message=_l("To keep your information safe, the page timed out. "
                                          "Go back and try again.")), 400
