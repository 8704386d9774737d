"""Per-language text analysis for the search index.

This module is importable on its own because Whoosh pickles the schema,
analysers included, into the index: renaming these classes breaks old
indexes, so a rebuild follows any change here.
"""

import re
import unicodedata
from functools import cache

import snowballstemmer
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang.stopwords import stoplists

# Arabic-script words carry vowel marks, tatweel and joiners that Whoosh's
# \w would split on: keep them inside the token and strip them after.
ARABIC_WORD = r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]+"
# Bengali vowel signs and the virama are marks, not letters, to Python's \w.
BENGALI_WORD = r"[\w\u0980-\u09ff\u200c\u200d]+"
WORD = r"\w+(?:[.'’]\w+)*"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]")
# Letters written differently in Urdu and Arabic text, or with and without
# hamza, folded to one form so either spelling finds the other.
ARABIC_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ي": "ی", "ى": "ی", "ئ": "ی", "ې": "ی", "ے": "ی",
    "ك": "ک", "ۀ": "ہ", "ة": "ہ", "ه": "ہ", "ھ": "ہ", "ؤ": "و",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
_stemmers = {}
_stems = {}  # (language, word) -> stem: the pure-Python stemmer is the slow part
MAX_CACHED_STEMS = 200_000


class SnowballFilter(Filter):
    """Stem with the Snowball algorithm for a language (pure Python)."""

    def __init__(self, language):
        self.language = language

    def __eq__(self, other):
        return type(self) is type(other) and self.language == other.language

    def __call__(self, tokens):
        stemmer = _stemmers.get(self.language)
        if stemmer is None:
            stemmer = _stemmers[self.language] = snowballstemmer.stemmer(self.language)
        for token in tokens:
            if not token.stopped:
                key = (self.language, token.text)
                stem = _stems.get(key)
                if stem is None:
                    stem = stemmer.stemWord(token.text)
                    if len(_stems) < MAX_CACHED_STEMS:
                        _stems[key] = stem
                token.text = stem
            yield token


class ArabicScriptFilter(Filter):
    """Strip vowel marks and tatweel; fold letter variants (Urdu and Arabic)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = ARABIC_MARKS.sub("", token.text).translate(ARABIC_FOLD)
            if token.text:
                yield token


class NormalizeFilter(Filter):
    """Bring text to one Unicode form (NFKC), so composed and decomposed agree."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = unicodedata.normalize("NFKC", token.text)
            yield token


class BigramTokenizer(Tokenizer):
    """Split Chinese into overlapping two-character chunks; other text into words.

    Chinese has no spaces: a word inside a sentence is found only if the
    index holds its characters in pairs ("母乳喂养" -> 母乳, 乳喂, 喂养).
    """

    expression = re.compile(f"[{CJK}]+|[^\\W{CJK}]+(?:['’][^\\W{CJK}]+)*")
    cjk = re.compile(f"[{CJK}]")

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in self.expression.finditer(value):
            text = match.group(0)
            if self.cjk.match(text):
                pieces = [(i, text[i:i + 2]) for i in range(max(len(text) - 1, 1))]
            else:
                pieces = [(0, text)]
            for offset, piece in pieces:
                token.text = piece
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = piece
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + match.start() + offset
                    token.endchar = token.startchar + len(piece)
                pos += 1
                yield token


# Words that say little about which service is wanted ("my baby won't sleep").
ENGLISH_STOPS = frozenset(stoplists["en"]) | {
    "near", "me", "my", "nearby", "local", "where", "how", "what", "wont", "won't",
    "dont", "don't", "cant", "can't", "isnt", "isn't", "doesnt", "doesn't", "not",
    "help", "get", "find",
}


@cache
def analyzer(lang):
    """Return the analyser for a language's text (shared: analysers keep no state)."""
    if lang == "en":
        return (RegexTokenizer(WORD) | LowercaseFilter()
                | StopFilter(stoplist=ENGLISH_STOPS, minsize=1) | SnowballFilter("english"))
    if lang == "pl":
        return RegexTokenizer(WORD) | LowercaseFilter() | SnowballFilter("polish")
    if lang == "ar":
        return (RegexTokenizer(ARABIC_WORD) | NormalizeFilter() | SnowballFilter("arabic")
                | ArabicScriptFilter())
    if lang == "ur":
        return RegexTokenizer(ARABIC_WORD) | NormalizeFilter() | ArabicScriptFilter()
    if lang == "bn":
        return RegexTokenizer(BENGALI_WORD) | NormalizeFilter() | LowercaseFilter()
    if lang == "zh":
        return BigramTokenizer() | LowercaseFilter()
    return RegexTokenizer(WORD) | NormalizeFilter() | LowercaseFilter()


def spelling_analyzer():
    """Whole lowercase words of any script, unstemmed: the 'did you mean' vocabulary."""
    return RegexTokenizer(f"{ARABIC_WORD}|{BENGALI_WORD}|{WORD}") | LowercaseFilter()
