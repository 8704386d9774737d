"""Every error under /api/v1 is JSON that says what went wrong, never the HTML page."""

import uuid

import pytest


def assert_json_error(response, status, words=""):
    assert response.status_code == status, response.get_data(as_text=True)[:200]
    assert response.mimetype == "application/json"
    assert response.json["status"] == status and words in response.json["error"]


@pytest.mark.parametrize("address", [
    "/nothing", "/services/", "/services/abc/def", "/organizations", "/taxonomies/x/y",
    f"/taxonomies/{uuid.uuid4()}", f"/taxonomy_terms/{uuid.uuid4()}",
    f"/service_at_locations/{uuid.uuid4()}", f"/services/{uuid.uuid4()}",
])
def test_an_address_that_does_not_exist_is_a_json_404(client, address):
    assert_json_error(client.get(f"/api/v1{address}"), 404)


def test_the_api_is_read_only(client):
    for address in ["/api/v1/", "/api/v1/services", "/api/v1/nothing"]:
        response = client.post(address)
        assert_json_error(response, 405, "read-only")
        assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("address, args, message", [
    ("/services", {"start_time": "9am"}, "start_time must be a time of day"),
    ("/services", {"end_time": "25:00"}, "end_time must be a time of day"),
    ("/services", {"start_time": "10:00", "end_time": "09:00"}, "end_time must be after start_time"),
    ("/services", {"taxonomy_term_id": "baby-clinic"}, "taxonomy_term_id must be a UUID"),
    ("/services", {"taxonomy_id": "ages"}, "taxonomy_id must be a UUID"),
    ("/service_at_locations", {"day": "someday"}, "day must be one of"),
    ("/service_at_locations", {"postcode": "nowhere"}, "postcode is not a UK postcode"),
    ("/service_at_locations", {"per_page": "0"}, "per_page must be from 1 to 200"),
    ("/taxonomies", {"page": "first"}, "page must be a whole number"),
    ("/taxonomy_terms", {"per_page": "201"}, "per_page must be from 1 to 200"),
])
def test_a_bad_value_is_a_json_400_that_says_why(client, address, args, message):
    assert_json_error(client.get(f"/api/v1{address}", query_string=args), 400, message)


def test_search_before_the_index_is_built_says_so(make_app, tmp_path):
    client = make_app(SEARCH_REBUILD="off", SEARCH_DIR=tmp_path / "empty").test_client()
    assert_json_error(client.get("/api/v1/services?search=baby"), 503, "not ready")
    assert client.get("/api/v1/services").status_code == 200


def test_a_failure_inside_is_a_json_500(app, client, monkeypatch):
    from portal.api import views

    def broken(*args):
        raise RuntimeError("boom")
    monkeypatch.setattr(views.openreferral, "summary", broken)
    assert_json_error(client.get("/api/v1/services"), 500, "problem with the service")
