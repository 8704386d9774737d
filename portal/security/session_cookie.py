"""The signed cookie session, opened only by a request that uses it.

Flask opens the session cookie for every request, and Flask-Login reads it
after every request, so every public page paid for a signing serializer, a
cookie decoded when one was sent, and a ``Vary: Cookie`` it did not need.
Only the referral pages (the draft's id), the page-report and staff forms
(CSRF tokens) and the staff side (who is signed in) use the session. Here
the cookie is read the first time something asks for it; a request that
never asks neither reads nor writes it.
"""

from collections.abc import MutableMapping

from flask import session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user

from .hooks import guard_hooks


class LazySession(MutableMapping):
    """A SecureCookieSession read from the cookie on first use."""

    def __init__(self, load):
        self._load = load
        self._session = None
        self._accessed = False

    @property
    def loaded(self):
        return self._session is not None

    @property
    def real(self):
        if self._session is None:
            self._session = self._load()
        return self._session

    def __getitem__(self, key):
        return self.real[key]

    def __setitem__(self, key, value):
        self.real[key] = value

    def __delitem__(self, key):
        del self.real[key]

    def __iter__(self):
        return iter(self.real)

    def __len__(self):
        return len(self.real)

    def __contains__(self, key):
        return key in self.real

    def get(self, key, default=None):
        return self.real.get(key, default)

    def setdefault(self, key, default=None):
        return self.real.setdefault(key, default)

    def pop(self, key, *default):
        return self.real.pop(key, *default)

    def clear(self):
        self.real.clear()

    def update(self, *args, **kwargs):
        self.real.update(*args, **kwargs)

    def __repr__(self):
        return f"<LazySession {self._session!r}>" if self.loaded else "<LazySession unread>"

    # What Flask's session adds to a dict; unread, it was neither accessed nor changed.
    @property
    def permanent(self):
        return self.real.permanent

    @permanent.setter
    def permanent(self, value):
        self.real.permanent = value

    @property
    def new(self):
        return self.real.new

    @property
    def modified(self):
        return self.loaded and self._session.modified

    @modified.setter
    def modified(self, value):
        self.real.modified = value

    # Flask marks the session accessed whenever its proxy is looked up, read
    # or not; only a read session says so in the response (Vary: Cookie).
    @property
    def accessed(self):
        return self._session.accessed if self.loaded else self._accessed

    @accessed.setter
    def accessed(self, value):
        if self.loaded:
            self._session.accessed = value
        else:
            self._accessed = value


class LazyCookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, read and saved only when a request used it."""

    def open_session(self, app, request):
        if not app.secret_key:
            return None  # Flask's null session, as without this class
        return LazySession(lambda: self._read(app, request))

    def _read(self, app, request):
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()  # no cookie: nothing to verify
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if session.loaded:
            super().save_session(app, session.real, response)


def init_app(app, login_manager):
    """Use the lazy session, and bind Flask-Login so that it reads the session only when asked.

    Flask-Login's context processor loads the signed-in user (so reads the
    session) for every template rendered; ``current_user`` is given to
    templates as its proxy instead, which loads on first use. Its
    remember-me step runs only on a read session: it looks for a
    "_remember" key that only a sign-in or sign-out puts in the session,
    within the request, and takes out again before the response is sent,
    so an unread session cannot hold one.
    """
    app.session_interface = LazyCookieSessionInterface()
    login_manager.init_app(app, add_context_processor=False)
    app.jinja_env.globals["current_user"] = current_user
    guard_hooks(app, lambda hook: getattr(hook, "__func__", None)
                is LoginManager._update_remember_cookie, _only_when_read)


def _only_when_read(hook):
    def update_remember_cookie_if_read(response):
        if getattr(session._get_current_object(), "loaded", True):
            return hook(response)
        return response
    return update_remember_cookie_if_read
