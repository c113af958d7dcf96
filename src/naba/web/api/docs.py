"""``/openapi.json`` (OpenAPI 3.1: the API and the feeds, not the reader's HTML pages) and ``/docs``, an
interactive page served from the package (``static/api-docs.js``: no CDN, works offline, no inline script)."""

from __future__ import annotations

import copy
from typing import Any, Final

import fastapi
from fastapi.responses import HTMLResponse, JSONResponse

from naba import __version__
from naba.web.api.envelope import ENVELOPE_PREFIXES

DESCRIPTION: Final = (
    "naba's JSON API: the same records as the CLI's --json. Errors are one envelope "
    '{"error": {"code", "message", "detail"}}. Reads are open unless the server requires a read token; '
    "every state-changing call needs a write token (Authorization: Bearer …)."
)
DOCS_PAGE: Final = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>naba API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/api-docs.css"><script src="/static/api-docs.js" defer></script>
</head><body><h1>naba API</h1><p><a href="/openapi.json">/openapi.json</a></p><main id="api"></main></body></html>
"""


def public_spec(app: fastapi.FastAPI) -> dict[str, Any]:
    """The app's OpenAPI 3.1 description limited to the paths of the API and the feeds."""
    spec = copy.deepcopy(app.openapi())
    spec["info"] = {"title": "naba", "version": __version__, "description": DESCRIPTION}
    spec["paths"] = {path: ops for path, ops in spec["paths"].items() if path.startswith(ENVELOPE_PREFIXES)}
    return spec


def add_docs(app: fastapi.FastAPI) -> None:
    spec: dict[str, Any] = {}

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> JSONResponse:
        if not spec:
            spec.update(public_spec(app))
        return JSONResponse(spec)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)
