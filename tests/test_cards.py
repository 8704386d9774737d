"""Cards say when and where, for whom, the cost and whether to book, so a
parent need not open every page: listings, home, search and what's on."""

import datetime

import pytest

from portal.timetable.sessions import LONDON

from .conftest import text_of

# Monday 30 November 2026, 10:00: inside the demo timetable.
NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("portal.clock.source", lambda: NOW)


def card_for(html, href):
    link = html.select_one(f".card-title a[href='{href}']")
    assert link is not None, href
    return link.find_parent("li")


def facts(card):
    return {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in card.select(".card-facts dt")}


def test_a_group_card_says_when_where_who_cost_and_drop_in(pages):
    card = card_for(pages.get("public.section", section="groups"), "/en/groups/stay-and-play-adswood")
    assert facts(card) == {
        "When": "Every Wednesday, 13:30 to 15:00 Next: Wednesday 2 December",
        "Where": "Adswood Family Hub",
        "Ages": "Birth to age 5",
        "Cost": "Free",
    }
    assert text_of(card.select_one(".booking")) == "Drop in"


def test_a_group_that_must_be_booked_says_so(pages):
    html = pages.get("public.section", section="groups")
    booked = [card for card in html.select(".card") if text_of(card.select_one(".booking")) == "Book first"]
    assert booked, "the shipped content has groups to book"


def test_a_course_card_gives_its_dates_and_whether_it_is_open_to_join(pages):
    card = card_for(pages.get("public.section", section="epec"), "/en/epec/being-a-parent-brinnington")
    runs = [text_of(li) for li in card.select(".runs li")]
    assert runs == ["22 October 2026 to 17 December 2026: already started, not open to join",
                    "14 January 2027 to 11 March 2027: open to join"]
    assert facts(card)["When"].startswith("Every Thursday, 09:30 to 11:30")
    assert text_of(card.select_one(".booking")) == "Book first"
    assert facts(card)["Ages"] == "Ages 2 to 5"


def test_a_hub_card_says_if_it_is_open(pages):
    html = pages.get("public.section", section="hubs")
    status = text_of(card_for(html, "/en/hubs/brinnington").select_one(".status"))
    assert status.startswith("Open now – closes at ")


def test_the_home_page_hubs_say_if_they_are_open(monkeypatch, pages):
    monkeypatch.setattr("portal.clock.source", lambda: datetime.datetime(2026, 11, 29, 12, 0, tzinfo=LONDON))
    card = card_for(pages.get("public.home"), "/en/hubs/brinnington")
    assert text_of(card.select_one(".status")) == "Closed now – opens Monday 30 November 09:00"


def test_every_activity_card_in_a_listing_has_the_facts(pages):
    for section in ("groups", "epec"):
        for card in pages.get("public.section", section=section).select(".cards .card"):
            assert set(facts(card)) >= {"When", "Where", "Ages"}, text_of(card)
            assert text_of(card.select_one(".booking")) in {"Drop in", "Book first"}


def test_whats_on_says_who_it_is_for_the_cost_and_booking(pages):
    html = pages.get("public.whats_on")
    for entry in html.select(".sessions-list li"):
        who = text_of(entry.select_one(".who"))
        assert who.endswith(("Drop in", "Book first")), who


def test_cards_in_a_right_to_left_language(pages):
    html = pages.get("public.section", lang="ur", section="groups")
    card = card_for(html, "/ur/groups/stay-and-play-brinnington")
    labels = set(facts(card))
    assert labels and not labels & {"When", "Where", "Ages", "Cost"}  # the labels are in Urdu
    # The cost is still English text: marked so it reads left to right.
    cost = card.select(".card-facts dd")[-1].select_one("[lang=en]")
    assert cost is not None and cost["dir"] == "ltr"
