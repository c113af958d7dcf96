"""The Store protocol: what every storage backend (SQLite now, PostgreSQL later) provides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from naba.store.sources import PollRecord, SourceItem, SourceRow
from naba.types import Article, ArticleId, CopyRow, SourceSpec, StageFailure, StoreOutcome

EntityKindName = Literal["PER", "LOC", "ORG"]  # the kinds of naba.enrich.entities (kept import-free here)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store holds it, with its bookkeeping."""

    article: Article
    analyzer: str
    version: int
    ingested_at: dt.datetime
    change_seq: int


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page of :meth:`ArticleLog.latest_page` ended: its last article's sort key."""

    published_ts: float | None
    change_seq: int

    @classmethod
    def of(cls, stored: StoredArticle) -> PageKey:
        published = stored.article.published
        if published is None:
            return cls(None, stored.change_seq)
        if isinstance(published, dt.datetime):
            return cls(published.timestamp(), stored.change_seq)
        midnight = dt.datetime(published.year, published.month, published.day, tzinfo=dt.UTC)
        return cls(midnight.timestamp(), stored.change_seq)


@dataclass(frozen=True, slots=True)
class SourceCount:
    publisher: str
    articles: int
    latest: dt.datetime | None


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
class DayArticle:
    """An understood article as a day's front page ranks it: its story, duplicate group, outlet and time."""

    article: ArticleId
    story: str
    dup_group: str
    publisher: str | None
    published_ts: float


@dataclass(frozen=True, slots=True)
class EntityMention:
    """An entity of one article: canonical name, kind, the first surface ``name`` as written (proclitic
    removed), the distinct surface forms, the offset of the first mention in ``title + "\n" + body`` and
    the number of mentions."""

    article: ArticleId
    canonical: str
    kind: EntityKindName
    name: str
    names: tuple[str, ...]
    first_offset: int
    count: int


@dataclass(frozen=True, slots=True)
class KeywordRow:
    """A keyword of one article (``naba.enrich.keywords``): display text, analyzer key, score, count."""

    article: ArticleId
    key: str
    text: str
    score: float
    count: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity with the coverage that mentions it (of a story, or of a time window)."""

    canonical: str
    kind: EntityKindName
    articles: int
    outlets: int
    stories: int = 1
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class StoryKeyword:
    """A keyword of a story, aggregated from its articles' keywords: ``articles`` carrying it, summed score."""

    text: str
    key: str
    articles: int
    score: float


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """One entity as the store knows it: majority kind and the surface forms seen (most frequent first)."""

    canonical: str
    kind: EntityKindName
    aliases: tuple[tuple[str, int], ...]  # (surface name, mentions)
    articles: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as the store holds it. Times are UTC; ``outlets`` most articles first; ``entities`` and
    ``keywords`` are its top ones, aggregated from its articles when the story was last written."""

    id: str
    headline: str
    lead: ArticleId
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    outlets: tuple[str, ...]
    top_terms: tuple[str, ...]
    size: int
    entities: tuple[EntityCount, ...] = ()
    keywords: tuple[StoryKeyword, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryHead:
    """The engine's view of a story to persist: the store adds size, outlets and span from the articles."""

    id: str
    headline: str
    lead: ArticleId
    top_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupMergeRow:
    """Duplicate group ``absorbed`` was merged into group ``into``."""

    absorbed: str
    into: str


@dataclass(frozen=True, slots=True)
class StoryMergeRow:
    """Story ``absorbed`` was merged into story ``into`` at ``at`` (UTC), with the similarity that joined them."""

    absorbed: str
    into: str
    similarity: float
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoryMoveRow:
    """Article ``article`` moved from story ``from_story`` to ``to_story`` at ``at`` (a repair split)."""

    article: ArticleId
    from_story: str
    to_story: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class GroupRow:
    """The current state of one duplicate group: its original and every member with where it was published."""

    id: str
    original: ArticleId
    members: tuple[CopyRow, ...]


@dataclass(frozen=True, slots=True)
class ThreadLinkRow:
    """Story ``story`` continues in (is threaded to) story ``to``, with the similarity that linked them."""

    story: str
    to: str
    similarity: float


