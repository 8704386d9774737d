"""Links that get a parent there and into their calendar. Nothing third-party
is loaded on our page: each is a plain link, followed only if tapped. The
builders are pure; the template helpers at the end bind them to the request."""

from urllib.parse import quote, urlencode

from .. import clock
from ..site_url import external_url
from ..timetable.occurrences import next_occurrence
from ..timetable.summary import regular
from . import bp

OSM = "https://www.openstreetmap.org"
GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"


def directions(location=None, address=None):
    """Return an OpenStreetMap directions link to a point (lat, lon), else a
    search for the address; None when there is neither."""
    if location:
        return f"{OSM}/directions?" + urlencode({"to": f"{location[0]},{location[1]}"})
    if address:
        return f"{OSM}/search?" + urlencode({"query": address})
    return None


def geo(location, name):
    """Return a geo: URI (RFC 5870) a phone opens in its own maps app."""
    lat, lon = location
    return f"geo:{lat},{lon}?q={lat},{lon}({quote(name)})"


def google_calendar(title, starts, ends, location, details, weekly_until=None):
    """Return a Google Calendar "add event" link for one session; with
    weekly_until (a date), it repeats every week until then."""
    stamp = "%Y%m%dT%H%M%S"  # London wall-clock time, with ctz below
    params = {
        "action": "TEMPLATE", "text": title,
        "dates": f"{starts.strftime(stamp)}/{ends.strftime(stamp)}",
        "ctz": "Europe/London", "location": location, "details": details,
    }
    if weekly_until:
        params["recur"] = f"RRULE:FREQ=WEEKLY;UNTIL={weekly_until:%Y%m%d}"
    return f"{GOOGLE_CALENDAR}?" + urlencode(params)


def getting_there(activity, venue, now, page_url):
    """Return the links a group's page offers: directions, the phone's maps
    app, a number to call and a Google Calendar event for the next session."""
    location = getattr(venue, "location", None)
    name = getattr(venue, "title", None) or venue.name
    lines = [line for line in venue.address if line != name]  # a hub's first line is often its name
    address = ", ".join((name, *lines, *filter(None, [venue.postcode])))
    coming = next_occurrence(activity.sessions, activity.cancelled, now)
    run = regular(activity.sessions, now.date())
    return {
        "directions": directions(location, address),
        "geo": geo(location, name) if location else None,
        "phone": activity.booking_phone or getattr(venue, "phone", None),
        "google": google_calendar(
            activity.title, coming.starts, coming.ends, address, f"{activity.summary}\n{page_url}",
            weekly_until=run.last if run and run.weekday == coming.starts.weekday() else None,
        ) if coming else None,
    }


@bp.app_template_global("getting_there")
def getting_there_now(activity, venue):
    """Return the directions, call and calendar links for a group's page."""
    url = external_url("public.page", section=activity.section, page_id=activity.id)
    return getting_there(activity, venue, clock.now(), url)
