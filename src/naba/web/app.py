"""The reader's ASGI application: ``create_app(backend)`` and ``serve(backend, host, port)``.

Routes: ``/`` (the day's stories; ``?day=``), ``/latest`` (latest articles, by outlet), ``/search``, ``/article/{id}``, ``/stories``, ``/story/{id}``, ``/entity/{name}``, ``/sources``, ``/healthz`` and ``/static/*``. The app
The JSON API lives under ``/api/v1`` (:mod:`naba.web.api`) with ``/openapi.json`` and ``/docs``; feeds under ``/feeds``.
depends only on the small :class:`~naba.web.backend.ReaderBackend` protocol, so the engine
(:class:`naba.engine.naba.Naba`) and test fakes plug in alike. Every response carries the security headers below; a ``?digits=`` choice is remembered in a cookie.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final

import fastapi
import uvicorn
from fastapi import Request, Response
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from naba.errors import ApiError, ReadOnlyError
from naba.web.api.docs import add_docs
from naba.web.api.envelope import (
    api_error_envelope,
    http_error_envelope,
    internal_error_envelope,
    validation_envelope,
    wants_envelope,
)
from naba.web.api.guard import ApiGuard, RateLimiter
from naba.web.api.reads import build_read_router
from naba.web.api.writes import build_write_router
from naba.web.article_page import build_article_router
from naba.web.backend import ReaderBackend
from naba.web.feed_routes import build_feed_router
from naba.web.format import parse_digits, zone
from naba.web.front_page import build_front_router
from naba.web.pages import (
    DIGITS_COOKIE,
    DIGITS_PARAM,
    TZ_STATE,
    Renderer,
    build_router,
    display_for,
    href,
    make_environment,
    understanding_of,
)
from naba.web.saved_pages import READ_ONLY_MESSAGE, build_saved_router
from naba.web.section_pages import build_section_router
from naba.web.source_pages import build_source_router
from naba.web.story_pages import build_story_router

STATIC_DIR: Final = Path(__file__).parent / "static"
READ_ONLY_HEADING: Final = "نسخة للقراءة فقط"
DIGITS_COOKIE_MAX_AGE: Final = 365 * 24 * 3600
# Smaller responses are sent as they are: compressing a few hundred bytes costs more than it saves.
GZIP_MIN_BYTES: Final = 1024

# No inline script or style anywhere, no third-party origin: fonts are the reader's system fonts and the
# only external thing on a page is a plain link to the original article.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: Final[dict[str, str]] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(backend: ReaderBackend) -> fastapi.FastAPI:
    """The reader app over ``backend``. No I/O happens here; the store is first used by a request."""
    app = fastapi.FastAPI(title="naba", docs_url=None, redoc_url=None, openapi_url=None)
    setattr(app.state, TZ_STATE, zone(backend.settings.timezone))
    render = Renderer(make_environment(), status=lambda: understanding_of(backend.store))
    app.include_router(build_read_router(backend))
    app.include_router(build_feed_router(backend))
    app.include_router(build_write_router(backend))
    app.include_router(build_front_router(backend, render))
    app.include_router(build_router(backend, render))
    app.include_router(build_article_router(backend, render))
    app.include_router(build_story_router(backend, render))
    app.include_router(build_source_router(backend, render))
    app.include_router(build_saved_router(backend, render))
    app.include_router(build_section_router(backend, render))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "articles": backend.store.count()}

    add_docs(app)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # The API and the feeds answer the JSON envelope; HTML pages get the Arabic 404.
        if wants_envelope(request):
            return http_error_envelope(exc)
        if exc.status_code == 404:
            return render(request, "not_found.html", {}, status=404)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(ApiError)
    async def refused(request: Request, exc: ApiError) -> Response:
        return api_error_envelope(exc)

    @app.exception_handler(ReadOnlyError)
    async def read_only(request: Request, exc: ReadOnlyError) -> Response:
        # A change asked of a server on a read replica (or a role that may not write): 503, not a crash.
        if wants_envelope(request):
            return api_error_envelope(ApiError(503, exc.message))
        return render.refusal(request, READ_ONLY_HEADING, READ_ONLY_MESSAGE, 503)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_envelope(request):
            return validation_envelope(exc)
        return await request_validation_exception_handler(request, exc)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        # Starlette's outermost middleware calls this for any unhandled error; the headers middleware is
        # inside it, so the security headers are added here too.
        response = internal_error_envelope(request, exc)
        response.headers.update(SECURITY_HEADERS)
        return response

    # Innermost first: the guard's 429 and 413 still get the security headers and gzip.
    settings = backend.settings
    limiter = RateLimiter(settings.api_rate_limit, settings.api_rate_burst)
    app.add_middleware(
        ApiGuard,
        limiter=limiter,
        max_body=settings.api_max_body_bytes,
        limited_page=lambda request, seconds: _too_many_searches(render, request, seconds),
    )
    app.middleware("http")(_headers_and_digits)
    origins = [o.strip() for o in settings.api_cors_origins.split(",") if o.strip()]
    if origins:  # CORS is off unless origins are named: no Access-Control-* header at all by default
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Retry-After"],
        )
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES)
    return app


def _too_many_searches(render: Renderer, request: Request, seconds: int) -> Response:
    """The reader's 429: the search page over the client's rate limit (the same buckets as the API's)."""
    display = display_for(request)
    message = (
        "وصلت من جهازك عمليات بحث كثيرة في وقت قصير، فأوقفنا البحث مؤقتًا. "
        f"أعد المحاولة بعد {display.num(seconds)} ث."
    )
    retry = href("/search", dict(request.query_params))
    return render.refusal(request, "طلبات بحث كثيرة", message, 429, retry)


async def _headers_and_digits(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Add the security headers; remember an explicit ``?digits=`` choice for the rest of the site."""
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    chosen = parse_digits(request.query_params.get(DIGITS_PARAM))
    if chosen is not None:
        response.set_cookie(
            DIGITS_COOKIE, chosen, max_age=DIGITS_COOKIE_MAX_AGE, samesite="lax", httponly=True
        )
    return response


def serve(backend: ReaderBackend, host: str, port: int) -> None:
    """Run the reader with uvicorn until interrupted (the CLI's ``naba serve``)."""
    uvicorn.run(create_app(backend), host=host, port=port, log_level="info", proxy_headers=False)
