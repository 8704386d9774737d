"""Error pages that are real pages in the site's layout."""

import logging

from flask import render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Sorry, there is a problem with that request"),
          _l("Something in the request was not right. Go back and try again.")),
    403: (_l("You cannot use this page"),
          _l("Your account does not give you access to this page. Ask an administrator if you need it.")),
    404: (_l("Page not found"),
          _l("If you typed the web address, check it is correct. "
             "If you pasted it, check you copied the whole address.")),
    405: (_l("Sorry, there is a problem with that request"),
          _l("That page cannot be used in that way. Go back and try again.")),
    413: (_l("What you sent is too large"),
          _l("Please go back, shorten what you wrote and try again.")),
    429: (_l("Too many requests"),
          _l("Please wait a minute and try again.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Please try again later. If you need help now, phone us.")),
}


def render_error(code, description=None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title, message=message
    ), code


def init_app(app):
    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code and error.code < 400:
            return error
        return render_error(error.code if error.code in MESSAGES else 400)

    @app.errorhandler(Exception)
    def server_error(error):
        log.exception("unhandled error")
        try:
            return render_error(500)
        except Exception:  # the layout itself is broken: still answer politely
            return "Sorry, there is a problem with the service.", 500
