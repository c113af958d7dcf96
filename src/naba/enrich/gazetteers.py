"""The entity recognizer's gazetteers: places, organizations, the words that head names, titles, given names.

Contract
--------
* The lists are data in ``naba/data/`` (see each file's header): ``places.tsv`` (the forms in lexicon
  ``entities``), ``organizations.tsv`` and the ``entity_names`` of ``outlets.toml`` and ``agencies.toml``,
  ``name-heads.tsv`` (``org-head``, ``loc-head``), ``person-words.tsv`` (``ner``, ``ner-more``). All are written
  from general knowledge; none is taken from an evaluation set or a test page, or extracted from a corpus.
* They are an input of the shipped NER model (gazetteer features, :mod:`naba.enrich.ner_features`), so they
  change only with a retrained model.
* Every table is keyed by the folding key :func:`naba.text.normalize.fold_key`, so lookups are
  spelling-insensitive (hamza, ة/ه, ى/ي).
* :data:`PHRASES` maps a folded phrase to its kind (``LOC`` or ``ORG``); :data:`COUNTRIES` and
  :data:`ORGANIZATIONS` map a common short name to its long and official forms, which resolve to it in
  :mod:`naba.enrich.aliases`; :data:`LOCATIONS` are the other place names.
"""

from __future__ import annotations

from typing import Final, Literal

from naba import knowledge
from naba.text.normalize import fold_key

Kind = Literal["PER", "LOC", "ORG"]


def _places() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """(country -> its other forms, every other place form) of the lexicon ``entities``."""
    canonical = {p.name: p for p in knowledge.places() if not p.same_as}
    countries: dict[str, tuple[str, ...]] = {}
    locations: list[str] = []
    for place in knowledge.places():
        if "entities" not in place.uses:
            continue
        if canonical[place.same_as or place.name].kind != "country":
            locations.append(place.name)
        elif not place.same_as:
            countries[place.name] = ()
        elif place.same_as in countries:
            countries[place.same_as] += (place.name,)
    return countries, tuple(locations)


_PLACE_TABLES: Final = _places()
# Country short name -> official or common long forms; and the cities, regions and other places.
COUNTRIES: Final[dict[str, tuple[str, ...]]] = _PLACE_TABLES[0]
LOCATIONS: Final[tuple[str, ...]] = _PLACE_TABLES[1]


def _organizations() -> dict[str, tuple[str, ...]]:
    groups = [*knowledge.organizations()]
    groups += [p.entity_names for p in (*knowledge.outlets(), *knowledge.agencies()) if p.entity_names]
    return {group[0]: group[1:] for group in groups}


# Organizations known by name, each with its long forms (short/common name first).
ORGANIZATIONS: Final[dict[str, tuple[str, ...]]] = _organizations()


def _words(name: str, tags: set[str], lexicon: str = "") -> frozenset[str]:
    return frozenset(
        fold_key(t.text)
        for t in knowledge.terms(name)
        if t.tags & tags and (not lexicon or lexicon in t.tags)
    )


# Words that head an organization name ("وزارة الخارجية", "حزب العمال") or a place ("معبر رفح", "قطاع غزة").
ORG_HEADS: Final = _words("name-heads.tsv", {"org-head"})
LOC_HEADS: Final = _words("name-heads.tsv", {"loc-head"})
# Office titles and honorifics that often precede a person's name; words that introduce one ("يدعى فلان").
TITLES: Final = _words("person-words.tsv", {"title", "honorific"}, "ner")
INTRODUCERS: Final = _words("person-words.tsv", {"introducer"}, "ner")
# Common given names and name particles; and more given names, a separate CRF feature (ner_features, group
# "names"), not used by the rules.
FIRST_NAMES: Final = _words("person-words.tsv", {"given", "particle"}, "ner")
MORE_FIRST_NAMES: Final = _words("person-words.tsv", {"given"}, "ner-more") - FIRST_NAMES

PHRASE_KINDS: Final = ("LOC", "ORG")


def _build_phrases() -> dict[str, Kind]:
    phrases: dict[str, Kind] = {}
    for name in LOCATIONS:
        phrases[fold_key(name)] = "LOC"
    for short, longs in COUNTRIES.items():
        for name in (short, *longs):
            phrases[fold_key(name)] = "LOC"
    for short, longs in ORGANIZATIONS.items():
        for name in (short, *longs):
            phrases[fold_key(name)] = "ORG"
    return phrases


PHRASES: Final[dict[str, Kind]] = _build_phrases()
MAX_PHRASE_WORDS: Final = max(len(p.split()) for p in PHRASES)
COUNTRY_KEYS: Final = frozenset(fold_key(n) for s, longs in COUNTRIES.items() for n in (s, *longs))
