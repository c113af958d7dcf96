"""naba's Arabic stemming: Snowball with its known gaps fixed, plus an ISRI root as a second, coarser term.

Contract
--------
* :class:`ArabicStemmer.stem` takes one word normalized by :func:`naba.text.normalize.normalize_for_stemming`
  (hamza/alef, ى, diacritics, digits folded; ``ة`` kept, because Snowball's suffix rules need it) and returns
  a non-empty stem with ``ة`` folded to ``ه``. Non-Arabic words come back unchanged.
* :meth:`ArabicStemmer.root` gives the ISRI root of a long Arabic word, or ``None``.
* Pure and deterministic; the analyzer caches results per surface form.

Why this design (measured with ``eval/retrieval.py`` and ``eval/search.py``; table in :mod:`naba.text.analyzer`)
------------------------------------------------------------------------------------------------------------
PyStemmer's Snowball Arabic (C, ~900k words/s) measured better than Larkey's light10 (what Lucene's
ArabicStemmer implements) and than a light10-style stemmer of our own, but it has two gaps that this module
fixes: it does not strip stacked proclitics before the article (``والمساعدات -> والمساعدا``), so chains such
as وال، بال، فال، كال، وبال، لل are reduced to ``ال`` first and Snowball strips that; and it stops half-way on a
bare ``-ات`` plural (``مساعدات -> مساعدا`` while ``المساعدات -> مساعد``), so a trailing ``ا`` left by ``-ات`` is
removed. Its third gap, spelling variants (``الأمريكية -> امريك`` vs ``الأميركية -> اميرك``), is closed by
:mod:`naba.text.variants` in the analyzer.

Roots: a light stem keeps ``إحالة`` and ``تحيل`` apart, and rewritten coverage of one event (a different
outlet's headline) often uses another derivation of the same root. Adding the ISRI root (Taghva et al. 2005,
NLTK's implementation ported in :mod:`naba.text.isri`) as a second term per long word raised same-story retrieval and
short-query nDCG on the dev sets; roots of words of four letters or fewer are too often wrong to help
(``وزير -> وزر``), so they are not emitted.
"""

from __future__ import annotations

from typing import Final

import Stemmer

from naba.text import chars
from naba.text.isri import isri_root

# Proclitic chains that end in the article, longest first (ل + ال is written لل). Each is reduced to ال.
ARTICLE_CHAINS: Final = ("وبال", "وكال", "فبال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل")
# A chain is only reduced when at least this many letters follow it (ولد، بلد are words, not clitics).
MIN_LETTERS_AFTER_CHAIN: Final = 2
# Roots are emitted for words longer than this (calibrated on the dev sets: 3 and 4 measured worse, see the
# analyzer's table).
MAX_WORD_LEN_WITHOUT_ROOT: Final = 4
_PLURAL_SUFFIX: Final = "ات"


def is_arabic_word(word: str) -> bool:
    return bool(word) and all("\u0621" <= c <= "\u064a" for c in word)


class ArabicStemmer:
    """Snowball Arabic with naba's fixes, and ISRI roots."""

    def __init__(self) -> None:
        self._snowball = Stemmer.Stemmer("arabic")

    @staticmethod
    def reduce_article_chain(word: str) -> str:
        """``والمساعدات -> المساعدات``: one proclitic chain ending in the article becomes the bare article."""
        for chain in ARTICLE_CHAINS:
            if word.startswith(chain) and len(word) - len(chain) >= MIN_LETTERS_AFTER_CHAIN:
                return "ال" + word[len(chain) :]
        return word

    def stem(self, word: str) -> str:
        if not is_arabic_word(word):
            return word
        reduced = self.reduce_article_chain(word)
        stem = self._snowball.stemWord(reduced)
        if reduced.endswith(_PLURAL_SUFFIX) and stem.endswith(chars.ALEF) and len(stem) > 3:
            stem = stem[:-1]
        return stem.replace(chars.TEH_MARBUTA, chars.HEH) or word

    def root(self, word: str) -> str | None:
        if len(word) <= MAX_WORD_LEN_WITHOUT_ROOT or not is_arabic_word(word):
            return None
        root = isri_root(self.reduce_article_chain(word))
        return root.replace(chars.TEH_MARBUTA, chars.HEH) if root else None
