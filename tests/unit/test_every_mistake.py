"""Every mistake in a file in one report, and YAML errors in editors' words."""

import pytest
from test_content_validation import GROUP, load, root, write  # noqa: F401  (fixture)

from portal.content.frontmatter import parse_yaml
from portal.content.problems import ContentError

# One file with mistakes of every kind: a bad field, two bad sessions (one
# with a bad time and a bad date), a bad date, an unknown team, a missing
# required field and a rule across fields.
SEVERAL = """\
---
title: Stay and Play
localities: [west]
ages: [0-1, 0-9]
venue: brinnington
booking: required
sessions:
  - weekly: tuesday
    time: "ten till eleven"
    from: 2026-09-01
    until: 2026-13-15
  - weekly: funday
    time: "10:00-11:30"
    from: 2026-09-01
    until: 2026-12-15
updated: 2026-11-31
---
Messy play.
"""


def test_every_mistake_in_a_file_is_reported_at_once(root):  # noqa: F811
    write(root, "en/groups/broken.md", SEVERAL)
    snapshot = load(root)
    found = sorted((p.line, p.message.split(":")[0]) for p in snapshot.errors
                   if p.path == "en/groups/broken.md")
    assert found == [
        (2, "summary"),  # required, missing: reported at the front matter's start
        (3, "localities[1]"),
        (4, "ages[2]"),
        (9, "sessions[1].time"),
        (11, "sessions[1].until"),
        (12, "sessions[2].weekly"),
        (16, "updated"),
    ], [str(p) for p in snapshot.errors]
    # Each is said plainly, with its line, in `content check`'s form.
    assert any(str(p).startswith("en/groups/broken.md:16: updated: expected a date")
               for p in snapshot.errors)
    assert ("en", "groups", "broken") not in snapshot.pages
    assert ("en", "groups", "stay-and-play") in snapshot.pages


def test_the_rules_across_fields_are_all_reported_too(root):  # noqa: F811
    text = GROUP.replace("booking: drop-in", "booking: required").replace(
        "updated:", "cancelled:\n  - date: 2026-12-02\n    reason: Hall closed\n"
                    "  - date: 2026-12-03\n    reason: Snow\nupdated:")
    write(root, "en/groups/broken.md", text)
    messages = sorted(p.message for p in load(root).errors if p.path == "en/groups/broken.md")
    assert len(messages) == 3, messages
    assert messages[0].startswith("booking: 'required' needs booking_phone")
    assert messages[1].startswith("cancelled[1].date: 2026-12-02 (Wednesday) is not a day")
    assert messages[2].startswith("cancelled[2].date: 2026-12-03 (Thursday) is not a day")


def test_a_file_with_one_mistake_still_reports_exactly_one(root):  # noqa: F811
    write(root, "en/groups/broken.md", GROUP.replace("weekly: tuesday", "weekly: funday"))
    assert [str(p) for p in load(root).errors] == [
        "en/groups/broken.md:9: sessions[1].weekly: 'funday' is not a day of the week"]


YAML_SLIPS = [
    # (what the editor typed, the line reported in the file, words that must be said)
    ("title: Stay and play: for babies", 2, 'put the text in quotes, like title: "Stay and play: for babies"'),
    ("topics:\n  - baby\n  -toddler", 4, "a list item needs a space after the dash: write '- toddler'"),
    ("sessions:\n  -weekly: monday\n    time: x", 3, "a list item needs a space after the dash"),
    ("title: x\n\tsummary: y", 3, "use spaces to indent"),
    ("title: x\n  summary: y", 3, "line its field up with the fields above it"),
    ('title: "Stay and play\nsummary: y', 2, "a quote mark opened on this line is never closed"),
    ('title: "Stay" and play\nsummary: y', 2, "put the whole value in quotes"),
    ("title: @home", 2, "a value cannot start with '@' unless it is in quotes"),
    ("title x\nsummary: y", 2, "this line has no colon"),
    ("address:\n  - 1 Road\n - Town", 4, "check the spaces at its start"),
    ("topics: [a, b\nsummary: y", 2, "a list in brackets is not closed: end it with ']'"),
    ("sessions:\n  - weekly: monday\n  time: 10:00", 4, "each list item starts with '- '"),
]


@pytest.mark.parametrize("text, line, words", YAML_SLIPS, ids=[s[2][:40] for s in YAML_SLIPS])
def test_yaml_slips_are_explained_with_the_fix_and_the_line(text, line, words):
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, first_line=2)  # as in a file: line 1 is the '---'
    assert words in caught.value.message
    assert "mapping values" not in caught.value.message
    assert caught.value.line == line


def test_an_error_no_rule_knows_keeps_yamls_own_words():
    with pytest.raises(ContentError) as caught:
        parse_yaml("a: !!python/name:os.system x", first_line=2)
    assert caught.value.message.startswith("the YAML is not valid (")
