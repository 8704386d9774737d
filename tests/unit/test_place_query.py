"""A place parents know, in the words searched, chooses the area: the pure rules."""

import dataclasses

import pytest

from portal.search.place_query import PlaceQuery, area_in_words, names, read


@pytest.fixture
def localities(shipped_snapshot):
    return shipped_snapshot.localities


@pytest.mark.parametrize("typed, words, place, team", [
    ("stay and play Heatons", "stay and play", "Heatons", "north"),
    ("Reddish baby group", "baby group", "Reddish", "north"),
    ("REDDISH baby group", "baby group", "REDDISH", "north"),  # any case
    ("baby clinic Heaton Mersey", "baby clinic Mersey", "Heaton", "north"),  # one of the Heatons
    ("stay and play hazel grove", "stay and play", "hazel grove", "south"),  # two words
    ("parenting course stockport town centre", "parenting course", "stockport town centre", "central"),
    ("baby clinic, Bredbury!", "baby clinic, !", "Bredbury", "east"),
    ("groups in shaw heath", "groups in", "shaw heath", "central"),
    ("stay and play in the Heatons", "stay and play in", "the Heatons", "north"),
])
def test_a_named_place_chooses_its_team(localities, typed, words, place, team):
    assert read(localities, typed) == PlaceQuery(words, place, team)


@pytest.mark.parametrize("typed", [
    "stay and play", "Reddishly baby group",  # a whole word only
    "grove park",  # part of a two-word place is no place
    "Brinnington", "hazel grove", "the heatons",  # the place alone: its words find it
    "north baby group",  # a team's id or name is not a place
    "",
])
def test_no_place_no_area(localities, typed):
    assert read(localities, typed).locality is None


def test_the_places_line_gives_the_names(localities):
    north = localities.team("north")
    assert names(north) == {("reddish",), ("brinnington",), ("heatons",), ("heaton",)}
    translated = dataclasses.replace(north, places_translated=(("pl", "Reddish, Brinnington i Heatons"),
                                                              ("ur", "ریڈش، برننگٹن اور ہیٹنز")))
    assert {("ریڈش",), ("برننگٹن",), ("ہیٹنز",)} <= names(translated)


def test_a_postcode_wins_over_a_place_and_the_place_is_not_searched(localities):
    asked = area_in_words(localities, "stay and play SK7 Reddish")
    assert (asked.words, asked.named, asked.locality, asked.postcode.postcode) == (
        "stay and play", True, "south", "SK7")
    place = area_in_words(localities, "stay and play Reddish")
    assert (place.words, place.named, place.locality, place.postcode.postcode) == (
        "stay and play", True, "north", None)
    nothing = area_in_words(localities, "stay and play")
    assert (nothing.words, nothing.named, nothing.locality) == ("stay and play", False, None)
