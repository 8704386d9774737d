"""The content as Open Referral UK (HSDS 3.0 UK profile) services: pure functions.

Hubs, groups and EPEC courses are services; each hub is also the location
where its own service and the groups that meet there are offered. Health
visiting and other pages are information, not services, and are left out.

Identifiers are UUIDs (version 5) made from the site's domain and the page's
section and id, so they never change between servers or restarts, and two
councils running this code never share one.

Times are Europe/London wall-clock times ("10:00"): a weekly schedule runs
across both clock changes, so no single UTC offset would be right all year.

A field the profile makes optional is left out when the content has no value
for it, never sent as an empty string; an address is given only when it is
complete enough to carry every field the profile requires.
"""

import datetime
import uuid

from ..content.pages import Activity, Hub
from ..content.sections import SERVICES
from ..timetable.sessions import LONDON, SingleDate, WeeklyRun
from .plaintext import plain_text

VERSION = "3.0"
PROFILE = "https://openreferraluk.org/"
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Age ranges in years, from the editors' fixed list; pregnancy counts as 0.
AGE_YEARS = {"pregnancy": (0, 0), "0-1": (0, 1), "1-2": (1, 2), "2-3": (2, 3), "3-5": (3, 5)}


def identifier(site, *parts):
    """A stable UUID for one thing on this site."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(("https:/", site.domain, *parts))))


def services(snapshot):
    """Every service, in the default language, by section then title."""
    lang = snapshot.default_language
    return [page for section in SERVICES for page in snapshot.section(lang, section)]


def organization(site, base_url):
    return {
        "id": identifier(site, "organization"),
        "name": site.team_name,
        "description": site.contact,
        "website": base_url + "/",
    }


def age_range(page):
    """(minimum, maximum) years, or None when the page is for every age."""
    if not page.ages:
        return None
    years = [AGE_YEARS[age] for age in page.ages]
    return min(low for low, _ in years), max(high for _, high in years)


def _last_modified(page):
    midnight = datetime.datetime.combine(page.updated, datetime.time(), LONDON)
    return midnight.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def summary(page, site, base_url):
    """The one-to-one fields of a service, as in a paginated listing."""
    service = {
        "id": identifier(site, page.section, page.id),
        "organization_id": identifier(site, "organization"),
        "name": page.title,
        "description": page.summary,
        "url": f"{base_url}/{page.lang}/{page.section}/{page.id}",
        "status": "active",
        "assured_date": page.updated.isoformat(),
        "last_modified": _last_modified(page),
        "organization": organization(site, base_url),
    }
    email = page.email if isinstance(page, Hub) else None
    if email:
        service["email"] = email
    ages = age_range(page)
    if ages:
        service["minimum_age"], service["maximum_age"] = ages
    if isinstance(page, Activity) and page.cost:
        service["fees"] = page.cost
    return service


def service(page, snapshot, base_url, today, region, terms):
    """One fully nested service.

    ``region`` is the state or province its addresses are in; ``terms``
    are the documents of the taxonomy terms that describe it.
    """
    site = snapshot.site
    full = summary(page, site, base_url)
    full["description"] = "\n\n".join(
        part for part in (page.summary, plain_text(page.body_html)) if part)
    service_id = full["id"]
    if isinstance(page, Hub):
        full["schedules"] = _opening_schedules(page, site, service_id)
    else:
        full["schedules"] = _session_schedules(page, site, service_id, base_url)
        alert = _alert(page, today)
        if alert:
            full["alert"] = alert
        if page.cost:
            free = page.cost.strip().lower() == "free"
            full["cost_options"] = [{
                "id": identifier(site, page.section, page.id, "cost"),
                "service_id": service_id,
                "option": page.cost,
                **({"amount": 0} if free else {}),
            }]
    location = where(page, snapshot, region)
    full["service_at_locations"] = [at_location(page, site, location)] if location else []
    phone = page.phone if isinstance(page, Hub) else page.booking_phone
    if phone:
        full["contacts"] = [{
            "id": identifier(site, page.section, page.id, "contact"),
            "service_id": service_id,
            "name": page.title if isinstance(page, Hub) else f"Booking: {page.title}",
            "phones": [{"id": identifier(site, page.section, page.id, "phone"), "number": phone}],
        }]
    if terms:
        full["attributes"] = [{
            "id": identifier(site, page.section, page.id, "attribute", term["id"]),
            "link_id": service_id,
            "taxonomy_term_id": term["id"],
            "taxonomy_term": term,
        } for term in terms]
    return full


def where(page, snapshot, region):
    """The location a service is offered at: its hub, or a venue of its own.

    None when it names a hub the content no longer has.
    """
    if isinstance(page, Hub):
        return _location(page, snapshot.site, region)
    if page.hub_id:
        hub = snapshot.hub(snapshot.default_language, page.hub_id)
        return _location(hub, snapshot.site, region) if hub else None
    return _place(page, snapshot.site, region)


def at_location(page, site, location, nested_service=None):
    """The link between a service and the location it is offered at."""
    link = {
        "id": identifier(site, page.section, page.id, "at", location["id"]),
        "service_id": identifier(site, page.section, page.id),
        "location_id": location["id"],
        "location": location,
    }
    if nested_service is not None:
        link["service"] = nested_service
    return link


def _address(site, key, lines, postcode, region):
    """A postal address, or None without a postcode or at least two lines.

    The first line is address_1 and the last the town ("Adswood, Stockport":
    the post town is Stockport, and Adswood joins the lines between).
    """
    lines = list(lines)
    if len(lines) < 2 or not postcode:
        return None
    place, _, town = lines[-1].rpartition(",")
    rest = [line for line in (*lines[1:-1], place.strip()) if line]
    address = {
        "id": identifier(site, *key, "address"),
        "address_1": lines[0],
        "city": town.strip(),
        "state_province": region,
        "postal_code": postcode,
        "country": "GB",
        "address_type": "physical",
    }
    if rest:
        address["address_2"] = ", ".join(rest)
    return address


def _location(hub, site, region):
    key = ("locations", "hubs", hub.id)
    location = {
        "id": identifier(site, *key),
        "location_type": "physical",
        "name": hub.title,
        "description": hub.summary,
    }
    if hub.location:
        location["latitude"], location["longitude"] = hub.location
    address = _address(site, key, hub.address, hub.postcode, region)
    if address:
        location["addresses"] = [address]
    if hub.facilities:
        location["accessibility"] = [{"id": identifier(site, *key, "access", facility),
                                      "description": facility} for facility in hub.facilities]
    if hub.phone:
        location["phones"] = [{"id": identifier(site, *key, "phone"), "number": hub.phone}]
    return location


def _place(page, site, region):
    """The location of a group that meets somewhere other than a hub."""
    place = page.venue
    key = ("locations", page.section, page.id)
    location = {"id": identifier(site, *key), "location_type": "physical", "name": place.name}
    address = _address(site, key, place.address, place.postcode, region)
    if address:
        location["addresses"] = [address]
    return location


def _clock(value):
    return value.strftime("%H:%M")


def _opening_schedules(hub, site, service_id):
    """Opening hours as weekly schedules, days with the same hours together."""
    by_hours = {}
    for day, hours in enumerate(hub.opening_hours.week):
        for start, end in hours:
            by_hours.setdefault((start, end), []).append(DAYS[day])
    return [{
        "id": identifier(site, "hubs", hub.id, "opening", _clock(start), _clock(end)),
        "service_id": service_id,
        "freq": "WEEKLY",
        "interval": 1,
        "byday": ",".join(days),
        "opens_at": _clock(start),
        "closes_at": _clock(end),
        "description": f"Open {_clock(start)} to {_clock(end)}, UK time",
    } for (start, end), days in sorted(by_hours.items(), key=lambda item: DAYS.index(item[1][0]))]


def _session_schedules(page, site, service_id, base_url):
    schedules = []
    for number, session in enumerate(page.sessions, start=1):
        entry = {
            "id": identifier(site, page.section, page.id, "session", str(number)),
            "service_id": service_id,
            "opens_at": _clock(session.start),
            "closes_at": _clock(session.end),
            "schedule_link": f"{base_url}/{page.lang}/{page.section}/{page.id}.ics",
            "attending_type": "Drop in" if page.booking == "drop-in" else "Booking needed",
        }
        if isinstance(session, WeeklyRun):
            first = session.first + datetime.timedelta(days=(session.weekday - session.first.weekday()) % 7)
            entry.update(freq="WEEKLY", interval=1, byday=DAYS[session.weekday],
                         valid_from=session.first.isoformat(), valid_to=session.last.isoformat(),
                         dtstart=first.isoformat(),
                         description=f"Every week, {_clock(session.start)} to {_clock(session.end)}, UK time")
            if session.except_dates:
                entry["notes"] = "Not on " + ", ".join(
                    day.isoformat() for day in sorted(session.except_dates))
        elif isinstance(session, SingleDate):
            entry.update(valid_from=session.on.isoformat(), valid_to=session.on.isoformat(),
                         dtstart=session.on.isoformat(),
                         description=f"{session.on.isoformat()}, {_clock(session.start)} to "
                                     f"{_clock(session.end)}, UK time")
        schedules.append(entry)
    return schedules


def _alert(page, today):
    """Cancellations from today on, as the service's short-term alert."""
    coming = [c for c in sorted(page.cancelled, key=lambda c: c.on) if c.on >= today]
    return "; ".join(f"Cancelled on {c.on.isoformat()}: {c.reason}" for c in coming) or None
