"""What the reader and the CLI show of the understanding: story views and related lists with reasons.

Two related lists:

* :func:`stored_related` reads only persisted records (fast enough for every article page): the other
  articles of the article's story (independent coverage before copies of the same text), then the articles
  of the other stories of its thread, with the reasons :class:`~naba.stories.related.RelatedFinder` gives.
* :func:`finder_related` rebuilds a :class:`~naba.stories.related.RelatedFinder` from the stored articles of
  the article's time window (:data:`FINDER_WINDOW` each side) and asks it; it adds the topical tier
  ("shared terms: …") at the cost of re-analysing the window (seconds on a busy day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final, Protocol

from naba.engine.analysis import analyzed_batches
from naba.engine.naba import Naba
from naba.engine.workers import worker_count
from naba.identity import url_identity
from naba.store.base import ArticleLog, ArticleUnderstanding, EntityKindName, StoryRow, UnderstandingReader
from naba.store.entities import entity_count_json, story_keyword_json
from naba.stories import StoryStream
from naba.stories.related import (  # the same tiers and wording as RelatedFinder
    TIER_COPY,
    TIER_STORY,
    TIER_THREAD,
    RelatedFinder,
    development_reason,
)
from naba.types import Article, ArticleId, RelatedArticle

FINDER_WINDOW: Final = dt.timedelta(days=1)


class ViewStore(ArticleLog, UnderstandingReader, Protocol):
    """What the read models need of a store: the articles and the understanding tables (read only)."""


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """A related article with its reason, and the article itself for display."""

    related: RelatedArticle
    article: Article


def _when(ts: float | None) -> dt.datetime | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC)


def development(mine: float | None, theirs: float | None) -> str:
    """The thread reason between two stored publication times (UTC seconds), worded as RelatedFinder does."""
    return development_reason(_when(mine), _when(theirs))


def stored_related(store: ViewStore, article_id: ArticleId, limit: int = 10) -> list[RelatedItem]:
    """Related articles from the persisted story and thread records (see the module docstring)."""
    mine = store.understanding(article_id)
    if mine is None:
        return []
    out: dict[ArticleId, RelatedArticle] = {}
    for other in store.story_articles(mine.story):
        if other.article == article_id:
            continue
        closeness = _closeness(mine, other)
        if other.dup_group == mine.dup_group:
            out[other.article] = RelatedArticle(other.article, TIER_COPY + closeness, "same text")
        else:
            out[other.article] = RelatedArticle(other.article, TIER_STORY + closeness, "same story")
    for story in store.thread_of(mine.story):
        if story.id == mine.story:
            continue
        for other in store.story_articles(story.id):
            if other.article not in out and other.article != article_id:
                reason = development(mine.published_ts, other.published_ts)
                out[other.article] = RelatedArticle(
                    other.article, TIER_THREAD + _closeness(mine, other), reason
                )
    ranked = sorted(out.values(), key=lambda r: (-r.score, r.article))[:limit]
    return _with_articles(store, ranked)


def _closeness(a: ArticleUnderstanding, b: ArticleUnderstanding) -> float:
    """In [0, 1): nearer in time ranks first within a tier."""
    if a.published_ts is None or b.published_ts is None:
        return 0.0
    return round(1.0 / (2.0 + abs(a.published_ts - b.published_ts) / 3600.0), 4)


def _with_articles(store: ViewStore, ranked: list[RelatedArticle]) -> list[RelatedItem]:
    found = store.get_many([r.article for r in ranked])
    items = []
    for r in ranked:
        stored = found.get(r.article)
        if stored is None:
            continue
        reason = r.reason
        if reason == "same text" and stored.article.publisher:
            reason = f"same text, also published by {stored.article.publisher}"
        items.append(RelatedItem(RelatedArticle(r.article, round(r.score, 4), reason), stored.article))
    return items


def finder_related(naba: Naba, article_id: ArticleId, limit: int = 10) -> list[RelatedItem]:
    """Related articles from a RelatedFinder rebuilt over the article's window (see the module docstring)."""
    store = naba.store
    mine = store.understanding(article_id)
    center = mine.published_ts if mine is not None else None
    if center is None:
        return []
    window = FINDER_WINDOW.total_seconds()
    ids = [
        u.article for u in store.understood_since(center - window) if (u.published_ts or 0) <= center + window
    ]
    finder = RelatedFinder(StoryStream())
    batches = analyzed_batches(
        store,
        ids,
        analyzer_name=naba.analyzer.name,
        batch_size=naba.settings.ingest_batch,
        workers=worker_count(naba.settings.ingest_workers),
    )
    for batch in batches:
        for analyzed in batch:
            finder.add(analyzed)
    return _with_articles(store, finder.related(article_id, limit))


def resolve_article(store: ViewStore, url_or_id: str) -> ArticleId | None:
    """The stored article an id or a URL names (a URL is looked up by its identity), or None."""
    for candidate in (ArticleId(url_or_id.strip()), url_identity(url_or_id)):
        if store.get(candidate) is not None:
            return candidate
    return None


