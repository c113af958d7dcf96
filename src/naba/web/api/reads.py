"""The read endpoints of ``/api/v1``: the same records as the CLI's ``--json`` (:mod:`naba.engine.records`).

Every handler is a plain ``def`` (the store is synchronous: FastAPI runs it in the threadpool), parses its
parameters with declared bounds (a bad one is a 422 in the envelope), calls one function of
:mod:`naba.engine.views` and answers the record with an ETag (:func:`naba.web.api.respond.record_response`).
Ids are path segments percent-encoded as one segment, as on the reader's pages (``/api/v1/articles/{id}``
with ``/`` as ``%2F``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from naba.engine import views
from naba.engine.records import (
    ArticleDetail,
    ArticlesPage,
    EntitiesView,
    EntityDetail,
    RelatedView,
    SearchView,
    SectionView,
    SourceHealth,
    StatsView,
    StoriesView,
    StoryDetail,
)
from naba.engine.section_views import section_view
from naba.errors import ApiError, CursorError, InputError, SearchError
from naba.sections import SECTION_KEYS
from naba.store.base import EntityKindName
from naba.types import ArticleId, SearchQuery, SearchSort
from naba.web.api.envelope import ErrorEnvelope
from naba.web.api.guard import read_guard
from naba.web.api.respond import MAX_NAME_CHARS, MAX_PAGE_SIZE, MAX_QUERY_CHARS, record_response
from naba.web.backend import ReaderBackend

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}.")]
Day = Annotated[dt.date | None, Query(description="A day, YYYY-MM-DD (UTC).")]
Country = Annotated[
    str | None,
    Query(min_length=2, max_length=2, description="Only articles about this country (ISO 3166-1 alpha-2)."),
]
Source = Annotated[
    str | None, Query(max_length=MAX_NAME_CHARS, description="Only this outlet (its publisher key).")
]

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorEnvelope, "description": text}
    for code, text in {
        400: "Bad request (a malformed search or cursor)",
        404: "Not found",
        422: "Invalid parameter",
        429: "Too many requests (see Retry-After)",
    }.items()
}


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def day_end(day: dt.date) -> dt.datetime:
    return day_start(day) + dt.timedelta(days=1) - dt.timedelta(microseconds=1)


def not_found(what: str) -> ApiError:
    return ApiError(404, f"no {what}")


def build_read_router(backend: ReaderBackend) -> APIRouter:
    router = APIRouter(
        prefix="/api/v1", tags=["read"], responses=ERRORS, dependencies=[Depends(read_guard(backend))]
    )

    @router.get("/articles", response_model=ArticlesPage, summary="The newest articles, a page at a time")
    def articles(
        request: Request,
        source: Source = None,
        date_from: Annotated[Day, Query(alias="from")] = None,
        date_to: Annotated[Day, Query(alias="to")] = None,
        limit: Limit = 20,
        cursor: Annotated[
            str | None, Query(max_length=200, description="next_cursor of the last page.")
        ] = None,
    ) -> Response:
        try:
            page = views.articles_page(
                backend.store,
                limit,
                cursor=cursor,
                publisher=source,
                since=day_start(date_from) if date_from else None,
                until=day_end(date_to) if date_to else None,
            )
        except CursorError as exc:
            raise ApiError(400, str(exc)) from None
        return record_response(request, page)

    @router.get(
        "/articles/{article_id:naba_id}",
        response_model=ArticleDetail,
        summary="One article with its story, copies, related articles and entities",
    )
    def article(request: Request, article_id: str) -> Response:
        found = views.article_detail(backend.store, ArticleId(article_id))
        if found is None:
            raise not_found("article with this id")
        return record_response(request, found)

    @router.get(
        "/related", response_model=RelatedView, summary="Articles related to one article, with reasons"
    )
    def related(
        request: Request,
        article: Annotated[str, Query(min_length=1, max_length=4000, description="An article id or URL.")],
        limit: Limit = 10,
    ) -> Response:
        article_id = views.resolve_article(backend.store, article)
        if article_id is None:
            raise not_found("article with this id or URL")
        items = views.stored_related(backend.store, article_id, limit)
        return record_response(request, RelatedView(article_id, views.related_briefs(items)))

    @router.get("/search", response_model=SearchView, summary="Search: BM25, Arabic-aware, copies folded")
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description='Words, "phrases".')],
        source: Annotated[list[str] | None, Query(max_length=50, description="Only these outlets.")] = None,
        date_from: Annotated[Day, Query(alias="from")] = None,
        date_to: Annotated[Day, Query(alias="to")] = None,
        sort: SearchSort = "relevance",
        limit: Limit = 20,
        offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    ) -> Response:
        query = SearchQuery(
            text=q,
            sources=tuple(source or ()),
            date_from=date_from,
            date_to=date_to,
            offset=offset,
            limit=limit,
            sort=sort,
        )
        try:
            found = views.search_view(backend.store, backend.search, query)
        except SearchError as exc:
            raise ApiError(400, f"cannot run this search: {exc}") from None
        return record_response(request, found)

    @router.get(
        "/stories", response_model=StoriesView, summary="Stories of a day (default: the latest), ranked"
    )
    def stories(
        request: Request,
        day: Day = None,
        all_days: Annotated[bool, Query(description="Rank the stories of every day.")] = False,
        limit: Limit = 20,
    ) -> Response:
        if day is None:
            return record_response(request, views.top_stories(backend.store, limit, all_days=all_days))
        rows = backend.store.stories(MAX_PAGE_SIZE * 5, since=day_start(day))
        shown = [s for s in rows if s.first_seen is None or s.first_seen <= day_end(day)][:limit]
        return record_response(request, StoriesView(day_start(day), views.story_briefs(backend.store, shown)))

    @router.get("/stories/{story_id:naba_id}", response_model=StoryDetail, summary="One story")
    def story(request: Request, story_id: str) -> Response:
        found = views.story_view(backend.store, story_id)
        if found is None:
            raise not_found("story with this id")
        return record_response(request, found)

    @router.get("/entities", response_model=EntitiesView, summary="Entities of the latest day, ranked")
    def entities(
        request: Request,
        kind: Literal["PER", "LOC", "ORG"] | None = None,
        all_days: bool = False,
        limit: Limit = 30,
    ) -> Response:
        chosen: EntityKindName | None = kind
        return record_response(
            request, views.top_entities_view(backend.store, limit, chosen, all_days=all_days)
        )

    @router.get("/entities/{name:naba_id}", response_model=EntityDetail, summary="One entity")
    def entity(request: Request, name: str) -> Response:
        found = views.entity_detail(backend.store, name)
        if found is None:
            raise not_found("entity with this name")
        return record_response(request, found)

    @router.get(
        "/sections",
        response_model=SectionView,
        summary="The newest articles about a country (or of every section), with each section's count",
    )
    def sections(request: Request, country: Country = None, limit: Limit = 20) -> Response:
        try:
            return record_response(request, section_view(backend.store, country=country, limit=limit))
        except InputError as exc:
            raise ApiError(400, str(exc)) from None

    @router.get(
        "/sections/{section}",
        response_model=SectionView,
        summary="The newest articles of one section (politics, economy, sports, …), optionally about a country",
    )
    def section(request: Request, section: str, country: Country = None, limit: Limit = 20) -> Response:
        if section not in SECTION_KEYS:
            raise not_found(f"section {section[:40]!r}; sections: {', '.join(SECTION_KEYS)}")
        try:
            view = section_view(backend.store, section=section, country=country, limit=limit)
        except InputError as exc:
            raise ApiError(400, str(exc)) from None
        return record_response(request, view)

    @router.get("/sources", response_model=list[SourceHealth], summary="Followed sources and their health")
    def sources(request: Request) -> Response:
        return record_response(request, views.source_health(backend.store))

    @router.get("/stats", response_model=StatsView, summary="What the database holds")
    def stats(request: Request) -> Response:
        return record_response(request, views.stats_view(backend.store))

    return router