@dataclass(frozen=True, slots=True)
class StateRow:
    """One entry of the store's ``state`` table (a projection's watermark)."""

    key: str
    value: str


@dataclass(frozen=True, slots=True)
class UnderstandBatch:
    """Every record of one batch of the understand stage, written in one transaction.

    Applied in this order: article rows (with their entities and keywords), group merges, story moves, story
    merges, group states, story heads, thread links, then ``state`` (the watermark), so a killed process leaves
    either the whole batch or none of it. Moves go before merges: a move names an article and a fresh story,
    a merge rewrites every row of a story, so a moved article follows a later merge of its new story and an
    article moved after its story was merged is not pulled back.
    """

    articles: tuple[ArticleUnderstanding, ...] = ()
    group_merges: tuple[GroupMergeRow, ...] = ()
    story_merges: tuple[StoryMergeRow, ...] = ()
    story_moves: tuple[StoryMoveRow, ...] = ()
    groups: tuple[GroupRow, ...] = ()
    stories: tuple[StoryHead, ...] = ()
    thread_links: tuple[ThreadLinkRow, ...] = ()
    state: tuple[StateRow, ...] = ()
    entities: tuple[EntityMention, ...] = ()  # of the batch's articles, written before the story heads
    keywords: tuple[KeywordRow, ...] = ()


# -- the store's roles ------------------------------------------------------------------------------------
# Each consumer is typed against the roles it calls (see docs/ARCHITECTURE.md, "The store's roles"); a backend
# implements all of them (:class:`Store`) and passes tests/unit/store/test_conformance.py.