def latest_day_start(store: ArticleLog) -> dt.datetime | None:
    """Midnight (in the newest article's own time zone) of the latest publication day in the store."""
    newest = store.latest(limit=1)
    if not newest:
        return None
    published = newest[0].article.published
    if isinstance(published, dt.datetime):
        return published.replace(hour=0, minute=0, second=0, microsecond=0)
    if isinstance(published, dt.date):
        return dt.datetime(published.year, published.month, published.day, tzinfo=dt.UTC)
    return None


def story_json(store: ViewStore, story: StoryRow) -> dict[str, Any]:
    """A story with its articles (duplicates folded under their group's first article) and its thread."""
    members = store.story_articles(story.id)
    articles = store.get_many([m.article for m in members])
    shown: dict[str, dict[str, Any]] = {}
    for m in members:
        stored = articles.get(m.article)
        if stored is None:
            continue
        item = article_brief(stored.article)
        head = shown.get(m.dup_group)
        if head is None:
            shown[m.dup_group] = {**item, "dup_group": m.dup_group, "also_from": []}
        else:
            head["also_from"].append(item)
    return {
        **story_brief(story),
        "articles": list(shown.values()),
        "thread": [story_brief(s) for s in store.thread_of(story.id) if s.id != story.id],
    }


def story_brief(story: StoryRow) -> dict[str, Any]:
    return {
        "id": story.id,
        "headline": story.headline,
        "lead": story.lead,
        "first_seen": story.first_seen.isoformat() if story.first_seen else None,
        "last_seen": story.last_seen.isoformat() if story.last_seen else None,
        "outlets": list(story.outlets),
        "top_terms": list(story.top_terms),
        "size": story.size,
        "entities": [entity_count_json(e) for e in story.entities],
        "keywords": [story_keyword_json(k) for k in story.keywords],
    }


def article_brief(article: Article) -> dict[str, Any]:
    published = article.published
    return {
        "id": article.id,
        "title": article.title,
        "publisher": article.publisher,
        "url": article.url,
        "published": published.isoformat() if published else None,
    }


def related_json(items: list[RelatedItem]) -> list[dict[str, Any]]:
    return [{**article_brief(i.article), "score": i.related.score, "reason": i.related.reason} for i in items]


# Articles and stories listed for one entity (CLI and entity page), newest first.
ENTITY_ARTICLES: Final = 50
ENTITY_STORIES: Final = 30


def entities_json(
    store: ViewStore, limit: int, since: dt.datetime | None, kind: EntityKindName | None
) -> dict[str, Any]:
    """The entities of the window starting at ``since``, ranked by stories then outlets (``naba entities``)."""
    return {
        "since": since.isoformat() if since else None,
        "kind": kind,
        "entities": [entity_count_json(e) for e in store.top_entities(limit, since=since, kind=kind)],
    }


def entity_json(store: ViewStore, name: str) -> dict[str, Any] | None:
    """One entity (by canonical name or a surface form seen): aliases, articles and stories, newest first."""
    info = store.entity(name)
    if info is None:
        return None
    mentions = store.entity_articles(info.canonical, ENTITY_ARTICLES)
    found = store.get_many([m.article for m in mentions])
    return {
        "canonical": info.canonical,
        "kind": info.kind,
        "aliases": [{"name": n, "mentions": c} for n, c in info.aliases],
        "articles_total": info.articles,
        "articles": [
            {**article_brief(found[m.article].article), "story": m.story}
            for m in mentions
            if m.article in found
        ],
        "stories": [story_brief(s) for s in store.entity_stories(info.canonical, ENTITY_STORIES)],
    }


# -- the CLI's read commands: one call each ---------------------------------------------------------------
def top_stories(store: ViewStore, limit: int, *, all_days: bool) -> dict[str, Any]:
    """The latest day's stories (every story with ``all_days``), ranked (``naba stories``)."""
    rows = store.stories(limit, since=None if all_days else latest_day_start(store))
    return {"stories": [story_brief(s) for s in rows]}


def story_view(store: ViewStore, story_id: str) -> dict[str, Any] | None:
    """One story as :func:`story_json` shows it, or None when there is no such story (``naba story``)."""
    found = store.story(story_id)
    return story_json(store, found) if found else None


def top_entities_view(
    store: ViewStore, limit: int, kind: EntityKindName | None, *, all_days: bool
) -> dict[str, Any]:
    """The latest day's entities (every day's with ``all_days``), as :func:`entities_json` (``naba entities``)."""
    return entities_json(store, limit, None if all_days else latest_day_start(store), kind)


def related_view(
    naba: Naba, url_or_id: str, limit: int, *, deep: bool
) -> tuple[ArticleId | None, list[RelatedItem]]:
    """The article an id or URL names and its related list (stored, or with ``deep`` from a rebuilt finder);
    ``(None, [])`` when no stored article has that id or URL (``naba related``)."""
    article_id = resolve_article(naba.store, url_or_id)
    if article_id is None:
        return None, []
    items = finder_related(naba, article_id, limit) if deep else stored_related(naba.store, article_id, limit)
    return article_id, items
