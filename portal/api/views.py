"""``/api/v1/``: the services as Open Referral UK JSON.

Read-only and public (it is the same information as the website), so any
site may fetch it (CORS ``*``); answers are cached for five minutes and
carry an ETag from the content, so a directory that polls gets 304s until
an editor changes something.
"""

import math

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from .. import clock, postcodes
from ..content.web import snapshot
from ..localities.routing import route
from ..timetable.sessions import WeeklyRun
from . import openreferral

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PER_PAGE, MAX_PER_PAGE = 50, 200


@bp.after_request
def public_json(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    if response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=300"
        response.add_etag()
        response.make_conditional(request)
    return response


@bp.errorhandler(HTTPException)
def json_error(error):
    return jsonify(error=error.description, status=error.code), error.code


def _base_url():
    return current_app.config["BASE_URL"]


@bp.get("/")
def about():
    return jsonify(version=openreferral.VERSION, profile=openreferral.PROFILE,
                   services=url_for(".services", _external=True))


def _number(name, default=None, low=0, high=None):
    text = request.args.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        abort(400, f"{name} must be a whole number, got {text!r}")
    if value < low or (high is not None and value > high):
        abort(400, f"{name} must be from {low}" + (f" to {high}" if high is not None else ""))
    return value


def _meets_on(page, day):
    if page.section == "hubs":
        return bool(page.opening_hours.week[day])
    return any((session.weekday if isinstance(session, WeeklyRun) else session.on.weekday()) == day
               for session in page.sessions)


def _matches(page, minimum_age, maximum_age, day, team):
    ages = openreferral.age_range(page)
    if ages and minimum_age is not None and ages[1] < minimum_age:
        return False
    if ages and maximum_age is not None and ages[0] > maximum_age:
        return False
    if team and page.localities and team not in page.localities:
        return False
    return day is None or _meets_on(page, day)


@bp.get("/services")
def services():
    content = snapshot()
    page_number = _number("page", 1, low=1)
    per_page = _number("per_page", PER_PAGE, low=1, high=MAX_PER_PAGE)
    minimum_age = _number("minimum_age", high=120)
    maximum_age = _number("maximum_age", high=120)
    day = request.args.get("day", "").strip().upper()[:2] or None
    if day is not None and day not in openreferral.DAYS:
        abort(400, f"day must be one of {', '.join(openreferral.DAYS)}")
    team = None
    if request.args.get("postcode"):
        postcode = postcodes.normalise(request.args["postcode"])
        if postcode is None:
            abort(400, "postcode is not a UK postcode or district")
        team = route(content.localities, postcode).team.id
    found = [page for page in openreferral.services(content) if _matches(
        page, minimum_age, maximum_age,
        openreferral.DAYS.index(day) if day else None, team)]
    total_pages = max(1, math.ceil(len(found) / per_page))
    shown = found[(page_number - 1) * per_page:page_number * per_page]
    return jsonify(
        total_items=len(found), total_pages=total_pages, page_number=page_number,
        size=len(shown), first_page=page_number == 1, last_page=page_number >= total_pages,
        empty=not shown,
        contents=[openreferral.summary(page, content.site, _base_url()) for page in shown],
    )


@bp.get("/services/<service_id>")
def service(service_id):
    content = snapshot()
    for page in openreferral.services(content):
        if openreferral.identifier(content.site, page.section, page.id) == service_id:
            today = clock.today()
            return jsonify(openreferral.service(page, content, _base_url(), today))
    abort(404, f"no service {service_id}")
