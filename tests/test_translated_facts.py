"""Translations leak less: cost, cancellation reasons and area names can be
put into words in a page's language; English left inside a right-to-left
page is marked lang="en" dir="ltr"."""

import datetime

import pytest

from portal.timetable.sessions import LONDON

from .conftest import text_of

NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)  # the week of the 9 December cancellation


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("portal.clock.source", lambda: NOW)


def test_a_translation_gives_the_cost_and_the_cancellation_reason(app, pages):
    urdu = app.extensions["content"].snapshot.page("ur", "groups", "stay-and-play-adswood")
    english = app.extensions["content"].snapshot.page("en", "groups", "stay-and-play-adswood")
    assert urdu.cost == "مفت" and urdu.cost_translated and not english.cost_translated
    assert [c.on for c in urdu.cancelled] == [c.on for c in english.cancelled]  # dates from English
    assert urdu.reasons_translated == {datetime.date(2026, 12, 9)}
    html = pages.get("public.page", lang="ur", section="groups", page_id="stay-and-play-adswood")
    cost = next(dd for dd in html.select(".facts-list dd") if text_of(dd) == "مفت")
    assert cost.select_one("[lang=en]") is None
    reason = html.select_one(".coming li.cancelled .reason")
    assert "عملے کا تربیتی دن" in text_of(reason) and reason.select_one("[lang=en]") is None


def test_an_untranslated_cost_and_reason_are_marked_english(pages):
    html = pages.get("public.whats_on", lang="ar")
    cancelled = html.select_one(".sessions-list li.cancelled .reason [lang=en]")
    assert cancelled is not None and cancelled["dir"] == "ltr"
    for cost in html.select(".who [lang=en]"):
        assert cost["dir"] == "ltr"


def test_the_translated_reason_shows_in_whats_on(pages):
    html = pages.get("public.whats_on", lang="pl")
    entry = next(li for li in html.select(".sessions-list li.cancelled") if "Adswood" in text_of(li))
    assert "dzień szkoleniowy" in text_of(entry.select_one(".reason"))


def test_english_cards_in_a_right_to_left_page_are_marked(pages):
    html = pages.get("public.section", lang="ar", section="groups")
    untranslated = html.select_one(".card-title a[href='/ar/groups/messy-play-reddish']")
    assert untranslated["lang"] == "en" and untranslated["dir"] == "ltr"
    summary = untranslated.find_parent("li").select_one("p")
    assert summary["lang"] == "en" and summary["dir"] == "ltr"


def test_area_names_are_translated_where_localities_yml_gives_them(make_app, content_dir):
    path = content_dir / "localities.yml"
    path.write_text(path.read_text().replace(
        "    places: Reddish, Brinnington and the Heatons\n",
        "    places: Reddish, Brinnington and the Heatons\n    places_pl: Reddish, Brinnington i Heatons\n"))
    client = make_app(content=content_dir).test_client()
    client.set_cookie("area", "north")
    polish = client.get("/pl/groups/").get_data(as_text=True)
    assert "Reddish, Brinnington i Heatons" in polish
    urdu = client.get("/ur/groups/").get_data(as_text=True)
    assert '<span lang="en" dir="ltr">Reddish, Brinnington and the Heatons</span>' in urdu


def test_a_fact_a_translation_may_not_carry_is_still_refused(make_app, content_dir):
    page = content_dir / "pl" / "hubs" / "adswood.md"
    page.write_text(page.read_text().replace("---\n", "---\ncost: Bezpłatnie\n", 1))
    snapshot = make_app(content=content_dir).extensions["content"].snapshot
    assert any("cost: a translation carries only" in p.message for p in snapshot.problems)
    cancelled = content_dir / "pl" / "groups" / "stay-and-play-adswood.md"
    cancelled.write_text(cancelled.read_text().replace("2026-12-09", "2026-12-16"))
    snapshot = make_app(content=content_dir).extensions["content"].snapshot
    assert any("2026-12-16 is not cancelled in the English file" in p.message for p in snapshot.problems)
