"""Evaluate a query on posting arrays kept in memory, one set per index generation.

Whoosh's collector walks a tree of nested OR matchers one posting at a
time (three fields a word, synonym groups, typo variants), and it must
visit every match because the page counts them per section. Here each
term's postings are read from the Whoosh index once per generation into
numpy arrays with their BM25F scores worked out, and a query becomes a few
array operations: its cost grows with the postings read, not the matchers.

The scores are Whoosh's own BM25F (B 0.75, K1 1.2, the schema's field
boosts, the query's boosts, and how Whoosh combines them), so the ranking
is the one Whoosh's matchers gave; ties go to the lower document number,
as in Whoosh.
"""

import itertools
import threading
import weakref

import numpy as np
from whoosh import index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.query import And, MultiTerm, Or, Term
from whoosh.util.numeric import byte_to_length

from .bounds import MAX_EXPANSIONS

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, which the ranking was tuned with
NO_DOCS = np.empty(0, np.int32)
NO_SCORES = np.empty(0)
MAX_FILTERS = 512
MAX_CORRECTIONS = 10_000
MAX_KNOWN = 100_000
SPARSE = 8  # an OR of fewer postings than 1/SPARSE of the documents is added sparsely
# Whoosh stores a field's length per document in one byte: its length each byte stands for.
BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], np.float64)
BYTE_LENGTHS[0] = 1  # no length stored: Whoosh's scorer takes 1
_UNKNOWN = object()  # a word not yet looked up (None means no close word)

_shared = weakref.WeakValueDictionary()  # folder -> Postings, while some Index uses it
_sharing = threading.Lock()


def for_generation(folder):
    """Return the one Postings of a generation in this process, opening it once."""
    key = str(folder)
    with _sharing:
        postings = _shared.get(key)
        if postings is None:
            postings = _shared[key] = Postings(folder)
        return postings


