"""The read model's records: what the CLI's ``--json``, the API (``/api/v1``), the feeds and the reader show.

One read model (CONVENTIONS 18): :mod:`naba.engine.views` builds these frozen dataclasses from the store and
the search index, and every edge prints the same records. :func:`to_json` is the one way a record becomes
JSON: dataclass fields in declaration order, an :class:`~naba.types.Article` as
:func:`naba.article_json.article_to_json` writes it, times in ISO 8601 with their offset (a bare date when
the publisher gave only a day), tuples as lists, floats rounded to :data:`JSON_DECIMALS` places. The API
declares the same dataclasses as its response models, so ``/openapi.json`` describes what :func:`to_json`
prints.

Records subclass one another where one is the other plus fields (a story with its articles is a story
brief plus ``articles`` and ``thread``); :func:`to_json` prints the inherited fields first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from naba.article_json import article_to_json
from naba.store.base import EntityCount, EntityKindName, EntityMention, StoryKeyword
from naba.types import Article, ArticleId, CopyRow, PublishedTime, SearchSort

# Scores and similarities are printed to four places: enough to rank, no float noise in golden files.
JSON_DECIMALS: Final = 4


def to_json(value: Any) -> Any:
    """``value`` (a record, or anything a record holds) as JSON-ready Python data (see the module docstring)."""
    if isinstance(value, Article):
        return article_to_json(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    if isinstance(value, float):
        return round(value, JSON_DECIMALS)
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


# -- articles ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ArticleBrief:
    """An article in a list: enough to show and link it."""

    id: ArticleId
    title: str
    publisher: str | None
    url: str | None
    published: PublishedTime | None


def article_brief(article: Article) -> ArticleBrief:
    return ArticleBrief(article.id, article.title, article.publisher, article.url, article.published)


@dataclass(frozen=True, slots=True)
class ArticlesPage:
    """A page of the newest articles; ``next_cursor`` asks for the page after it (None on the last page)."""

    articles: tuple[ArticleBrief, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class RelatedBrief(ArticleBrief):
    """A related article with its score and reason (the wording of :mod:`naba.stories.related`)."""

    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class RelatedView:
    """``naba related``: the article an id or URL named, and its related list."""

    article: ArticleId
    related: tuple[RelatedBrief, ...]


# -- stories ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StoryBrief:
    """A story in a list. Times are UTC; ``outlets`` most articles first; its top entities and keywords."""

    id: str
    headline: str
    lead: ArticleId
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    outlets: tuple[str, ...]
    top_terms: tuple[str, ...]
    size: int
    entities: tuple[EntityCount, ...]
    keywords: tuple[StoryKeyword, ...]
    lead_outlet: str | None  # the outlet of the headline shown (the lead article's publisher)


@dataclass(frozen=True, slots=True)
class StoryArticle(ArticleBrief):
    """One article of a story's timeline, with the other copies of its text folded under it."""

    dup_group: str
    also_from: tuple[ArticleBrief, ...]


@dataclass(frozen=True, slots=True)
class StoryDetail(StoryBrief):
    """One story: its timeline (oldest first, copies folded) and the other stories of its thread."""

    articles: tuple[StoryArticle, ...]
    thread: tuple[StoryBrief, ...]


@dataclass(frozen=True, slots=True)
class StoriesView:
    """Ranked stories: the latest day's (``since`` its midnight) or, with ``since`` None, every day's."""

    since: dt.datetime | None
    stories: tuple[StoryBrief, ...]


# -- entities ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EntitiesView:
    """Entities of the window starting at ``since`` (every day's when None), ranked by stories then outlets."""

    since: dt.datetime | None
    kind: EntityKindName | None
    entities: tuple[EntityCount, ...]


@dataclass(frozen=True, slots=True)
class EntityAlias:
    name: str
    mentions: int


@dataclass(frozen=True, slots=True)
class EntityArticle(ArticleBrief):
    """An article mentioning an entity, with the story it belongs to."""

    story: str


