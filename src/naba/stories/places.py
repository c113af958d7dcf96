"""A gazetteer of places for telling look-alike stories apart (the same kind of event in another town).

Contract
--------
* The names are the forms of ``naba/data/places.tsv`` in the lexicons ``story`` and ``story-in`` (see its header),
  written from general knowledge: the world's countries, Arab capitals and major cities, the thirteen Saudi
  regions, their seats and governorates, and a few well-known places of the news. None is taken from an
  evaluation set or extracted from a corpus.
* Names are keyed by the folding key (:func:`naba.text.normalize.fold_key`: hamza, ة/ه, ى/ي folded), as they
  appear in :attr:`~naba.types.AnalyzedArticle.title_phrase_terms`; :data:`PLACES` maps each one- or two-word
  name to a canonical key (a variant spelling or a long form maps to the short name's key; a city outside Saudi
  Arabia, a region's seat or a town of a governorate maps to the key of the place it is in).
* :func:`find_places` reads phrase terms (normalized tokens, clitics attached) and returns the canonical keys
  of the places they name, stripping the proclitics ``و ف ب ل ك`` and reading ``لل`` as ``ال``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from naba import knowledge
from naba.text.normalize import fold_key


def _story_keys() -> tuple[dict[str, str], dict[str, str]]:
    """(folded form -> canonical key, governorate key -> its region's key) of the lexicons story and story-in."""
    rows = knowledge.places()
    canonical = {p.name: p for p in rows if not p.same_as}

    def key_of(place: knowledge.Place) -> str:
        """The key a form counts as: its own place's, or (story-in) the key of the place it is in."""
        own = canonical[place.same_as] if place.same_as else place
        if "story-in" in place.uses:
            return key_of(canonical[own.within])
        if place.same_as and "story" not in own.uses:
            return key_of(own)
        return fold_key(own.name)

    places: dict[str, str] = {}
    parent: dict[str, str] = {}
    for place in rows:
        if place.uses & {"story", "story-in"}:
            places.setdefault(fold_key(place.name), key_of(place))
        if "story" in place.uses and place.kind == "governorate" and place.within:
            parent[fold_key(place.name)] = fold_key(place.within)
    return places, parent


_TABLES: Final = _story_keys()
# Each one- or two-word name of the story gazetteer -> its canonical key; a Saudi governorate that is a place of
# its own -> the region that contains it (a report naming only the region agrees with one naming a governorate
# in it; two governorates of one region disagree).
PLACES: Final[dict[str, str]] = _TABLES[0]
PARENT: Final[dict[str, str]] = _TABLES[1]
# Canonical key -> kind (country, city, region, governorate) of every canonical place.
KINDS: Final[dict[str, str]] = {fold_key(p.name): p.kind for p in knowledge.places() if not p.same_as}


def specific(places: Iterable[str]) -> frozenset[str]:
    """``places`` without the regions of the governorates also named (المدينة + خيبر -> خيبر)."""
    named = set(places)
    return frozenset(p for p in named if not any(PARENT.get(q) == p for q in named))


def agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when the two sets share a place, or one names a governorate of a region the other names."""
    if a & b:
        return True
    return any(PARENT.get(p) in b for p in a) or any(PARENT.get(q) in a for q in b)


_PROCLITICS: Final = ("و", "ف", "ب", "ل", "ك")


def _forms(token: str) -> list[str]:
    """The token and its readings with one or two proclitics removed (بالرياض -> الرياض, للباحه -> الباحه)."""
    forms = [token]
    rest = token
    for _ in range(2):
        if len(rest) > 3 and rest[0] in _PROCLITICS:
            rest = rest[1:]
            forms.append("ا" + rest if rest.startswith("ل") and forms[-1].startswith("لل") else rest)
            forms.append(rest)
    return forms


def _lookup(names: Iterable[str]) -> str | None:
    return next((PLACES[n] for n in names if n in PLACES), None)


def find_places(terms: Sequence[str]) -> set[str]:
    """Canonical keys of the places named in ``terms`` (normalized phrase tokens), two-word names first."""
    found: set[str] = set()
    i = 0
    while i < len(terms):
        if i + 1 < len(terms):
            hit = _lookup(f"{f} {terms[i + 1]}" for f in _forms(terms[i]))
            if hit is not None:
                found.add(hit)
                i += 2
                continue
        hit = _lookup(_forms(terms[i]))
        if hit is not None:
            found.add(hit)
        i += 1
    return found
