"""The one HTTP client naba uses: polite, bounded and guarded against SSRF.

Every fetch in naba (feeds, sitemaps, article pages, robots.txt) goes through :class:`HttpClient`, an asyncio
client on ``httpx.AsyncClient`` that

* keeps to each host's manners: at most ``host_concurrency`` requests in flight and at least
  ``max(host_delay, robots crawl-delay)`` seconds between two request *starts* (retries and robots.txt
  fetches included), while different hosts proceed in parallel;
* reads robots.txt once per origin (cached for :data:`ROBOTS_TTL_SECONDS`) and obeys it;
* refuses URLs that are not http(s), that carry credentials, or whose host resolves to a private,
  loopback, link-local, multicast, reserved or cloud-metadata address, and connects to the very addresses it
  checked (:class:`PinningTransport`), so a name that resolves differently a moment later (DNS rebinding)
  gains nothing; every request, retry and redirect hop is resolved, checked and pinned anew;
* follows redirects itself, sends conditional GETs, retries transient failures with exponential backoff
  and full jitter (honouring ``Retry-After``), and bounds every request by a total deadline and a cap on
  the *decoded* body size.

Failures raise :class:`FetchError` with a closed ``reason``. The body is returned as bytes with the charset
the server declared; decoding text is extraction's job (``naba.extract.decode``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import datetime as dt
import email.utils
import functools
import ipaddress
import logging
import random
import socket
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Protocol

import brotli  # type: ignore[import-untyped]  # installed by httpx[brotli]; bounded decoding needs its API
import httpcore  # httpx's own transport layer (a dependency of httpx): the connection is pinned there
import httpx
from protego import Protego

from naba.errors import FetchError

logger = logging.getLogger(__name__)


# Statuses worth a second try: rate limiting and the server-side errors that are usually transient.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRYABLE_REASONS = frozenset({"timeout", "connect"})
# A robots.txt answer is reused this long; a long-running `naba watch` re-reads it about hourly.
# Longest Retry-After waited for inside one fetch; a longer one ends the fetch with ``retry_after`` set.
MAX_INLINE_RETRY_AFTER: Final = 30.0
ROBOTS_TTL_SECONDS = 3600.0
# Google (and RFC 9309 §2.5) read only the first 500 KiB of a robots.txt; so do we.
ROBOTS_MAX_BYTES = 500 * 1024
# Cloud instance-metadata endpoints (AWS/GCP/Azure IPv4, AWS IPv6): named even though the ranges
# below already cover them, because they are the classic SSRF target.
METADATA_ADDRESSES = frozenset(map(ipaddress.ip_address, ("169.254.169.254", "fd00:ec2::254")))
ACCEPT_ENCODING = "gzip, deflate, br"
# Request start times kept per host for host_log(): plenty for a test or benchmark, bounded for a daemon.
HOST_LOG_LIMIT = 10_000
# Connection pool limits of PinningTransport: httpx's own defaults, which the client had before pinning.
POOL_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)


class Clock(Protocol):
    """Monotonic time and sleeping; injected so tests run politeness and backoff in virtual time."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: ``time.monotonic`` and ``asyncio.sleep``."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Politeness, limits and guards of one client; defaults match :mod:`naba.config`."""

    user_agent: str = "naba/0.1 (+https://github.com/naba-news/naba; Arabic news aggregator)"
    host_concurrency: int = 2
    host_delay: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 300.0
    respect_robots: bool = True
    allow_private_addresses: bool = False

    @classmethod
    def from_settings(cls, settings: Any) -> FetchPolicy:
        """The policy of resolved :class:`naba.config.Settings`; the contact URL is added to the UA if missing."""
        values = {field.name: getattr(settings, field.name) for field in dataclasses.fields(cls)}
        contact = str(getattr(settings, "contact_url", "") or "")
        if contact and contact not in values["user_agent"]:
            values["user_agent"] = f"{values['user_agent']} (+{contact})"
        return cls(**values)

    @property
    def robots_agent(self) -> str:
        """The product token robots.txt groups are matched against ("naba" of "naba/0.1 (...)")."""
        token = self.user_agent.split("/", 1)[0].split()
        return token[0] if token else self.user_agent


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One successful fetch. ``content`` is the decoded (decompressed) body; text decoding happens later.

    ``content_type`` is the whole Content-Type header, ``charset`` its charset parameter. ``redirects``
    lists every URL that answered with a redirect, in order; ``final_url`` answered last. ``attempts`` is
    1 plus the number of retries the fetch needed. A 304 gives ``not_modified=True`` and empty content.
    """

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    fetched_at: dt.datetime
    redirects: tuple[str, ...]
    attempts: int


