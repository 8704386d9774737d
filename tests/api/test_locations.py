"""Where services happen: physical locations, with an address only when it is complete."""

from .conftest import Api


def _service(api, name):
    listed = next(s for s in api.every_page("/services") if s["name"] == name)
    return api.get("/services/{id}", f"/services/{listed['id']}")


def test_a_hub_address_has_every_required_field_with_real_values(api, app):
    location = _service(api, "Adswood Family Hub")["service_at_locations"][0]["location"]
    assert location["location_type"] == "physical"
    assert location["addresses"] == [{
        "id": location["addresses"][0]["id"],
        "address_1": "Adswood Family Hub",
        "address_2": "40 Hollybank Road, Adswood",
        "city": "Stockport",
        "state_province": app.config["STATE_PROVINCE"],
        "postal_code": "SK3 8LF",
        "country": "GB",
        "address_type": "physical",
    }]
    assert app.config["STATE_PROVINCE"] == "England"


def test_a_venue_without_a_postcode_has_no_address_rather_than_a_blank_one(make_app, content_dir,
                                                                           search_dir):
    path = content_dir / "en" / "groups" / "stay-and-play-romiley.md"
    path.write_text(path.read_text().replace("  postcode: SK6 4AB\n", ""))
    api = Api(make_app(content=content_dir, SEARCH_REBUILD="off").test_client())
    romiley = next(s for s in api.every_page("/services") if s["url"].endswith("/stay-and-play-romiley"))
    full = api.get("/services/{id}", f"/services/{romiley['id']}")
    location = full["service_at_locations"][0]["location"]
    assert location["name"] == "Larkhill Community Hall" and location["location_type"] == "physical"
    assert "addresses" not in location
    link = full["service_at_locations"][0]["id"]
    assert api.get("/service_at_locations/{id}", f"/service_at_locations/{link}")["location"] == location


def test_the_state_or_province_is_a_setting(make_app, monkeypatch):
    monkeypatch.setenv("PORTAL_STATE_PROVINCE", "Wales")
    api = Api(make_app().test_client())
    hub = next(s for s in api.every_page("/services") if s["name"] == "Adswood Family Hub")
    full = api.get("/services/{id}", f"/services/{hub['id']}")
    assert full["service_at_locations"][0]["location"]["addresses"][0]["state_province"] == "Wales"
