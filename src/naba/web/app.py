"""The reader's ASGI application: ``create_app(backend)`` and ``serve(backend, host, port)``.

Routes: ``/`` (the day's stories; ``?day=``), ``/latest`` (latest articles, by outlet), ``/search``, ``/article/{id}``, ``/stories``, ``/story/{id}``, ``/entity/{name}``, ``/sources``, ``/healthz`` and ``/static/*``. The app
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
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from naba.web.article_page import build_article_router
from naba.web.backend import ReaderBackend
from naba.web.format import parse_digits, zone
from naba.web.front_page import build_front_router
from naba.web.pages import (
    DIGITS_COOKIE,
    DIGITS_PARAM,
    TZ_STATE,
    Renderer,
    build_router,
    make_environment,
    understanding_of,
)
from naba.web.source_pages import build_source_router
from naba.web.story_pages import build_story_router

STATIC_DIR: Final = Path(__file__).parent / "static"
DIGITS_COOKIE_MAX_AGE: Final = 365 * 24 * 3600

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
    app.include_router(build_front_router(backend, render))
    app.include_router(build_router(backend, render))
    app.include_router(build_article_router(backend, render))
    app.include_router(build_story_router(backend, render))
    app.include_router(build_source_router(backend, render))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "articles": backend.store.count()}

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # HTML pages get the Arabic 404; the JSON API (mounted later under /api) keeps its own envelope.
        if exc.status_code == 404 and not request.url.path.startswith("/api/"):
            return render(request, "not_found.html", {}, status=404)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    app.middleware("http")(_headers_and_digits)
    return app


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
