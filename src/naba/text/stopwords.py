"""Arabic stopwords for search terms: the function words of ``naba/data/stopwords.txt``, normalized.

Contract: :data:`STOPWORDS` is a frozenset of words in naba's search normalization (see
:mod:`naba.text.normalize`); :func:`is_stopword` tests a normalized token. Only function words (prepositions,
conjunctions, pronouns, demonstratives, relatives, particles, auxiliaries) are listed — no content words, so
dropping them never removes what a reader searches for. They are dropped from index/query terms but kept in
phrase terms so that phrase positions stay consecutive.
"""

from __future__ import annotations

from typing import Final

from naba import knowledge
from naba.text.normalize import normalize

STOPWORDS: Final[frozenset[str]] = frozenset(normalize(w) for w in knowledge.word_list("stopwords.txt"))


def is_stopword(normalized_word: str) -> bool:
    """True when the (already normalized) word is a function word."""
    return normalized_word in STOPWORDS