@dataclass(frozen=True, slots=True)
class _Reply:
    """One HTTP exchange as the redirect loop sees it."""

    status: int
    headers: httpx.Headers
    content: bytes
    location: str | None


@dataclass(frozen=True, slots=True)
class _Robots:
    """A host's robots.txt as read: its rules; no rules (allow all); or ``unreachable`` (disallow all)."""

    rules: Protego | None
    unreachable: str | None  # why robots.txt could not be reached, when it could not
    expires: float

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable:
            return False
        return self.rules is None or self.rules.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        return self.rules.crawl_delay(agent) if self.rules is not None else None

    def sitemaps(self) -> list[str]:
        return list(self.rules.sitemaps) if self.rules is not None else []


class _HostGate:
    """Per-host politeness state: a semaphore for concurrency, a lock that spaces request starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.lock = asyncio.Lock()
        self.delay = delay
        self.last_start: float | None = None


# -- the pinned connection ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Pin:
    """The addresses the SSRF guard resolved for a host (and vetted, unless the policy allows private ones).

    ``host`` is the name as httpcore connects to it (ASCII, IDNA-encoded); ``addresses`` are tried in order.
    """

    host: str
    addresses: tuple[str, ...]


# The pin of the request in flight. httpcore tells a network backend only (host, port), so the pin rides in a
# context variable: HttpClient sets it around each request, and httpcore opens a connection in the task that
# sends the request, so the backend sees that request's pin and never another task's.
_PIN: contextvars.ContextVar[_Pin | None] = contextvars.ContextVar("naba_http_pin", default=None)


@contextlib.contextmanager
def _pinned(pin: _Pin) -> Iterator[None]:
    token = _PIN.set(pin)
    try:
        yield
    finally:
        _PIN.reset(token)


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to the pinned addresses of the request in flight, never to what DNS says now.

    A host without a pin (a request HttpClient did not vet) is refused: the guard fails closed.
    """

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        pin = _PIN.get()
        if pin is None or pin.host != host or not pin.addresses:
            raise httpcore.ConnectError(f"refused to connect to {host}: no address of it was vetted")
        failures: list[httpcore.ConnectError | httpcore.ConnectTimeout] = []
        for address in pin.addresses:
            logger.debug("connecting to %s at %s", host, _authority(address, port))
            try:
                # An IP literal: nothing is resolved again. TLS still gets the name: httpcore passes the
                # URL's host as server_hostname, so SNI and the certificate check are for the name.
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failures.append(exc)  # the next vetted address, as a browser would (without the racing)
        last = failures[-1]
        tried = ", ".join(_authority(address, port) for address in pin.addresses)
        raise type(last)(f"cannot connect to {host} at {tried}: {str(last) or type(last).__name__}") from last

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinningTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a network backend that connects only to the addresses HttpClient vetted.

    Why a backend rather than the usual rewrite of the URL's host to the IP (plus a Host header and the
    ``sni_hostname`` extension): httpcore pools connections by the URL's origin, so with IP URLs a TLS
    connection opened and verified for one name would carry requests for another name on the same IP (the
    rule behind a CDN) without that name's certificate ever being checked. Pinned at the socket, the pool,
    the Host header, SNI, certificate verification and cookies all stay keyed by the name.

    ``network_backend`` is what the pinned connections are opened with (tests pass a fake; the default is
    httpcore's anyio backend). Connections kept alive are reused only for their own name, so a reused one
    goes to an address vetted for that name by an earlier request.
    """

    def __init__(self, *, network_backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        super().__init__(trust_env=False, limits=POOL_LIMITS)
        # httpx takes no network backend, so its pool (unused so far) is replaced by one with ours. Checked,
        # because a renamed attribute would otherwise leave every connection silently unpinned.
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError(
                "httpx's transport has no connection pool to pin: naba.sources.http needs updating"
            )
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=POOL_LIMITS.max_connections,
            max_keepalive_connections=POOL_LIMITS.max_keepalive_connections,
            keepalive_expiry=POOL_LIMITS.keepalive_expiry,
            network_backend=_PinnedBackend(network_backend or httpcore.AnyIOBackend()),
        )


def _authority(address: str, port: int) -> str:
    """``address:port``, with an IPv6 address in brackets (RFC 3986) so the port cannot be misread."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


class HttpClient:
    """Fetch URLs politely; see the module docstring. Use ``async with HttpClient(policy) as client``.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests; only the default
    :class:`PinningTransport` pins connections to the vetted addresses), ``clock`` the monotonic clock,
    ``resolver`` the DNS lookup used by the SSRF guard (host -> IP strings; an injected resolver is called
    on the event loop and must not block, the default ``getaddrinfo`` runs in a worker thread), and ``rng``
    the source of backoff jitter.
    """

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        resolver: Callable[[str], list[str]] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy
        self._clock: Clock = clock or SystemClock()
        self._resolver = resolver or _system_resolver
        self._resolve_in_thread = resolver is None
        self._rng = rng or random.Random()
        self._gates: dict[str, _HostGate] = {}
        self._log: dict[str, deque[float]] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        # trust_env=False: no proxy, netrc or certificate settings picked up from the environment at
        # request time (settings are resolved once, CONVENTIONS §4); redirects are ours to follow (SSRF).
        self._client = httpx.AsyncClient(
            transport=transport or PinningTransport(),
            timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def host_log(self) -> dict[str, list[float]]:
        """Start times (``clock.now()``) of the requests sent, per host, robots.txt and retries included.

        Only the last :data:`HOST_LOG_LIMIT` per host are kept, so a long ``naba watch`` does not grow it.
        """
        return {host: list(starts) for host, starts in self._log.items()}

    # -- public fetches ---------------------------------------------------------------------------------
    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        robots: bool = True,
    ) -> FetchResult:
        """GET ``url``; conditional when ``etag``/``last_modified`` are given. Raises :class:`FetchError`.

        ``robots=False`` skips the robots.txt check (used to fetch robots.txt itself).
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        try:
            return await self._fetch(url, headers, robots=robots)
        except FetchError as exc:
            logger.warning(
                "fetch failed url=%s reason=%s attempts=%d: %s", url, exc.reason, exc.attempts, exc.message
            )
            raise

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body`` to ``url`` once (a webhook delivery; the caller owns retries) and return the status.

        The SSRF guard vets and pins the host as for a fetch; redirects are not followed (a 3xx is returned
        as a status), robots.txt does not apply (the target asked to be called). Raises :class:`FetchError`
        for a refused address, a bad URL, a timeout (``total_timeout``) or a failed connection.
        """
        parsed = _parse_url(url)
        pin = await self._vet(parsed)
        try:
            with _pinned(pin):
                async with asyncio.timeout(self.policy.total_timeout):
                    response = await self._client.post(parsed, content=body, headers=headers)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise FetchError("timeout", url, f"no response within {self.policy.total_timeout:g}s") from exc
        except httpx.TransportError as exc:
            raise FetchError("connect", url, f"{type(exc).__name__}: {exc}") from exc
        return response.status_code

    async def robots_sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` URLs of the robots.txt of ``url``'s origin (empty when it cannot be read)."""
        return (await self._robots_for(_parse_url(url))).sitemaps()

    # -- the redirect loop ------------------------------------------------------------------------------
    async def _fetch(self, url: str, headers: dict[str, str], *, robots: bool) -> FetchResult:
        current = _parse_url(url)
        redirects: list[str] = []
        attempts = 0
        while True:
            pin = await self._vet(current)  # before robots.txt: a refused host costs no fetch at all
            if robots and self.policy.respect_robots:
                await self._check_robots(current)
            reply, tries = await self._send_with_retries(current, headers, pin)
            attempts += tries
            if reply.location is None:
                return _result(url, current, reply, headers, tuple(redirects), attempts)
            redirects.append(str(current))
            current = self._next_hop(current, reply.location, redirects)

    def _next_hop(self, current: httpx.URL, location: str, redirects: list[str]) -> httpx.URL:
        try:
            target = _parse_url(str(current.join(location).copy_with(fragment=None)))
        except FetchError as exc:
            raise FetchError(exc.reason, str(current), f"redirect to {location!r}: {exc.message}") from exc
        if str(target) in redirects:
            raise FetchError("redirects", redirects[0], f"redirect loop back to {target}")
        if len(redirects) > self.policy.max_redirects:
            raise FetchError("redirects", redirects[0], f"more than {self.policy.max_redirects} redirects")
        return target

    # -- retries ----------------------------------------------------------------------------------------
    async def _send_with_retries(
        self, url: httpx.URL, headers: dict[str, str], pin: _Pin
    ) -> tuple[_Reply, int]:
        attempt = 1
        while True:
            try:
                return await self._send_once(url, headers, pin), attempt
            except FetchError as exc:
                exc.attempts = attempt
                if not _retryable(exc) or attempt > self.policy.retries:
                    raise
                if exc.retry_after is not None and exc.retry_after > MAX_INLINE_RETRY_AFTER:
                    # A server asking for minutes is answered by rescheduling (the caller sees retry_after),
                    # not by holding a poll slot asleep.
                    raise
                delay = self._retry_delay(attempt, exc.retry_after)
                logger.info(
                    "retry %d of %d in %.2fs url=%s: %s",
                    attempt,
                    self.policy.retries,
                    delay,
                    url,
                    exc.message,
                )
                await self._clock.sleep(delay)
                pin = await self._vet(url)  # DNS may have changed while we waited: vet and pin again
                attempt += 1

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        """Retry-After when the server sent one, else full jitter: uniform(0, min(cap, base * 2**n))."""
        cap = self.policy.max_backoff_seconds
        if retry_after is not None:
            return min(max(retry_after, 0.0), cap)
        return self._rng.uniform(0.0, min(cap, self.policy.backoff_seconds * 2 ** (attempt - 1)))

    # -- one request ------------------------------------------------------------------------------------
    async def _send_once(self, url: httpx.URL, headers: dict[str, str], pin: _Pin) -> _Reply:
        total = self.policy.total_timeout
        try:
            with _pinned(pin):
                return await self._exchange(url, headers)
        except TimeoutError as exc:
            raise FetchError("timeout", str(url), f"no complete response within {total:g}s") from exc
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", str(url), f"{type(exc).__name__}: {exc}") from exc
        except httpx.TransportError as exc:
            raise FetchError("connect", str(url), f"{type(exc).__name__}: {exc}") from exc

    async def _exchange(self, url: httpx.URL, headers: dict[str, str]) -> _Reply:
        async with self._slot(_host_key(url)):
            # The total deadline bounds the whole exchange, body included: httpx's read timeout is
            # per chunk, so a server dripping one byte a second would otherwise never time out.
            async with asyncio.timeout(self.policy.total_timeout):
                async with self._client.stream("GET", url, headers=headers) as response:
                    return await self._reply(response, str(url))

    async def _reply(self, response: httpx.Response, url: str) -> _Reply:
        status, headers = response.status_code, response.headers
        if status in REDIRECT_STATUSES and headers.get("location"):
            return _Reply(status, headers, b"", headers["location"])
        if status == 304:
            return _Reply(status, headers, b"", None)
        if 200 <= status < 300:
            return _Reply(status, headers, await self._read_body(response, url), None)
        retry_after = _retry_after(headers.get("retry-after")) if status in RETRY_STATUSES else None
        raise FetchError("http_status", url, f"HTTP {status}", status=status, retry_after=retry_after)

    async def _read_body(self, response: httpx.Response, url: str) -> bytes:
        limit = self.policy.max_body_bytes
        if response.is_stream_consumed:
            # The transport handed over a response already read into memory (httpx.MockTransport built
            # with content=...); httpx has decoded it, so only the cap is left to check.
            return _capped(response.content, limit, url)
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise FetchError("too_large", url, f"Content-Length {declared} is over the {limit}-byte cap")
        decoder = _decoder_for(response.headers.get("content-encoding", ""), url)
        body = bytearray()
        # Raw bytes, decoded here with bounded output: httpx's own decoders inflate a whole network chunk
        # at once, and one 64 KiB chunk of a brotli bomb is hundreds of megabytes.
        async for raw in response.aiter_raw():
            body += _capped(decoder.decode(raw, limit - len(body) + 1), limit - len(body), url)
        body += _capped(decoder.flush(), limit - len(body), url)
        return bytes(body)

    # -- politeness -------------------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of ``host``'s concurrency slots, started at least ``delay`` after the previous start."""
        gate = self._gate(host)
        async with gate.semaphore:
            async with gate.lock:
                while gate.last_start is not None:
                    wait = gate.last_start + gate.delay - self._clock.now()
                    if wait <= 0:
                        break
                    await self._clock.sleep(wait)
                gate.last_start = self._clock.now()
                self._log.setdefault(host, deque(maxlen=HOST_LOG_LIMIT)).append(gate.last_start)
            yield

    def _gate(self, host: str) -> _HostGate:
        if host not in self._gates:
            self._gates[host] = _HostGate(self.policy.host_concurrency, self.policy.host_delay)
        return self._gates[host]

    async def _check_robots(self, url: httpx.URL) -> None:
        robots = await self._robots_for(url)
        if robots.unreachable:
            detail = f"robots.txt unreachable ({robots.unreachable}), so the whole site counts as disallowed"
            raise FetchError("robots", str(url), detail)
        if not robots.allows(str(url), self.policy.robots_agent):
            raise FetchError("robots", str(url), f"robots.txt disallows it for {self.policy.robots_agent!r}")

    async def _robots_for(self, url: httpx.URL) -> _Robots:
        """The robots.txt of ``url``'s origin, fetched at most once per TTL even under concurrent fetches."""
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._robots.get(origin)
            if cached is None or cached.expires <= self._clock.now():
                cached = await self._load_robots(origin)
                self._robots[origin] = cached
                self._apply_crawl_delay(_host_key(url), cached)
            return cached

    async def _load_robots(self, origin: str) -> _Robots:
        expires = self._clock.now() + ROBOTS_TTL_SECONDS
        try:
            result = await self._fetch(f"{origin}/robots.txt", {"Accept": "text/plain"}, robots=False)
        except FetchError as exc:
            # Google's rule (RFC 9309 §2.3.1.3-4): a robots.txt that is *unavailable* (4xx, a redirect
            # loop, an unusable answer) means no rules, so allow all; one that is *unreachable* (5xx,
            # 429, timeout, refused connection) means the site may be in trouble, so disallow all
            # until the cached answer expires (this run, for a one-shot crawl).
            status = exc.status or 0
            unreachable = exc.reason in RETRYABLE_REASONS or status == 429 or status >= 500
            verdict = "disallow all" if unreachable else "allow all"
            logger.info("robots.txt of %s unreadable (%s): %s", origin, exc.message, verdict)
            return _Robots(None, exc.message if unreachable else None, expires)
        text = result.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return _Robots(Protego.parse(text), None, expires)

    def _apply_crawl_delay(self, host: str, robots: _Robots) -> None:
        delay = robots.crawl_delay(self.policy.robots_agent)
        if delay is not None:
            # Capped by max_backoff_seconds, the longest wait we accept anywhere: a Crawl-delay of a day
            # would otherwise stall a run; such a site is effectively asking not to be crawled by us.
            gate = self._gate(host)
            gate.delay = max(gate.delay, min(delay, self.policy.max_backoff_seconds))

    # -- the SSRF guard ---------------------------------------------------------------------------------
    async def _vet(self, url: httpx.URL) -> _Pin:
        """Resolve ``url``'s host once; refuse it if any address is non-public (unless the policy allows).

        The result is the pin: :class:`PinningTransport` connects to these addresses and no others, so a
        name that answers a public address now and a private one a moment later (DNS rebinding) is never
        looked up again between this check and the connection.
        """
        host = url.raw_host.decode("ascii")  # the name as httpcore will connect to it (IDNA-encoded)
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = await self._resolve(host, str(url))
        if not self.policy.allow_private_addresses:
            blocked = [address for address in addresses if _blocked(address)]
            if blocked:
                raise FetchError(
                    "blocked_address", str(url), f"{url.host} is a non-public address ({blocked[0]})"
                )
        return _Pin(host, tuple(dict.fromkeys(addresses)))

    async def _resolve(self, host: str, url: str) -> list[str]:
        try:
            if self._resolve_in_thread:
                addresses = await asyncio.to_thread(self._resolver, host)
            else:
                addresses = self._resolver(host)
        except (OSError, UnicodeError) as exc:
            # "No such name" will not change a second later (the next poll asks again); a temporary
            # resolver failure (EAI_AGAIN) might, so only that one is retried.
            unknown = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_NONAME
            raise FetchError("connect", url, f"cannot resolve {host}: {exc}", retryable=not unknown) from exc
        if not addresses:
            raise FetchError("connect", url, f"{host} resolves to no address")
        return addresses


# -- helpers of the client ------------------------------------------------------------------------------
def _parse_url(url: str) -> httpx.URL:
    """An absolute http(s) URL without credentials, or FetchError("invalid_url")."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError("invalid_url", url, f"not a URL: {exc}") from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError("invalid_url", url, f"scheme {parsed.scheme!r} is not http or https")
    if parsed.userinfo:
        raise FetchError("invalid_url", url, "URLs with credentials are refused")
    if not parsed.host:
        raise FetchError("invalid_url", url, "no host")
    return parsed


def _host_key(url: httpx.URL) -> str:
    """Politeness is per host name, whatever the scheme or port: it is one server's load we spare."""
    return url.host


def _system_resolver(host: str) -> list[str]:
    """The addresses of ``host`` in getaddrinfo's order (RFC 6724 preference): the order they are tried."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def non_public(address: str) -> bool:
    """Whether the SSRF guard refuses ``address`` (private, loopback, link-local, metadata, reserved, …)."""
    return _blocked(address)


def _blocked(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return True  # not an address we understand: refuse rather than guess
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        elif ip.sixtofour is not None and _blocked(str(ip.sixtofour)):
            return True  # 2002:7f00:1:: tunnels to 127.0.0.1
        elif ip.teredo is not None and any(_blocked(str(inner)) for inner in ip.teredo):
            return True
        elif ip.is_site_local:
            return True  # fec0::/10, deprecated but still routed by some stacks
    return (
        ip in METADATA_ADDRESSES
        or not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _retryable(exc: FetchError) -> bool:
    return exc.retryable and (exc.reason in RETRYABLE_REASONS or exc.status in RETRY_STATUSES)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, lower-cased, without quotes."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").strip().lower() or None
    return None


def _capped(chunk: bytes, room: int, url: str) -> bytes:
    if len(chunk) > room:
        raise FetchError("too_large", url, "the decoded body is over the size cap")
    return chunk


def _result(
    url: str,
    final: httpx.URL,
    reply: _Reply,
    sent: dict[str, str],
    redirects: tuple[str, ...],
    attempts: int,
) -> FetchResult:
    content_type = reply.headers.get("content-type")
    not_modified = reply.status == 304
    # A 304 may omit the validators; hand back the ones we sent so the caller can store them again.
    etag = reply.headers.get("etag") or (sent.get("If-None-Match") if not_modified else None)
    last_modified = reply.headers.get("last-modified") or (
        sent.get("If-Modified-Since") if not_modified else None
    )
    return FetchResult(
        url=url,
        final_url=str(final),
        status=reply.status,
        content=reply.content,
        content_type=content_type,
        charset=_charset(content_type),
        etag=etag,
        last_modified=last_modified,
        not_modified=not_modified,
        fetched_at=dt.datetime.now(dt.UTC),
        redirects=redirects,
        attempts=attempts,
    )


# -- content decoding with bounded output ---------------------------------------------------------------
class _Decoder(Protocol):
    def decode(self, data: bytes, limit: int) -> bytes:
        """Decode ``data``; output stops near ``limit`` bytes (brotli may overshoot up to about twice)."""
        ...

    def flush(self) -> bytes: ...


class _Identity:
    def decode(self, data: bytes, limit: int) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class _Zlib:
    """gzip, or deflate in its zlib wrapper or raw (servers send both under "deflate", as httpx knows)."""

    def __init__(self, wbits: int, url: str) -> None:
        self._wbits, self._url = wbits, url
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def decode(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._inflater.decompress(data, limit)
        except zlib.error as exc:
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise FetchError("decoding", self._url, f"bad compressed body: {exc}") from exc
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
            return self.decode(data, limit)
        self._started = True
        return out  # a non-empty unconsumed tail means len(out) == limit: the caller stops us

    def flush(self) -> bytes:
        try:
            return self._inflater.flush()
        except zlib.error as exc:
            raise FetchError("decoding", self._url, f"bad compressed body: {exc}") from exc


class _Brotli:
    def __init__(self, url: str) -> None:
        self._url = url
        self._decompressor = brotli.Decompressor()

    def decode(self, data: bytes, limit: int) -> bytes:
        try:
            out: bytes = self._decompressor.process(data, output_buffer_limit=limit)
            # Under the limit yet holding input: drain it (the decompressor buffers what it has not used).
            while len(out) < limit and not self._decompressor.can_accept_more_data():
                more: bytes = self._decompressor.process(b"", output_buffer_limit=limit - len(out))
                if not more:
                    break
                out += more
        except brotli.error as exc:
            raise FetchError("decoding", self._url, f"bad brotli body: {exc}") from exc
        return out

    def flush(self) -> bytes:
        return b""


_DECODERS: dict[str, Callable[[str], _Decoder]] = {
    "identity": lambda url: _Identity(),
    "gzip": functools.partial(_Zlib, zlib.MAX_WBITS | 16),
    "x-gzip": functools.partial(_Zlib, zlib.MAX_WBITS | 16),
    "deflate": functools.partial(_Zlib, zlib.MAX_WBITS),
    "br": _Brotli,
}


def _decoder_for(content_encoding: str, url: str) -> _Decoder:
    codings = [
        c for c in (part.strip().lower() for part in content_encoding.split(",")) if c != "identity" and c
    ]
    if len(codings) > 1:
        raise FetchError("decoding", url, f"stacked content encodings are not supported: {content_encoding}")
    factory = _DECODERS.get(codings[0] if codings else "identity")
    if factory is None:
        raise FetchError("decoding", url, f"unsupported content encoding {content_encoding!r}")
    return factory(url)


def fetch_once(url: str, settings: Any, **options: Any) -> FetchResult:
    """Fetch one URL synchronously with a fresh client (for the CLI); ``options`` go to :meth:`HttpClient.fetch`."""

    async def run() -> FetchResult:
        async with HttpClient(FetchPolicy.from_settings(settings)) as client:
            return await client.fetch(url, **options)

    return asyncio.run(run())
