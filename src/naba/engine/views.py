"""The read model: what the CLI's ``--json``, the API, the feeds and the reader show, built as the records of
:mod:`naba.engine.records` (stories, a story, entities, an entity, one article, related lists with reasons).

One related algorithm, :func:`stored_related`, used by the reader, the API, ``naba related`` and
``eval/related.py``: it reads only persisted records (fast enough for every article page) — the other
articles of the article's story (independent coverage before copies of the same text), then the articles of
the other stories of its thread, each with its reason (:mod:`naba.stories.related`).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Protocol

from naba.engine.records import (
    ArticleBrief,
    ArticleDetail,
    ArticlesPage,
    DeliveryView,
    EntitiesView,
    EntityAlias,
    EntityArticle,
    EntityDetail,
    FacetCount,
    Highlight,
    PublisherCount,
    RelatedBrief,
    RelatedView,
    SearchHitView,
    SearchView,
    SourceHealth,
    StatsView,
    StoriesView,
    StoryArticle,
    StoryBrief,
    StoryDetail,
    WebhookCreated,
    WebhookView,
    article_brief,
)
from naba.errors import CursorError
from naba.identity import url_identity
from naba.store.access import Delivery, SavedSearch, Webhook
from naba.store.base import (
    ArticleLog,
    ArticleUnderstanding,
    EntityKindName,
    PageKey,
    SourceStore,
    StoryRow,
    UnderstandingReader,
)
from naba.stories.related import TIER_COPY, TIER_STORY, TIER_THREAD, development_reason
from naba.types import Article, ArticleId, RelatedArticle, SearchHit, SearchQuery, SearchResults


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
    """The thread reason between two stored publication times (UTC seconds) (naba.stories.related)."""
    return development_reason(_when(mine), _when(theirs))


def stored_related(store: ViewStore, article_id: ArticleId, limit: int = 10) -> list[RelatedItem]:
    """Related articles from the persisted story and thread records (see the module docstring).

    Within a tier, the articles whose stored keywords are closest to the article's come first (the cosine of
    their keyword weights, as the story engine compares bodies), then the nearest in time."""
    mine = store.understanding(article_id)
    if mine is None:
        return []
    tiered: dict[ArticleId, tuple[ArticleUnderstanding, float, str]] = {}
    for other in store.story_articles(mine.story):
        if other.article != article_id:
            same_text = other.dup_group == mine.dup_group
            tier, reason = (TIER_COPY, "same text") if same_text else (TIER_STORY, "same story")
            tiered[other.article] = (other, tier, reason)
    for story in store.thread_of(mine.story):
        if story.id == mine.story:
            continue
        for other in store.story_articles(story.id):
            if other.article not in tiered and other.article != article_id:
                reason = development(mine.published_ts, other.published_ts)
                tiered[other.article] = (other, TIER_THREAD, reason)
    weights = store.keyword_weights([article_id, *tiered])  # one read for the whole list
    scored = [
        (
            RelatedArticle(a, tier + round(_cosine(weights[article_id], weights[a]), 4), why),
            _closeness(mine, o),
        )
        for a, (o, tier, why) in tiered.items()
    ]
    ranked = sorted(scored, key=lambda pair: (-pair[0].score, -pair[1], pair[0].article))
    return _with_articles(store, [related for related, _ in ranked[:limit]])


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """In [0, 1]: the cosine of two keyword weight vectors (0 when either is empty)."""
    dot = math.fsum(a[k] * b[k] for k in a.keys() & b.keys())
    norms = math.sqrt(math.fsum(v * v for v in a.values())) * math.sqrt(math.fsum(v * v for v in b.values()))
    return min(1.0, dot / norms) if dot > 0 and norms > 0 else 0.0


def _closeness(a: ArticleUnderstanding, b: ArticleUnderstanding) -> float:
    """Larger when nearer in time: the tie-break within a tier."""
    if a.published_ts is None or b.published_ts is None:
        return 0.0
    return 1.0 / (2.0 + abs(a.published_ts - b.published_ts) / 3600.0)


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


# -- stories ----------------------------------------------------------------------------------------------
def story_briefs(store: ViewStore, stories: Iterable[StoryRow]) -> tuple[StoryBrief, ...]:
    """Stories as briefs, each with its lead outlet (the lead articles read in one call)."""
    rows = list(stories)
    leads = store.get_many([s.lead for s in rows])
    return tuple(story_brief(s, leads[s.lead].article.publisher if s.lead in leads else None) for s in rows)


def story_brief(story: StoryRow, lead_outlet: str | None) -> StoryBrief:
    return StoryBrief(
        story.id,
        story.headline,
        story.lead,
        story.first_seen,
        story.last_seen,
        story.outlets,
        story.top_terms,
        story.size,
        story.entities,
        story.keywords,
        lead_outlet,
    )


def story_detail(store: ViewStore, story: StoryRow) -> StoryDetail:
    """A story with its articles (duplicates folded under their group's first article) and its thread."""
    members = store.story_articles(story.id)
    articles = store.get_many([m.article for m in members])
    heads: dict[str, tuple[ArticleBrief, list[ArticleBrief]]] = {}
    for m in members:
        stored = articles.get(m.article)
        if stored is None:
            continue
        brief = article_brief(stored.article)
        if m.dup_group in heads:
            heads[m.dup_group][1].append(brief)
        else:
            heads[m.dup_group] = (brief, [])
    timeline = tuple(
        StoryArticle(h.id, h.title, h.publisher, h.url, h.published, group, tuple(also))
        for group, (h, also) in heads.items()
    )
    thread = story_briefs(store, (s for s in store.thread_of(story.id) if s.id != story.id))
    (head,) = story_briefs(store, [story])
    return StoryDetail(
        **{f.name: getattr(head, f.name) for f in dataclasses.fields(StoryBrief)},
        articles=timeline,
        thread=thread,
    )


def top_stories(store: ViewStore, limit: int, *, all_days: bool) -> StoriesView:
    """The latest day's stories (every story with ``all_days``), ranked (``naba stories``, the API)."""
    since = None if all_days else latest_day_start(store)
    return StoriesView(since, story_briefs(store, store.stories(limit, since=since)))


def story_view(store: ViewStore, story_id: str) -> StoryDetail | None:
    """One story as :func:`story_detail` shows it, or None when there is no such story (``naba story``)."""
    found = store.story(story_id)
    return story_detail(store, found) if found else None


# -- related ----------------------------------------------------------------------------------------------
def related_briefs(items: list[RelatedItem]) -> tuple[RelatedBrief, ...]:
    return tuple(
        RelatedBrief(
            a.id, a.title, a.publisher, a.url, a.published, round(i.related.score, 4), i.related.reason
        )
        for i in items
        for a in (i.article,)
    )


def related_view(store: ViewStore, url_or_id: str, limit: int) -> RelatedView | None:
    """The article an id or URL names and its related list; None when no stored article has that id or URL
    (``naba related``, the API)."""
    article_id = resolve_article(store, url_or_id)
    if article_id is None:
        return None
    items = stored_related(store, article_id, limit)
    return RelatedView(article_id, related_briefs(items))


# -- entities ---------------------------------------------------------------------------------------------
# Articles and stories listed for one entity (CLI and entity page), newest first.
ENTITY_ARTICLES: Final = 50
ENTITY_STORIES: Final = 30


def entities_view(
    store: ViewStore, limit: int, since: dt.datetime | None, kind: EntityKindName | None
) -> EntitiesView:
    """The entities of the window starting at ``since``, ranked by stories then outlets (``naba entities``)."""
    return EntitiesView(since, kind, tuple(store.top_entities(limit, since=since, kind=kind)))


def top_entities_view(
    store: ViewStore, limit: int, kind: EntityKindName | None, *, all_days: bool
) -> EntitiesView:
    """The latest day's entities (every day's with ``all_days``), as :func:`entities_view` (``naba entities``)."""
    return entities_view(store, limit, None if all_days else latest_day_start(store), kind)


def entity_detail(store: ViewStore, name: str) -> EntityDetail | None:
    """One entity (by canonical name or a surface form seen): aliases, articles and stories, newest first."""
    info = store.entity(name)
    if info is None:
        return None
    mentions = store.entity_articles(info.canonical, ENTITY_ARTICLES)
    found = store.get_many([m.article for m in mentions])
    articles = tuple(
        EntityArticle(a.id, a.title, a.publisher, a.url, a.published, m.story)
        for m in mentions
        if m.article in found
        for a in (found[m.article].article,)
    )
    return EntityDetail(
        info.canonical,
        info.kind,
        tuple(EntityAlias(n, c) for n, c in info.aliases),
        info.articles,
        articles,
        story_briefs(store, store.entity_stories(info.canonical, ENTITY_STORIES)),
    )


# -- one article ------------------------------------------------------------------------------------------
ARTICLE_RELATED: Final = 10


def article_detail(store: ViewStore, article_id: ArticleId) -> ArticleDetail | None:
    """One stored article with its story, copies, related list (stored records only) and entities."""
    stored = store.get(article_id)
    if stored is None:
        return None
    story = store.story_of(article_id)
    return ArticleDetail(
        stored.article,
        story_briefs(store, [story])[0] if story else None,
        tuple(store.also_published_by(article_id)),
        related_briefs(stored_related(store, article_id, ARTICLE_RELATED)),
        tuple(store.article_entities(article_id)),
    )


# -- search -----------------------------------------------------------------------------------------------
def search_view(
    store: ViewStore, search: Callable[[SearchQuery], SearchResults], query: SearchQuery
) -> SearchView:
    """A page of results with copies of one text folded under the best-ranked one ("also from") and the
    facets of every match (``naba search``, the API, the search feeds)."""
    results = search(dataclasses.replace(query, facets=True))
    heads: dict[str, tuple[SearchHit, list[ArticleBrief]]] = {}
    for hit in results.hits:
        mine = store.understanding(hit.article.id)
        group = mine.dup_group if mine is not None else f"article:{hit.article.id}"
        if group in heads:
            heads[group][1].append(article_brief(hit.article))
        else:
            heads[group] = (hit, [])
    hits = tuple(
        SearchHitView(
            hit.score,
            article_brief(hit.article),
            tuple(Highlight(s.text, s.highlighted) for s in hit.title_spans),
            tuple(Highlight(s.text, s.highlighted) for s in hit.snippet_spans),
            tuple(also),
        )
        for hit, also in heads.values()
    )
    outlets = sorted(results.facets.items(), key=lambda item: (-item[1], item[0]))
    days = sorted(results.day_facets.items(), reverse=True)
    return SearchView(
        results.query.text,
        results.query.sort,
        results.total,
        results.query.offset,
        results.query.limit,
        hits,
        tuple(FacetCount(v, c) for v, c in outlets),
        tuple(FacetCount(v, c) for v, c in days),
    )


# -- the newest articles, a page at a time ----------------------------------------------------------------
def encode_cursor(key: PageKey) -> str:
    raw = f"{'' if key.published_ts is None else repr(key.published_ts)}|{key.change_seq}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> PageKey:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        ts, seq = raw.split("|")
        return PageKey(float(ts) if ts else None, int(seq))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CursorError(f"not a cursor of this list: {cursor[:40]!r}") from exc


def articles_page(
    store: ViewStore,
    limit: int,
    *,
    cursor: str | None = None,
    publisher: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> ArticlesPage:
    """The newest articles (a publisher's, published within [since, until]), ``limit`` per page; raises
    :class:`CursorError` for a cursor it did not hand out."""
    after = decode_cursor(cursor) if cursor else None
    rows = store.latest_page(limit=limit + 1, after=after, publisher=publisher, since=since, until=until)
    page = rows[:limit]
    more = len(rows) > limit and page
    return ArticlesPage(
        tuple(article_brief(s.article) for s in page), encode_cursor(PageKey.of(page[-1])) if more else None
    )


# -- sources and stats ------------------------------------------------------------------------------------
def source_health(store: SourceStore) -> tuple[SourceHealth, ...]:
    """Every followed source with its health and its failed items (``naba sources``, the API)."""
    failed = store.failed_item_counts()
    return tuple(
        SourceHealth(
            r.id,
            r.url,
            r.kind,
            r.title,
            r.site_url,
            r.publisher,
            r.language,
            r.country,
            r.enabled,
            r.verified,
            r.healthy,
            r.last_poll,
            r.last_ok,
            dt.datetime.fromtimestamp(r.next_poll_ts, dt.UTC) if r.enabled else None,
            r.failures,
            r.last_status,
            r.last_error,
            r.polls,
            r.items_seen,
            r.articles_stored,
            failed.get(r.id, 0),
        )
        for r in store.list_sources()
    )


class StatsStore(ViewStore, SourceStore, Protocol):
    """What :func:`stats_view` reads: the articles, the understanding and the followed sources."""


def stats_view(store: StatsStore) -> StatsView:
    return StatsView(
        store.count(),
        store.understood_count(),
        len(store.list_sources()),
        tuple(PublisherCount(s.publisher, s.articles, s.latest) for s in store.sources()),
    )


# -- saved searches and alerts ----------------------------------------------------------------------------
def webhook_view(hook: Webhook) -> WebhookView:
    return WebhookView(
        hook.id, hook.url, hook.saved_search, hook.min_outlets, hook.enabled, hook.watermark, hook.created_at
    )


def webhook_created(hook: Webhook) -> WebhookCreated:
    return WebhookCreated(
        hook.id, hook.url, hook.saved_search, hook.min_outlets, hook.enabled, hook.watermark, hook.created_at,
        hook.secret,
    )  # fmt: skip


def delivery_view(d: Delivery) -> DeliveryView:
    return DeliveryView(
        d.id,
        d.webhook,
        d.key,
        d.status,
        d.attempts,
        d.last_status,
        d.last_error,
        d.created_at,
        d.delivered_at,
    )


def saved_search_query(saved: SavedSearch, *, limit: int, offset: int = 0) -> SearchQuery:
    """The search a saved search stands for (newest first, as its feed and alerts list it)."""
    return SearchQuery(
        saved.query, saved.sources, saved.date_from, saved.date_to, offset=offset, limit=limit, sort="date"
    )
