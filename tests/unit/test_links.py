"""Links that get a parent there and into their calendar: built, never loaded."""

import datetime
from urllib.parse import parse_qs, urlsplit

from portal.public.links import directions, geo, google_calendar
from portal.timetable.sessions import LONDON


def test_directions_to_a_hubs_location_or_a_search_for_an_address():
    to_hub = urlsplit(directions((53.4301, -2.1264), "ignored"))
    assert (to_hub.scheme, to_hub.netloc, to_hub.path) == ("https", "www.openstreetmap.org", "/directions")
    assert parse_qs(to_hub.query) == {"to": ["53.4301,-2.1264"]}
    hall = urlsplit(directions(None, "St Mary's Hall, SK5 6AB"))
    assert hall.path == "/search" and parse_qs(hall.query) == {"query": ["St Mary's Hall, SK5 6AB"]}
    assert directions(None, None) is None


def test_a_geo_uri_for_the_phones_maps_app():
    assert geo((53.4301, -2.1264), "Brinnington Family Hub") == \
        "geo:53.4301,-2.1264?q=53.4301,-2.1264(Brinnington%20Family%20Hub)"


def test_a_google_calendar_event_in_london_wall_clock_time():
    starts = datetime.datetime(2026, 12, 2, 13, 30, tzinfo=LONDON)
    link = urlsplit(google_calendar("Stay & Play", starts, starts + datetime.timedelta(hours=1.5),
                                    "Adswood, SK3 8LF", "Free", weekly_until=datetime.date(2027, 7, 21)))
    query = {key: value[0] for key, value in parse_qs(link.query).items()}
    assert link.netloc == "calendar.google.com"
    assert query == {"action": "TEMPLATE", "text": "Stay & Play", "dates": "20261202T133000/20261202T150000",
                     "ctz": "Europe/London", "location": "Adswood, SK3 8LF", "details": "Free",
                     "recur": "RRULE:FREQ=WEEKLY;UNTIL=20270721"}
    once = parse_qs(urlsplit(google_calendar("x", starts, starts, "y", "z")).query)
    assert "recur" not in once
