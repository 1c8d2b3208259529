"""Text analysis: typography, case and accent folding, word tokens, Snowball stems.

All analysis happens here, in plain Python, before Whoosh sees the text: ``to_document``
hands Whoosh ready token streams (space-joined; for the segment builder the body's raw
words, :class:`WordForms`, of which it asks each distinct word's forms once) and the query
side builds terms with the same functions, so index and query can never disagree. The
Whoosh fields themselves use a stock ``RegexTokenizer``, which keeps the pickled schema
free of custom classes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from searchfic.textfold import strip_marks

# The word definition lives beside ingest, which shares it; re-exported for the engine.
from searchfic.words import WORD_RE as WORD_RE
from searchfic.words import body_words as body_words

#: Typography that must not matter: curly quotes, primes, dashes, ellipses, odd spaces.
_TYPO = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200b": "",
    "\u00ad": "",
}
_TYPO_TABLE = str.maketrans(_TYPO)

# Letters NFKD does not decompose but a reader treats as accented forms of plain ones.
_EXTRA_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae", "œ": "oe"}
)

#: The index's field separator for multi-valued keyword fields; no value contains it.
VALUE_SEP = "\x1f"

#: ISO 639-1 code -> Snowball language. Anything else is stemmed as English (which leaves
#: non-Latin scripts untouched).
SNOWBALL_LANGUAGES: dict[str, str] = {
    "ar": "arabic",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "hu": "hungarian",
    "it": "italian",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "es": "spanish",
    "sv": "swedish",
}
DEFAULT_STEM_LANGUAGE = "english"


def fold_typography(text: str) -> str:
    """Replace curly quotes, dashes, ellipses and odd spaces by their ASCII forms."""
    return text.translate(_TYPO_TABLE)


def fold_accents(text: str) -> str:
    """Strip diacritics (``é`` -> ``e``, ``ø`` -> ``o``)."""
    if text.isascii():
        return text
    return strip_marks(unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD)))


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Fold one word token for matching: case and accents."""
    return fold_accents(word.casefold())


def fold_value(text: str) -> str:
    """Fold a whole metadata value (a fandom, a tag) for whole-value matching."""
    t = fold_accents(fold_typography(text).casefold())
    return " ".join(t.split())


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """Yield a match per word of ``text`` (spans refer to ``text`` itself)."""
    return WORD_RE.finditer(text)


def words(text: str) -> list[str]:
    """Return the raw word tokens of ``text``."""
    return WORD_RE.findall(text)


def exact_tokens(text: str) -> list[str]:
    """Return the folded, unstemmed tokens of ``text`` (the exact-phrase stream)."""
    return [fold_word(w) for w in WORD_RE.findall(text)]


def snowball_language(code: str | None) -> str:
    """Return the Snowball stemmer language for an ISO 639-1 code."""
    if not code:
        return DEFAULT_STEM_LANGUAGE
    return SNOWBALL_LANGUAGES.get(code.split("-")[0].lower(), DEFAULT_STEM_LANGUAGE)


@lru_cache(maxsize=32)
def _stemmer(language: str) -> Any:
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer(language)


@lru_cache(maxsize=50_000)
def stem_word(word: str, language: str = DEFAULT_STEM_LANGUAGE) -> str:
    """Return the folded Snowball stem of one raw word (stemmed before accents are dropped)."""
    return _stem_lower(word.casefold(), language)


def _stem_lower(lower: str, language: str) -> str:
    try:
        stem = _stemmer(language).stem(lower)
    except Exception:  # a stemmer bug on one odd token must never stop indexing
        stem = lower
    return fold_accents(stem) or fold_accents(lower)


#: Distinct raw words :func:`fold_and_stem` remembers (all languages, both generations).
FOLD_STEM_CACHE = 300_000
#: language -> (raw word -> fold, raw word -> stem, raw word -> stem if not the fold else "")
_FOLD_STEM: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}
#: The generation before: words met again are carried over, the rest dropped at the next turn.
_FOLD_STEM_OLD: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}


