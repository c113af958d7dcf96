"""The reader's understanding pages: today's stories, one story, an entity, and an article's related section.

Same rules as :mod:`naba.web.pages`: handlers build small view models of plain strings, templates escape.
Story URLs are ``/story/{id}`` with the id percent-encoded as one segment (ids embed article URLs); an article of a
story page is ``/story/{id}#{article id}`` (its card's element id). A repair split may move an article to another
story: the fragment never reaches the server, so ``static/story.js`` sends such a link's article back as
``/story/{id}?article={article id}``, which redirects to the story the article moved to (the store's
``moved_to``, following later merges). Entity
pages are ``/entity/{canonical name}``, encoded the same way. Both routes take any decoded string, line
breaks included (the ``naba_id`` convertor of :mod:`naba.web.pages`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from naba.engine.views import latest_day_start, stored_related
from naba.store.base import EntityCount, StoryRow
from naba.text.normalize import fold_key
from naba.types import Article, ArticleId
from naba.web.backend import ReaderBackend, ReaderStore
from naba.web.format import iso_datetime
from naba.web.pages import (
    ArticleCard,
    Display,
    Renderer,
    article_href,
    card_for,
    display_for,
    group_by_day,
    publisher_label,
    safe_external_url,
)

STORIES_SHOWN: Final = 40
RELATED_SHOWN: Final = 8
# A story's thread is shown as a short timeline: the best few linked stories (most outlets, then nearest).
THREAD_SHOWN: Final = 5
STORY_ENTITIES_SHOWN: Final = 10
ARTICLE_ENTITIES_SHOWN: Final = 12
DAY_ENTITIES_SHOWN: Final = 20
ENTITY_STORIES_SHOWN: Final = 20
ENTITY_ARTICLES_SHOWN: Final = 40

KIND_LABELS: Final[dict[str, str]] = {"PER": "شخص", "LOC": "مكان", "ORG": "منظمة"}

# Related reasons (naba.stories.related) are English contract strings; the reader shows them in Arabic.
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


def entity_chip(canonical: str, kind: str, label: str | None = None) -> EntityChip:
    """A chip linking to the entity page, labelled as written (``label``) or by the canonical name."""
    return EntityChip(label or canonical, entity_href(canonical), kind.lower(), KIND_LABELS.get(kind, kind))


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
    size: str  # «١٢ مقالًا» (CLDR plural)
    span: str | None
    outlets_count: str = ""  # «٣ صحف»
    first_iso: str | None = None


@dataclass(frozen=True, slots=True)
class CopyLink:
    label: str
    href: str  # the copy's page in the reader
    external: str | None  # the outlet's own URL, http(s) only


@dataclass(frozen=True, slots=True)
class TimelineItem:
    card: ArticleCard
    also: tuple[CopyLink, ...]
    anchor: str = ""  # the article's id: the card's element id, the fragment of /story/{id}#{article}


@dataclass(frozen=True, slots=True)
class ThreadItem:
    card: StoryCard
    earlier: bool


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


def time_span(first: dt.datetime | None, last: dt.datetime | None, display: Display) -> str | None:
    """A story's span in the reader's zone: «١٠ أغسطس ٢٠١٥، ٤:١٧ ص — ٧:٢٠ م» (the day once when it is one)."""
    if first is None or last is None:
        return None
    start, end = display.when(first), display.when(last)
    if start == end:
        return start
    if display.day(first) == display.day(last):
        return f"{start} — {display.clock(last)}"
    return f"{start} — {end}"


def story_card(story: StoryRow, display: Display) -> StoryCard:
    return StoryCard(
        story.id,
        story_href(story.id),
        story.headline,
        tuple(publisher_label(o) for o in story.outlets),
        display.count(story.size, "article"),
        time_span(story.first_seen, story.last_seen, display),
        display.count(len(story.outlets), "outlet"),
        iso_datetime(story.first_seen) if story.first_seen else None,
    )


def entity_chips_for(store: ReaderStore, entities: Sequence[EntityCount]) -> list[EntityChip]:
    """Chips of entities shown by their most-written surface form (hamza and spacing kept)."""
    shown = store.display_names([e.canonical for e in entities])
    return [
        EntityChip(
            shown.get(e.canonical, e.canonical),
            entity_href(e.canonical),
            e.kind.lower(),
            KIND_LABELS.get(e.kind, e.kind),
        )
        for e in entities
    ]


def true_variants(canonical: str, names: Sequence[str]) -> list[str]:
    """The surface forms that name the whole entity, not a fragment of its name: a form whose words are all
    among the canonical name's words (and fewer of them) is a part of it — «سعود» or «عبدالعزيز» alone is not
    another name of «سلمان بن عبدالعزيز آل سعود» — while a long form («حركة المقاومة الإسلامية» for «حماس»)
    or another spelling («أثيوبيا») is kept. Compared folded, without the spaces inside «عبد العزيز»."""
    whole = [w for w in fold_key(canonical).split() if w]
    joined = "".join(whole)
    out = []
    for name in names:
        words = fold_key(name).split()
        if not words:
            continue
        glued = "".join(words)
        fragment = len(words) < len(whole) and all(w in whole for w in words)
        if not fragment and not (glued in joined and len(glued) < len(joined)):
            out.append(name)
    return out


def best_thread(story: StoryRow, others: Sequence[StoryRow], limit: int = THREAD_SHOWN) -> list[StoryRow]:
    """The ``limit`` best stories of a thread for ``story``: most outlets, then most articles, then nearest in
    time; best first."""

    def distance(other: StoryRow) -> float:
        if story.first_seen is None or other.first_seen is None:
            return float("inf")
        return abs((other.first_seen - story.first_seen).total_seconds())

    ranked = sorted(others, key=lambda o: (-len(o.outlets), -o.size, distance(o), o.id))
    return ranked[:limit]


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
            link = CopyLink(label, card_for(a, display).href, safe_external_url(a.url))
            heads[m.dup_group][1].append(link)
        else:
            heads[m.dup_group] = (a, [])
    return [TimelineItem(card_for(a, display), tuple(also), a.id) for a, also in heads.values()]


def moved_href(store: ReaderStore, story_id: str, article: str) -> str | None:
    """Where ``/story/{story_id}#{article}`` now is when a split moved the article out of the story, else None."""
    moved = store.moved_to(ArticleId(article), story_id)
    if moved is None or moved == story_id:
        return None
    return story_href(moved) + "#" + quote(article, safe="")


