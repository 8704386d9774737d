"""Every document the API serves, checked against the profile's schema for its path."""

import copy

import pytest
from jsonschema import Draft202012Validator

from . import schemas

LISTS = {"/services": "/services/{id}", "/taxonomies": "/taxonomies/{id}",
         "/taxonomy_terms": "/taxonomy_terms/{id}",
         "/service_at_locations": "/service_at_locations/{id}"}


def test_the_profile_lists_the_endpoints_we_check():
    assert set(schemas.paths()) == {"/", *LISTS, *LISTS.values()}


def test_the_schemas_check_formats_and_resolve_every_ref(api):
    assert {"uuid", "uri", "email", "date-time"} <= set(Draft202012Validator.FORMAT_CHECKER.checkers)
    service = api.get("/services", per_page=1)["contents"][0]
    full = api.get("/services/{id}", f"/services/{service['id']}")
    # Each of these breaks a rule that lives in a different file behind a $ref.
    for path, break_it in [
        ("/services/{id}", lambda d: d["service_at_locations"][0]["location"].pop("location_type")),
        ("/services/{id}", lambda d: d["service_at_locations"][0]["location"]["addresses"][0]
         .pop("state_province")),
        ("/services/{id}", lambda d: d.update(last_modified="yesterday")),
        ("/services/{id}", lambda d: d.update(url="not a web address")),
        ("/services/{id}", lambda d: d.update(id="adswood")),
        ("/services", lambda d: d["contents"][0]["organization"].pop("description")),
        ("/services", lambda d: d.update(total_items="32")),
    ]:
        document = copy.deepcopy(full if path == "/services/{id}" else
                                 {"total_items": 1, "contents": [service]})
        break_it(document)
        assert schemas.problems(schemas.validator(path), document), path


def test_the_root(api):
    root = api.get("/")
    assert root["version"] == "3.0" and root["openapi_url"].endswith("/openapi.json")


@pytest.mark.parametrize("listing", LISTS)
def test_every_page_and_every_item_of_every_list(api, listing):
    items = api.every_page(listing)
    assert items and len({item["id"] for item in items}) == len(items)
    assert api.get(listing)["total_items"] == len(items)  # the default page size too
    for item in items:
        one = api.get(LISTS[listing], f"{listing}/{item['id']}")
        assert one["id"] == item["id"]


def test_a_service_at_a_location_is_also_a_whole_service_at_location(api):
    # The profile gives /service_at_locations/{id} the service schema; the
    # document is also valid as HSDS's nested service_at_location.
    as_link = schemas.schema_validator("compiled/service_at_location.json")
    for item in api.every_page("/service_at_locations"):
        one = api.get("/service_at_locations/{id}", f"/service_at_locations/{item['id']}")
        assert not schemas.problems(as_link, one)
        assert (one["service_id"], one["location_id"]) == (item["service_id"], item["location_id"])
        assert one["service"]["id"] == one["service_id"] and one["location"]["id"] == one["location_id"]
        assert one["name"] == one["service"]["name"]


def test_no_empty_strings_stand_in_for_data(api):
    def strings(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str):
            yield value
    for service in api.every_page("/services"):
        full = api.get("/services/{id}", f"/services/{service['id']}")
        assert all(text.strip() for text in strings(full)), service["name"]
        for link in full["service_at_locations"]:
            assert link["location"]["location_type"] == "physical"


def test_the_schemas_here_are_the_shared_standards_unchanged():
    """The copy in the repository is the shared one, byte for byte, licence included."""
    if not schemas.SHARED.is_dir():
        pytest.skip(f"{schemas.SHARED} is not beside this checkout: nothing to compare the copy with")
    ours, theirs = ({path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
                    for folder in (schemas.VENDORED, schemas.SHARED))
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
