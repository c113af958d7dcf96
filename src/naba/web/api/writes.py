"""Saved searches and webhooks under ``/api/v1``: listing a saved search is a read; creating or deleting
anything, and anything about webhooks (their URLs and delivery log), needs a write token
(:func:`naba.web.api.guard.require`). Bodies are JSON with declared bounds (a bad one is a 422 in the
envelope); the engine's own checks (:mod:`naba.engine.access`) answer with their ``http_status``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from naba.engine import access as engine_access
from naba.engine import views
from naba.engine.records import DeliveryView, SearchView, WebhookCreated, WebhookView
from naba.errors import ApiError, NabaError, ReadOnlyError, SearchError
from naba.store.access import SavedSearch
from naba.web.api.guard import require, write_guard
from naba.web.api.reads import ERRORS, Limit
from naba.web.api.respond import MAX_QUERY_CHARS, record_response
from naba.web.backend import ReaderBackend

WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: ERRORS[404] | {"description": "No valid token"},
    403: ERRORS[404] | {"description": "The token may not do this"},
    413: ERRORS[404] | {"description": "Request body too large"},
}
Id = Annotated[int, Path(ge=1, le=2**53)]


class SavedSearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(min_length=1, max_length=200)
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    sources: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default=[], max_length=50)
    date_from: dt.date | None = Field(default=None, alias="from")
    date_to: dt.date | None = Field(default=None, alias="to")


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, description="http(s) URL receiving the signed POSTs.")
    saved_search: int | None = Field(default=None, ge=1, le=2**53, description="Alert on new matches of it.")
    min_outlets: int | None = Field(default=None, ge=1, le=1000, description="Alert on stories this big.")


def engine_error(exc: NabaError) -> ApiError:
    if isinstance(exc, ReadOnlyError):  # a read replica: the change belongs on the primary
        return ApiError(503, exc.message)
    return ApiError(exc.http_status if 400 <= exc.http_status < 500 else 400, exc.message)


def build_write_router(backend: ReaderBackend) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["saved searches and alerts"], responses=WRITE_ERRORS)

    WRITE = [Depends(write_guard(backend))]

    def read(request: Request) -> None:
        if backend.settings.api_require_read_token:
            require(request, backend.access, "read")

    @router.get("/saved-searches", response_model=list[SavedSearch], summary="Saved searches")
    def list_saved(request: Request) -> Response:
        read(request)
        return record_response(request, backend.access.saved_searches())

    @router.post(
        "/saved-searches",
        status_code=201,
        response_model=SavedSearch,
        summary="Save a search",
        dependencies=WRITE,
    )
    def create_saved(request: Request, body: SavedSearchIn) -> Response:
        try:
            saved = engine_access.save_search(
                backend.access, body.name, body.query, body.sources, body.date_from, body.date_to
            )
        except NabaError as exc:
            raise engine_error(exc) from None
        return record_response(request, saved, status=201)

    @router.get("/saved-searches/{search_id}", response_model=SavedSearch, summary="One saved search")
    def one_saved(request: Request, search_id: Id) -> Response:
        read(request)
        found = backend.access.saved_search(search_id)
        if found is None:
            raise ApiError(404, "no saved search with this id")
        return record_response(request, found)

    @router.get(
        "/saved-searches/{search_id}/results",
        response_model=SearchView,
        summary="Run a saved search (newest first)",
    )
    def run_saved(
        request: Request, search_id: Id, limit: Limit = 20, offset: Annotated[int, Query(ge=0, le=10_000)] = 0
    ) -> Response:
        read(request)
        found = backend.access.saved_search(search_id)
        if found is None:
            raise ApiError(404, "no saved search with this id")
        query = views.saved_search_query(found, limit=limit, offset=offset)
        try:
            return record_response(request, views.search_view(backend.store, backend.search, query))
        except SearchError as exc:
            raise ApiError(400, f"cannot run this search: {exc}") from None

    @router.delete(
        "/saved-searches/{search_id}",
        status_code=204,
        summary="Delete a saved search and its webhooks",
        dependencies=WRITE,
    )
    def delete_saved(request: Request, search_id: Id) -> Response:
        if not backend.access.delete_saved_search(search_id):
            raise ApiError(404, "no saved search with this id")
        return Response(status_code=204)

    @router.get(
        "/webhooks", response_model=list[WebhookView], summary="Webhooks (write token)", dependencies=WRITE
    )
    def list_hooks(request: Request) -> Response:
        return record_response(request, [views.webhook_view(h) for h in backend.access.webhooks()])

    @router.post(
        "/webhooks",
        status_code=201,
        response_model=WebhookCreated,
        summary="Add a webhook",
        dependencies=WRITE,
    )
    def create_hook(request: Request, body: WebhookIn) -> Response:
        try:
            hook = engine_access.add_webhook(
                backend.access,
                backend.settings,
                body.url,
                saved_search=body.saved_search,
                min_outlets=body.min_outlets,
                watermark=backend.index_seq(),
            )
        except NabaError as exc:
            raise engine_error(exc) from None
        return record_response(request, views.webhook_created(hook), status=201)

    @router.delete("/webhooks/{webhook_id}", status_code=204, summary="Delete a webhook", dependencies=WRITE)
    def delete_hook(request: Request, webhook_id: Id) -> Response:
        if not backend.access.delete_webhook(webhook_id):
            raise ApiError(404, "no webhook with this id")
        return Response(status_code=204)

    @router.get(
        "/webhooks/{webhook_id}/deliveries",
        response_model=list[DeliveryView],
        summary="A webhook's delivery log",
        dependencies=WRITE,
    )
    def hook_log(request: Request, webhook_id: Id, limit: Limit = 50) -> Response:
        if backend.access.webhook(webhook_id) is None:
            raise ApiError(404, "no webhook with this id")
        log = backend.access.deliveries(webhook_id, limit)
        return record_response(request, [views.delivery_view(d) for d in log])

    return router
