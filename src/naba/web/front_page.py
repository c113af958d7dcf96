"""The reader's home page: the day's stories (:func:`naba.engine.front.front_page`), browsable by day.

``/`` shows the latest day that has articles, ``/?day=YYYY-MM-DD`` any other (previous/next links and a date
field that works without JavaScript: a plain GET form). Days are calendar days in the reader's time zone.
"Latest" (``/latest``) is the second tab. While nothing is understood yet (``naba understand`` has not run),
the home page is the latest articles. Old links ``/?source=…`` and ``/?page=…`` (the home page used to be the
latest list) are served the latest list.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from naba.engine.front import FrontPage, FrontStory, front_page, latest_day
from naba.extract.headlines import lead_paragraph
from naba.web.backend import ReaderBackend, ReaderStore
from naba.web.format import iso_datetime
from naba.web.pages import (
    SUMMARY_CHARS,
    Display,
    Renderer,
    article_href,
    display_for,
    href,
    latest_page,
    parse_day,
    publisher_label,
    safe_external_url,
)
from naba.web.story_pages import KIND_LABELS, EntityChip, entity_href, story_href

# Outlets named on a card; the rest are counted («و٣ صحف أخرى»).
OUTLETS_NAMED: Final = 3
# Front pages kept in memory, by day and zone, while the store does not change (bench/bench_reader.py).
FRONT_CACHE_SIZE: Final = 32


class FrontCache:
    """Built front pages, valid while the store's article log and understanding stay as they were: the key
    holds ``max_change_seq`` and ``understood_count``, so a new article or a new understanding batch
    rebuilds the page on the next request."""

    def __init__(self, size: int = FRONT_CACHE_SIZE) -> None:
        self._size = size
        self._pages: dict[tuple[object, ...], FrontPage] = {}
        self._lock = threading.Lock()  # handlers run in the threadpool

    def get(self, store: ReaderStore, day: dt.date, tz: dt.tzinfo) -> FrontPage:
        key = (day, str(tz), store.max_change_seq(), store.understood_count())
        with self._lock:
            found = self._pages.pop(key, None)
        if found is None:
            found = front_page(store, day, tz)  # outside the lock: two misses at once both build
        with self._lock:
            self._pages[key] = found  # most recently used last
            while len(self._pages) > self._size:
                del self._pages[next(iter(self._pages))]
        return found


@dataclass(frozen=True, slots=True)
class StoryCardView:
    """One front-page card: plain strings only; the template escapes them."""

    href: str  # full coverage: the story page
    headline: str
    headline_href: str  # the headline's article in the reader
    lead: str | None
    image: str | None
    image_alt: str
    lead_outlet: str | None
    outlets: tuple[str, ...]  # named on the card, the lead outlet first
    others: str | None  # «و٣ صحف أخرى»
    size: str  # «١٢ مقالًا»
    when: str
    when_iso: str
    rank: int


@dataclass(frozen=True, slots=True)
class DayLink:
    label: str
    href: str


def _cut(text: str | None) -> str | None:
    if text is None or len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def story_card_view(item: FrontStory, rank: int, display: Display) -> StoryCardView:
    article = item.headline
    last = dt.datetime.fromtimestamp(item.last_ts, dt.UTC)
    named = tuple(publisher_label(o) for o in item.outlets[:OUTLETS_NAMED])
    rest = len(item.outlets) - len(named)
    image = next((safe_external_url(i.url) for i in article.images if safe_external_url(i.url)), None)
    return StoryCardView(
        href=story_href(item.story.id),
        headline=article.title,
        headline_href=article_href(article.id),
        lead=_cut(lead_paragraph(article.paragraphs)),
        image=image,
        image_alt=article.title,
        lead_outlet=publisher_label(item.lead_outlet) if item.lead_outlet else None,
        outlets=named,
        others=("و" + display.count(rest, "other_outlet")) if rest > 0 else None,
        size=display.count(item.articles, "article"),
        when=display.clock(last),
        when_iso=iso_datetime(last),
        rank=rank,
    )


def _day_link(day: dt.date | None, display: Display, label: str) -> DayLink | None:
    if day is None:
        return None
    return DayLink(f"{label}: {display.day(day)}", href("/", {"day": day.isoformat()}))


def build_front_router(backend: ReaderBackend, render: Renderer) -> APIRouter:
    router = APIRouter()
    cache = FrontCache()

    @router.get("/", response_class=HTMLResponse)
    def home(
        request: Request, day: str | None = None, source: str | None = None, page: str | None = None
    ) -> HTMLResponse:
        if source or page:
            return latest_page(backend, render, request, source, page)
        display = display_for(request)
        store = backend.store
        newest = latest_day(store, display.tz)
        chosen = parse_day(day) or newest
        notice = "تاريخ غير صالح؛ استخدم الصيغة YYYY-MM-DD." if day and parse_day(day) is None else None
        if chosen is None or store.understood_count() == 0:
            return latest_page(backend, render, request, None, None)
        front = cache.get(store, chosen, display.tz)
        if not front.stories and day is None:
            return latest_page(backend, render, request, None, None)  # stories not formed yet
        context = {
            "tab": "stories",
            "day_label": display.day(chosen, weekday=True),
            "day_iso": chosen.isoformat(),
            "is_latest_day": chosen == newest,
            "previous": _day_link(front.previous, display, "اليوم السابق"),
            "following": _day_link(front.following, display, "اليوم التالي"),
            "cards": [story_card_view(s, i, display) for i, s in enumerate(front.stories, start=1)],
            "names": [
                EntityChip(
                    n.display, entity_href(n.canonical), n.kind.lower(), KIND_LABELS.get(n.kind, n.kind)
                )
                for n in front.names
            ],
            "articles": display.count(front.articles, "article"),
            "stories_count": display.count(len(front.stories), "story"),
            "notice": notice,
            "min_day": None,
            "max_day": newest.isoformat() if newest else None,
        }
        return render(request, "front.html", context)

    return router
