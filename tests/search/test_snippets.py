"""Snippets mark every written form of the query's words, and only whole ones."""

from portal.search import snippets
from portal.search.snippets import snippet

FILLER = " ".join(["Families are welcome to come along any week."] * 8)


def marked(html):
    return [part.split(">", 1)[1] for part in html.split("</mark>")[:-1]]


def test_every_form_that_stems_to_a_query_word_is_marked():
    html = snippet("Baby massage helps. Massages, and massaging, calm babies.", "en", {"massag"})
    assert marked(html) == ["massage", "Massages", "massaging"]


def test_a_word_inside_a_longer_one_is_not_marked():
    html = snippet("Aromamassage is not offered; massage is.", "en", {"massag"})
    assert marked(html) == ["massage"]


def test_far_apart_matches_make_two_fragments_and_the_text_is_escaped():
    html = snippet(f"Sleep <well>. {FILLER} Sleep tips & more.", "en", {"sleep"})
    assert html.count(" … ") == 1
    assert "&lt;well&gt;" in html and "&amp; more" in html
    assert len(html) < 400  # context, not the whole text


def test_chinese_pairs_are_marked_as_one_stretch():
    html = snippet("我们支持母乳喂养和配方奶。", "zh", {"母乳", "乳喂", "喂养"})
    assert marked(html) == ["母乳喂养"]


def test_no_snippet_when_no_word_is_there():
    assert snippet("Stay and play on Mondays.", "en", {"massag"}) is None
    assert snippet("Stay and play on Mondays.", "en", set()) is None


def test_a_form_seen_in_another_text_is_marked_only_where_it_stands_whole():
    assert marked(snippet("Baby massage here.", "en", {"massag"})) == ["massage"]
    assert snippet("Aromamassage only, and xmassage.", "en", {"massag"}) is None
    assert marked(snippet("Aromamassage, then massage.", "en", {"massag"})) == ["massage"]


def test_a_kept_snippet_is_for_the_same_text_and_words_only():
    first = snippet("Messy play on Mondays.", "en", {"play"})
    assert snippet("Messy play on Mondays.", "en", {"play"}) == first
    assert marked(snippet("Messy play on Tuesdays.", "en", {"play"})) == ["play"]
    assert "Tuesdays" in snippet("Messy play on Tuesdays.", "en", {"play"})
    assert marked(snippet("Messy play on Mondays.", "en", {"messi"})) == ["Messy"]


def test_a_forgotten_snippet_is_cut_again_the_same(monkeypatch):
    """forget() (the benchmark's) drops the kept snippets: the next is cut afresh, unchanged."""
    first = snippet("Toddler music at Reddish.", "en", {"music"})
    cuts = []
    real_cut = snippets._cut
    monkeypatch.setattr(snippets, "_cut", lambda *args: cuts.append(args) or real_cut(*args))
    assert snippet("Toddler music at Reddish.", "en", {"music"}) == first and cuts == []
    snippets.forget()
    assert snippet("Toddler music at Reddish.", "en", {"music"}) == first and len(cuts) == 1
