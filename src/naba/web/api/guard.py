"""What stands in front of the API and the feeds: tokens, rate limits, body size, CORS.

* **Tokens** (:func:`token_of`, :func:`require`): ``Authorization: Bearer naba_<id>_<secret>``. Every
  state-changing endpoint needs a write token; reads are open unless ``api_require_read_token`` is set.
  Missing or unknown token: 401 with ``WWW-Authenticate: Bearer``; a read token where a write one is needed: 403.
* **Rate limits** (:class:`RateLimiter`): a token bucket per client (its token id when it sends one, else
  its address): ``api_rate_burst`` requests at once, refilled at ``api_rate_limit`` per second. An empty
  bucket is a 429 in the envelope with ``Retry-After`` (whole seconds) and ``detail.retry_after``. The
  reader's search page (:data:`LIMITED_PAGES`: it runs a query as the API's search does) draws on the same
  buckets; there an empty bucket is the reader's Arabic 429 page, with the same ``Retry-After``.
* **Body size**: a request body over ``api_max_body_bytes`` is a 413 in the envelope, whether it declares
  its length or streams it (a streamed one is read here up to the limit, then handed on).

:class:`ApiGuard` is a plain ASGI middleware so that it runs before routing and body parsing.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Final

from fastapi import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from naba.engine.access import allows, verify_token
from naba.errors import ApiError
from naba.store.access import AccessStore, TokenRow, TokenScope
from naba.web.api.envelope import ENVELOPE_PREFIXES, envelope

# Clients remembered by the rate limiter; the least recently seen is forgotten first (a full bucket again).
MAX_CLIENTS: Final = 10_000
BEARER: Final = "bearer "
# The reader's pages that cost what an API search costs, limited by the same buckets.
LIMITED_PAGES: Final = frozenset({"/search"})


def presented_token(request_headers: Any) -> str | None:
    header = request_headers.get("authorization") or ""
    return header[len(BEARER) :].strip() if header.lower().startswith(BEARER) else None


def token_of(request: Request, access: AccessStore) -> TokenRow | None:
    presented = presented_token(request.headers)
    return verify_token(access, presented) if presented else None


def require(request: Request, access: AccessStore, scope: TokenScope) -> TokenRow | None:
    """The request's token if it may do what needs ``scope``; raises the 401/403 :class:`ApiError` if not."""
    return require_token(presented_token(request.headers), access, scope)


def require_token(presented: str | None, access: AccessStore, scope: TokenScope) -> TokenRow | None:
    """The token ``presented`` (a header's or a form's) if it may do what needs ``scope``, else the 401/403."""
    token = verify_token(access, presented) if presented else None
    if allows(token, scope):
        return token
    if token is None:
        message = "a valid token is needed" if presented else f"this needs a {scope} token"
        raise ApiError(401, message, headers={"WWW-Authenticate": 'Bearer realm="naba"'})
    raise ApiError(403, f"this needs a {scope} token; this token is {token.scope}-only")


def read_guard(backend: Any) -> Callable[[Request], None]:
    """A route dependency: with ``api_require_read_token``, every read needs a read (or write) token."""

    def guard(request: Request) -> None:
        if backend.settings.api_require_read_token:
            require(request, backend.access, "read")

    return guard


def write_guard(backend: Any) -> Callable[[Request], None]:
    """A route dependency: the request needs a write token (checked before its body is read or validated)."""

    def guard(request: Request) -> None:
        require(request, backend.access, "write")

    return guard


class RateLimiter:
    """Token buckets per client key; thread-safe (handlers run in the threadpool). ``clock`` is injected."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, max(burst, 1), clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead (one unit taken), else the seconds until one unit is back."""
        if self.rate <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            level, then = self._buckets.pop(key, (float(self.burst), now))
            level = min(float(self.burst), level + (now - then) * self.rate)
            wait = 0.0 if level >= 1.0 else (1.0 - level) / self.rate
            self._buckets[key] = (level - 1.0 if wait == 0.0 else level, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait


class ApiGuard:
    """ASGI middleware: rate limit and body size limit on the API and feed paths (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        max_body: int,
        limited_page: Callable[[Request, int], Response] | None = None,
    ) -> None:
        """``limited_page(request, seconds)``: the HTML answer when a :data:`LIMITED_PAGES` page is over the
        limit (without it, those pages are not limited)."""
        self.app, self.limiter, self.max_body = app, limiter, max_body
        self.limited_page = limited_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and self.limited_page is not None and path in LIMITED_PAGES:
            await self._page(scope, receive, send)
            return
        if scope["type"] != "http" or not path.startswith(ENVELOPE_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        token = presented_token(headers)
        client = scope.get("client") or ("unknown", 0)
        key = (
            f"token:{token.split('_')[1] if token and token.count('_') >= 2 else token}"
            if token
            else client[0]
        )
        wait = self.limiter.take(key)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            response = envelope(
                429, "too_many_requests", f"too many requests; retry in {seconds} s", {"retry_after": seconds},
                {"Retry-After": str(seconds)},
            )  # fmt: skip
            await response(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        # A body with no declared length (chunked) is read here, up to the limit, and replayed to the app.
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.max_body:
                await self._too_large(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _page(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A limited HTML page: the client's bucket (by address: pages carry no token), else the 429 page."""
        client = scope.get("client") or ("unknown", 0)
        wait = self.limiter.take(client[0])
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        assert self.limited_page is not None
        response = self.limited_page(Request(scope), seconds)
        response.headers["Retry-After"] = str(seconds)
        await response(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body over {self.max_body} bytes"
        await envelope(413, "payload_too_large", message, {"max_bytes": self.max_body})(scope, receive, send)
