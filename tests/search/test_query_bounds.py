"""One search costs bounded work, is rate-limited per client, and a long
query still finds its page (issue 11, M7)."""

import random
import string

import pytest

from portal.search import bounds, engine
from portal.search.engine import Document
from portal.search.postings import Postings

MADE_UP = random.Random(11)


def made_up_query(length=200):
    words = ("".join(MADE_UP.choice(string.ascii_lowercase) for _ in range(MADE_UP.randint(4, 9)))
             for _ in range(60))
    return " ".join(words)[:length]


@pytest.fixture
def work(monkeypatch):
    """Count the costly steps: vocabulary walks for typos and prefixes, their
    words, "did you mean" look-ups, and the terms read."""
    counted = {"walks": 0, "expanded": 0, "corrections": 0, "terms": set()}
    expand, correction, term = Postings.expand, Postings.correction, Postings.term

    def counting_expand(self, query):
        counted["walks"] += 1
        words = expand(self, query)
        counted["expanded"] = max(counted["expanded"], len(words))
        return words

    def counting_correction(self, word, maxdist):
        counted["corrections"] += 1
        return correction(self, word, maxdist)

    def counting_term(self, fieldname, text):
        counted["terms"].add((fieldname, text))
        return term(self, fieldname, text)
    monkeypatch.setattr(Postings, "expand", counting_expand)
    monkeypatch.setattr(Postings, "correction", counting_correction)
    monkeypatch.setattr(Postings, "term", counting_term)
    return counted


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_a_long_query_of_made_up_words_does_bounded_work(index, shipped, work, lang):
    index.search(made_up_query(), lang, synonyms=shipped.synonyms,
                 texts=lambda lang, section, page_id: shipped.page(lang, section, page_id).body_text)
    sides, passes, fields = (1 if lang == "en" else 2), 2, 3
    # Each forgiven word: a typo match in each field, and a prefix for the last word typed.
    assert work["walks"] <= bounds.MAX_FORGIVEN * fields * 2 * sides * passes
    assert work["corrections"] <= bounds.MAX_FORGIVEN
    assert len(work["terms"]) <= (bounds.MAX_TERMS * fields + bounds.MAX_FORGIVEN * fields * 2
                                  * bounds.MAX_EXPANSIONS) * sides


def test_a_long_chinese_query_does_bounded_work(index, shipped, work):
    text = "宝宝睡眠喂养健康访视婴儿诊所小组活动家长课程" * 9
    index.search(text[:200], "zh", synonyms=shipped.synonyms)
    assert work["walks"] == 0 and work["corrections"] == 0
    assert len(work["terms"]) <= bounds.MAX_TERMS * 3 * 2


def test_a_prefix_stands_for_a_bounded_number_of_words(tmp_path, work):
    words = [f"zz{a}{b}q" for a in string.ascii_lowercase for b in string.ascii_lowercase[:8]]
    documents = [Document("en", "groups", f"page-{n}", "Play", "", " ".join(words[n::20]),
                          (), (), ("en",)) for n in range(20)]
    engine.build(tmp_path, documents, ["en"])
    opened = engine.Index(tmp_path)
    try:
        results = opened.search("zz", "en")
    finally:
        opened.close()
    assert results.total > 0
    assert work["expanded"] == bounds.MAX_EXPANSIONS < len(words)


@pytest.mark.parametrize("text, page", [
    ("hello there I have been wondering for quite a while now whether anybody could possibly "
     "tell me please where and when the baby clinics near me are on", "baby-clinics"),
    (made_up_query(120) + " when to call whom", "when-to-call-whom"),
    ("zzqx " * 10 + "stay and play brinnington", "stay-and-play-brinnington"),
])
def test_a_long_query_still_finds_its_page(index, shipped, text, page):
    assert len(text) > 60
    results = index.search(text[-200:] if len(text) > 200 else text, "en", synonyms=shipped.synonyms)
    assert page in [hit.page_id for hit in results.hits[:3]], [hit.page_id for hit in results.hits[:5]]


def test_search_is_rate_limited_per_client_in_the_readers_language(make_app, search_dir):
    app = make_app(SEARCH_REBUILD="inline", SEARCH_DIR=search_dir, SEARCH_RATE_LIMIT="3 per minute")
    client = app.test_client()
    for _ in range(5):
        assert client.get("/pl/search").status_code == 200  # the empty form costs nothing
    for _ in range(3):
        assert client.get("/pl/search?q=baby").status_code == 200
    limited = client.get("/pl/search?q=sleep")
    assert limited.status_code == 429
    body = limited.get_data(as_text=True)
    assert '<html lang="pl"' in body and "Too many requests" not in body
    other = client.get("/en/search?q=baby", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200  # another client has its own count


def test_api_search_is_rate_limited_too(make_app, search_dir):
    app = make_app(SEARCH_REBUILD="inline", SEARCH_DIR=search_dir, SEARCH_RATE_LIMIT="2 per minute")
    client = app.test_client()
    assert client.get("/api/v1/services").status_code == 200
    assert client.get("/api/v1/services").status_code == 200
    assert client.get("/api/v1/services").status_code == 200  # no search: not counted
    assert client.get("/api/v1/services?search=baby").status_code == 200
    assert client.get("/api/v1/service_at_locations?search=baby").status_code == 200
    limited = client.get("/api/v1/services?search=sleep")
    assert limited.status_code == 429 and limited.is_json
