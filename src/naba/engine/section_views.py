"""The read model of sections and countries (part of the one read model, :mod:`naba.engine.views`).

:func:`section_view` is what ``naba sections list``, the API's ``/api/v1/sections/…`` and the section feeds
show; :func:`section_facets` counts the sections of a set of articles (the search facet). Section keys and
country codes are checked here, so every edge refuses the same unknown values the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol

from naba.engine.records import SectionCount, SectionedArticle, SectionName, SectionView
from naba.errors import InputError
from naba.sections import section_names
from naba.store.base import ArticleLog, SectionRow, SectionStore
from naba.types import ArticleId

_COUNTRY: Final = re.compile(r"[A-Za-z]{2}")
MAX_LIMIT: Final = 1000


class SectionViewStore(ArticleLog, SectionStore, Protocol):
    """What the section views read."""


def section_name(key: str) -> SectionName:
    """The record of section ``key``; raises :class:`~naba.errors.InputError` naming the known keys."""
    names = section_names()
    found = names.get(key)
    if found is None:
        raise InputError(f"unknown section {key!r}; known: {', '.join(names)}")
    return SectionName(found.key, found.name_ar, found.name_en)


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; raises :class:`~naba.errors.InputError` for anything else."""
    if not _COUNTRY.fullmatch(value):
        raise InputError(f"not an ISO 3166-1 alpha-2 country code: {value[:20]!r}")
    return value.upper()


def _counts(counts: dict[str, int]) -> tuple[SectionCount, ...]:
    return tuple(SectionCount(section_name(k), counts.get(k, 0)) for k in section_names())


def sectioned(
    store: SectionViewStore, ids: Sequence[ArticleId], rows: dict[ArticleId, SectionRow]
) -> tuple[SectionedArticle, ...]:
    """The articles ``ids`` (in order) with their sections; articles not labeled yet are left out."""
    stored = store.get_many(list(ids))
    out = []
    for article_id in ids:
        s, row = stored.get(article_id), rows.get(article_id)
        if s is None or row is None:
            continue
        a = s.article
        out.append(
            SectionedArticle(
                a.id, a.title, a.publisher, a.url, a.published, row.section, row.source, row.countries
            )
        )
    return tuple(out)


def all_sections() -> tuple[SectionName, ...]:
    """Every section, in the reader's tab order."""
    return tuple(section_name(key) for key in section_names())


def section_view(
    store: SectionViewStore,
    *,
    section: str | None = None,
    country: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> SectionView:
    """The newest ``limit`` articles (from ``offset``) of ``section`` about ``country`` (either may be None)
    and every section's count over the whole store."""
    name = section_name(section) if section is not None else None
    code = country_code(country) if country is not None else None
    ids = store.section_articles(
        section=section, country=code, limit=max(1, min(limit, MAX_LIMIT)), offset=max(0, offset)
    )
    return SectionView(
        name, code, sectioned(store, ids, store.sections_of(ids)), _counts(store.section_counts())
    )


def section_facets(store: SectionStore, ids: Sequence[ArticleId]) -> tuple[SectionCount, ...]:
    """Sections of ``ids`` with their counts, most first (sections with none left out)."""
    counts = store.section_counts(ids)
    return tuple(sorted((c for c in _counts(counts) if c.count), key=lambda c: -c.count))
