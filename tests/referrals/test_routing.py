"""Routing a postcode to a locality team, over the shipped localities.yml."""

import dataclasses
import shutil

import pytest

from portal.content.loader import ContentConfigError
from portal.localities.routing import route
from portal.postcodes import normalise

from .conftest import SHIPPED_CONTENT


@pytest.fixture(scope="module")
def localities(shipped_snapshot):
    return shipped_snapshot.localities


# Written out by hand, not read from the file: the file is what is under test.
DISTRICTS = {
    "SK1": "central", "SK2": "central", "SK3": "central",
    "SK4": "north", "SK5": "north",
    "SK6": "east",
    "SK7": "south", "SK8": "south",
}


def test_the_table_covers_every_district_in_the_shipped_file(localities):
    listed = {prefix for team in localities.teams for prefix in team.postcodes if " " not in prefix}
    assert listed == set(DISTRICTS)
    assert set(localities.area) == set(DISTRICTS)


@pytest.mark.parametrize("district, team", sorted(DISTRICTS.items()))
def test_every_shipped_district_goes_to_its_team(localities, district, team):
    # A sector nobody lists, a full postcode, and the bare district.
    for postcode in (f"{district} 9ZZ", f"{district} 7XY", district):
        result = route(localities, postcode)
        assert (result.team.id, result.outside_area, result.matched) == (team, False, district), postcode


@pytest.mark.parametrize("postcode, team, matched", [
    # Sectors beat their district.
    ("SK2 5AB", "east", "SK2 5"),
    ("SK2 5ZZ", "east", "SK2 5"),
    ("SK2 6AB", "central", "SK2"),
    ("SK2 4AB", "central", "SK2"),
    ("SK3 0AB", "south", "SK3 0"),
    ("SK3 0XY", "south", "SK3 0"),
    ("SK3 8AB", "central", "SK3"),
    # One full postcode beats its sector and district.
    ("SK1 4AA", "north", "SK1 4AA"),
    ("SK1 4AB", "central", "SK1"),
    ("SK1 4BA", "central", "SK1"),
])
def test_the_longest_prefix_wins(localities, postcode, team, matched):
    result = route(localities, postcode)
    assert (result.team.id, result.matched, result.outside_area) == (team, matched, False)


@pytest.mark.parametrize("typed, normalised", [
    ("sk58ab", "SK5 8AB"),
    ("SK58AB", "SK5 8AB"),
    ("sk5 8ab", "SK5 8AB"),
    ("  Sk5   8aB ", "SK5 8AB"),
    ("sk2\t5ab", "SK2 5AB"),
    ("sk14aa", "SK1 4AA"),
    ("sk30xy", "SK3 0XY"),
    ("m11aa", "M1 1AA"),
    ("ec1a1bb", "EC1A 1BB"),
    ("w1a 1aa", "W1A 1AA"),
    ("sk10 5ab", "SK10 5AB"),
    ("sk5", "SK5"),
])
def test_typed_postcodes_are_normalised(typed, normalised):
    assert normalise(typed) == normalised


@pytest.mark.parametrize("typed, team", [
    ("sk58ab", "north"),
    ("sk25ab", "east"),
    ("sk3 0ab", "south"),
    ("sk14aa", "north"),
    ("sk1 4ab", "central"),
])
def test_typed_postcodes_route_like_their_normal_form(localities, typed, team):
    assert route(localities, normalise(typed)).team.id == team


@pytest.mark.parametrize("postcode", ["M1 1AA", "SK9 1AA", "SK10 5AB", "SK12 1AA", "OL1 1AA", "EC1A 1BB", "SK9"])
def test_outside_the_area_goes_to_triage_and_says_so(localities, postcode):
    result = route(localities, postcode)
    assert result.team.id == localities.triage == "triage"
    assert result.outside_area is True and result.matched is None


def test_in_the_area_but_listed_by_nobody_goes_to_triage_not_outside(localities):
    wider = dataclasses.replace(localities, area=localities.area + ("SK9",))
    result = route(wider, "SK9 1AA")
    assert (result.team.id, result.outside_area, result.matched) == ("triage", False, None)
    # The rest still routes as before.
    assert route(wider, "SK5 8AB").team.id == "north"


def test_a_district_dropped_by_its_team_goes_to_triage(localities):
    north = localities.team("north")
    without_sk4 = dataclasses.replace(north, postcodes=tuple(p for p in north.postcodes if p != "SK4"))
    changed = dataclasses.replace(localities, teams=tuple(
        without_sk4 if team.id == "north" else team for team in localities.teams))
    result = route(changed, "SK4 1AA")
    assert (result.team.id, result.outside_area) == ("triage", False)


