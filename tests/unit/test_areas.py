"""A typed postcode, sector or district chooses an area: the pure rules."""

import pytest

from portal.localities.areas import choose, team_for


@pytest.fixture
def localities(shipped_snapshot):
    return shipped_snapshot.localities


@pytest.mark.parametrize("typed, team, postcode", [
    ("SK5 7AB", "north", "SK5 7AB"),
    ("sk57ab", "north", "SK5 7AB"),
    ("  Sk5   7ab ", "north", "SK5 7AB"),
    ("SK5 7", "north", "SK5 7"),
    ("sk5", "north", "SK5"),
    ("SK1 4AA", "north", "SK1 4AA"),  # one postcode of SK1 is the north team's
    ("SK1 4AB", "central", "SK1 4AB"),
    ("SK2 5", "east", "SK2 5"),  # a sector that beats its district
    ("sk2 5xy", "east", "SK2 5XY"),
    ("SK2", "central", "SK2"),
    ("SK8", "south", "SK8"),
])
def test_the_longest_prefix_chooses_the_team(localities, typed, team, postcode):
    choice = choose(localities, typed)
    assert (choice.team.id, choice.postcode, choice.problem) == (team, postcode, None)


@pytest.mark.parametrize("typed", ["M1 1AA", "m1", "SK14", "EC1A 1BB"])
def test_a_postcode_outside_the_area_shows_everything(localities, typed):
    choice = choose(localities, typed)
    assert choice.team is None and choice.outside_area and choice.problem is None


@pytest.mark.parametrize("typed, problem", [
    ("", "empty"), ("   ", "empty"), (None, "empty"),
    ("Reddish", "unreadable"), ("SK5 7AB please", "unreadable"), ("12345", "unreadable"),
    ("SK" + "5" * 60, "unreadable"), ("<script>", "unreadable"),
])
def test_anything_else_is_a_problem_named(localities, typed, problem):
    choice = choose(localities, typed)
    assert (choice.team, choice.postcode, choice.problem) == (None, None, problem)


def test_only_a_real_teams_id_is_an_area(localities):
    assert team_for(localities, "north").id == "north"
    assert team_for(localities, "triage") is None  # no area of its own
    assert team_for(localities, "nowhere") is None
    assert team_for(localities, "") is None


def test_every_team_but_triage_names_its_places(localities):
    for team in localities.teams:
        if team.id != localities.triage:
            assert team.places and team.places_in("en") == team.places
    north = localities.team("north")
    assert north.places_in("en") == "Reddish, Brinnington and the Heatons"
