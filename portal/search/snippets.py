"""Cut a snippet from a page's text with the query's words marked.

Whoosh's highlighter analyses every word of the text for every hit, in
Python, which cost more than the whole query on posting arrays. Here the
analyser runs once per distinct piece of text between spaces in this
process (a text already seen is not even split again), and each query's
words become one pattern of every piece known to hold them, run over the
text in C. Fragments are chosen the way Whoosh's context fragmenter and fragment
scorer choose them (about 20 characters of context, at most 200
characters, the two that match the most different words, in text order)
and formatted by Whoosh's HtmlFormatter with <mark>. The latest snippets
are kept, by text and words.
"""

import re
import threading

from whoosh.highlight import Fragment, HtmlFormatter

from .analysis import CJK, analyzer

FRAGMENTS = 2
SURROUND = 20  # characters of context before the first and after the last match
MAXCHARS = 200  # characters in a fragment at most
MAX_CACHED_PIECES = 200_000  # per language
# A fragment's edges move to whole words, but never through Chinese, which has
# no spaces: a run of it can be a paragraph.
LETTER = re.compile(f"[^\\W{CJK}]")
WORD_REST = re.compile(f"[^\\W{CJK}]*")
NOT_WORD = re.compile(r"\W*")
MAX_CACHED_SNIPPETS = 8192  # about 4 MB
_vocabularies = {}  # language -> _Vocabulary
_snippets = {}  # (language, words, text's length and hash) -> snippet, oldest first
_UNCUT = object()
_adding = threading.Lock()


def snippet(text, lang, words):
    """Return HTML with the two best fragments of ``text``, ``words`` in <mark>, or None.

    A text found again for the same words gets the snippet cut last time
    (kept per process, the latest MAX_CACHED_SNIPPETS): a snippet depends on
    nothing else. The text is known by its length and 64-bit hash, not kept.
    """
    if not words:
        return None
    words = frozenset(words)
    key = (lang, words, len(text), hash(text))
    found = _snippets.get(key, _UNCUT)
    if found is _UNCUT:
        found = _cut(text, lang, words)
        with _adding:
            if len(_snippets) >= MAX_CACHED_SNIPPETS:
                del _snippets[next(iter(_snippets))]  # the oldest
            _snippets[key] = found
    return found


def forget():
    """Drop every kept snippet, keeping the analysed texts: as for a query
    asked for the first time of a worker that has served others (the search
    benchmark times its repeated queries so)."""
    with _adding:
        _snippets.clear()


def _cut(text, lang, words):
    """Cut a snippet (see snippet())."""
    vocabulary = _vocabulary(lang, text)
    finder = _finder(tuple(vocabulary.written.get(word, _NONE) for word in sorted(words)))
    if finder is None:
        return None
    marks = []
    for found in finder.finditer(text):
        start = found.start()
        if start and not text[start - 1].isspace():
            continue  # the end of a longer piece (the pattern checks the other end)
        for term, begin, finish in vocabulary.terms[found.group()]:
            if term in words:
                _add(marks, _Mark(term, start + begin, start + finish))
    fragments = _fragments(text, marks)
    best = sorted(fragments, key=lambda f: (-_score(f), f.startchar))[:FRAGMENTS]
    best.sort(key=lambda f: f.startchar)
    return HtmlFormatter(tagname="mark", between=" … ").format(best) or None


class _Mark:
    """A matched stretch of text, as Whoosh's formatter reads a token."""

    __slots__ = ("text", "startchar", "endchar", "boost")

    def __init__(self, text, startchar, endchar):
        self.text, self.startchar, self.endchar, self.boost = text, startchar, endchar, 1.0


def _add(marks, mark):
    """Append a mark, merging it with the last one when they overlap (CJK pairs do)."""
    if marks and mark.startchar < marks[-1].endchar:
        marks[-1].endchar = max(marks[-1].endchar, mark.endchar)
    else:
        marks.append(mark)


def _fragments(text, marks):
    """Group marks that lie close together into fragments with some context."""
    fragments, group, start, end = [], [], 0, 0
    for mark in marks:
        # A mark joins the fragment when its context would touch it.
        if group and mark.startchar - SURROUND <= end and mark.endchar - start <= MAXCHARS:
            group.append(mark)
            end = _word_end(text, mark.endchar + SURROUND)
            continue
        if group:
            fragments.append(Fragment(text, group, start, end))
        group = [mark]
        # Context never reaches back into the fragment before.
        start = _word_start(text, max(mark.startchar - SURROUND, end), mark.startchar)
        end = _word_end(text, mark.endchar + SURROUND)
    if group:
        fragments.append(Fragment(text, group, start, end))
    return fragments


def _word_start(text, at, limit):
    """The start of the first whole word at or after ``at`` (not after ``limit``)."""
    at = max(at, 0)
    if at and LETTER.match(text, at - 1):
        at = WORD_REST.match(text, at).end()
    return min(NOT_WORD.match(text, at).end(), limit)


def _word_end(text, at):
    """The end of the word that ``at`` falls in (the text's end at most)."""
    at = min(at, len(text))
    return WORD_REST.match(text, at).end() if at and LETTER.match(text, at - 1) else at


def _score(fragment):
    """Whoosh's BasicFragmentScorer: matches, times 100 per different word matched."""
    return len(fragment.matches) * (len(fragment.matched_terms) * 100 or 1)


class _Vocabulary:
    """Each piece of text -> its index terms, and each term -> the pieces holding it."""

    def __init__(self):
        self.terms = {}  # piece -> ((term, start, end), ...)
        self.written = {}  # term -> {piece, ...}
        self.texts = set()  # (length, hash) of each text whose pieces are all here


def _vocabulary(lang, text):
    """Return the language's vocabulary, with every piece of ``text`` analysed.

    No tokeniser matches across white space, so analysing each piece between
    spaces on its own gives the same tokens as the whole text. A text seen
    before is known by its length and hash, and not split again.

    Threads share it: one adds at a time, and a term's pieces are replaced,
    never changed in place, so a thread reading them never sees them change.
    """
    seen = (len(text), hash(text))
    vocabulary = _vocabularies.get(lang)
    if vocabulary is not None and seen in vocabulary.texts:
        return vocabulary
    pieces = set(text.split())
    with _adding:
        vocabulary = _vocabularies.get(lang)
        if vocabulary is None or len(vocabulary.terms) > MAX_CACHED_PIECES:
            vocabulary = _vocabularies[lang] = _Vocabulary()  # started again when big
        for piece in pieces.difference(vocabulary.terms):
            terms = tuple((token.text, token.startchar, token.endchar)
                          for token in analyzer(lang)(piece, positions=True, chars=True,
                                                      mode="index", removestops=False))
            for term, _, _ in terms:
                vocabulary.written[term] = vocabulary.written.get(term, frozenset()) | {piece}
            vocabulary.terms[piece] = terms
        vocabulary.texts.add(seen)
    return vocabulary


_finders = {}
_NONE = frozenset()


def _finder(forms):
    """A pattern that finds whole pieces written in any of these forms (the
    longest first), or None when there are none; ``forms`` is the words'
    sets of pieces, which are replaced when the vocabulary grows."""
    pattern = _finders.get(forms, _UNCUT)
    if pattern is _UNCUT:
        if len(_finders) > 2048:
            _finders.clear()
        pieces = sorted(set().union(*forms), key=len, reverse=True)
        pattern = _finders[forms] = re.compile(
            "(?:" + "|".join(map(re.escape, pieces)) + r")(?!\S)") if pieces else None
    return pattern