class ArticleLog(Protocol):
    """The log of articles: upsert by id, each store or change gets the next ``change_seq`` in commit order."""

    def put_many(self, articles: Sequence[Article], analyzer: str) -> list[StoreOutcome]:
        """Store articles in one transaction; same identity + same content changes nothing."""
        ...

    def get(self, article_id: ArticleId) -> StoredArticle | None: ...

    def get_many(self, ids: Sequence[ArticleId]) -> dict[ArticleId, StoredArticle]:
        """The stored articles among ``ids`` (any number of them; missing ids are left out)."""
        ...

    def versions(self, article_id: ArticleId) -> list[Article]:
        """Previous versions of an article, oldest first (the current one is not included)."""
        ...

    def latest(self, *, limit: int, offset: int = 0, publisher: str | None = None) -> list[StoredArticle]:
        """Newest first by publication time."""
        ...

    def latest_page(
        self,
        *,
        limit: int,
        after: PageKey | None = None,
        publisher: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> list[StoredArticle]:
        """Newest first by (publication time, change_seq), undated last, published within [since, until]
        when given; ``after`` is the :class:`PageKey` of the previous page's last article."""
        ...

    def sources(self) -> list[SourceCount]:
        """Articles per publisher."""
        ...

    def count(self) -> int: ...

    def published_span(self) -> tuple[float, float] | None:
        """The first and last publication times stored (UTC seconds), or None when no article has one."""
        ...

    def max_change_seq(self) -> int:
        """The highest ``change_seq`` committed (0 for an empty log)."""
        ...

    def changed_count(self, since_seq: int) -> int:
        """Articles whose ``change_seq`` is above ``since_seq``."""
        ...

    def iter_articles(self, *, since_seq: int = 0) -> Iterator[StoredArticle]:
        """Every article whose change sequence is above ``since_seq``, in change order."""
        ...

    def embedded_articles(self, article_id: ArticleId) -> list[Article]:
        """Articles found embedded ("read also") in the given page."""
        ...


class FailureLog(Protocol):
    def record_failures(self, failures: Iterable[StageFailure]) -> None:
        """Record failures; one row per (stage, location, error type, message), however often it recurs."""
        ...

    def failures(self, *, limit: int = 100) -> list[StageFailure]: ...


class StateStore(Protocol):
    """Small named values: the projections' watermarks."""

    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...


class UnderstandingWriter(Protocol):
    """What the understand projection (``engine/understand.py``) reads back and writes."""

    def put_understanding(self, batch: UnderstandBatch) -> None:
        """Write one batch of understand records (and its watermark) in one transaction."""
        ...

    def pending_understanding(self, since_seq: int) -> list[tuple[ArticleId, float | None]]:
        """Articles changed after ``since_seq`` with no understanding row: (id, publication timestamp)."""
        ...

    def understood_since(self, start_ts: float) -> list[ArticleUnderstanding]:
        """Understood articles published at or after ``start_ts`` (a POSIX timestamp), oldest first."""
        ...

    def latest_understood_ts(self) -> float | None: ...


class UnderstandingReader(Protocol):
    """The understanding tables as the read models (``engine/views.py``, ``web/``) see them."""

    def understood_count(self) -> int:
        """Articles the understanding tables hold (duplicates, stories): behind :meth:`ArticleLog.count`
        while ``naba understand`` runs."""
        ...

    def understanding(self, article_id: ArticleId) -> ArticleUnderstanding | None: ...

    def day_articles(self, start: dt.datetime, end: dt.datetime) -> list[DayArticle]:
        """Understood articles published in ``[start, end)``, oldest first (a day's front page)."""
        ...

    def understood_since(self, start_ts: float) -> list[ArticleUnderstanding]:
        """Understood articles published at or after ``start_ts`` (a POSIX timestamp), oldest first."""
        ...

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

    def moved_to(self, article_id: ArticleId, story_id: str) -> str | None:
        """The live story an article moved to from ``story_id`` (a repair split), else None: an old
        ``/story/<id>#<article>`` link redirects there."""
        ...

    def also_published_by(self, article_id: ArticleId) -> list[CopyRow]:
        """The other copies of the article's duplicate group, the group's original first."""
        ...

    def thread_of(self, story_id: str) -> list[StoryRow]:
        """The stories linked into one thread with the story (itself included), oldest first; empty when
        the story is in no thread."""
        ...

    def article_entities(self, article_id: ArticleId) -> list[EntityMention]:
        """The entities of an article, most mentioned first."""
        ...

    def article_keywords(self, article_id: ArticleId) -> list[KeywordRow]:
        """The keywords of an article, best first."""
        ...

    def keyword_weights(self, article_ids: Sequence[ArticleId]) -> dict[ArticleId, dict[str, float]]:
        """Each article's keyword weights (analyzer key -> score), in one read; {} for one without keywords."""
        ...

    def story_entities(self, story_id: str, limit: int = 10) -> list[EntityCount]:
        """The top entities of a story (following redirects): most outlets, then articles, first."""
        ...

    def story_keywords(self, story_id: str, limit: int = 10) -> list[StoryKeyword]:
        """The top keywords of a story (following redirects)."""
        ...

    def entity(self, name: str) -> EntityInfo | None:
        """The entity a canonical name or a surface form seen in the articles names, or None."""
        ...

    def display_names(self, canonicals: Sequence[str]) -> dict[str, str]:
        """The most-mentioned surface form of each canonical name (hamza and spacing as written: «آل سعود»,
        where the canonical name is folded); names never seen are left out."""
        ...

    def entity_articles(self, canonical: str, limit: int = 50) -> list[ArticleUnderstanding]:
        """Understood articles mentioning the entity, newest first."""
        ...

    def entity_stories(self, canonical: str, limit: int = 50) -> list[StoryRow]:
        """Stories with an article mentioning the entity, most recently seen first."""
        ...

    def top_entities(
        self,
        limit: int,
        since: dt.datetime | None = None,
        kind: EntityKindName | None = None,
        until: dt.datetime | None = None,
    ) -> list[EntityCount]:
        """Entities of the articles published at or after ``since`` (and before ``until``), ranked by stories
        then outlets."""
        ...


class SourceStore(Protocol):
    """Followed sources, what each served and their schedule (``engine/poll.py``, ``watch.py``, ``sources.py``,
    ``web/source_pages.py``)."""

    def add_sources(self, sources: Iterable[SourceSpec]) -> tuple[int, int]:
        """Follow sources (a URL already followed keeps its state); returns (added, already followed)."""
        ...

    def list_sources(self, *, enabled_only: bool = False) -> list[SourceRow]: ...

    def get_source(self, source_id: int) -> SourceRow | None: ...

    def source_by_url(self, url: str) -> SourceRow | None: ...

    def due_sources(self, now: dt.datetime, limit: int) -> list[SourceRow]:
        """Enabled sources whose next poll is at or before ``now``, most overdue first."""
        ...

    def next_due(self) -> dt.datetime | None: ...

    def remove_source(self, source_id: int) -> bool: ...

    def set_source_enabled(self, source_id: int, enabled: bool) -> None: ...

    def set_source_verified(self, source_id: int, verified: bool, *, url: str | None = None) -> None: ...

    def source_items(self, source_id: int, keys: Sequence[str]) -> dict[str, SourceItem]: ...

    def source_item_by_link(self, source_id: int, link: str) -> SourceItem | None: ...

    def record_items(self, items: Sequence[SourceItem], at: dt.datetime | None = None) -> None: ...

    def record_poll(self, poll: PollRecord, items: Sequence[SourceItem]) -> None:
        """Record one poll of a source (its schedule, validators, errors) with the items it served, in one
        transaction."""
        ...

    def failed_item_counts(self) -> dict[int, int]:
        """Per source id, the items whose article could not be fetched or extracted."""
        ...

    def failed_items(self, source_id: int, limit: int = 20) -> list[SourceItem]: ...


@dataclass(frozen=True, slots=True)
class SectionRow:
    """An article's section (``source``: publisher | model | none), the publisher's weak label if any, and its
    countries (ISO 3166-1 alpha-2, main first), as ``article_sections`` holds them."""

    article: ArticleId
    section: str
    source: str
    confidence: float
    weak: str | None
    weak_signal: str | None
    countries: tuple[str, ...]
    published_ts: float | None


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A model the installation trained, as the store keeps it."""

    name: str
    body: bytes
    trained_on: int
    trained_at: dt.datetime


class SectionStore(Protocol):
    """The sections projection (``engine/sections.py``): rows per article, the trained model, and the reads
    behind the section and country filters."""

    def put_sections(self, rows: Sequence[SectionRow], state: Sequence[StateRow] = ()) -> None:
        """Write rows (replacing an article's earlier row and countries) and a watermark in one transaction."""
        ...

    def weak_labels(self) -> list[tuple[ArticleId, str]]:
        """Every article with a publisher's weak label, and the label, in article order."""
        ...

    def sections_of(self, ids: Sequence[ArticleId]) -> dict[ArticleId, SectionRow]:
        """The rows of these articles (those that have one)."""
        ...

    def section_counts(self, ids: Sequence[ArticleId] | None = None) -> dict[str, int]:
        """Articles per section, over ``ids`` or over every article."""
        ...

    def section_articles(
        self, *, section: str | None = None, country: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[ArticleId]:
        """The newest articles of a section and/or about a country (any rank), newest first, from ``offset``."""
        ...

    def section_total(self, *, section: str | None = None, country: str | None = None) -> int:
        """How many articles :meth:`section_articles` pages through."""
        ...

    def put_model(self, model: StoredModel) -> None:
        """Keep a trained model under its name (replacing the previous one)."""
        ...

    def model(self, name: str) -> StoredModel | None:
        """The model kept under ``name``, if any."""
        ...


class Store(
    ArticleLog,
    FailureLog,
    StateStore,
    UnderstandingWriter,
    UnderstandingReader,
    SourceStore,
    SectionStore,
    Protocol,
):
    """A whole backend: every role, plus what the engine needs to open, report on and close it."""

    # What opening this handle found and did to the schema (``naba migrate`` reports them).
    migrated_from: int  # the schema version it found
    migrated: list[int]  # the migrations it applied

    def schema_version(self) -> int:
        """The highest migration the database has."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per table, for ``naba stats``."""
        ...

    def write_refusal(self) -> str | None:
        """Why the database refuses this process's writes (a read replica, a read-only role, a file this
        user may not write), or None when it takes them: a reader then does not try (``naba serve``)."""
        ...

    def close(self) -> None: ...