def test_an_area_listed_by_sector_is_honoured(localities):
    # area accepts districts, sectors and full postcodes (as the content check does).
    narrow = dataclasses.replace(localities, area=("SK1", "SK2 5", "SK3 0AB"))
    assert (route(narrow, "SK2 5AB").team.id, route(narrow, "SK2 5AB").outside_area) == ("east", False)
    assert (route(narrow, "SK3 0AB").team.id, route(narrow, "SK3 0AB").outside_area) == ("south", False)
    assert route(narrow, "SK2 6AB").outside_area is True
    assert route(narrow, "SK3 0AD").outside_area is True
    assert route(narrow, "SK1 4AA").team.id == "north"


def test_no_area_means_nothing_is_outside(localities):
    everywhere = dataclasses.replace(localities, area=())
    result = route(everywhere, "M1 1AA")
    assert (result.team.id, result.outside_area) == ("triage", False)


@pytest.mark.parametrize("typed", [
    "", " ", "SK", "5AB", "SK5 8A", "SK5 8ABC", "SK58ABX", "SK5-8AB", "SK5 8A8", "S 8AB",
    "123 4AB", "SK5 AAB", "SKK5 8AB", "SK555 8AB", "not a postcode", "SK5 8AB!", "<SK5 8AB>",
    "SK5\x008AB", "ＳＫ５ ８ＡＢ", "SK٥ 8AB", "SK5 8ÅB", "SK5 8AB; DROP TABLE",
])
def test_malformed_postcodes_normalise_to_none(typed):
    assert normalise(typed) is None


def test_normalise_takes_anything_without_crashing():
    for value in (None, 0, 12345, ["SK5 8AB"], b"SK5 8AB", "x" * 100_000):
        result = normalise(value)
        assert result is None or isinstance(result, str)


def test_route_is_pure(localities):
    before = dataclasses.asdict(localities)
    results = [route(localities, "SK2 5AB") for _ in range(3)]
    assert len(set(results)) == 1
    assert dataclasses.asdict(localities) == before


# A broken localities.yml stops `content check` and start-up, naming the problem.

BROKEN_LOCALITIES = [
    # (id, (old, new) in the shipped file, words expected in the message)
    ("team without email", ("    email: east.team@example.org\n", ""),
     "localities.yml:68: teams[3].email: expected some text"),
    ("email not an email", ("east.team@example.org", "east team"),
     "teams[3].email: expected an e-mail address, not 'east team'"),
    ("sector with a letter", ('- "SK2 5"', '- "SK2 5X"'),
     "teams[3].postcodes[2]: 'SK2 5X' is not a postcode district (SK6), sector (SK6 6) or full postcode"),
    ("a place name as a postcode", ("      - SK6\n", "      - Marple\n"),
     "teams[3].postcodes[1]: 'MARPLE' is not a postcode district"),
    ("area not postcodes", ("area: [SK1,", "area: [Stockport,"),
     "localities.yml:41: area[1]: 'STOCKPORT' is not a postcode district"),
    ("phone not a phone", ('"0161 496 0103"', '"call us"'),
     "teams[3].phone: expected a UK phone number"),
    ("two teams with one id", ("id: east", "id: north"),
     "teams: the id 'north' is used twice"),
    ("one district for two teams", ("      - SK6\n", "      - SK6\n      - SK5\n"),
     "SK5 is given to both 'north' and 'east'"),
    ("triage team missing", ("triage: triage\n", "triage: nobody\n"),
     "localities.yml:40: triage: 'nobody' is not the id of a team"),
    ("teams missing", ("teams:", "teamz:"), "teams: this field is required"),
]


@pytest.fixture
def broken_localities(content_dir, request):
    (old, new), words = request.param
    path = content_dir / "localities.yml"
    shipped = path.read_text(encoding="utf-8")
    assert old in shipped, old
    path.write_text(shipped.replace(old, new, 1), encoding="utf-8")
    return content_dir, words


@pytest.mark.parametrize("broken_localities", [case[1:] for case in BROKEN_LOCALITIES],
                         ids=[case[0] for case in BROKEN_LOCALITIES], indirect=True)
def test_a_broken_localities_file_stops_start_up(make_app, broken_localities):
    content, words = broken_localities
    with pytest.raises(ContentConfigError) as raised:
        make_app(content=content)
    assert words in str(raised.value)
    assert str(raised.value).startswith("cannot start: localities.yml:")


@pytest.mark.parametrize("broken_localities", [case[1:] for case in BROKEN_LOCALITIES],
                         ids=[case[0] for case in BROKEN_LOCALITIES], indirect=True)
def test_a_broken_localities_file_fails_content_check(make_app, content_dir, broken_localities):
    content, words = broken_localities
    # Started with good files; the editor then breaks localities.yml.
    good = content.parent / "good-content"
    shutil.copytree(SHIPPED_CONTENT, good)
    app = make_app(content=good)
    app.config["CONTENT_DIR"] = content
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert words in result.output


def test_the_shipped_localities_pass_content_check(make_app):
    result = make_app().test_cli_runner().invoke(args=["content", "check"])
    assert "localities.yml" not in result.output
