"""The feed endpoints: ``/feeds/{kind}.{atom|rss|json}`` for the latest articles, one outlet, a search (with
its filters), a story, an entity, a saved search, and ``/feeds/sections/{section}.{fmt}`` for a section; each answers with an ETag and Last-Modified (and a 304
when the client has it). Errors are the API's JSON envelope (:mod:`naba.web.api.envelope`)."""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Sequence
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Query, Request, Response

from naba.engine.section_views import section_view
from naba.engine.views import saved_search_query
from naba.errors import ApiError, InputError, SearchError
from naba.sections import SECTION_KEYS
from naba.store.base import StoredArticle
from naba.types import ArticleId, SearchQuery
from naba.web.api.guard import read_guard
from naba.web.api.reads import ERRORS
from naba.web.api.respond import MAX_NAME_CHARS, MAX_QUERY_CHARS, cached
from naba.web.backend import ReaderBackend
from naba.web.feed_links import feed_path
from naba.web.feeds import (
    MEDIA_TYPES,
    FeedDoc,
    FeedFormat,
    clean,
    feed_item,
    feed_updated,
    render_feed,
    stable_id,
)
from naba.web.pages import article_href, href
from naba.web.story_pages import entity_href, story_href

# Entries per feed: a day of one outlet, the top of a search; feed readers poll, they do not page.
FEED_ITEMS: Final = 50
FEED_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {"content": {m.split(";")[0]: {} for m in MEDIA_TYPES.values()}, "description": "The feed"},
    304: {"description": "Not modified"},
}


def base_url(request: Request, backend: ReaderBackend) -> str:
    configured = getattr(backend.settings, "public_url", "")
    return (configured or str(request.base_url)).rstrip("/")


def not_modified_since(request: Request, updated: dt.datetime) -> bool:
    header = request.headers.get("if-modified-since")
    if not header or request.headers.get("if-none-match"):
        return False
    try:
        since = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and updated.replace(microsecond=0) <= since


