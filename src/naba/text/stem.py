"""naba's light Arabic stemmer: clitic stripping plus light10-style suffix removal, on normalized words.

Contract
--------
* Input is one word already passed through :func:`naba.text.normalize.normalize` (so ``أ إ آ -> ا``,
  ``ى -> ي``, ``ة -> ه``, no diacritics). Output is a non-empty string; words that are not Arabic letters,
  or too short to stem safely, come back unchanged.
* Pure and deterministic; :class:`LightStemmer` instances are cheap and hold no cache (the analyzer caches
  per surface form).

Why our own stemmer (measured, see the table in :mod:`naba.text.analyzer`)
-------------------------------------------------------------------------
PyStemmer's Snowball Arabic leaves stacked proclitics (``والمساعدات -> والمساعدا``), leaves ``-ات`` half
stripped (``مستشفيات -> مستشفيا``) and must see ``ة`` un-folded. NLTK's Snowball port stems better but runs at
~20k tokens/s. Larkey's light10 (what Lucene's ArabicStemmer implements) strips only one proclitic and one
pass of suffixes. This stemmer keeps light10's suffix rules and length guards and adds the stacked
proclitics (``وبال``, ``فلل`` ...) with the same guards; on the dev retrieval and short-query sets it
measured better than Snowball and light10 (figures in the analyzer docstring).

Guards against stripping real letters: a proclitic is removed only when what remains is long enough
(``MIN_STEM_AFTER_ARTICLE`` for the article forms, ``MIN_STEM_AFTER_CONJUNCTION`` for a bare ``و``), so
``ولد``, ``بلد``, ``كتب`` stay whole; single ``ب ك ل ف`` are never stripped on their own, so ``فلسطين``, ``لبنان``
and ``بلد`` keep their first letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Proclitic chains ending in the article, longest first (normalized spelling: ل + ال is written لل).
ARTICLE_PREFIXES: Final = (
    "وبال",
    "وكال",
    "فبال",
    "فكال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "ال",
)
CONJUNCTION_PREFIXES: Final = ("و",)
# light10 suffixes (Larkey et al. 2007) in their stripping order, written on ة->ه folded text.
SUFFIXES: Final = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# light10's guards, kept after measuring alternatives on stories-dev retrieval + queries-dev search (table in
# naba.text.analyzer): و-min 4 and suffix-min 3 moved the figures by < 0.003 either way.
MIN_STEM_AFTER_ARTICLE: Final = 2  # ال + 2 letters: الحد -> حد, but ال + 1 letter is kept (الي)
MIN_STEM_AFTER_CONJUNCTION: Final = (
    3  # و + 3 letters is stripped (وزير -> زير, a known light10 cost); ولد stays
)
MIN_STEM_AFTER_SUFFIX: Final = 2


def _is_arabic_word(word: str) -> bool:
    return all("\u0621" <= c <= "\u064a" for c in word)


@dataclass(frozen=True, slots=True)
class LightStemmer:
    """A configurable light stemmer; the defaults are the shipped ``ar-search-v1`` rules."""

    article_prefixes: tuple[str, ...] = ARTICLE_PREFIXES
    conjunction_prefixes: tuple[str, ...] = CONJUNCTION_PREFIXES
    suffixes: tuple[str, ...] = SUFFIXES
    min_after_article: int = MIN_STEM_AFTER_ARTICLE
    min_after_conjunction: int = MIN_STEM_AFTER_CONJUNCTION
    min_after_suffix: int = MIN_STEM_AFTER_SUFFIX
    single_prefixes: tuple[str, ...] = ()  # bare prepositions ب ك ل (off in v1, see the analyzer table)
    min_after_single: int = 5  # only used with single_prefixes

    def strip_proclitics(self, word: str) -> str:
        """Remove one proclitic chain (conjunction/preposition + article, or a bare conjunction)."""
        for prefix in self.article_prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= self.min_after_article:
                return word[len(prefix) :]
        for prefix in self.conjunction_prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= self.min_after_conjunction:
                return word[len(prefix) :]
        for prefix in self.single_prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= self.min_after_single:
                return word[len(prefix) :]
        return word

    def strip_suffixes(self, word: str) -> str:
        """light10 suffix pass: each suffix, in order, is removed once if enough letters remain."""
        for suffix in self.suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= self.min_after_suffix:
                word = word[: -len(suffix)]
        return word

    def stem(self, word: str) -> str:
        """Stem one normalized word; non-Arabic words are returned unchanged."""
        if not word or not _is_arabic_word(word):
            return word
        return self.strip_suffixes(self.strip_proclitics(word))


DEFAULT_STEMMER: Final = LightStemmer()


def stem(word: str) -> str:
    """Stem one normalized word with the default rules."""
    return DEFAULT_STEMMER.stem(word)
