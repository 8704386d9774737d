"""The parent's area: given once by postcode, remembered in a cookie of its own.

The cookie holds a team's id only, never the postcode typed. It is not the
Flask session: a public page reads it and stays cacheable, because the page
cache is keyed by the area too (``remembered_id``) and the response says
``Vary: Cookie``.

Two query parameters are commands, answered with a redirect to the same
page without them: ``?postcode=SK5+7AB`` (remember its area) and
``?area=all`` (forget it, "Show everywhere"). A postcode that cannot be read
is shown again with an error; one outside the area is said to be so, and
everything is shown.
"""

import functools
from dataclasses import dataclass

from flask import after_this_request, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField

from ..content.web import snapshot
from ..localities.areas import AreaChoice, choose, team_for
from ..site_url import query_args

COOKIE = "area"
EVERYWHERE = "all"  # ?area=all: forget the area
ONE_YEAR = 365 * 24 * 3600
COMMANDS = ("postcode", "area", "locality")  # left out of the address redirected to
PROBLEMS = {
    "empty": _l("Enter a postcode, like SK5 7AB or SK5"),
    "unreadable": _l("Enter a real postcode, like SK5 7AB or SK5"),
}


class PostcodeForm(Form):
    """The postcode box: a GET form on every page that lists things."""

    postcode = StringField(
        _l("Your postcode"),
        description=_l("For example SK5 7AB, or just the first part, SK5. "
                       "We remember your area on this phone, not your postcode."),
    )


@dataclass(frozen=True)
class Area:
    """What a listing shows about the area: for the template."""

    team: object | None  # the area shown; None: everywhere
    form: PostcodeForm
    choice: AreaChoice | None  # the postcode just typed, when it gave no area
    everywhere_url: str

    def places(self, lang):
        return self.team.places_in(lang) if self.team else None

    def places_translated(self, lang):
        """Say whether the places are named in ``lang`` (else they are in English)."""
        return lang == "en" or lang in dict(self.team.places_translated)


def remembered_id():
    """Return the remembered area's team id, or '' (unknown ids count as none)."""
    return area_in(request.cookies, snapshot().localities)


def area_in(cookies, localities):
    """Return the team id the area cookie among ``cookies`` names, or ''."""
    team = team_for(localities, cookies.get(COOKIE, "")[:40])
    return team.id if team else ""


def _here(**extra):
    """Return this page's address without the area commands, plus ``extra``."""
    args = {key: value for key, value in query_args(request.endpoint).items()
            if key not in COMMANDS}
    return url_for(request.endpoint, **(request.view_args or {}), **args, **extra)


def _set_cookie(response, value):
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    if value:
        response.set_cookie(COOKIE, value, max_age=ONE_YEAR, httponly=True,
                            samesite="Lax", secure=secure)
    else:
        response.delete_cookie(COOKIE, httponly=True, samesite="Lax", secure=secure)
    return response


def keeps_to_area(view):
    """Answer the area commands, then run a view that lists things by area."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        localities = snapshot().localities
        g.area_form = PostcodeForm(request.args)
        g.area_choice = None
        if request.args.get("area") == EVERYWHERE:
            return _set_cookie(redirect(_here(), 303), None)
        if "postcode" in request.args:
            choice = choose(localities, request.args["postcode"])
            if choice.team:
                return _set_cookie(redirect(_here(), 303), choice.team.id)
            if choice.problem:
                g.area_form.postcode.errors = [PROBLEMS[choice.problem]]
            else:
                # Read, but in no team's area: say so, show everything, forget the old area.
                g.area_choice = choice
                after_this_request(lambda response: _set_cookie(response, None))

        @after_this_request
        def vary(response):
            response.vary.add("Cookie")
            return response
        return view(*args, **kwargs)
    return wrapper


def remembered_locality():
    """Return the team id a listing keeps to when its address names none, or None."""
    if g.get("area_choice") is not None:
        return None  # a postcode outside the area was just typed: everywhere
    return remembered_id() or None


def area_for(team_id):
    """Return the Area a page shows, for the locality its filters settled on."""
    return Area(team=team_for(snapshot().localities, team_id), form=g.area_form,
                choice=g.area_choice, everywhere_url=_here(area=EVERYWHERE))
