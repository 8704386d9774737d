"""Broken content files are named with their line; the rest is still served."""

import datetime
import sys
import textwrap
import unicodedata

import pytest

from portal.content import schema
from portal.content.fields import CONTROLS
from portal.content.loader import ContentConfigError, ContentLoader

TODAY = datetime.date(2026, 11, 27)

SITE = """\
name: Test Start Well
default_language: en
languages: [en, pl, ur]
contact: "Start Well, 0161 496 0100"
team_name: Test early years team
domain: test.example.org
"""
LOCALITIES = """\
triage: triage
area: [SK1, SK5]
teams:
  - id: north
    name: North locality team
    email: north.team@example.org
    phone: "0161 496 0101"
    postcodes: [SK5]
  - id: triage
    name: Triage team
    email: triage.team@example.org
    phone: "0161 496 0100"
    postcodes: []
"""
HUB = """\
---
title: Brinnington Family Hub
summary: Our family hub in Brinnington.
localities: [north]
ages: [0-1, 1-2]
address: [Westmorland Drive, Brinnington]
postcode: SK5 8AB
opening_hours:
  mon: "09:00-17:00"
  sat: closed
phone: "0161 496 0210"
updated: 2026-11-02
---
Come in for a chat.
"""
GROUP = """\
---
title: Stay and Play
summary: Free drop-in play.
localities: [north]
ages: [0-1, 1-2]
venue: brinnington
booking: drop-in
sessions:
  - weekly: tuesday
    time: "10:00-11:30"
    from: 2026-09-01
    until: 2026-12-15
    except: [2026-10-27]
updated: 2026-11-10
---
Messy play and songs.
"""


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path):
    write(tmp_path, "site.yml", SITE)
    write(tmp_path, "localities.yml", LOCALITIES)
    write(tmp_path, "en/hubs/brinnington.md", HUB)
    write(tmp_path, "en/groups/stay-and-play.md", GROUP)
    return tmp_path


def load(root):
    return ContentLoader(root).load(today=TODAY)


def test_the_good_files_load_without_problems(root):
    snapshot = load(root)
    assert snapshot.problems == ()
    assert set(snapshot.pages) == {("en", "hubs", "brinnington"), ("en", "groups", "stay-and-play")}


def group_with(old, new):
    assert old in GROUP, old
    return GROUP.replace(old, new)


BROKEN = [
    # (id, file text, expected line, expected words in the message)
    ("no front matter", "Just some text\n", 1, "must start with a line '---'"),
    ("front matter not closed", "---\ntitle: x\nsummary: y\n", 1, "not closed"),
    ("invalid yaml", group_with("ages: [0-1, 1-2]", "ages: [0-1, 1-2"), 5, "a list in brackets is not closed"),
    ("front matter is a list", "---\n- a\n- b\n---\nbody\n", 2, "YAML mapping"),
    ("title missing", group_with("title: Stay and Play\n", ""), 2, "title: this field is required"),
    ("summary two sentences too long", group_with("Free drop-in play.", "x" * 300), 3, "keep it under 250"),
    ("impossible date", group_with("updated: 2026-11-10", "updated: 2026-13-10"), 14, "expected a date written as YYYY-MM-DD"),
    ("age not on the list", group_with("ages: [0-1, 1-2]", "ages: [0-1, 0-2]"), 5, "ages[2]: '0-2' is not one of"),
    ("unknown locality", group_with("localities: [north]", "localities: [west]"), 4, "'west' is not a team in localities.yml"),
    ("end before start", group_with('"10:00-11:30"', '"10:00-09:30"'), 10, "sessions[1].time"),
    ("not a time", group_with('"10:00-11:30"', '"ten till half eleven"'), 10, "expected a time range like 10:00-11:30"),
    ("not a weekday", group_with("weekly: tuesday", "weekly: funday"), 9, "'funday' is not a day of the week"),
    ("until before from", group_with("until: 2026-12-15", "until: 2026-08-15"), 12, "is before 'from'"),
    ("except on the wrong day", group_with("except: [2026-10-27]", "except: [2026-10-28]"), 13, "2026-10-28 (Wednesday) is not one of this run's tuesdays"),
    ("booking with no way to book", group_with("booking: drop-in", "booking: required"), 7, "needs booking_phone or booking_url"),
    ("booking kind unknown", group_with("booking: drop-in", "booking: maybe"), 7, "'maybe' is not one of: drop-in, required"),
    ("venue is not a hub", group_with("venue: brinnington", "venue: brinington"), 6, "'brinington' is not a hub"),
    ("sessions missing", group_with("sessions:", "sessionz:"), 2, "sessions: this field is required"),
    ("session of neither kind", group_with("  - weekly: tuesday", "  - every: tuesday"), 9, "expected a weekly run"),
    ("draft not true or false", group_with("updated: 2026-11-10", "updated: 2026-11-10\ndraft: maybe"), 15, "draft: expected true or false"),
    ("cancelled on a day it does not meet", group_with("updated:", "cancelled:\n  - date: 2026-12-02\n    reason: Hall closed\nupdated:"), 15, "is not a day this meets"),
    ("cancelled without a reason", group_with("updated:", "cancelled:\n  - date: 2026-12-01\nupdated:"), 15, "needs a date and a reason"),
    ("booking phone not a phone", group_with("booking: drop-in", "booking: required\nbooking_phone: call us"), 8, "expected a UK phone number"),
]


