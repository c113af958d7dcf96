"""The reader's understanding pages: today's stories, one story, an entity, and an article's related section.

Same rules as :mod:`naba.web.pages`: handlers build small view models of plain strings, templates escape.
Story URLs are ``/story/{id}`` with the id percent-encoded as one segment (ids embed article URLs); entity
pages are ``/entity/{canonical name}``, encoded the same way. Both routes take any decoded string, line
breaks included (the ``naba_id`` convertor of :mod:`naba.web.pages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from naba.engine.views import latest_day_start, stored_related
from naba.store.base import StoryRow
from naba.types import Article, ArticleId
from naba.web.backend import ReaderBackend, ReaderStore
from naba.web.format import format_datetime, format_day, iso_datetime
from naba.web.pages import (
    ArticleCard,
    Display,
    Renderer,
    article_href,
    card_for,
    display_for,
    publisher_label,
    safe_external_url,
)

STORIES_SHOWN: Final = 40
RELATED_SHOWN: Final = 8
STORY_ENTITIES_SHOWN: Final = 10
ARTICLE_ENTITIES_SHOWN: Final = 12
DAY_ENTITIES_SHOWN: Final = 20
ENTITY_STORIES_SHOWN: Final = 20
ENTITY_ARTICLES_SHOWN: Final = 40

KIND_LABELS: Final[dict[str, str]] = {"PER": "شخص", "LOC": "مكان", "ORG": "منظمة"}

# RelatedFinder's reasons are English contract strings; the reader shows them in Arabic.
_ALSO_PUBLISHED_BY: Final = "same text, also published by "
_REASONS: Final = {
    "same story": "من القصة نفسها",
    "same text": "النص نفسه",
    "same matter": "الموضوع نفسه",
    "same matter, same day": "الموضوع نفسه، في اليوم نفسه",
}


def story_href(story_id: str) -> str:
    return "/story/" + quote(story_id, safe="")


def entity_href(canonical: str) -> str:
    """The entity page of a canonical name, percent-encoded as one segment (like story links)."""
    return "/entity/" + quote(canonical, safe="")


@dataclass(frozen=True, slots=True)
class EntityChip:
    label: str
    href: str
    kind: str  # PER, LOC or ORG (a CSS modifier)
    kind_label: str


def entity_chip(canonical: str, kind: str) -> EntityChip:
    return EntityChip(canonical, entity_href(canonical), kind.lower(), KIND_LABELS.get(kind, kind))


def reason_ar(reason: str, display: Display) -> str:
    if reason in _REASONS:
        return _REASONS[reason]
    words = reason.split()
    if reason.startswith("earlier development") and len(words) > 2:
        return display.text(f"تطور سابق قبل {words[2]} يوم")
    if reason.startswith("later development") and len(words) > 2:
        return display.text(f"تطور لاحق بعد {words[2]} يوم")
    return reason


@dataclass(frozen=True, slots=True)
class StoryCard:
    id: str
    href: str
    headline: str
    outlets: tuple[str, ...]
    size: str
    span: str | None


@dataclass(frozen=True, slots=True)
class CopyLink:
    label: str
    href: str  # the copy's page in the reader
    external: str | None  # the outlet's own URL, http(s) only


@dataclass(frozen=True, slots=True)
class TimelineItem:
    card: ArticleCard
    also: tuple[CopyLink, ...]


@dataclass(frozen=True, slots=True)
class RelatedCard:
    card: ArticleCard
    reason: str
    outlet: str | None = None  # the outlet the reason names, printed isolated after it (it may be Latin)


def related_card(card: ArticleCard, reason: str, display: Display) -> RelatedCard:
    if reason.startswith(_ALSO_PUBLISHED_BY):
        return RelatedCard(
            card, "النص نفسه، نشره أيضًا", publisher_label(reason.removeprefix(_ALSO_PUBLISHED_BY))
        )
    return RelatedCard(card, reason_ar(reason, display))


def story_card(story: StoryRow, display: Display) -> StoryCard:
    span = None
    if story.first_seen and story.last_seen:
        first = format_datetime(story.first_seen, display.digits)
        last = format_datetime(story.last_seen, display.digits)
        span = first if first == last else f"{first} — {last}"
    return StoryCard(
        story.id,
        story_href(story.id),
        story.headline,
        tuple(publisher_label(o) for o in story.outlets),
        display.num(story.size),
        span,
    )


def _timeline(store: ReaderStore, story: StoryRow, display: Display) -> list[TimelineItem]:
    members = store.story_articles(story.id)
    found = store.get_many([m.article for m in members])
    heads: dict[str, tuple[Article, list[CopyLink]]] = {}
    for m in members:
        stored = found.get(m.article)
        if stored is None:
            continue
        a = stored.article
        if m.dup_group in heads:
            label = publisher_label(a.publisher) if a.publisher else a.title
            link = CopyLink(label, card_for(a, display.digits).href, safe_external_url(a.url))
            heads[m.dup_group][1].append(link)
        else:
            heads[m.dup_group] = (a, [])
    return [TimelineItem(card_for(a, display.digits), tuple(also)) for a, also in heads.values()]


def article_understanding(backend: ReaderBackend, article_id: ArticleId, display: Display) -> dict[str, Any]:
    """The article page's story link, "also published by" and related section."""
    store = backend.store
    story = store.story_of(article_id)
    also = [
        CopyLink(
            publisher_label(c.outlet) if c.outlet else str(c.article),
            article_href(c.article),
            safe_external_url(c.url),
        )
        for c in store.also_published_by(article_id)
    ]
    related = [
        related_card(card_for(item.article, display.digits), item.related.reason, display)
        for item in stored_related(store, article_id, RELATED_SHOWN)
    ]
    mentions = store.article_entities(article_id)[:ARTICLE_ENTITIES_SHOWN]
    return {
        "entity_links": [entity_chip(e.canonical, e.kind) for e in mentions],
        "story_link": story_card(story, display) if story else None,
        "also_published": also,
        "related_items": related,
    }


