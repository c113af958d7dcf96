"""The API's one error envelope: every 4xx and 5xx under ``/api/`` and ``/feeds/`` is

    {"error": {"code": "not_found", "message": "…", "detail": …}}

with the matching HTTP status (and ``Retry-After`` on a 429; a 503 when the database refuses writes, as a read
replica does). ``code`` is a closed set (:data:`CODES`), so a
client branches on it, never on the wording of ``message``. Validation errors carry FastAPI's list of the
offending fields as ``detail``; a 500 says nothing of the exception (it is logged with the path instead).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from naba.errors import ApiError

log = logging.getLogger(__name__)

ErrorCode = Literal[
    "bad_request",
    "invalid_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "payload_too_large",
    "unsupported_media_type",
    "too_many_requests",
    "internal_error",
    "service_unavailable",
]
CODES: Final[dict[int, ErrorCode]] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}
# The prefixes whose errors are JSON envelopes; the reader's pages keep their Arabic HTML 404.
ENVELOPE_PREFIXES: Final = ("/api/", "/feeds/")


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    code: ErrorCode
    message: str
    detail: Any = None


@dataclass(frozen=True, slots=True)
class ErrorEnvelope:
    """What every API error response holds (declared in ``/openapi.json`` for every operation)."""

    error: ErrorInfo


def wants_envelope(request: Request) -> bool:
    return request.url.path.startswith(ENVELOPE_PREFIXES)


def envelope(
    status: int, code: ErrorCode, message: str, detail: Any = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "detail": jsonable_encoder(detail)}}
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


def code_for(status: int) -> ErrorCode:
    return CODES.get(status, "internal_error" if status >= 500 else "bad_request")


def api_error_envelope(exc: ApiError) -> JSONResponse:
    code = next((c for c in CODES.values() if c == exc.code), None) or code_for(exc.http_status)
    return envelope(exc.http_status, code, exc.message, exc.detail, exc.headers)


def http_error_envelope(exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    code = CODES.get(status, "internal_error" if status >= 500 else "bad_request")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return envelope(status, code, message, None, exc.headers)


def validation_envelope(exc: RequestValidationError) -> JSONResponse:
    problems = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    where = ", ".join(".".join(str(p) for p in e["loc"]) for e in problems) or "the request"
    return envelope(422, "invalid_request", f"invalid value in {where}", problems)


def internal_error_envelope(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return envelope(500, "internal_error", "internal error; the server logged it")
