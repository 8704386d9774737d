"""What each kind of content file may hold, and how each field is read.

One table of field parsers per kind (the Pelican way): a file is checked
field by field, every problem carries the line of the field, and a file
with an error is left out while the rest of the site is served.
"""

import difflib
from dataclasses import dataclass
from functools import partial

from ..timetable.occurrences import meeting_days
from ..timetable.opening_hours import OpeningHours, parse_day
from ..timetable.sessions import (
    WEEKDAYS,
    Cancellation,
    SingleDate,
    WeeklyRun,
    parse_time_range,
)
from . import fields
from .pages import Place
from .problems import ContentError, Gatherer, gather

# A translation carries only what is written in words; facts stay English.
TRANSLATABLE = ("title", "summary", "translated")


@dataclass(frozen=True)
class Field:
    parse: object  # callable(value, name) -> parsed value
    required: bool = False
    attr: str | None = None  # the record's attribute, when named otherwise


def _location(value, name):
    value = fields.mapping(value, name)
    try:
        lat, lon = float(value["lat"]), float(value["lon"])
    except (KeyError, TypeError, ValueError):
        raise ContentError(
            f"{name}: expected {{lat: 53.43, lon: -2.12}} (decimal degrees)"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ContentError(f"{name}: lat/lon out of range")
    return (lat, lon)


def _opening_hours(value, name):
    value = fields.mapping(value, name)
    for day, hours in value.items():
        try:
            if WEEKDAYS.get(str(day).strip().lower()) is None:
                raise ValueError(f"{day!r} is not a day of the week (mon, tue, ... sun)")
            parse_day(str(hours))
        except ValueError as exc:
            raise ContentError(f"{name}.{day}: {exc}", at=(day,)) from None
    try:
        return OpeningHours.from_mapping({str(d): str(h) for d, h in value.items()})
    except ValueError as exc:
        raise ContentError(f"{name}: {exc}") from None


def _venue(value, name):
    if isinstance(value, str):
        return fields.one_line(value, name)
    value = fields.mapping(value, name)
    unknown = set(value) - {"name", "address", "postcode"}
    if unknown:
        raise ContentError(
            f"{name}: unknown field {sorted(unknown)[0]!r}; a venue that is not "
            "a hub has name, address (lines) and postcode"
        )
    if "name" not in value:
        raise ContentError(f"{name}: a venue needs a name (or give a hub id)")
    return Place(
        name=fields.one_line(value["name"], f"{name}.name"),
        address=fields.listing(value.get("address"), f"{name}.address", fields.one_line),
        postcode=(
            fields.postcode(value["postcode"], f"{name}.postcode")
            if value.get("postcode") else None
        ),
    )


def _time_range(value, name):
    try:
        return parse_time_range(fields.text(value, name))
    except ValueError as exc:
        raise ContentError(f"{name}: {exc}") from None


def _in_field(name, key, parse, value, *args):
    """Parse one key of a mapping, reporting errors at that key's line."""
    try:
        return parse(value, f"{name}.{key}", *args)
    except ContentError as exc:
        raise exc.inside(key) from None


def _session(value, name):
    value = fields.mapping(value, name)
    if "weekly" in value:
        allowed = {"weekly", "time", "from", "until", "except"}
        unknown = set(value) - allowed
        if unknown:
            raise ContentError(
                f"{name}: unknown field {sorted(map(str, unknown))[0]!r} in a "
                f"weekly run (expected: weekly, time, from, until, except)"
            )
        for key in ("time", "from", "until"):
            if key not in value:
                raise ContentError(f"{name}: a weekly run needs '{key}'")
        day = str(value["weekly"]).strip().lower()
        found = Gatherer()  # a bad day, time and dates are all reported at once
        with found.check():
            if day not in WEEKDAYS:
                raise ContentError(
                    f"{name}.weekly: {value['weekly']!r} is not a day of the week",
                    at=("weekly",),
                )
        with found.check():
            start, end = _in_field(name, "time", _time_range, value["time"])
        with found.check():
            first = _in_field(name, "from", fields.date, value["from"])
        with found.check():
            last = _in_field(name, "until", fields.date, value["until"])
        found.done()
        if last < first:
            raise ContentError(
                f"{name}.until: {last} is before 'from' ({first})", at=("until",)
            )
        excepted = _in_field(
            name, "except", partial(fields.listing, item=fields.date), value.get("except")
        ) if "except" in value else ()
        for index, day_off in enumerate(excepted):
            if day_off.weekday() != WEEKDAYS[day] or not first <= day_off <= last:
                raise ContentError(
                    f"{name}.except: {day_off} ({day_off:%A}) is not one of this "
                    f"run's {day}s between {first} and {last}",
                    at=("except", index),
                )
        return WeeklyRun(
            weekday=WEEKDAYS[day], start=start, end=end, first=first, last=last,
            except_dates=frozenset(excepted),
        )
    if "date" in value:
        unknown = set(value) - {"date", "time"}
        if unknown or "time" not in value:
            raise ContentError(
                f"{name}: a single date has exactly 'date' and 'time'"
            )
        on = _in_field(name, "date", fields.date, value["date"])
        start, end = _in_field(name, "time", _time_range, value["time"])
        return SingleDate(on=on, start=start, end=end)
    raise ContentError(
        f"{name}: expected a weekly run (weekly: tuesday, time, from, until) "
        "or a single date (date, time)"
    )


def _cancellation(value, name):
    value = fields.mapping(value, name)
    if "date" not in value or "reason" not in value:
        raise ContentError(f"{name}: a cancellation needs a date and a reason")
    return Cancellation(
        on=_in_field(name, "date", fields.date, value["date"]),
        reason=_in_field(name, "reason", fields.one_line, value["reason"]),
    )


COMMON = {
    "title": Field(partial(fields.one_line, limit=120), required=True),
    "summary": Field(partial(fields.one_line, limit=250), required=True),
    "localities": Field(partial(fields.listing, item=fields.tag)),
    "ages": Field(partial(fields.listing, item=partial(fields.choice, allowed=fields.AGES))),
    "topics": Field(partial(fields.listing, item=fields.tag)),
    "updated": Field(fields.date, required=True),
    "review_by": Field(fields.date),
    "draft": Field(fields.boolean),
}

HUB = COMMON | {
    "type": Field(partial(fields.choice, allowed=("family-hub", "satellite")), attr="hub_type"),
    "address": Field(partial(fields.listing, item=fields.one_line), required=True),
    "postcode": Field(fields.postcode, required=True),
    "location": Field(_location),
    "opening_hours": Field(_opening_hours, required=True),
    "phone": Field(fields.phone),
    "email": Field(fields.email),
    "facilities": Field(partial(fields.listing, item=fields.one_line)),
}

ACTIVITY = COMMON | {
    "venue": Field(_venue, required=True),
    "booking": Field(partial(fields.choice, allowed=("drop-in", "required")), required=True),
    "booking_phone": Field(fields.phone),
    "booking_url": Field(fields.url),
    "cost": Field(fields.one_line),
    "sessions": Field(partial(fields.listing, item=_session), required=True),
    "cancelled": Field(partial(fields.listing, item=_cancellation)),
}

TRANSLATION = {
    "title": COMMON["title"],
    "summary": COMMON["summary"],
    "translated": Field(fields.date, required=True),
}
# A group's or course's translation may also put its cost and the reasons for
# its cancellations into words (the dates stay the English file's).
ACTIVITY_TRANSLATION = TRANSLATION | {
    "cost": ACTIVITY["cost"],
    "cancelled": ACTIVITY["cancelled"],
}


def line_of(lines, at):
    """Return the line of the deepest known part of a key path."""
    for end in range(len(at), -1, -1):
        if at[:end] in lines:
            return lines[at[:end]]
    return 1


def read_fields(schema, meta, lines, warn):
    """Parse every field of ``meta`` by ``schema``; return {attr: value}.

    Unknown fields are warnings (with a suggestion), not errors, so a typo
    in an optional field does not take a page down.
    """
    values = {}
    errors = []  # every field is read, so one pass reports every mistake
    for name, spec in schema.items():
        if name not in meta or meta[name] is None:
            if spec.required:
                errors.append(ContentError(f"{name}: this field is required",
                                           line_of(lines, ())))
            continue
        try:
            values[spec.attr or name] = spec.parse(meta[name], name)
        except ContentError as exc:
            errors.extend(ContentError(e.message, line_of(lines, (name,) + e.at))
                          for e in exc.each)
    for name in meta:
        if name not in schema:
            close = difflib.get_close_matches(str(name), list(schema), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            warn(line_of(lines, (name,)), f"unknown field '{name}' is ignored{hint}")
    if errors:
        raise gather(errors)
    return values


def check_activity(values, lines):
    """Check the rules that join several fields of a group or course; every
    broken rule is reported."""
    errors = []
    if values["booking"] == "required" and not (
        values.get("booking_phone") or values.get("booking_url")
    ):
        errors.append(ContentError(
            "booking: 'required' needs booking_phone or booking_url so families "
            "know how to book", line_of(lines, ("booking",))
        ))
    if not values["sessions"]:
        errors.append(ContentError("sessions: list at least one session",
                                   line_of(lines, ("sessions",))))
    for index, cancelled in enumerate(values.get("cancelled", ())):
        if not any(list(meeting_days(s, cancelled.on, cancelled.on)) for s in values["sessions"]):
            errors.append(ContentError(
                f"cancelled[{index + 1}].date: {cancelled.on} ({cancelled.on:%A}) "
                "is not a day this meets",
                line_of(lines, ("cancelled", index, "date")),
            ))
    if errors:
        raise gather(errors)

