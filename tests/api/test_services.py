"""/api/v1/services: the services as Open Referral UK JSON."""

import datetime
import re
import uuid

import pytest

from portal.api import openreferral
from portal.content.web import snapshot

STATUSES = {"active", "inactive", "defunct", "temporarily closed"}
TIME = re.compile(r"^\d{2}:\d{2}$")


def expected_pages(app):
    with app.app_context():
        content = snapshot()
        return [(page.section, page.id, page.title) for section in ("hubs", "groups", "epec")
                for page in content.section(content.default_language, section)]


def listing(client, **args):
    response = client.get("/api/v1/services", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def all_services(client):
    return listing(client, per_page=200)["contents"]


def assert_uuid(value):
    assert str(uuid.UUID(value)) == value


def test_the_root_says_what_this_is(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200 and response.json["version"] == "3.0"
    assert response.json["services"].endswith("/api/v1/services")


def test_every_hub_group_and_course_is_a_service_and_nothing_else(app, client):
    services = all_services(client)
    assert [s["name"] for s in services] == [title for _, _, title in expected_pages(app)]
    urls = [s["url"] for s in services]
    assert not any("/health-visiting/" in url or "/pages/" in url for url in urls)
    assert not any(url.endswith("/groups/stay-and-play-offerton") for url in urls)  # a draft
    for service in services:
        assert {"id", "name", "status", "url", "organization"} <= set(service)
        assert service["status"] in STATUSES
        assert_uuid(service["id"])
        assert_uuid(service["organization"]["id"])
        datetime.datetime.fromisoformat(service["last_modified"])
        # Each url is the service's page on this site.
        path = service["url"].removeprefix(app.config["BASE_URL"])
        assert client.get(path).status_code == 200, path
    assert len({s["id"] for s in services}) == len(services)


def test_pages_of_a_listing(client):
    everything = all_services(client)
    first, second = listing(client, per_page=5), listing(client, per_page=5, page=2)
    assert first["total_items"] == second["total_items"] == len(everything)
    assert first["total_pages"] == -(-len(everything) // 5)
    assert (first["first_page"], first["last_page"], first["size"]) == (True, False, 5)
    assert second["first_page"] is False and second["page_number"] == 2
    assert [s["id"] for s in first["contents"] + second["contents"]] == [s["id"] for s in everything[:10]]
    beyond = listing(client, page=99)
    assert beyond["empty"] is True and beyond["contents"] == [] and beyond["last_page"] is True


@pytest.mark.parametrize("args, message", [
    ({"page": "0"}, "page must be from 1"),
    ({"per_page": "1000"}, "per_page must be from 1 to 200"),
    ({"minimum_age": "two"}, "minimum_age must be a whole number"),
    ({"day": "XX"}, "day must be one of MO, TU"),
    ({"postcode": "nowhere"}, "postcode is not a UK postcode"),
])
def test_a_bad_question_gets_a_400_that_says_why(client, args, message):
    response = client.get("/api/v1/services", query_string=args)
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert message in response.json["error"]


def test_filters_by_day_age_and_postcode(app, client):
    with app.app_context():
        content = snapshot()
        pages = {openreferral.identifier(content.site, p.section, p.id): p
                 for p in openreferral.services(content)}
    saturday = listing(client, day="saturday", per_page=200)["contents"]
    assert saturday and all(
        pages[s["id"]].opening_hours.week[5] if pages[s["id"]].section == "hubs"
        else any(getattr(x, "weekday", None) == 5 for x in pages[s["id"]].sessions)
        for s in saturday)
    babies = listing(client, maximum_age=0, per_page=200)["contents"]
    assert babies and all(s["minimum_age"] == 0 for s in babies if "minimum_age" in s)
    assert len(babies) < len(all_services(client))
    north = listing(client, postcode="SK5 8AB", per_page=200)["contents"]
    assert north and all(not pages[s["id"]].localities or "north" in pages[s["id"]].localities
                         for s in north)
    assert len(north) < len(all_services(client))


def test_one_service_fully_nested(client):
    services = {s["name"]: s for s in all_services(client)}
    hub = client.get(f"/api/v1/services/{services['Adswood Family Hub']['id']}").json
    location = hub["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] and location["addresses"][0]["country"] == "GB"
    assert isinstance(location["latitude"], float)
    saturday = [s for s in hub["schedules"] if "SA" in s["byday"].split(",")]
    assert saturday and all(TIME.match(s["opens_at"]) and TIME.match(s["closes_at"]) for s in saturday)
    assert hub["contacts"][0]["phones"][0]["number"].startswith("0161 496 0")

    clinic = client.get(f"/api/v1/services/{services['Baby Clinic at Belmont']['id']}").json
    weekly = clinic["schedules"][0]
    assert weekly["freq"] == "WEEKLY" and weekly["byday"] in openreferral.DAYS
    assert datetime.date.fromisoformat(weekly["dtstart"]).weekday() == openreferral.DAYS.index(weekly["byday"])
    assert "Cancelled on 2026-12-15" in clinic.get("alert", "") or \
        datetime.date.today() > datetime.date(2026, 12, 15)
    for thing in [hub, clinic, location, *hub["schedules"], *clinic["schedules"],
                  *clinic["service_at_locations"]]:
        assert_uuid(thing["id"])


def test_a_group_away_from_the_hubs_has_its_own_location(client):
    services = {s["url"].rsplit("/", 1)[1]: s for s in all_services(client)}
    romiley = client.get(f"/api/v1/services/{services['stay-and-play-romiley']['id']}").json
    location = romiley["service_at_locations"][0]["location"]
    assert location["name"] and location["addresses"][0]["address_1"]


def test_identifiers_are_stable_and_belong_to_the_site(make_app):
    first = all_services(make_app().test_client())
    again = all_services(make_app().test_client())
    assert [s["id"] for s in first] == [s["id"] for s in again]

    class OtherCouncil:
        domain = "families.example.org"
    assert openreferral.identifier(OtherCouncil, "hubs", "adswood") not in {s["id"] for s in first}


def test_an_unknown_service_is_a_json_404(client):
    response = client.get(f"/api/v1/services/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json["status"] == 404


def test_any_site_may_fetch_it_and_a_poller_gets_304s(client):
    response = client.get("/api/v1/services")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/api/v1/services", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_every_age_in_the_editors_list_has_years():
    from portal.content.fields import AGES
    assert set(openreferral.AGE_YEARS) == set(AGES)
