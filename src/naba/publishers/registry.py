"""Lookups over the publishers registry: by URL, by name, by SaudiNewsNet source key, and credits in text.

Contract
--------
* Indexes are built only from identity fields (key, names, abbreviations, sites, SaudiNewsNet keys);
  ``feeds``, ``selectors`` and ``boilerplate`` — unverified hints — are never read here.
* Building a :class:`PublisherRegistry` fails with ``ValueError`` when two entries claim the same key,
  site, name (after normalization) or SaudiNewsNet key: an ambiguous registry is a data bug, found at
  build time rather than as a wrong credit at run time.
* Names are compared by :func:`name_key`: the folding key :func:`naba.text.normalize.fold_key` (hamza forms,
  ta marbuta/ha, alef maqsura, diacritics, tatweel, case) with hyphens, dots and quotes read as spaces.
* The module-level functions use the shipped registry, built once on first use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

from naba import knowledge
from naba.knowledge import Agency, Publisher
from naba.publishers.credits import CreditMatcher
from naba.text.normalize import fold_key, normalize

_NAME_PUNCT: Final = re.compile(r"[\-‐–—_.'\"«»“”()\[\]|:]+")
_AMP_CACHE_SUFFIX: Final = ".cdn.ampproject.org"


def name_key(name: str) -> str:
    """The form names are compared in: the folding key, with punctuation read as space."""
    return fold_key(_NAME_PUNCT.sub(" ", normalize(name)))


# Generic words that may precede an outlet's name in a credit ("صحيفة عكاظ", "the Okaz newspaper"); tried
# only when the full name is unknown (naba/data/name-heads.tsv, tag outlet-type).
_TYPE_WORDS: Final = tuple(name_key(w) for w in knowledge.tagged("name-heads.tsv", "outlet-type"))


class PublisherRegistry:
    """Immutable indexes over publishers and agencies (agencies are publishers too)."""

    def __init__(self, publishers: Iterable[Publisher]) -> None:
        self._all: tuple[Publisher, ...] = tuple(publishers)
        self._by_key = _unique_index(((p.key, p) for p in self._all), "key")
        self._by_site = _unique_index(((_site_key(s), p) for p in self._all for s in p.sites), "site")
        self._by_name = _unique_index(((k, p) for p in self._all for k in _name_keys(p)), "name")
        self._by_snn = _unique_index(
            ((s.lower(), p) for p in self._all for s in p.saudinewsnet_sources), "SaudiNewsNet source"
        )
        self._agencies = tuple(p for p in self._all if isinstance(p, Agency))
        self._credits = CreditMatcher(self._agencies, self.by_name, name_key)

    @property
    def publishers(self) -> tuple[Publisher, ...]:
        """Every entry, outlets and agencies, in registration order."""
        return self._all

    @property
    def agencies(self) -> tuple[Agency, ...]:
        """The wire agencies (including the collective "وكالات")."""
        return self._agencies

    def by_key(self, key: str) -> Publisher | None:
        """The entry with this stable key."""
        return self._by_key.get(key)

    def for_url(self, url: str) -> Publisher | None:
        """The outlet a URL belongs to: its host, then each parent domain, longest path prefix first.

        ``www.``/``m.``/``amp.`` and other subdomains fall out of the parent-domain walk; a Google AMP
        cache URL is mapped back to the origin host. None for unknown sites and unparsable URLs.
        """
        host, path = _host_and_path(url)
        if not host:
            return None
        for domain in _parent_domains(host):
            for candidate in _path_candidates(domain, path):
                if (found := self._by_site.get(candidate)) is not None:
                    return found
        return None

    def by_name(self, name: str) -> Publisher | None:
        """The entry known by this name (Arabic or English, any listed spelling), or None.

        A leading generic word ("صحيفة", "جريدة", "موقع", "قناة", "the") is dropped when the full name
        is unknown.
        """
        key = name_key(name)
        if (found := self._by_name.get(key)) is not None:
            return found
        head, _, rest = key.partition(" ")
        return self._by_name.get(rest) if head in _TYPE_WORDS and rest else None

    def by_saudinewsnet_source(self, source: str) -> Publisher | None:
        """The outlet behind a SaudiNewsNet ``source`` key ("okaz", "was", "3alyoum", ...)."""
        return self._by_snn.get(source.strip().lower())

    def agency_in_text(self, text: str) -> Agency | None:
        """The wire agency credited in ``text`` (see :mod:`naba.publishers.credits`), or None."""
        return self._credits.agency(text)

    def source_in_text(self, text: str) -> Publisher | None:
        """The credited original source: an agency in any credit form, or an outlet after a source label
        ("المصدر: الجزيرة", "نقلا عن صحيفة عكاظ")."""
        return self._credits.source(text)


def _unique_index(pairs: Iterable[tuple[str, Publisher]], what: str) -> dict[str, Publisher]:
    index: dict[str, Publisher] = {}
    for key, publisher in pairs:
        if not key:
            raise ValueError(f"{publisher.key}: empty {what}")
        other = index.setdefault(key, publisher)
        if other is not publisher:
            raise ValueError(f"{what} {key!r} is claimed by both {other.key!r} and {publisher.key!r}")
    return index


def _name_keys(publisher: Publisher) -> set[str]:
    forms = publisher.credit_forms if isinstance(publisher, Agency) else publisher.names
    return {name_key(form) for form in forms}


def _site_key(site: str) -> str:
    host, _, path = site.lower().partition("/")
    return f"{host.removeprefix('www.')}/{path.strip('/')}" if path.strip("/") else host.removeprefix("www.")


def _host_and_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url.strip() if "//" in url else f"//{url.strip()}")
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return "", ""
    path = parts.path
    if host.endswith(_AMP_CACHE_SUFFIX):
        host, path = _amp_cache_origin(path)
    return host, path.lower()


def _amp_cache_origin(path: str) -> tuple[str, str]:
    """``/c/s/www.example.com/a/b`` (Google AMP cache) -> ("www.example.com", "/a/b")."""
    segments = [s for s in path.split("/") if s]
    while segments and segments[0] in {"c", "v", "i", "s"}:
        segments.pop(0)
    if not segments:
        return "", ""
    return segments[0].lower(), "/" + "/".join(segments[1:])


def _parent_domains(host: str) -> list[str]:
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [host]


def _path_candidates(domain: str, path: str) -> list[str]:
    """``domain/seg1/seg2``, ``domain/seg1``, ``domain``: most specific first (at most two segments)."""
    segments = [s for s in path.split("/") if s][:2]
    return [f"{domain}/{'/'.join(segments[:n])}" for n in range(len(segments), 0, -1)] + [domain]


@functools.cache
def default_registry() -> PublisherRegistry:
    """The shipped registry: the outlets and the agencies of ``naba/data/`` (outlets.toml, agencies.toml)."""
    return PublisherRegistry((*knowledge.outlets(), *knowledge.agencies()))


def publisher_for_url(url: str) -> Publisher | None:
    """See :meth:`PublisherRegistry.for_url`."""
    return default_registry().for_url(url)


def publisher_by_name(name: str) -> Publisher | None:
    """See :meth:`PublisherRegistry.by_name`."""
    return default_registry().by_name(name)


def publisher_for_saudinewsnet(source: str) -> Publisher | None:
    """See :meth:`PublisherRegistry.by_saudinewsnet_source`."""
    return default_registry().by_saudinewsnet_source(source)


def agency_in_text(text: str) -> Agency | None:
    """See :meth:`PublisherRegistry.agency_in_text`."""
    return default_registry().agency_in_text(text)


def source_in_text(text: str) -> Publisher | None:
    """See :meth:`PublisherRegistry.source_in_text`."""
    return default_registry().source_in_text(text)
