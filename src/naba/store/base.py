"""The Store protocol: what every storage backend (SQLite now, PostgreSQL later) provides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from naba.types import Article, ArticleId, StageFailure, StoreOutcome


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store holds it, with its bookkeeping."""

    article: Article
    analyzer: str
    version: int
    ingested_at: dt.datetime
    change_seq: int


@dataclass(frozen=True, slots=True)
class SourceCount:
    publisher: str
    articles: int
    latest: dt.datetime | None


class Store(Protocol):
    def put_many(self, articles: Sequence[Article], analyzer: str) -> list[StoreOutcome]:
        """Store articles in one transaction; same identity + same content changes nothing."""
        ...

    def get(self, article_id: ArticleId) -> StoredArticle | None: ...

    def get_many(self, ids: Sequence[ArticleId]) -> dict[ArticleId, StoredArticle]: ...

    def versions(self, article_id: ArticleId) -> list[Article]:
        """Previous versions of an article, oldest first (the current one is not included)."""
        ...

    def latest(self, *, limit: int, offset: int = 0, publisher: str | None = None) -> list[StoredArticle]:
        """Newest first by publication time."""
        ...

    def sources(self) -> list[SourceCount]: ...

    def count(self) -> int: ...

    def iter_articles(self, *, since_seq: int = 0) -> Iterator[StoredArticle]:
        """Every article whose change sequence is above ``since_seq``, in change order."""
        ...

    def embedded_articles(self, article_id: ArticleId) -> list[Article]:
        """Articles found embedded ("read also") in the given page."""
        ...

    def record_failures(self, failures: Iterable[StageFailure]) -> None: ...

    def failures(self, *, limit: int = 100) -> list[StageFailure]: ...

    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
