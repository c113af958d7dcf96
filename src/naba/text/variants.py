"""Spelling-variant table: transliterated names and hamza/ya spellings that denote the same word.

Contract
--------
* :data:`VARIANT_GROUPS` lists groups of real-world spellings, canonical spelling first, as written in
  ``naba/data/spelling-variants.tsv``. They come from general knowledge of Arabic news orthography (Levantine vs
  Gulf/Egyptian transliteration, hamza seat), not from the evaluation sets. The table is part of the
  ``ar-search-v1`` analyzer: changing it changes index terms, so it is a new analyzer version.
* :func:`build_stem_map` turns the table into ``stem -> canonical stem`` (canonical stems included, mapped to
  themselves) using the analyzer's own stemmer, so that every inflected or clitic-bearing form folds too
  (الأميركية, والأمريكيون ...). Folding is applied to stems, after stemming; it never applies to phrase terms.
  The analyzer emits no root for a listed name: the "root" of a transliteration means nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from naba import knowledge
from naba.text.normalize import normalize_for_stemming

VARIANT_GROUPS: Final[tuple[tuple[str, ...], ...]] = knowledge.spelling_variants()


def build_stem_map(stemmer: Callable[[str], str]) -> dict[str, str]:
    """Map the stem of every listed single-word spelling to the stem of its group's first spelling.

    ``stemmer`` takes a word normalized for stemming (``ة`` kept) and returns its stem.
    """
    table: dict[str, str] = {}
    for group in VARIANT_GROUPS:
        words = [normalize_for_stemming(w) for w in group if " " not in w]
        canonical = stemmer(words[0])
        for word in words:
            table[stemmer(word)] = canonical
    return table
