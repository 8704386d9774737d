"""Queries evaluated on posting arrays find and rank what Whoosh's matchers did."""

import shutil
from dataclasses import replace

import pytest
from whoosh.query import And, Or, Term
from whoosh.sorting import FieldFacet

from portal.search import engine
from portal.search.documents import documents
from portal.search.engine import _either
from portal.search.generations import Generations

from .test_relevance import RELEVANCE

FILTERED = [
    ("en", "stay and play", {"section": "groups"}),
    ("en", "baby massage", {"locality": "north"}),
    ("en", "sleep", {"age": "0-1"}),
    ("en", "helth visiter", {"section": "health-visiting", "age": "0-1"}),
    ("en", "toddler", {"locality": "south", "age": "1-2"}),
    ("pl", "zabawa", {"section": "groups"}),
]
QUERIES = [(lang, text, {}) for lang, text, _ in RELEVANCE] + FILTERED


@pytest.fixture
def union_trees(monkeypatch):
    """Make Whoosh score ORs as it does above 5,000 documents, at any size.

    At or below 5,000 documents (the shipped content) Whoosh preloads an OR
    of three or more typo or prefix expansions and scores each match 1,
    whatever the query's boost; above, it adds the words' BM25F scores times
    the boost. The posting arrays do the latter at every size.
    """
    monkeypatch.setattr(Or, "matcher_type", Or.DEFAULT_MATCHER)


def whoosh_top(index, query, lang, filters, limit):
    """Run a query through Whoosh's own collector: (total, counts, top documents)."""
    narrowing = [n for n in (_either("localities", filters.get("locality")),
                             _either("ages", filters.get("age"))) if n]
    where = And([Term("lang", lang), *narrowing])
    searcher = index._postings._searcher
    allowed = set(searcher.docs_for_query(where))
    hits = searcher.search(query, filter=allowed, limit=None, groupedby=FieldFacet("section"))
    counts = {name: len(docs) for name, docs in hits.groups("section").items()}
    if filters.get("section"):
        allowed &= set(searcher.docs_for_query(Term("section", filters["section"])))
        hits = searcher.search(query, filter=allowed, limit=None)
    return len(hits), counts, [(hit.docnum, hit.score) for hit in hits][:limit]


@pytest.mark.parametrize("lang, text, filters", QUERIES,
                         ids=[f"{lang}:{text}:{sorted(f.items())}" for lang, text, f in QUERIES])
@pytest.mark.parametrize("all_words", [True, False], ids=["and", "or"])
def test_the_same_pages_counts_and_order_as_whoosh(index, shipped, union_trees, lang, text,
                                                    filters, all_words):
    assert_as_whoosh(index, shipped.synonyms, lang, text, filters, all_words)


@pytest.fixture(scope="module")
def updated(search_dir, shipped, tmp_path_factory):
    """A generation updated in place: two segments, and deleted documents."""
    folder = tmp_path_factory.mktemp("updated")
    for item in Generations(search_dir).current().iterdir():
        shutil.copy2(item, folder / item.name)
    docs = [doc for doc in documents(shipped) if doc.lang == "en"]
    changed = [replace(doc, title=f"{doc.title} quokka") for doc in docs[:3]]
    engine.update(folder, changed, [docs[5].key])
    opened = engine.Index(folder)
    yield opened
    opened.close()


@pytest.mark.parametrize("text", ["quokka", "stay and play", "sleep", "helth visiter", "pla"])
def test_an_updated_generation_too(updated, shipped, union_trees, text):
    assert len(updated._postings._searcher.reader().leaf_readers()) == 2
    assert_as_whoosh(updated, shipped.synonyms, "en", text, {}, True)
    assert updated.search("quokka", "en").total == 3


def assert_as_whoosh(index, synonyms, lang, text, filters, all_words):
    query = index._query(" ".join(text.lower().split()), lang, synonyms, all_words)
    total, counts, expected = whoosh_top(index, query, lang, filters, 10)
    postings = index._postings
    docs, scores = postings.evaluate(query)
    narrowing = [n for n in (_either("localities", filters.get("locality")),
                             _either("ages", filters.get("age"))) if n]
    keep = postings.allowed(And([Term("lang", lang), *narrowing]))[docs]
    docs, scores = docs[keep], scores[keep]
    assert postings.counts(docs) == counts
    if filters.get("section"):
        keep = postings.allowed(Term("section", filters["section"]))[docs]
        docs, scores = docs[keep], scores[keep]
    assert len(docs) == total
    ours = postings.top(docs, scores, 10)
    score = dict(zip(docs.tolist(), scores.tolist()))
    assert [score[doc] for doc in ours] == pytest.approx([s for _, s in expected], rel=1e-9)
    # The same documents in the same order, except where two scores tie to
    # rounding (Whoosh adds a document's parts in another order).
    for (theirs, their_score), mine in zip(expected, ours):
        assert mine == theirs or score[mine] == pytest.approx(their_score, rel=1e-9)


def test_a_generation_is_read_once_per_process_and_shared(search_dir, index):
    other = engine.Index(index.folder)
    try:
        assert other._postings is index._postings
    finally:
        other.close()