class Postings:
    """One generation's term postings and per-document facts, read on first use.

    Threads share it. Reading from Whoosh happens under a lock (its files are
    read with seek and read); a term read once is served from a dict after.
    """

    def __init__(self, folder):
        self._searcher = index.open_dir(str(folder)).searcher()
        reader = self._searcher.reader()
        self._lock = threading.Lock()
        self.size = reader.doc_count_all()
        sections = [_text(value) for value in reader.column_reader("section")]
        self.section_names = sorted(set(sections))
        codes = {name: code for code, name in enumerate(self.section_names)}
        self.sections = np.array([codes[name] for name in sections], np.int16)
        self._terms = {}  # (field, text) -> (docnums, scores)
        self._expansions = {}  # typo or prefix query -> the indexed words it stands for
        self._filters = {}  # filter query -> boolean mask of the documents it allows
        self._corrections = {}  # unknown word -> the closest known word, or None
        self._lengths = {}  # field -> each document's field length
        self._known = {}  # (field, text) -> whether the index holds it
        self._stored = {}  # document -> its stored fields
        self.languages = {name.rsplit("_", 1)[1] for name in reader.schema.names()
                          if name.startswith("title_")}

    def known(self, fieldname, text):
        """Whether the index holds this term in this field (asked once per generation)."""
        key = (fieldname, text)
        found = self._known.get(key)
        if found is None:
            with self._lock:
                if len(self._known) > MAX_KNOWN:
                    self._known.clear()
                found = self._known[key] = key in self._searcher.reader()
        return found

    # Reading from the index ------------------------------------------------

    def term(self, fieldname, text):
        """Return a term's documents (ascending) and their BM25F scores."""
        found = self._terms.get((fieldname, text))
        if found is None:
            with self._lock:
                found = self._terms.get((fieldname, text))
                if found is None:
                    found = self._terms[(fieldname, text)] = self._read(fieldname, text)
        return found

    def _read(self, fieldname, text):
        reader = self._searcher.reader()
        if (fieldname, text) not in reader:
            return NO_DOCS, NO_SCORES
        docs, weights = _postings(reader.postings(fieldname, text))
        lengths = self._field_lengths(fieldname, docs)
        idf = self._searcher.idf(fieldname, text)
        average = self._searcher.avg_field_length(fieldname) or 1
        scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average))
        return docs, scores

    def _field_lengths(self, fieldname, docs):
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = self._read_lengths(fieldname)
        return lengths[docs]

    def _read_lengths(self, fieldname):
        """Every document's length of a field, as Whoosh's scorer asks for it
        (the stored, byte-rounded length; 1 if none): each segment's column
        of length bytes read whole, not a Python call per document."""
        lengths = np.ones(self.size)
        for leaf, base in self._searcher.reader().leaf_readers():
            raw = length_bytes(leaf._perdoc, fieldname)
            if raw is not None:
                raw = raw[:leaf.doc_count_all()]
                lengths[base:base + len(raw)] = BYTE_LENGTHS[raw]
        return lengths

    def expand(self, query):
        """Return the indexed words a typo or prefix query stands for (the
        first MAX_EXPANSIONS of them, in the index's order)."""
        key = (type(query).__name__, repr(query))
        words = self._expansions.get(key)
        if words is None:
            with self._lock:
                words = self._expansions.get(key)
                if words is None:
                    found = (word for word in query._btexts(self._searcher.reader()) if word)
                    words = self._expansions[key] = [
                        _text(word) for word in itertools.islice(found, MAX_EXPANSIONS)]
        return words

    def allowed(self, where):
        """Return a mask of the documents a filter query allows (once per generation)."""
        key = repr(where)
        mask = self._filters.get(key)
        if mask is None:
            with self._lock:
                if len(self._filters) > MAX_FILTERS:
                    self._filters.clear()
                mask = np.zeros(self.size, bool)
                mask[list(self._searcher.docs_for_query(where))] = True
                self._filters[key] = mask
        return mask

    def correction(self, word, maxdist):
        """Return the most frequent indexed word this close to ``word``, or None.

        Whoosh walks the whole "did you mean" vocabulary for this (tens of
        milliseconds at 10,000 pages), so each word's answer is kept for the
        generation: people make the same typos.
        """
        key = (word, maxdist)
        found = self._corrections.get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        with self._lock:
            if len(self._corrections) > MAX_CORRECTIONS:
                self._corrections.clear()
            options = self._searcher.corrector("spelling").suggest(word, limit=1,
                                                                   maxdist=maxdist)
            found = self._corrections[key] = options[0] if options else None
        return found

    def stored(self, doc):
        """Return a document's stored fields (lang, section, page_id), read once."""
        found = self._stored.get(doc)
        if found is None:
            with self._lock:
                found = self._stored[doc] = self._searcher.stored_fields(doc)
        return found

    # Evaluating a query ------------------------------------------------------

    def evaluate(self, query):
        """Return the documents matching a query (ascending) and their scores.

        Handles the queries engine.Index builds: Term, FuzzyTerm, Prefix, And, Or,
        combining scores as Whoosh's matchers do: And and Or add their parts'
        scores, a query's boost multiplies, a one-part And or Or is its part
        (its boost dropped), and a typo or prefix query that expands to one
        word is that word's plain, unboosted term. A typo or prefix query of
        several words adds their scores times its boost, as Whoosh does above
        5,000 documents; at or below, Whoosh scored each match 1 (whatever
        the boost), which made the ranking depend on the index's size.
        """
        if isinstance(query, MultiTerm):
            words = self.expand(query)
            if len(words) == 1:
                return self.term(query.fieldname, words[0])
            return self._union([self.term(query.fieldname, w) for w in words], query.boost)
        if isinstance(query, Term):
            docs, scores = self.term(query.fieldname, query.text)
            return docs, scores * query.boost if query.boost != 1 else scores
        if isinstance(query, (And, Or)):
            if len(query.subqueries) == 1:
                return self.evaluate(query.subqueries[0])
            parts = [self.evaluate(sub) for sub in query.subqueries]
            combine = self._intersection if isinstance(query, And) else self._union
            return combine(parts, query.boost)
        raise TypeError(f"cannot evaluate {type(query).__name__}")

    def words(self, query, fieldname):
        """Return the indexed words of a query in one field (what a snippet marks)."""
        if isinstance(query, MultiTerm):
            return set(self.expand(query)) if query.fieldname == fieldname else set()
        if isinstance(query, Term):
            return {query.text} if query.fieldname == fieldname else set()
        return set().union(*(self.words(sub, fieldname) for sub in query.subqueries))

    def _union(self, parts, boost):
        parts = [part for part in parts if len(part[0])]
        if not parts:
            return NO_DOCS, NO_SCORES
        if len(parts) == 1:
            docs, scores = parts[0]
        elif sum(len(part[0]) for part in parts) * SPARSE < self.size:
            # Few postings: sort them together and add each document's run
            # (in the parts' order, as the dense arrays add).
            docs = np.concatenate([part[0] for part in parts])
            order = np.argsort(docs, kind="stable")
            docs, scores = docs[order], np.concatenate([part[1] for part in parts])[order]
            starts = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1])))
            docs, scores = docs[starts], np.add.reduceat(scores, starts)
        else:
            # Dense accumulators: one pass over each part's postings.
            total, hit = np.zeros(self.size), np.zeros(self.size, bool)
            for part_docs, part_scores in parts:
                total[part_docs] += part_scores
                hit[part_docs] = True
            docs = np.flatnonzero(hit).astype(np.int32)
            scores = total[docs]
        return docs, scores * boost if boost != 1 else scores

    @staticmethod
    def _intersection(parts, boost):
        parts = sorted(parts, key=lambda part: len(part[0]))  # smallest first
        docs, scores = parts[0]
        for other_docs, other_scores in parts[1:]:
            if not len(docs) or not len(other_docs):
                return NO_DOCS, NO_SCORES
            at = np.minimum(np.searchsorted(other_docs, docs), len(other_docs) - 1)
            keep = other_docs[at] == docs
            docs, scores = docs[keep], scores[keep] + other_scores[at[keep]]
        return docs, scores * boost if boost != 1 else scores

    def counts(self, docs):
        """Count documents per section."""
        counted = np.bincount(self.sections[docs], minlength=len(self.section_names))
        return {self.section_names[code]: int(n) for code, n in enumerate(counted) if n}

    @staticmethod
    def top(docs, scores, limit):
        """Return the ``limit`` best documents, best first; ties to the lower number."""
        if len(docs) > limit:
            # Everything scoring at least the limit-th best score, then sorted.
            floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= floor
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:limit]
        return docs[order].tolist()


def length_bytes(perdoc, fieldname):
    """A segment's column of field-length bytes (one a document written; a
    document past its end has none), read whole; None without the column."""
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return np.frombuffer(column._dbfile.get(column._basepos, column._count), np.uint8)


def _postings(matcher):
    """Read a term's documents and weights (frequency times the field's boost).

    A one-segment index without deletions gives Whoosh's W3LeafMatcher,
    read a block (up to 128 postings) at a time from its arrays; anything
    else (several segments, deleted documents) one posting at a time.
    """
    docs, weights = [], []
    if type(matcher).__name__ == "W3LeafMatcher":  # whoosh-reloaded 2.7.5, pinned
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            docs.append(np.asarray(matcher._ids, np.int32))
            weights.append(np.asarray(matcher._weights, np.float64))
            matcher._next_block()
        if not docs:
            return NO_DOCS, NO_SCORES
        return np.concatenate(docs), np.concatenate(weights)
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(docs, np.int32), np.array(weights, np.float64)


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value
