"""The profile's filters mean what the profile says, on /services and /service_at_locations."""

import datetime
import uuid

import pytest

from portal.api import openreferral
from portal.content.web import snapshot
from portal.search.engine import Index
from portal.search.generations import Generations

LISTINGS = ["/services", "/service_at_locations"]


def ids(api, listing="/services", **args):
    """The service ids a listing gives, every page checked against the schema."""
    items = api.get(listing, per_page=200, **args)["contents"]
    return [item["service_id"] if listing == "/service_at_locations" else item["id"]
            for item in items]


@pytest.fixture
def full(api):
    """Every service fully nested, by id."""
    return {item["id"]: api.get("/services/{id}", f"/services/{item['id']}")
            for item in api.get("/services", per_page=200)["contents"]}


def test_search_is_the_sites_own_search_in_english(api, app, search_dir):
    index = Index(Generations(search_dir).current())
    try:
        site = index.search("massage", "en", page=1, per_page=1000)
        masage = index.search("masage", "en", page=1, per_page=1000)
    finally:
        index.close()
    with app.app_context():
        content = snapshot()
        by_key = {(p.section, p.id): openreferral.identifier(content.site, p.section, p.id)
                  for p in openreferral.services(content)}
    expected = [by_key[hit.section, hit.page_id] for hit in site.hits if (hit.section, hit.page_id) in by_key]
    found = ids(api, search="massage")
    assert found == expected and 0 < len(found) < len(ids(api))
    names = [s["name"] for s in api.get("/services", search="massage")["contents"]]
    assert any("Massage" in name for name in names)
    # The site's search forgives a typo; a substring match would not.
    assert ids(api, search="masage") == [
        by_key[h.section, h.page_id] for h in masage.hits if (h.section, h.page_id) in by_key]
    assert ids(api, search="masage")
    nothing = api.get("/services", search="zqxjv")
    assert nothing["total_items"] == 0 and nothing["empty"] is True and nothing["contents"] == []


def test_search_narrows_with_the_other_filters(api):
    both = set(ids(api, search="stay and play", day="SA"))
    assert both and both == set(ids(api, search="stay and play")) & set(ids(api, day="SA"))


def _attribute_terms(service):
    return {a["taxonomy_term_id"] for a in service.get("attributes", [])}


def test_each_taxonomy_term_finds_exactly_the_services_it_describes(api, full):
    terms = api.every_page("/taxonomy_terms")
    assert len({t["taxonomy_id"] for t in terms}) == 3
    for term in terms:
        expected = {sid for sid, service in full.items() if term["id"] in _attribute_terms(service)}
        assert expected, f"no service has the term {term['name']}"
        for listing in LISTINGS:
            assert set(ids(api, listing, taxonomy_term_id=term["id"])) == expected, term["name"]
    groups = next(t for t in terms if t["term"] == "groups")
    assert all("/groups/" in full[sid]["url"] for sid in ids(api, taxonomy_term_id=groups["id"]))


def test_each_taxonomy_finds_the_services_with_any_of_its_terms(api, full):
    for taxonomy in api.every_page("/taxonomies"):
        terms = {t["id"] for t in api.get("/taxonomies/{id}", f"/taxonomies/{taxonomy['id']}")
                 ["taxonomy_terms"]}
        expected = {sid for sid, service in full.items() if _attribute_terms(service) & terms}
        for listing in LISTINGS:
            assert set(ids(api, listing, taxonomy_id=taxonomy["id"])) == expected, taxonomy["name"]
    assert ids(api, taxonomy_id=str(uuid.uuid4())) == []
    assert ids(api, taxonomy_term_id=str(uuid.uuid4())) == []


def _slots(service):
    """(weekday, opens, closes) of every schedule, read from the served document."""
    for schedule in service["schedules"]:
        if "byday" in schedule:
            days = [openreferral.DAYS.index(day) for day in schedule["byday"].split(",")]
        else:
            days = [datetime.date.fromisoformat(schedule["dtstart"]).weekday()]
        for day in days:
            yield day, schedule["opens_at"], schedule["closes_at"]


def test_times_mean_a_schedule_that_starts_at_or_after_and_ends_by(api, full):
    # One app for every case: each is checked against the served schedules.
    for args in [
        {"start_time": "18:00"},
        {"start_time": "13:00"},
        {"end_time": "12:00"},
        {"end_time": "11:30"},
        {"start_time": "09:30", "end_time": "11:30"},
        {"day": "SA", "end_time": "13:00"},
        {"day": "WE", "start_time": "12:00"},
    ]:
        day = openreferral.DAYS.index(args["day"]) if "day" in args else None
        start, end = args.get("start_time", "00:00"), args.get("end_time", "23:59")
        expected = {sid for sid, service in full.items() if any(
            (day is None or slot_day == day) and opens >= start and closes <= end
            for slot_day, opens, closes in _slots(service))}
        assert expected and len(expected) < len(full), args
        for listing in LISTINGS:
            assert set(ids(api, listing, **args)) == expected, (listing, args)


def test_times_may_have_seconds(api):
    assert ids(api, start_time="18:00:00") == ids(api, start_time="18:00")


def test_service_at_locations_take_the_same_filters(api):
    for args in [{}, {"postcode": "SK5 8AB"}, {"maximum_age": "0"}, {"day": "saturday"},
                 {"search": "clinic"}]:
        assert ids(api, "/service_at_locations", **args) == ids(api, **args), args


def test_proximity_is_refused_honestly(client):
    response = client.get("/api/v1/service_at_locations",
                          query_string={"postcode": "SK5 8AB", "proximity": "1000"})
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert "proximity is not supported" in response.json["error"]


def test_an_unknown_parameter_is_ignored(api):
    for listing in LISTINGS:
        assert ids(api, listing, colour="blue", minimal="yes") == ids(api, listing)
    assert api.get("/taxonomies", colour="blue") == api.get("/taxonomies")
