"""Every record passed between naba's stages.

Records are frozen dataclasses; datetimes are timezone-aware. The article JSON shape (CLI output, JSONL in
and out, API) is produced by :func:`naba.article_json.article_to_json` from :class:`Article`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, NewType, Protocol

ArticleId = NewType("ArticleId", str)
SearchSort = Literal["relevance", "date"]

# A publication time is either an instant (aware datetime) or, when the page states only a day, a date.
PublishedTime = dt.datetime | dt.date


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source to follow: a feed or a sitemap, with what is known of its outlet (OPML, CLI, the store)."""

    url: str
    kind: str = "feed"  # "feed" | "sitemap"
    title: str | None = None
    site_url: str | None = None
    publisher: str | None = None
    language: str | None = None
    country: str | None = None
    region: str | None = None
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an article was read from: a file path or URL, when, and the hash of the raw input."""

    source: str
    fetched_at: dt.datetime | None
    raw_sha256: str


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as extracted. ``lead`` + ``body_paragraphs`` are the article's text, in order."""

    id: ArticleId
    url: str | None
    canonical_url: str | None
    publisher: str | None
    original_source: str | None
    language: str | None
    title: str
    lead: str | None
    body_paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    published: PublishedTime | None
    updated: PublishedTime | None
    tags: tuple[str, ...]
    images: tuple[Image, ...]
    related_headlines: tuple[str, ...]
    embedded_in: ArticleId | None
    provenance: Provenance
    evidence: Mapping[str, str] = field(default_factory=dict)
    # The desk label a wire headline carried («عام /», «اقتصادي /»: naba.extract.headlines), as a section key.
    section: str | None = None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The lead (when there is one) followed by the body paragraphs."""
        return ((self.lead,) if self.lead else ()) + self.body_paragraphs

    @property
    def body_text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its surface form, normalized form, stem, and [start, end) offsets into the original text."""

    surface: str
    normalized: str
    stem: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AnalyzedArticle:
    """An article with the analyzer's index terms for its title and body."""

    article: Article
    analyzer: str
    title_terms: tuple[str, ...]
    body_terms: tuple[str, ...]
    title_phrase_terms: tuple[str, ...]
    body_phrase_terms: tuple[str, ...]
    fingerprint: str


@dataclass(frozen=True, slots=True)
class DuplicateVerdict:
    article: ArticleId
    duplicate_of: ArticleId | None
    similarity: float
    method: str


@dataclass(frozen=True, slots=True)
class CopyRow:
    """One member of a duplicate group and where it was published: *the* copy record (dedupe -> engine ->
    store -> views, "also published by"). ``original`` marks the copy credited as the original.

    ``dedupe.original.CopyInfo`` is a different view on purpose: the ranking facts (publication time, arrival,
    agency rank) that choosing the original needs inside the deduper, never persisted or shown.
    """

    article: ArticleId
    outlet: str | None
    url: str | None
    original: bool = False


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    articles: tuple[ArticleId, ...]
    lead_article: ArticleId
    first_seen: dt.datetime
    last_seen: dt.datetime
    top_terms: tuple[str, ...]
    entities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RelatedArticle:
    article: ArticleId
    score: float
    reason: str


class StoreOutcome(StrEnum):
    """What storing one article did."""

    STORED = "stored"  # a new identity
    UPDATED = "updated"  # known identity, changed content; the previous version is kept
    UNCHANGED = "unchanged"  # known identity, same content


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A reader's query: free text (with "quoted phrases"), filters and a page."""

    text: str
    sources: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    offset: int = 0
    limit: int = 10
    sort: SearchSort = "relevance"  # "date": newest first (articles without a date last)
    facets: bool = False  # count every match by outlet and by UTC day (SearchResults.facets, .day_facets)
    ids: tuple[ArticleId, ...] = ()  # only these articles (alerts: the saved query over what just arrived)


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A piece of original text; ``highlighted`` spans matched the query. Rendered escaped, span by span."""

    text: str
    highlighted: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float
    title_spans: tuple[TextSpan, ...]
    snippet_spans: tuple[TextSpan, ...]


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: SearchQuery
    hits: tuple[SearchHit, ...]
    total: int
    facets: Mapping[str, int] = field(default_factory=dict)  # matches per outlet (publisher key)
    day_facets: Mapping[str, int] = field(default_factory=dict)  # matches per UTC day, "YYYY-MM-DD"


@dataclass(frozen=True, slots=True)
class StageFailure:
    """A recorded failure: which stage, which input (file:line or URL), what went wrong, when."""

    stage: str
    location: str
    error_type: str
    message: str
    when: dt.datetime


@dataclass(frozen=True, slots=True)
class InputItem:
    """What one unit of input (a line, a record, a page) gave: articles, or a failure. Sources and the engine's
    poll and fetch produce them; the engine's ingest stores them (:func:`naba.sources.inputs.failure_item`
    builds the failure item)."""

    location: str
    articles: tuple[Article, ...] = ()
    failure: StageFailure | None = None


class Progress(Protocol):
    """How long work reports how far it got (see :mod:`naba.engine.progress`): ``progress(n)`` after each
    ``n`` items, ``progress.expect(total)`` once a phase knows its size. Here so that stages that run long
    work of their own (:mod:`naba.batch`) take the same callbacks as the engine."""

    def __call__(self, done: int) -> None:
        """``done`` more items were processed."""
        ...

    def expect(self, total: int) -> None:
        """The phase will process ``total`` items in all (may be called again when a new phase starts)."""
        ...
