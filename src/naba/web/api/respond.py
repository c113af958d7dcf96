"""How the API answers: a record as JSON with a strong ETag (a 304 when the client has it), and the limits
every list endpoint shares."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

from fastapi import Request, Response

from naba.engine.records import to_json

# Largest page any list endpoint serves (the ``limit`` parameter); a bigger one is a 422 in the envelope.
MAX_PAGE_SIZE: Final = 100
# Longest search query accepted (the reader cuts at the same length; the API refuses instead).
MAX_QUERY_CHARS: Final = 500
# Longest outlet key in a parameter: publisher keys are ingested text (a feed may name itself at length).
MAX_NAME_CHARS: Final = 2000
# Clients revalidate every time (the ETag makes that a 304 without a body when nothing changed).
CACHE_CONTROL: Final = "no-cache"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    """True when the client's ``If-None-Match`` names ``etag`` (or ``*``); weak validators match too."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def cached(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """``body`` with its ETag, or an empty 304 when the client already holds it."""
    etag = etag_of(body)
    common = {"ETag": etag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if not_modified(request, etag):
        return Response(status_code=304, headers=common)
    return Response(body, media_type=media_type, headers=common)


def record_response(request: Request, record: Any, status: int = 200) -> Response:
    """A read-model record (:mod:`naba.engine.records`) as the CLI's ``--json`` prints it."""
    body = json.dumps(to_json(record), ensure_ascii=False, separators=(",", ":")).encode()
    if status != 200:
        return Response(body, status_code=status, media_type="application/json")
    return cached(request, body, "application/json")
