"""Cut a snippet from a page's text with the query's words marked.

Whoosh's highlighter analyses every word of the text for every hit, in
Python, which cost more than the whole query on posting arrays. Here the
analyser runs once per distinct piece of text between spaces in this
process: the text is split at spaces (in C), the pieces holding a query
word are found with set operations, and only those are looked for.
Fragments are chosen the way Whoosh's context fragmenter and fragment
scorer choose them (about 20 characters of context, at most 200
characters, the two that match the most different words, in text order)
and formatted by Whoosh's HtmlFormatter with <mark>.
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
_vocabularies = {}  # language -> _Vocabulary
_adding = threading.Lock()


def snippet(text, lang, words):
    """Return HTML with the two best fragments of ``text``, ``words`` in <mark>, or None."""
    if not words:
        return None
    # No tokeniser matches across white space, so analysing each piece
    # between spaces on its own gives the same tokens as the whole text.
    pieces = set(text.split())
    vocabulary = _vocabulary(lang, pieces)
    matching = pieces & set().union(*(vocabulary.written.get(word, ()) for word in words))
    if not matching:
        return None
    marks = []
    for found in _finder(tuple(sorted(matching, key=len, reverse=True))).finditer(text):
        start, end = found.span()
        if not (_edge(text, start - 1) and _edge(text, end)):
            continue  # part of a longer piece
        for term, begin, finish in vocabulary.terms[found.group()]:
            if term in words:
                _add(marks, _Mark(term, start + begin, start + finish))
    fragments = _fragments(text, marks)
    best = sorted(fragments, key=lambda f: (-_score(f), f.startchar))[:FRAGMENTS]
    best.sort(key=lambda f: f.startchar)
    return HtmlFormatter(tagname="mark", between=" … ").format(best) or None


def _edge(text, at):
    """Whether the character at ``at`` ends a piece (a space, or outside the text)."""
    return at < 0 or at >= len(text) or text[at].isspace()


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


def _vocabulary(lang, pieces):
    """Return the language's vocabulary, with every one of ``pieces`` analysed.

    Threads share it: one adds at a time, and a term's pieces are replaced,
    never changed in place, so a thread reading them never sees them change.
    """
    vocabulary = _vocabularies.get(lang)
    new = pieces.difference(vocabulary.terms) if vocabulary else pieces
    if not new and vocabulary:
        return vocabulary
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
    return vocabulary


_finders = {}


def _finder(pieces):
    """A pattern that finds these pieces of text (the longest first)."""
    pattern = _finders.get(pieces)
    if pattern is None:
        if len(_finders) > 2048:
            _finders.clear()
        pattern = _finders[pieces] = re.compile("|".join(map(re.escape, pieces)))
    return pattern