def build_feed_router(backend: ReaderBackend) -> APIRouter:
    router = APIRouter(
        prefix="/feeds",
        tags=["feeds"],
        responses={**ERRORS, **FEED_RESPONSES},
        dependencies=[Depends(read_guard(backend))],
    )

    def answer(
        request: Request, fmt: FeedFormat, kind: str, params: dict[str, str], title: str, page: str,
        stored: Sequence[StoredArticle],
    ) -> Response:  # fmt: skip
        base = base_url(request, backend)
        items = tuple(feed_item(s, base + article_href(s.article.id)) for s in stored)
        updated = feed_updated(items)
        doc = FeedDoc(
            title=clean(f"نبأ — {title}"),  # a headline or an outlet's name: ingested text
            id=stable_id("feed", feed_path(kind, "", params)),
            self_url=base + feed_path(kind, fmt, params),
            page_url=base + page,
            updated=updated,
            items=items,
        )
        last_modified = email.utils.format_datetime(updated.astimezone(dt.UTC), usegmt=True)
        if not_modified_since(request, updated):
            return Response(status_code=304, headers={"Last-Modified": last_modified})
        body = render_feed(doc, fmt)
        return cached(request, body, MEDIA_TYPES[fmt], headers={"Last-Modified": last_modified})

    def articles(ids: Sequence[ArticleId]) -> list[StoredArticle]:
        found = backend.store.get_many(list(ids))
        return [found[i] for i in ids if i in found]

    @router.get("/latest.{fmt}", summary="The latest articles")
    def latest(request: Request, fmt: FeedFormat) -> Response:
        return answer(
            request, fmt, "latest", {}, "أحدث الأخبار", "/latest", backend.store.latest(limit=FEED_ITEMS)
        )

    @router.get("/source.{fmt}", summary="The latest articles of one outlet")
    def source(
        request: Request,
        fmt: FeedFormat,
        source: Annotated[str, Query(min_length=1, max_length=MAX_NAME_CHARS)],
    ) -> Response:
        if not any(s.publisher == source for s in backend.store.sources()):
            raise ApiError(404, "no outlet with this name")
        stored = backend.store.latest(limit=FEED_ITEMS, publisher=source)
        return answer(
            request, fmt, "source", {"source": source}, source, href("/latest", {"source": source}), stored
        )

    @router.get("/search.{fmt}", summary="The newest articles matching a search (with its filters)")
    def search(
        request: Request,
        fmt: FeedFormat,
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS)],
        source: Annotated[str | None, Query(max_length=MAX_NAME_CHARS)] = None,
        date_from: Annotated[dt.date | None, Query(alias="from")] = None,
        date_to: Annotated[dt.date | None, Query(alias="to")] = None,
    ) -> Response:
        query = SearchQuery(q, (source,) if source else (), date_from, date_to, limit=FEED_ITEMS, sort="date")
        try:
            hits = backend.search(query).hits
        except SearchError as exc:
            raise ApiError(400, f"cannot run this search: {exc}") from None
        params = {"q": q, "source": source or "", "from": str(date_from or ""), "to": str(date_to or "")}
        page = href("/search", params)
        return answer(
            request, fmt, "search", params, f"بحث: {q}", page, articles([h.article.id for h in hits])
        )

    @router.get("/story.{fmt}", summary="The articles of one story, newest first")
    def story(
        request: Request, fmt: FeedFormat, id: Annotated[str, Query(min_length=1, max_length=10_000)]
    ) -> Response:
        found = backend.store.story(id)
        if found is None:
            raise ApiError(404, "no story with this id")
        members = backend.store.story_articles(found.id)
        ids = [m.article for m in sorted(members, key=lambda m: -(m.published_ts or 0))][:FEED_ITEMS]
        return answer(
            request, fmt, "story", {"id": found.id}, found.headline, story_href(found.id), articles(ids)
        )

    @router.get("/saved.{fmt}", summary="The newest articles matching a saved search")
    def saved(request: Request, fmt: FeedFormat, id: Annotated[int, Query(ge=1, le=2**53)]) -> Response:
        found = backend.access.saved_search(id)
        if found is None:
            raise ApiError(404, "no saved search with this id")
        try:
            hits = backend.search(saved_search_query(found, limit=FEED_ITEMS)).hits
        except SearchError as exc:
            raise ApiError(400, f"cannot run this search: {exc}") from None
        page = href(
            "/search", {"q": found.query, "source": found.sources[0] if len(found.sources) == 1 else None}
        )
        stored = articles([h.article.id for h in hits])
        return answer(request, fmt, "saved", {"id": str(id)}, found.name, page, stored)

    @router.get(
        "/sections/{section}.{fmt}", summary="The latest articles of one section (optionally a country)"
    )
    def section(
        request: Request,
        section: str,
        fmt: FeedFormat,
        country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    ) -> Response:
        if section not in SECTION_KEYS:
            raise ApiError(404, f"no section {section[:40]!r}; sections: {', '.join(SECTION_KEYS)}")
        try:
            view = section_view(backend.store, section=section, country=country, limit=FEED_ITEMS)
        except InputError as exc:
            raise ApiError(400, str(exc)) from None
        assert view.section is not None
        title = view.section.name_ar + (f" — {view.country}" if view.country else "")
        params = {"country": view.country or ""}
        page = href(f"/sections/{section}", params)
        stored = articles([a.id for a in view.articles])
        return answer(request, fmt, f"sections/{section}", params, title, page, stored)

    @router.get("/entity.{fmt}", summary="The latest articles mentioning one entity")
    def entity(
        request: Request,
        fmt: FeedFormat,
        name: Annotated[str, Query(min_length=1, max_length=MAX_NAME_CHARS)],
    ) -> Response:
        info = backend.store.entity(name)
        if info is None:
            raise ApiError(404, "no entity with this name")
        mentions = backend.store.entity_articles(info.canonical, FEED_ITEMS)
        stored = articles([m.article for m in mentions])
        return answer(
            request,
            fmt,
            "entity",
            {"name": info.canonical},
            info.canonical,
            entity_href(info.canonical),
            stored,
        )

    return router
