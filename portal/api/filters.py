"""The profile's query parameters: read them (a bad value is a 400 that says
why) and decide whether a service matches them (pure)."""

import datetime
import re
import uuid
from dataclasses import dataclass

from flask import abort

from .. import postcodes
from ..localities.routing import route
from ..timetable.sessions import WeeklyRun
from . import openreferral, taxonomy

CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
MAX_AGE = 120


@dataclass(frozen=True, slots=True)
class Filters:
    """What a directory asked for; None means "any"."""

    minimum_age: int | None = None
    maximum_age: int | None = None
    day: int | None = None  # Monday is 0
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    team: str | None = None  # the locality team a postcode routes to
    term_id: str | None = None
    taxonomy_id: str | None = None
    search: str | None = None


def number(args, name, default=None, low=0, high=None):
    """A whole number from the query, within [low, high]."""
    text = args.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        abort(400, f"{name} must be a whole number, got {text!r}")
    if value < low or (high is not None and value > high):
        abort(400, f"{name} must be from {low}" + (f" to {high}" if high is not None else ""))
    return value


def _clock(args, name):
    text = args.get(name, "").strip()
    if not text:
        return None
    match = CLOCK.match(text)
    if match:
        try:
            return datetime.time(*(int(part) for part in match.groups() if part))
        except ValueError:  # 25:00
            pass
    abort(400, f"{name} must be a time of day like 09:30 (UK time, no offset), got {text!r}")


def _identifier(args, name):
    text = args.get(name, "").strip()
    if not text:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        abort(400, f"{name} must be a UUID, as the taxonomy endpoints give, got {text!r}")


def read(args, localities, max_query):
    """Read the filters the profile defines for listings of services."""
    day = args.get("day", "").strip().upper()[:2] or None
    if day is not None and day not in openreferral.DAYS:
        abort(400, f"day must be one of {', '.join(openreferral.DAYS)}")
    team = None
    if args.get("postcode"):
        postcode = postcodes.normalise(args["postcode"])
        if postcode is None:
            abort(400, "postcode is not a UK postcode or district")
        team = route(localities, postcode).team.id
    start_time, end_time = _clock(args, "start_time"), _clock(args, "end_time")
    if start_time and end_time and end_time <= start_time:
        abort(400, "end_time must be after start_time")
    return Filters(
        minimum_age=number(args, "minimum_age", high=MAX_AGE),
        maximum_age=number(args, "maximum_age", high=MAX_AGE),
        day=openreferral.DAYS.index(day) if day else None,
        start_time=start_time,
        end_time=end_time,
        team=team,
        term_id=_identifier(args, "taxonomy_term_id"),
        taxonomy_id=_identifier(args, "taxonomy_id"),
        search=" ".join(args.get("search", "").split())[:max_query] or None,
    )


def times(page):
    """Every (weekday, opens, closes) a service is open or meets, in UK time."""
    if page.section == "hubs":
        return [(day, start, end) for day, hours in enumerate(page.opening_hours.week)
                for start, end in hours]
    return [(session.weekday if isinstance(session, WeeklyRun) else session.on.weekday(),
             session.start, session.end) for session in page.sessions]


def _fits(slot, filters):
    """Whether one opening or session is on the day and within the times asked."""
    day, start, end = slot
    return ((filters.day is None or day == filters.day)
            and (filters.start_time is None or start >= filters.start_time)
            and (filters.end_time is None or end <= filters.end_time))


def matches(page, site, filters):
    """Whether a service meets every filter (the search is applied apart)."""
    ages = openreferral.age_range(page)
    if ages and filters.minimum_age is not None and ages[1] < filters.minimum_age:
        return False
    if ages and filters.maximum_age is not None and ages[0] > filters.maximum_age:
        return False
    if filters.team and page.localities and filters.team not in page.localities:
        return False
    keys = taxonomy.keys_of(page)
    if filters.term_id and filters.term_id not in {taxonomy.term_id(site, *key) for key in keys}:
        return False
    if filters.taxonomy_id and filters.taxonomy_id not in {
            taxonomy.taxonomy_id(site, name) for name, _ in keys}:
        return False
    if filters.day is None and filters.start_time is None and filters.end_time is None:
        return True
    return any(_fits(slot, filters) for slot in times(page))
