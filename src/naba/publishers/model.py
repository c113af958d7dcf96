"""The records of the publishers registry: outlets, wire agencies, and their unverifiable hints.

Contract
--------
* Entries are frozen, declarative data; the registry (:mod:`naba.publishers.registry`) builds its indexes
  from the *identity* fields only — ``key``, names, ``abbreviations``, ``sites`` and
  ``saudinewsnet_sources`` — which come from general knowledge or from data in ``../shared`` (SaudiNewsNet
  URLs, the saved eval pages).
* Anything that can only be confirmed by fetching the live site — feed URLs, CSS selectors, site-specific
  boilerplate phrases — is wrapped in :class:`Feed`, :class:`Selector` or :class:`Phrase` with a
  ``verified`` flag, ``False`` until someone checks it against the live site. No lookup reads these
  fields, and callers must filter on ``verified`` (see :func:`verified`) before relying on one.
* A *site* is a host, optionally followed by a path prefix for outlets that live under a path of a larger
  site (``bbc.com/arabic``). Hosts are lower-case, without ``www.``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol, TypeVar


class Region(StrEnum):
    """Where an outlet's home audience is; ``pan-arab`` outlets address the whole Arab world."""

    GULF = "gulf"  # the Arabian Peninsula: GCC states and Yemen
    LEVANT = "levant"  # Jordan, Lebanon, Syria, Palestine
    IRAQ = "iraq"
    EGYPT = "egypt"
    SUDAN = "sudan"
    MAGHREB = "maghreb"  # Morocco, Algeria, Tunisia, Libya, Mauritania
    PAN_ARAB = "pan-arab"
    INTERNATIONAL = "international"  # non-Arab wire agencies and their Arabic services


class _Checkable(Protocol):
    @property
    def verified(self) -> bool: ...


_C = TypeVar("_C", bound=_Checkable)


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed URL believed to exist; ``verified`` only once fetched and parsed from the live site."""

    url: str
    kind: Literal["rss", "atom", "sitemap"] = "rss"
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Selector:
    """A CSS selector for one part of the outlet's article pages; unused by generic extraction."""

    css: str
    purpose: Literal["body", "title", "date", "author", "remove"]
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """A boilerplate phrase the outlet prints inside or around article bodies."""

    text: str
    verified: bool = False


def verified(items: Iterable[_C]) -> tuple[_C, ...]:
    """Only the items checked against the live site: the ones code may rely on."""
    return tuple(item for item in items if item.verified)


@dataclass(frozen=True, slots=True, kw_only=True)
class Publisher:
    """A news outlet.

    ``key`` is a stable ASCII id; ``name_ar``/``name_en`` are display names; ``other_names_*`` hold the
    other spellings readers meet (all are looked up, normalized). ``country`` is ISO 3166-1 alpha-2 for the
    outlet's home (headquarters or ownership when the audience is pan-Arab). ``saudinewsnet_sources`` are
    the outlet's ``source`` keys in the SaudiNewsNet corpus.
    """

    key: str
    name_ar: str
    name_en: str
    sites: tuple[str, ...]
    country: str
    region: Region
    other_names_ar: tuple[str, ...] = ()
    other_names_en: tuple[str, ...] = ()
    saudinewsnet_sources: tuple[str, ...] = ()
    feeds: tuple[Feed, ...] = ()
    selectors: tuple[Selector, ...] = ()
    boilerplate: tuple[Phrase, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the outlet is known by, display names first."""
        return (self.name_ar, self.name_en, *self.other_names_ar, *self.other_names_en)


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency(Publisher):
    """A news agency: a publisher whose name is also a *credit* for a story's original source.

    ``abbreviations`` are the short forms printed in credits ("واس", "أ ف ب", "AFP"); together with the
    names they are the written forms :func:`naba.publishers.registry.agency_in_text` recognises. An agency
    with no ``sites`` (the collective "وكالات") is a credit only.
    """

    abbreviations: tuple[str, ...] = ()

    @property
    def credit_forms(self) -> tuple[str, ...]:
        """Every form that credits this agency: abbreviations and names."""
        return (*self.abbreviations, *self.names)
