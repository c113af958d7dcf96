"""The SearchIndex protocol: a rebuildable index over the store's articles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from naba.types import AnalyzedArticle, ArticleId, SearchQuery


@dataclass(frozen=True, slots=True)
class QueryWord:
    """One free word of a query: its index terms (stem, root) and its normalized form (for proximity)."""

    terms: tuple[str, ...]
    form: str


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query after analysis: stemmed terms for BM25, and phrases as lists of normalized tokens.

    ``words`` are the free words in order (function words dropped), for coverage and proximity evidence;
    ``terms`` are all their terms, flat (BM25 and highlights).
    """

    terms: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    words: tuple[QueryWord, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexHit:
    article_id: ArticleId
    score: float


@dataclass(frozen=True, slots=True)
class IndexResults:
    hits: tuple[IndexHit, ...]
    total: int
    outlets: Mapping[str, int] = field(default_factory=dict)  # with SearchQuery.facets: matches per publisher
    days: Mapping[str, int] = field(default_factory=dict)  # with SearchQuery.facets: per UTC day, YYYY-MM-DD


class SearchIndex(Protocol):
    analyzer: str

    def add(self, articles: Sequence[AnalyzedArticle]) -> None:
        """Add or replace (by id) articles; visible after :meth:`commit`."""
        ...

    def commit(self) -> None: ...

    def reload(self) -> None:
        """See what was committed since the index was opened, by this process or another."""
        ...

    def clear(self) -> None: ...

    def search(self, parsed: ParsedQuery, query: SearchQuery) -> IndexResults: ...

    def doc_freq(self, field: str, term: str) -> int:
        """Documents whose ``field`` ("body": stems and roots; "body_phrase": normalized words) holds ``term``
        (the spelling choice of query words)."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...
