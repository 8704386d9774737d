"""The site's kinds of service, age ranges and topics as taxonomies with stable ids."""

from portal.api import taxonomy
from portal.content.fields import AGES


def test_three_taxonomies_with_their_terms(api):
    found = {t["name"]: t for t in api.every_page("/taxonomies")}
    assert set(found) == {"Kinds of service", "Age ranges", "Topics"}
    terms = api.every_page("/taxonomy_terms")
    for listed in found.values():
        one = api.get("/taxonomies/{id}", f"/taxonomies/{listed['id']}")
        assert {k: one[k] for k in listed} == listed
        assert one["taxonomy_terms"] == [t for t in terms if t["taxonomy_id"] == listed["id"]]
    kinds = api.get("/taxonomies/{id}", f"/taxonomies/{found['Kinds of service']['id']}")
    assert [t["term"] for t in kinds["taxonomy_terms"]] == ["hubs", "groups", "epec"]
    assert [t["name"] for t in kinds["taxonomy_terms"]][0] == "Family hubs"
    ages = api.get("/taxonomies/{id}", f"/taxonomies/{found['Age ranges']['id']}")
    assert [t["term"] for t in ages["taxonomy_terms"]] == list(AGES)


def test_topics_are_the_tags_on_services(api, app):
    from portal.api import openreferral
    from portal.content.web import snapshot
    with app.app_context():
        tags = {t for page in openreferral.services(snapshot()) for t in page.topics}
    topics = next(t for t in api.every_page("/taxonomies") if t["name"] == "Topics")
    terms = api.get("/taxonomies/{id}", f"/taxonomies/{topics['id']}")["taxonomy_terms"]
    assert [t["term"] for t in terms] == sorted(tags)


def test_a_service_carries_its_terms(api):
    hub = next(s for s in api.every_page("/services") if s["name"] == "Adswood Family Hub")
    full = api.get("/services/{id}", f"/services/{hub['id']}")
    names = {a["taxonomy_term"]["term"] for a in full["attributes"]}
    assert {"hubs", "pregnancy", "3-5", "dads", "family hub"} <= names
    for attribute in full["attributes"]:
        assert attribute["link_id"] == full["id"]
        assert attribute["taxonomy_term"] == api.get(
            "/taxonomy_terms/{id}", f"/taxonomy_terms/{attribute['taxonomy_term_id']}")


def test_ids_are_stable_and_belong_to_the_site(make_app, search_dir):
    def everything():
        client = make_app().test_client()
        return ([t["id"] for t in client.get("/api/v1/taxonomies").json["contents"]],
                [t["id"] for t in client.get("/api/v1/taxonomy_terms?per_page=200").json["contents"]])
    first = everything()
    assert first == everything()

    class OtherCouncil:
        domain = "families.example.org"
    assert taxonomy.taxonomy_id(OtherCouncil, "ages") not in first[0]
    assert taxonomy.term_id(OtherCouncil, "ages", "0-1") not in first[1]


def test_every_age_in_the_editors_list_has_a_description():
    assert set(taxonomy.AGE_DESCRIPTIONS) == set(AGES)
