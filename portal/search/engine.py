"""The search index's front door: the schema, building an index, and searching it.

Whoosh stays inside portal/search/: this module builds the index and the
query, postings.py evaluates the query, snippets.py cuts the snippets.
Callers pass plain values in and get plain records out.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh import index
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.query import And, FuzzyTerm, Not, Or, Prefix, Term
from whoosh.util.numeric import byte_to_length

from . import bounds, postings
from .analysis import CJK, analyzer, spelling_analyzer
from .snippets import snippet

ALL = "all"  # indexed for a page with no localities or ages: it serves every one
FIELDS = ("title", "about", "body")
BOOSTS = {"title": 4.0, "about": 2.0, "body": 1.0}
# Whoosh's writer keeps this much of its postings in memory before sorting
# them to disk, each one pickled and read back (a fifth of a build at 128):
# 10,000 pages' postings fit, as Whoosh counts them.
BUILD_MB = 1024
SNIPPET_SOURCE = 3000  # characters of a page searched for a snippet
RAW_WORD = re.compile(
    rf"[{CJK}]+|[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u0980-\u09ff\u200c\u200d]+"
    r"(?:['’]\w+)*"
)


@dataclass(frozen=True)
class Document:
    """One page in one language, as the index sees it."""

    lang: str
    section: str
    page_id: str
    title: str
    about: str  # summary and topics
    body: str  # body text, venue, localities
    localities: tuple
    ages: tuple
    languages: tuple  # every language this page is written in

    @property
    def key(self):
        return f"{self.lang}/{self.section}/{self.page_id}"


@dataclass(frozen=True)
class Hit:
    lang: str
    section: str
    page_id: str
    snippet: str | None  # HTML with <mark>, escaped by Whoosh


@dataclass
class Results:
    hits: list = field(default_factory=list)
    total: int = 0
    sections: dict = field(default_factory=dict)  # section -> count, before the section filter
    all_words: bool = True  # False when no page had every word and we fell back to any
    suggestion: str | None = None


def schema(languages):
    fields = {
        "key": ID(stored=True, unique=True),
        "lang": ID(stored=True),
        "section": ID(stored=True, sortable=True),
        "page_id": ID(stored=True),
        "localities": KEYWORD,
        "ages": KEYWORD,
        "languages": KEYWORD,
        "spelling": TEXT(analyzer=spelling_analyzer(), phrase=False),
    }
    for lang in languages:
        for name in FIELDS:
            fields[f"{name}_{lang}"] = TEXT(analyzer=analyzer(lang), field_boost=BOOSTS[name])
    return Schema(**fields)


def _fields(doc):
    return dict(
        key=doc.key, lang=doc.lang, section=doc.section, page_id=doc.page_id,
        localities=" ".join(doc.localities) or ALL,
        ages=" ".join(doc.ages) or ALL,
        languages=" ".join(doc.languages),
        spelling=f"{doc.title} {doc.about} {doc.body}",
        **{f"title_{doc.lang}": doc.title, f"about_{doc.lang}": doc.about,
           f"body_{doc.lang}": doc.body},
    )


def build(folder, documents, languages):
    """Write a complete index of ``documents`` into an empty folder."""
    ix = index.create_in(str(folder), schema(languages))
    writer = ix.writer(limitmb=BUILD_MB)
    opened = writer.per_document_reader
    writer.per_document_reader = lambda: _Lengths(opened())
    for doc in documents:
        writer.add_document(**_fields(doc))
    writer.commit(optimize=True)  # one segment: the fastest to search


def update(folder, changed, removed_keys):
    """Replace and remove some documents in a (copied, unpublished) index."""
    ix = index.open_dir(str(folder))
    writer = ix.writer()
    for key in removed_keys:
        writer.delete_by_term("key", key)
    for doc in changed:
        writer.update_document(**_fields(doc))
    writer.commit()


class _Lengths:
    """A new segment's per-document reader whose field lengths come from
    each field's column read whole: Whoosh asks for one per posting written,
    each a seek and a read (a sixth of a build's time)."""

    def __init__(self, reader):
        self._reader = reader
        self._fields = {}  # field -> each document's length, as Whoosh answers

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._fields.get(fieldname)
        if lengths is None:
            raw = postings.length_bytes(self._reader, fieldname)
            lengths = self._fields[fieldname] = None if raw is None else \
                [byte_to_length(b) if b else None for b in raw.tolist()]
        if lengths is None:
            return default
        return lengths[docnum] if docnum < len(lengths) else None

    def __getattr__(self, name):
        return getattr(self._reader, name)


class Index:
    """An open index generation, searched on posting arrays its threads share."""

    def __init__(self, folder):
        self.folder = folder
        self._postings = postings.for_generation(folder)  # read once per process
        self.languages = self._postings.languages

    def close(self):
        """Let go of the generation (its postings go when no Index holds them)."""
        self._postings = None

    def search(self, text, lang, synonyms=None, section=None, locality=None, age=None,
               page=1, per_page=10, texts=None):
        """Find pages for ``text``: the reader's language first, then English.

        ``texts(lang, section, page_id)`` returns the plain text to cut a
        snippet from (kept out of the index to keep it small).
        """
        lang = lang if lang in self.languages else "en"
        sides = [(lang, Term("lang", lang))]
        if lang != "en":
            # English pages not yet translated into the reader's language.
            sides.append(("en", And([Term("lang", "en"), Not(Term("languages", lang))])))
        narrowing = [n for n in (_either("localities", locality), _either("ages", age)) if n]
        start = (max(page, 1) - 1) * per_page
        wanted = start + per_page
        results = Results()
        # Each side's clauses are built once: the OR fallback joins the same ones.
        clauses = {side_lang: self._clauses(text, side_lang, synonyms or {})
                   for side_lang, _ in sides}
        for all_words in (True, False):
            found = []
            for side_lang, scope in sides:
                if not clauses[side_lang]:
                    continue
                query = _joined(clauses[side_lang], all_words)
                docs, scores = self._postings.evaluate(query)
                keep = self._postings.allowed(And([scope, *narrowing]))[docs]
                docs, scores = docs[keep], scores[keep]
                counts = self._postings.counts(docs)
                for name, count in counts.items():
                    results.sections[name] = results.sections.get(name, 0) + count
                if section:
                    keep = self._postings.allowed(Term("section", section))[docs]
                    docs, scores = docs[keep], scores[keep]
                results.total += len(docs)
                found.append((side_lang, query, self._postings.top(docs, scores, wanted)))
            if results.sections or not all_words:
                results.all_words = all_words
                break
        ordered = [(side_lang, query, doc) for side_lang, query, docs in found for doc in docs]
        marked = {}  # language -> the query's words in its body field
        for side_lang, query, doc in ordered[start:wanted]:
            stored = self._postings.stored(doc)
            cut = None
            if texts:
                if side_lang not in marked:
                    marked[side_lang] = self._postings.words(query, f"body_{side_lang}")
                body = texts(stored["lang"], stored["section"], stored["page_id"])
                cut = snippet(body[:SNIPPET_SOURCE], side_lang, marked[side_lang])
            results.hits.append(Hit(stored["lang"], stored["section"], stored["page_id"], cut))
        if not results.total or not results.all_words:
            results.suggestion = self.suggest(text)
        return results

    def _known(self, lang, term):
        return any(self._postings.known(f"{name}_{lang}", term) for name in FIELDS)

    def _term_clause(self, lang, term, last, forgiving=True, forgiven=None):
        """Match one analysed term in every text field.

        Typos are forgiven only for a term the index does not know (a known
        word needs no guessing, and fuzzy matching is the costly part), and
        the last word typed also matches as a prefix while it is unknown;
        ``forgiven`` counts such terms, up to bounds.MAX_FORGIVEN a query.
        """
        unknown = forgiving and len(term) <= bounds.MAX_FORGIVEN_LENGTH and not self._known(lang, term)
        if unknown and forgiven is not None:
            unknown = len(forgiven) < bounds.MAX_FORGIVEN
            forgiven.append(term)
        options = []
        for name in FIELDS:
            fieldname = f"{name}_{lang}"
            options.append(Term(fieldname, term))
            if unknown and len(term) >= 4 and not re.match(f"[{CJK}]", term):
                options.append(FuzzyTerm(fieldname, term, boost=0.5, prefixlength=1,
                                         maxdist=2 if len(term) >= 8 else 1))
            if unknown and last and len(term) >= 2:
                options.append(Prefix(fieldname, term, boost=0.7))
        return Or(options)

    def _phrase_clause(self, phrase, lang, last, forgiving=True, forgiven=None):
        """All the terms of a word or phrase (CJK yields several bigrams)."""
        terms = _terms(phrase, lang)[:bounds.MAX_TERMS]
        if not terms:
            return None
        clauses = [self._term_clause(lang, t, last and i == len(terms) - 1, forgiving, forgiven)
                   for i, t in enumerate(terms)]
        return clauses[0] if len(clauses) == 1 else And(clauses)

    def _query(self, text, lang, synonyms, all_words):
        """Build the query: words ANDed (or ORed), synonym groups as alternatives."""
        clauses = self._clauses(text, lang, synonyms)
        return _joined(clauses, all_words) if clauses else None

    def _clauses(self, text, lang, synonyms):
        """Build the query's clauses, to be ANDed (or ORed): one per word, and
        one per synonym group with its phrases as alternatives."""
        text = " ".join(text.lower().split())
        clauses = []
        for group in _synonym_groups(text, synonyms):
            # The editors' words are spelt right: no typo matching for them.
            options = [c for c in (self._phrase_clause(p, lang, False, False) for p in group)
                       if c is not None]
            # Two phrases of a group can stem to the same terms: search them once.
            options = list({repr(option): option for option in options}.values())
            if options:
                clauses.append(Or(options))
            for phrase in sorted(group, key=len, reverse=True):  # "speech delay" before "speech"
                text = _standing(phrase).sub(" ", text)
        words = RAW_WORD.findall(text)
        typing = words[-1] if words and not text.endswith(" ") else None  # the last, maybe unfinished
        forgiven = []
        for word in self._chosen(words, lang):
            clause = self._phrase_clause(word, lang, word == typing, forgiven=forgiven)
            if clause is not None:
                clauses.append(clause)
        return clauses

    def _chosen(self, words, lang):
        """The words to search, in the order typed: each once, at most
        bounds.MAX_WORDS words and MAX_TERMS terms, words the index knows
        before words it does not (those match only with typos forgiven)."""
        distinct = list(dict.fromkeys(words))
        if len(distinct) <= bounds.MAX_WORDS and \
                sum(len(_terms(word, lang)) for word in distinct) <= bounds.MAX_TERMS:
            return distinct
        known = {word: any(self._known(lang, term) for term in _terms(word, lang))
                 for word in distinct[:bounds.MAX_TERMS * 4]}
        chosen, terms = set(), 0
        for word in sorted(known, key=lambda word: not known[word]):
            size = min(len(_terms(word, lang)), bounds.MAX_TERMS)
            if len(chosen) < bounds.MAX_WORDS and terms + size <= bounds.MAX_TERMS:
                chosen.add(word)
                terms += size
        return [word for word in distinct if word in chosen]

    def suggest(self, text):
        """Return the query with unknown words replaced by close known ones, or None."""
        changed, words, tried = False, [], 0
        for match in RAW_WORD.finditer(text.lower()):
            word = match.group(0)
            if 3 <= len(word) <= bounds.MAX_FORGIVEN_LENGTH and tried < bounds.MAX_FORGIVEN and \
                    not self._postings.known("spelling", word):
                tried += 1
                option = self._postings.correction(word, maxdist=2 if len(word) >= 6 else 1)
                if option:
                    word, changed = option, True
            words.append(word)
        return " ".join(words) if changed else None


def _joined(clauses, all_words):
    return And(clauses) if all_words else Or(clauses)


def _either(fieldname, value):
    """Match pages for ``value`` and pages for everyone."""
    return Or([Term(fieldname, value), Term(fieldname, ALL)]) if value else None


@lru_cache(maxsize=65_536)
def _terms(word, lang):
    """A word's index terms (analysed once per process: words recur)."""
    return tuple(token.text for token in analyzer(lang)(word, mode="query"))


def _synonym_groups(text, synonyms):
    """Return each synonym group (service word + everyday words) the text mentions."""
    groups = []
    for service, everyday in synonyms.items():
        group = (service, *everyday)
        # The substring test (in C) rules out nearly every phrase before a pattern runs.
        if any(phrase in text and _standing(phrase).search(text) for phrase in group):
            groups.append(group)
    return groups


@lru_cache(maxsize=4096)
def _standing(phrase):
    """A pattern for a word or phrase standing whole in a text."""
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