@pytest.mark.parametrize("text, line, words", [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_a_broken_group_is_reported_by_line_and_left_out(root, text, line, words):
    write(root, "en/groups/broken.md", text)
    snapshot = load(root)
    errors = [p for p in snapshot.errors if p.path == "en/groups/broken.md"]
    assert len(errors) == 1, snapshot.problems
    assert words in errors[0].message
    assert errors[0].line == line, str(errors[0])
    # The rest of the site is still served.
    assert ("en", "groups", "stay-and-play") in snapshot.pages
    assert ("en", "hubs", "brinnington") in snapshot.pages
    assert ("en", "groups", "broken") not in snapshot.pages


BROKEN_HUBS = [
    ("opening hours not hours", HUB.replace('mon: "09:00-17:00"', 'mon: "9 till 5"'), 9, "opening_hours.mon: expected opening hours like"),
    ("opening hours unknown day", HUB.replace("sat: closed", "saturday-ish: closed"), 10, "'saturday-ish' is not a day of the week"),
    ("postcode not a postcode", HUB.replace("SK5 8AB", "SK5 8A"), 7, "'SK5 8A' is not a UK postcode"),
    ("address missing", HUB.replace("address: [Westmorland Drive, Brinnington]\n", ""), 2, "address: this field is required"),
]


@pytest.mark.parametrize("text, line, words", [case[1:] for case in BROKEN_HUBS],
                         ids=[case[0] for case in BROKEN_HUBS])
def test_a_broken_hub_is_reported_by_line(root, text, line, words):
    write(root, "en/hubs/broken.md", text)
    errors = [p for p in load(root).errors if p.path == "en/hubs/broken.md"]
    assert len(errors) == 1
    assert words in errors[0].message and errors[0].line == line, str(errors[0])


def test_a_file_that_is_not_utf8_is_reported(root):
    (root / "en/groups/latin1.md").write_bytes(GROUP.replace("Free", "Fr\xe9e").encode("latin-1"))
    snapshot = load(root)
    assert [str(p) for p in snapshot.errors] == ["en/groups/latin1.md:1: the file is not saved as UTF-8"]


def test_a_file_name_that_cannot_be_a_web_address_is_reported(root):
    write(root, "en/groups/Stay And Play.md", GROUP)
    assert "must be lowercase letters" in load(root).errors[0].message


def test_a_translation_without_an_english_page_is_an_error(root):
    write(root, "pl/groups/nowhere.md", "---\ntitle: Zabawa\nsummary: Zabawa.\ntranslated: 2026-11-12\n---\n")
    assert "there is no English page en/groups/nowhere.md" in load(root).errors[0].message


def test_warnings_do_not_remove_the_page(root):
    write(root, "en/groups/warned.md", group_with(
        "updated: 2026-11-10",
        "updated: 2026-11-10\ntitel: typo\nreview_by: 2026-10-01",
    ).replace("Messy play and songs.", "# A heading\n\nSee [clinics](../health-visiting/clinics)."))
    snapshot = load(root)
    assert ("en", "groups", "warned") in snapshot.pages
    messages = {(p.line, p.message) for p in snapshot.warnings if p.path == "en/groups/warned.md"}
    assert (15, "unknown field 'titel' is ignored (did you mean 'title'?)") in messages
    assert (16, "review_by: the review date 2026-10-01 has passed") in messages
    assert any(line == 18 and "use '## ' for headings" in m for line, m in messages)
    assert any(line == 20 and "'../health-visiting/clinics' goes to a page that does not exist" in m
               for line, m in messages)


def test_drafts_are_validated_but_not_served(root):
    write(root, "en/groups/draft.md", group_with("updated: 2026-11-10", "updated: 2026-11-10\ndraft: true"))
    snapshot = load(root)
    assert snapshot.problems == ()
    assert ("en", "groups", "draft") not in snapshot.pages


def test_a_translation_inherits_every_fact_from_english(root):
    write(root, "pl/groups/stay-and-play.md",
          "---\ntitle: Zabawa\nsummary: Bezpłatna zabawa.\ntranslated: 2026-11-12\n"
          "venue: adswood\n---\nZabawa i piosenki.\n")
    snapshot = load(root)
    polish = snapshot.page("pl", "groups", "stay-and-play")
    english = snapshot.page("en", "groups", "stay-and-play")
    assert (polish.title, polish.lang, polish.body_text) == ("Zabawa", "pl", "Zabawa i piosenki.")
    assert (polish.venue, polish.sessions, polish.ages) == (english.venue, english.sessions, english.ages)
    assert not polish.stale
    # A fact in a translation is ignored, with a warning naming the line.
    assert [(p.line, p.severity) for p in snapshot.problems] == [(5, "warning")]


def test_a_translation_older_than_its_english_page_is_flagged(root):
    write(root, "ur/hubs/brinnington.md", "---\ntitle: برننگٹن\nsummary: ہب۔\ntranslated: 2026-10-01\n---\n")
    snapshot = load(root)
    assert snapshot.page("ur", "hubs", "brinnington").stale
    assert "was updated on 2026-11-02, after this translation" in snapshot.warnings[0].message


def test_an_untranslated_page_falls_back_to_english(root):
    page = load(root).page("pl", "hubs", "brinnington")
    assert page.lang == "en" and page.title == "Brinnington Family Hub"


def test_script_in_a_body_is_removed(root):
    write(root, "en/groups/stay-and-play.md", GROUP.replace(
        "Messy play and songs.",
        'Hi <script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'))
    html = load(root).page("en", "groups", "stay-and-play").body_html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "Hi" in html


def test_a_broken_localities_file_stops_start_up_with_the_line(root):
    write(root, "localities.yml", LOCALITIES.replace("triage: triage", "triage: nobody"))
    with pytest.raises(ContentConfigError, match=r"localities.yml:1: triage: 'nobody' is not the id"):
        load(root)


def test_a_postcode_given_to_two_teams_is_refused(root):
    write(root, "localities.yml", LOCALITIES.replace("postcodes: []", "postcodes: [sk5]"))
    with pytest.raises(ContentConfigError, match="SK5 is given to both 'north' and 'triage'"):
        load(root)


def test_a_broken_site_file_keeps_the_last_good_settings(root):
    loader = ContentLoader(root)
    loader.load(today=TODAY)
    write(root, "site.yml", SITE.replace("default_language: en", "default_language: fr"))
    snapshot = loader.load(today=TODAY)
    assert snapshot.site.default_language == "en"
    assert "default_language: 'fr' must be one of languages" in str(snapshot.errors[0])
    assert ("en", "hubs", "brinnington") in snapshot.pages


def test_the_control_pattern_is_exactly_unicodes_control_and_separator_characters():
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        assert bool(CONTROLS.fullmatch(character)) == \
            (unicodedata.category(character) in ("Cc", "Zl", "Zp")), hex(code)


def test_a_reload_reads_only_the_changed_files_fields_and_reports_the_rest_again(root, monkeypatch,
                                                                               tmp_path):
    """A page's fields are read once per version of its file, in this process
    and from a saved parse cache; every load still reports every problem."""
    write(root, "en/groups/typo.md", GROUP.replace("title:", "tittle: x\ntitle:")
          .replace("booking: drop-in", "booking: required"))  # a warning and an error
    write(root, "pl/groups/stay-and-play.md",
          "---\ntitle: Zabawa\nsummary: Zabawa bez zapisów.\ntranslated: 2026-11-12\n---\n"
          "Zabawa i piosenki.\n")
    read = []
    real = schema.read_fields
    monkeypatch.setattr(schema, "read_fields", lambda *args: read.append(1) or real(*args))
    loader = ContentLoader(root)
    first = loader.load(today=TODAY)
    assert len(read) == 4  # three English files and a translation
    assert ("pl", "groups", "stay-and-play") in first.pages
    assert {p.message[:30] for p in first.problems} == {
        "booking: 'required' needs book", "unknown field 'tittle' is igno"}
    write(root, "en/groups/stay-and-play.md", GROUP.replace("Messy play", "Messy play, again"))
    read.clear()
    again = loader.load(today=TODAY)
    assert len(read) == 1  # the changed file only
    assert again.problems == first.problems
    assert set(again.pages) == set(first.pages)

    loader.save_cache(tmp_path / "parsed.pickle")
    fresh = ContentLoader(root)
    fresh.restore_cache(tmp_path / "parsed.pickle")
    read.clear()
    assert fresh.load(today=TODAY).problems == first.problems
    assert read == []  # the saved fields came with the parsed files


def test_a_parse_cache_of_another_format_is_ignored(root, tmp_path):
    import pickle
    (tmp_path / "old.pickle").write_bytes(pickle.dumps({"en/hubs/brinnington.md": "old"}))
    loader = ContentLoader(root)
    loader.restore_cache(tmp_path / "old.pickle")
    assert loader.load(today=TODAY).problems == ()


def test_loading_holds_off_the_garbage_collector_and_always_gives_it_back(root, tmp_path, monkeypatch):
    import gc

    from portal.content import loader as loader_module

    seen = []
    real_split = loader_module.frontmatter.split

    def split(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_split(*args, **kwargs)

    monkeypatch.setattr(loader_module.frontmatter, "split", split)
    loader = ContentLoader(root)
    assert gc.isenabled()
    loader.load(today=TODAY)
    assert seen and not any(seen)  # paused while the files were read
    assert gc.isenabled()
    loader.save_cache(tmp_path / "parsed.pickle")
    ContentLoader(root).restore_cache(tmp_path / "parsed.pickle")
    assert gc.isenabled()

    monkeypatch.setattr(loader_module, "Snapshot", lambda **fields: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        ContentLoader(root).load(today=TODAY)
    assert gc.isenabled()  # given back when loading fails too

    gc.disable()  # a caller that had it off keeps it off
    try:
        ContentLoader(root).restore_cache(tmp_path / "parsed.pickle")
        assert not gc.isenabled()
    finally:
        gc.enable()