def _fold_stem_caches(
    raw_words: list[str], language: str
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Return the caches of ``language`` holding every word of ``raw_words``.

    A word's fold and stem are computed once, so the lists are built by dictionary
    lookups in C. The cache is bounded in two generations: when the current one holds
    half of :data:`FOLD_STEM_CACHE` words it becomes the old one, and a word of the old
    one met again is carried over, not stemmed again (clearing everything at the bound
    stemmed a third of a 5,000-story run's words twice).
    """
    global _FOLD_STEM, _FOLD_STEM_OLD
    caches = _FOLD_STEM.get(language)
    if caches is None:
        caches = _FOLD_STEM[language] = ({}, {}, {})
    folds, stems, changed = caches
    new = set(raw_words).difference(folds)  # in C: most words are known
    if not new:
        return caches
    if sum(len(c[0]) for c in _FOLD_STEM.values()) + len(new) > FOLD_STEM_CACHE // 2:
        _FOLD_STEM_OLD, _FOLD_STEM = _FOLD_STEM, {}
        caches = _FOLD_STEM[language] = ({}, {}, {})
        folds, stems, changed = caches
        new = set(raw_words)
    old = _FOLD_STEM_OLD.get(language)
    if old is not None:
        old_folds, old_stems, old_changed = old
        # not new.intersection(old_folds): with a dict argument that walks the whole dict
        carried = set(filter(old_folds.__contains__, new))
        if carried:
            for w in carried:
                folds[w] = old_folds[w]
                stems[w] = old_stems[w]
                changed[w] = old_changed[w]
            new -= carried
    for w in new:
        lower = w.casefold()
        fold = fold_accents(lower)
        stem = _stem_lower(lower, language)
        # share equal strings: most words are their own fold, many their own stem
        fold = w if fold == w else fold
        folds[w] = fold
        if stem == fold:
            stems[w] = fold
            changed[w] = ""
        else:
            stems[w] = changed[w] = stem
    return caches


def fold_and_stem(raw_words: list[str], language: str) -> tuple[list[str], list[str]]:
    """Return ``[fold_word(w) ...]`` and ``[stem_word(w, language) ...]`` for ``raw_words``."""
    folds, stems, _ = _fold_stem_caches(raw_words, language)
    return list(map(folds.__getitem__, raw_words)), list(map(stems.__getitem__, raw_words))


def fold_and_changed_stems(raw_words: list[str], language: str) -> tuple[list[str], list[str]]:
    """Return ``[fold_word(w) ...]`` and, in word order, the stems that differ from the fold.

    For indexing: the second list is ``[st for ex, st in zip(*fold_and_stem(...)) if st !=
    ex]``, built without a step of Python per word (an empty stem is its word's fold too).
    """
    folds, _, changed = _fold_stem_caches(raw_words, language)
    return (
        list(map(folds.__getitem__, raw_words)),
        list(filter(None, map(changed.__getitem__, raw_words))),
    )


class WordForms:
    """A text's raw words, to be indexed as their folds or as the stems that differ from them.

    What :func:`searchfic.engine.schema.to_document` gives the segment builder for the body
    fields (``for_builder``): the builder numbers the raw words itself, once per segment,
    and asks :meth:`forms` only for words new to it, so a document's words cost no list of
    folds or stems, nor a lookup of each fold in the field's vocabulary. :meth:`tokens` is
    the token stream it stands for (a form ``""`` is no token).
    """

    __slots__ = ("words", "language", "stems")

    def __init__(self, words: list[str], language: str, stems: bool) -> None:
        self.words = words
        self.language = language
        self.stems = stems

    def forms(self, words: list[str]) -> list[str]:
        """Return each word's token: its fold, or its stem (``""`` when that is its fold)."""
        folds, _, changed = _fold_stem_caches(words, self.language)
        return list(map((changed if self.stems else folds).__getitem__, words))

    def tokens(self) -> list[str]:
        """Return the token stream (``fold_and_changed_stems``' first or second list)."""
        return list(filter(None, self.forms(self.words)))


def stem_tokens(text: str, language: str = DEFAULT_STEM_LANGUAGE) -> list[str]:
    """Return the stemmed, folded tokens of ``text`` in a Snowball ``language``."""
    return [stem_word(w, language) for w in WORD_RE.findall(text)]


def join_tokens(tokens: list[str]) -> str:
    """Join a token stream for a space-tokenized Whoosh field."""
    return " ".join(tokens)
