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


@dataclass(frozen=True, slots=True)
class CopyRow:
    """One member of a duplicate group: the article and where it was published."""

    article: ArticleId
    outlet: str | None
    url: str | None
    original: bool = False


@dataclass(frozen=True, slots=True)
class ArticleUnderstanding:
    """What the understand stage decided for one article (its duplicate verdict and story assignment)."""

    article: ArticleId
    dup_group: str
    duplicate_of: ArticleId | None
    similarity: float
    method: str
    story: str
    story_similarity: float
    story_method: str
    published_ts: float | None = None


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as the store holds it. Times are UTC; ``outlets`` most articles first."""

    id: str
    headline: str
    lead: ArticleId
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    outlets: tuple[str, ...]
    top_terms: tuple[str, ...]
    size: int


@dataclass(frozen=True, slots=True)
class StoryHead:
    """The engine's view of a story to persist: the store adds size, outlets and span from the articles."""

    id: str
    headline: str
    lead: ArticleId
    top_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnderstandBatch:
    """Every record of one batch of the understand stage, written in one transaction.

    Applied in this order: article rows, group merges, story merges, group states, story heads, thread links,
    then ``state`` (the watermark), so a killed process leaves either the whole batch or none of it.
    """

    articles: tuple[ArticleUnderstanding, ...] = ()
    group_merges: tuple[tuple[str, str], ...] = ()  # (absorbed, into)
    story_merges: tuple[tuple[str, str, float, dt.datetime], ...] = ()  # (absorbed, into, similarity, at)
    groups: tuple[tuple[str, ArticleId, tuple[CopyRow, ...]], ...] = ()  # (id, original, members)
    stories: tuple[StoryHead, ...] = ()
    thread_links: tuple[tuple[str, str, float], ...] = ()  # (story, to, similarity)
    state: tuple[tuple[str, str], ...] = ()


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

    # -- understanding (duplicates, stories, threads) ---------------------------------------------------
    def put_understanding(self, batch: UnderstandBatch) -> None:
        """Write one batch of understand records (and its watermark) in one transaction."""
        ...

    def understanding(self, article_id: ArticleId) -> ArticleUnderstanding | None: ...

    def stories(self, limit: int, since: dt.datetime | None = None) -> list[StoryRow]:
        """Stories last seen at or after ``since``, ranked for a home page (outlets, size, recency)."""
        ...

    def story(self, story_id: str) -> StoryRow | None:
        """A story by id, following merge redirects."""
        ...

    def story_articles(self, story_id: str) -> list[ArticleUnderstanding]:
        """The articles of a story (following redirects), oldest first."""
        ...

    def story_of(self, article_id: ArticleId) -> StoryRow | None: ...

    def also_published_by(self, article_id: ArticleId) -> list[CopyRow]:
        """The other copies of the article's duplicate group, the group's original first."""
        ...

    def thread_of(self, story_id: str) -> list[StoryRow]:
        """The stories linked into one thread with the story (itself included), oldest first."""
        ...

    def close(self) -> None: ...