def build_story_router(backend: ReaderBackend, render: Renderer) -> APIRouter:
    router = APIRouter()

    @router.get("/stories", response_class=HTMLResponse)
    def stories(request: Request) -> HTMLResponse:
        display = display_for(request)
        since = latest_day_start(backend.store)
        rows = backend.store.stories(STORIES_SHOWN, since=since)
        top = backend.store.top_entities(DAY_ENTITIES_SHOWN, since=since)
        context = {
            "day": format_day(since, display.digits, weekday=True) if since else None,
            "stories": [story_card(s, display) for s in rows],
            "entity_links": [entity_chip(e.canonical, e.kind) for e in top],
        }
        return render(request, "stories.html", context)

    @router.get("/story/{story_id:naba_id}", response_class=HTMLResponse)
    def story(request: Request, story_id: str) -> HTMLResponse:
        display = display_for(request)
        found = backend.store.story(story_id)
        if found is None:
            raise HTTPException(status_code=404)
        others = [s for s in backend.store.thread_of(found.id) if s.id != found.id]
        mine = found.first_seen
        earlier = [story_card(s, display) for s in others if mine and s.first_seen and s.first_seen < mine]
        later = [story_card(s, display) for s in others if story_card(s, display) not in earlier]
        context = {
            "story": story_card(found, display),
            "first_iso": iso_datetime(found.first_seen) if found.first_seen else None,
            "timeline": _timeline(backend.store, found, display),
            "earlier": earlier,
            "later": later,
            "entity_links": [entity_chip(e.canonical, e.kind) for e in found.entities[:STORY_ENTITIES_SHOWN]],
            "keywords": [k.text for k in found.keywords],
        }
        return render(request, "story.html", context)

    @router.get("/entity/{name:naba_id}", response_class=HTMLResponse)
    def entity(request: Request, name: str) -> HTMLResponse:
        display = display_for(request)
        store = backend.store
        info = store.entity(name)
        if info is None:
            raise HTTPException(status_code=404)
        mentions = store.entity_articles(info.canonical, ENTITY_ARTICLES_SHOWN)
        found = store.get_many([m.article for m in mentions])
        context = {
            "entity": info,
            "kind_label": KIND_LABELS.get(info.kind, info.kind),
            "aliases": [n for n, _ in info.aliases if n != info.canonical],
            "articles_total": display.num(info.articles),
            "stories": [
                story_card(s, display) for s in store.entity_stories(info.canonical, ENTITY_STORIES_SHOWN)
            ],
            "articles": [
                card_for(found[m.article].article, display.digits) for m in mentions if m.article in found
            ],
        }
        return render(request, "entity.html", context)

    return router
