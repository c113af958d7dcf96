"""Alias resolution: every way of writing one entity maps to one canonical name.

Contract
--------
* :meth:`AliasResolver.canonical` maps a mention (any spelling, with or without proclitics) to the entity's
  canonical name. Equal canonical names (with equal kinds) denote one entity.
* Resolution, in order:
  1. spelling is folded: naba's normalization (hamza seats, ى/ي, diacritics) and the transliteration variant
     table of :mod:`naba.text.variants` applied word by word (الأميركية = الأمريكية, ترمب = ترامب);
  2. the alias table built from :mod:`naba.enrich.gazetteers` maps long and official forms to the common
     short name (جمهورية مصر العربية -> مصر, حركة المقاومة الإسلامية -> حماس);
  3. a generic designator (دولة، جمهورية، قطاع، مدينة، حركة ...) is dropped when what follows is itself a
     known name (دولة قطر -> قطر, قطاع غزة -> غزة, حركة حماس -> حماس); place designators that never belong
     to the name (مدينة، بلدة، قرية) are always dropped.
* A capital is never its country (واشنطن stays واشنطن): aliases are only forms of the same name.
* Unknown names come back spelling-folded (hamza-free, ة kept), so transliteration variants of one person
  (ألكساندر / الكسندر) get one canonical name.
"""

from __future__ import annotations

from typing import Final

from naba import knowledge
from naba.enrich import gazetteers as gz
from naba.text.normalize import fold_key, normalize, normalize_for_stemming
from naba.text.stem import ArabicStemmer
from naba.text.variants import build_stem_map

# Designators dropped when the rest is a known name of the same entity, and place designators that are never
# part of a name: dropped even when the rest is unknown (naba/data/name-heads.tsv).
DESIGNATORS: Final = frozenset(fold_key(w) for w in knowledge.tagged("name-heads.tsv", "designator"))
ALWAYS_DROPPED: Final = frozenset(fold_key(w) for w in knowledge.tagged("name-heads.tsv", "always-dropped"))
_PROCLITICS: Final = "وفبلك"


class AliasResolver:
    """Maps mentions to canonical names (see the module contract)."""

    def __init__(self) -> None:
        self._stemmer = ArabicStemmer()
        self._variants = build_stem_map(self._stemmer.stem)
        self._table: dict[str, str] = {}
        for table in (gz.COUNTRIES, gz.ORGANIZATIONS):
            for short, longs in table.items():
                for form in (short, *longs):
                    self._table[self._fold(form)] = short
        self._known = frozenset(self._table) | frozenset(self._fold(n) for n in gz.LOCATIONS)

    def _fold_word(self, word: str) -> str:
        """One word normalized for stemming, its stem replaced by the variant table's canonical stem."""
        stem = self._stemmer.stem(word)
        target = self._variants.get(stem)
        if target is None or target == stem:
            return word
        folded = word.replace(stem, target, 1) if stem in word else word
        return folded if folded != word else target

    def _fold(self, name: str) -> str:
        words = normalize_for_stemming(name).split()
        return " ".join(self._fold_word(w) for w in words)

    def _lookup(self, folded: str) -> str | None:
        hit = self._table.get(folded)
        if hit is not None:
            return hit
        return folded if folded in self._known else None

    def canonical(self, mention: str) -> str:
        """The canonical name of ``mention`` (see the module contract)."""
        folded = self._fold(mention)
        for candidate in _without_proclitic(folded):
            hit = self._table.get(candidate)
            if hit is not None:
                return hit
            words = candidate.split()
            if len(words) > 1 and normalize(words[0]) in DESIGNATORS:
                rest = " ".join(words[1:])
                hit = self._lookup(rest)
                if hit is not None:
                    return hit
                if normalize(words[0]) in ALWAYS_DROPPED:
                    return rest
            if candidate in self._known:
                return candidate
        return folded

    def same_entity(self, a: str, b: str) -> bool:
        """Whether two mentions resolve to the same canonical name."""
        return self.canonical(a) == self.canonical(b)


def _without_proclitic(folded: str) -> list[str]:
    """The folded mention, then (if it starts with one) without a one-letter proclitic (لحماس -> حماس)."""
    out = [folded]
    if len(folded) > 3 and folded[0] in _PROCLITICS and " " not in folded[:3]:
        rest = folded[1:]
        if folded[0] == "ل" and rest.startswith("ل"):
            rest = "ا" + rest  # للصليب -> الصليب
        out.append(rest)
    return out
