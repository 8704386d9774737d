"""How a family asked to be contacted, in the words a team reads first."""

import pytest

from portal.referrals.safe_contact import read, warnings


def test_a_text_only_family_reads_as_the_team_must_act():
    assert read(["text"]).summary == (
        "Text only. Do not phone. Do not e-mail. Do not leave voicemail or messages. Do not write.")


def test_several_ways_are_listed_with_what_is_still_refused():
    safe = read(["email", "phone", "message"])
    assert safe.allowed == ("phone", "email", "message")
    assert safe.summary == "Phone or e-mail. Do not text. Do not write."


def test_no_way_at_all_says_so():
    assert read([]).headline == "No safe way to contact given."


@pytest.mark.parametrize("note, ways, expected", [
    ("Phoned mum at 10", ["text"], ["You wrote 'Phoned'; this family asked not to be phoned."]),
    ("Rang, no answer, left a voicemail", ["phone"],
     ["You wrote 'voicemail'; this family asked for no voicemail or messages."]),
    ("Will write to confirm the group", ["phone", "text"],
     ["You wrote 'Will write'; this family asked not to be written to."]),
    ("Sent an email with the timetable", ["text", "phone"],
     ["You wrote 'email'; this family asked not to be e-mailed."]),
    ("Texted the times of the group", ["text"], []),
    ("Phoned and texted", ["phone", "text"], []),
    ("Saw her at the hub on Tuesday", ["text"], []),
])
def test_a_note_mentioning_a_way_the_family_refused_is_flagged(note, ways, expected):
    assert warnings(note, ways) == expected