def _story_related(store: ReaderStore, story: StoryRow, display: Display) -> list[RelatedCard]:
    """Articles related to the story's lead from outside the story (its thread first), with their reasons."""
    members = {m.article for m in store.story_articles(story.id)}
    return [
        related_card(card_for(item.article, display), item.related.reason, display)
        for item in stored_related(store, story.lead, RELATED_SHOWN + len(members))
        if item.article.id not in members
    ][:RELATED_SHOWN]


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
        related_card(card_for(item.article, display), item.related.reason, display)
        for item in stored_related(store, article_id, RELATED_SHOWN)
    ]
    mentions = store.article_entities(article_id)[:ARTICLE_ENTITIES_SHOWN]
    return {
        "entity_links": [entity_chip(e.canonical, e.kind, e.name) for e in mentions],
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
            "day": display.day(since, weekday=True) if since else None,
            "stories": [story_card(s, display) for s in rows],
            "entity_links": entity_chips_for(backend.store, top),
        }
        return render(request, "stories.html", context)

    @router.get("/story/{story_id:naba_id}", response_class=HTMLResponse)
    def story(request: Request, story_id: str, article: str | None = None) -> Response:
        display = display_for(request)
        found = backend.store.story(story_id)
        if article is not None:
            # An old link to an article of this story (see the module docstring): an article still here
            # stays; one a split moved goes to its new story.
            here = found is not None and any(
                m.article == article for m in backend.store.story_articles(found.id)
            )
            target = None if here else moved_href(backend.store, story_id, article)
            if target is not None:
                return RedirectResponse(target, status_code=302)
        if found is None:
            raise HTTPException(status_code=404)
        others = [s for s in backend.store.thread_of(found.id) if s.id != found.id]
        mine = found.first_seen
        thread = [
            ThreadItem(story_card(s, display), bool(mine and s.first_seen and s.first_seen < mine))
            for s in best_thread(found, others)
        ]
        timeline = _timeline(backend.store, found, display)
        copies = sum(len(item.also) for item in timeline)
        context = {
            "story": story_card(found, display),
            "first_iso": iso_datetime(found.first_seen) if found.first_seen else None,
            "timeline": timeline,
            "distinct": display.count(len(timeline), "article"),
            "copies": display.count(copies, "copy") if copies else None,
            "thread": thread,
            "thread_more": display.count(len(others) - len(thread), "story")
            if len(others) > len(thread)
            else None,
            "related": _story_related(backend.store, found, display),
            "entity_links": entity_chips_for(backend.store, found.entities[:STORY_ENTITIES_SHOWN]),
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
        name_shown = info.aliases[0][0] if info.aliases else info.canonical
        context = {
            "entity": info,
            "name": name_shown,
            "kind_label": KIND_LABELS.get(info.kind, info.kind),
            "aliases": true_variants(info.canonical, [n for n, _ in info.aliases if n != name_shown]),
            "articles_total": display.count(info.articles, "article"),
            "stories": [
                story_card(s, display) for s in store.entity_stories(info.canonical, ENTITY_STORIES_SHOWN)
            ],
            "timeline": group_by_day(
                (found[m.article].article for m in mentions if m.article in found), display
            ),
        }
        return render(request, "entity.html", context)

    return router