@dataclass(frozen=True, slots=True)
class EntityDetail:
    """One entity: its kind, the surface forms seen, its articles and stories (newest first)."""

    canonical: str
    kind: EntityKindName
    aliases: tuple[EntityAlias, ...]
    articles_total: int
    articles: tuple[EntityArticle, ...]
    stories: tuple[StoryBrief, ...]


# -- sections and countries -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SectionName:
    """A section: its key (``sports``), and its Arabic and English names (``naba/data/sections.tsv``)."""

    key: str
    name_ar: str
    name_en: str


@dataclass(frozen=True, slots=True)
class SectionedArticle(ArticleBrief):
    """An article in a section list: its section (``source``: publisher, model or none) and countries."""

    section: str
    source: str
    countries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionCount:
    """How many stored articles a section has."""

    section: SectionName
    count: int


@dataclass(frozen=True, slots=True)
class SectionView:
    """The newest articles of a section and/or about a country (both optional), with every section's count."""

    section: SectionName | None
    country: str | None
    articles: tuple[SectionedArticle, ...]
    sections: tuple[SectionCount, ...]


# -- one article ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """One article with what the understanding knows of it: its story, the other copies of its text (the
    group's original first), related articles with reasons, and its entities (most mentioned first)."""

    article: Article
    story: StoryBrief | None
    copies: tuple[CopyRow, ...]
    related: tuple[RelatedBrief, ...]
    entities: tuple[EntityMention, ...]


# -- search -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Highlight:
    """A run of a title or snippet; ``highlighted`` runs matched the query (render them escaped)."""

    text: str
    highlighted: bool


@dataclass(frozen=True, slots=True)
class SearchHitView:
    """One result: the article, its score, highlighted title and snippet, and the other outlets whose copy
    of the same text matched too (folded under the best-ranked copy)."""

    score: float
    article: ArticleBrief
    title_highlights: tuple[Highlight, ...]
    snippet: tuple[Highlight, ...]
    also_from: tuple[ArticleBrief, ...]


@dataclass(frozen=True, slots=True)
class FacetCount:
    """How many matching articles have this value (an outlet, or a day as ``YYYY-MM-DD`` in UTC)."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchView:
    """A page of search results. ``total`` counts every matching article before copies are folded;
    ``facets_*`` count every match (not just this page), most first for outlets and newest first for days."""

    query: str
    sort: SearchSort
    total: int
    offset: int
    limit: int
    hits: tuple[SearchHitView, ...]
    facets_outlets: tuple[FacetCount, ...]
    facets_days: tuple[FacetCount, ...]


# -- sources and stats ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A followed source and its health (``naba sources``): the state the reader's sources page shows."""

    id: int
    url: str
    kind: str
    title: str | None
    site_url: str | None
    publisher: str | None
    language: str | None
    country: str | None
    enabled: bool
    verified: bool
    healthy: bool
    last_poll: str | None
    last_ok: str | None
    next_poll: dt.datetime | None
    failures: int
    last_status: int | None
    last_error: str | None
    polls: int
    items_seen: int
    articles_stored: int
    failed_items: int


@dataclass(frozen=True, slots=True)
class PublisherCount:
    publisher: str
    articles: int
    latest: dt.datetime | None


@dataclass(frozen=True, slots=True)
class StatsView:
    """What the database holds: articles, how many are understood, per publisher, followed sources."""

    articles: int
    understood: int
    sources_followed: int
    publishers: tuple[PublisherCount, ...]


# -- saved searches and alerts ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class WebhookView:
    """A webhook as listed: never its secret (shown once, by :class:`WebhookCreated`)."""

    id: int
    url: str
    saved_search: int | None
    min_outlets: int | None
    enabled: bool
    watermark: int
    created_at: str


@dataclass(frozen=True, slots=True)
class WebhookCreated(WebhookView):
    """A webhook just made, with the secret that signs its deliveries (shown this once)."""

    secret: str


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """One entry of the delivery log."""

    id: int
    webhook: int
    key: str
    status: str
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: str
    delivered_at: str | None


@dataclass(frozen=True, slots=True)
class TokenCreated:
    """A token just made: ``token`` is shown this once and never stored."""

    id: int
    name: str | None
    scope: str
    token: str
