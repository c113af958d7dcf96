"""HttpClient against httpx.MockTransport in virtual time: politeness, retries, redirects, SSRF, robots, limits."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email.utils
import gzip
import heapq
import logging
import random
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable
from typing import Any, TypeVar

import brotli  # type: ignore[import-untyped]
import httpx
import pytest
from tests.fixture_server import bomb

from naba.config import Settings
from naba.errors import FetchError, NabaError
from naba.sources.http import FetchPolicy, FetchResult, HttpClient

T = TypeVar("T")
HEADLINE = "وزير الخارجية يبحث مع نظيره الأردني تطورات المنطقة"
PAGE = f'<html lang="ar"><head><title>{HEADLINE}</title></head><body><h1>{HEADLINE}</h1></body></html>'
PUBLIC = "93.184.216.34"
URL_PATH = "/ar/2024/politics/1"
URL = f"https://news.example{URL_PATH}"


class VirtualClock:
    """Virtual time: ``sleep`` parks the task until :meth:`run` advances the clock to its wake-up time.

    The driver lets every runnable task reach its next await, then jumps to the earliest wake-up, so
    concurrent sleeps overlap as they would in real time (two hosts waiting 1 s each take 1 s, not 2).
    """

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.t + seconds, self._seq, future))
        self._seq += 1
        await future

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run(self._drive(coro))

    async def _drive(self, coro: Coroutine[Any, Any, T]) -> T:
        task = asyncio.ensure_future(coro)
        while not task.done():
            for _ in range(50):
                await asyncio.sleep(0)
            if task.done():
                break
            if not self._timers:
                await asyncio.sleep(0.001)  # something real is pending (a deadline test); let time pass
                continue
            self.t = max(self.t, self._timers[0][0])
            while self._timers and self._timers[0][0] <= self.t:
                future = heapq.heappop(self._timers)[2]
                if not future.done():
                    future.set_result(None)
        return task.result()


class Chunks(httpx.AsyncByteStream):
    """A response body streamed in pieces (not pre-read), optionally with a real-time pause per piece."""

    def __init__(self, data: bytes, size: int = 4096, pause: float = 0.0) -> None:
        self.data, self.size, self.pause = data, size, pause
        self.started = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.started = True
        for start in range(0, len(self.data), self.size):
            if self.pause:
                await asyncio.sleep(self.pause)
            yield self.data[start : start + self.size]


def respond(
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    length: bool = True,
    stream: Chunks | None = None,
) -> httpx.Response:
    all_headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    if length:
        all_headers.setdefault("Content-Length", str(len(body)))
    return httpx.Response(status, headers=all_headers, stream=stream or Chunks(body))


Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]


class Site:
    """A fake web server for MockTransport: routes by path (any host), a request log, an in-flight count."""

    def __init__(self, clock: VirtualClock | None = None, latency: float = 0.0) -> None:
        self.clock, self.latency = clock, latency
        self.routes: dict[str, Handler] = {"/robots.txt": lambda request: respond(404)}
        self.requests: list[httpx.Request] = []
        self.in_flight = self.max_in_flight = 0

    def add(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def serve(self, path: str, *responses: Callable[[], httpx.Response] | type[Exception]) -> None:
        """Answer ``path`` with these in turn (the last one repeats); an exception class is raised."""
        queue = list(responses)

        def handler(request: httpx.Request) -> httpx.Response:
            item = queue.pop(0) if len(queue) > 1 else queue[0]
            if isinstance(item, type):
                raise item("simulated", request=request)  # type: ignore[call-arg]
            return item()

        self.add(path, handler)

    def hits(self, path: str) -> int:
        return sum(1 for request in self.requests if request.url.path == path)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.latency and self.clock:
                await self.clock.sleep(self.latency)
            handler = self.routes.get(request.url.path, lambda request: respond(404, b"not found"))
            response = handler(request)
            return await response if isinstance(response, Awaitable) else response
        finally:
            self.in_flight -= 1


def client_for(
    site: Site,
    clock: VirtualClock,
    resolver: Callable[[str], list[str]] | None = None,
    **policy: Any,
) -> HttpClient:
    settings: dict[str, Any] = {
        "host_delay": 0.0,
        "retries": 2,
        "backoff_seconds": 1.0,
        "max_backoff_seconds": 30.0,
    }
    settings.update(policy)
    return HttpClient(
        FetchPolicy(**settings),
        transport=httpx.MockTransport(site),
        clock=clock,
        resolver=resolver or (lambda host: [PUBLIC]),
        rng=random.Random(7),
    )


def fetch(site: Site, url: str = URL, *, clock: VirtualClock | None = None, **policy: Any) -> FetchResult:
    clock = clock or VirtualClock()

    async def main() -> FetchResult:
        async with client_for(site, clock, **policy) as client:
            return await client.fetch(url)

    return clock.run(main())


def fetch_error(site: Site, url: str = URL, **policy: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(site, url, **policy)
    return caught.value


def fetch_many(site: Site, clock: VirtualClock, urls: Iterable[str], **policy: Any) -> HttpClient:
    async def main() -> HttpClient:
        async with client_for(site, clock, **policy) as client:
            await asyncio.gather(*(client.fetch(url) for url in urls))
            return client

    return clock.run(main())


def page_site(path: str = URL_PATH, body: bytes = PAGE.encode(), **headers: str) -> Site:
    site = Site()
    site.add(path, lambda request: respond(200, body, headers))
    return site


# -- policy and result ----------------------------------------------------------------------------------
def test_policy_from_settings_keeps_every_limit_and_adds_the_contact(settings: Settings) -> None:
    policy = FetchPolicy.from_settings(settings)
    assert policy.user_agent == settings.user_agent  # the default already names the contact URL
    assert (policy.host_delay, policy.max_body_bytes, policy.retries) == (
        settings.host_delay,
        settings.max_body_bytes,
        settings.retries,
    )
    custom = dataclasses.replace(settings, user_agent="naba/0.2", contact_url="https://naba.example/contact")
    assert FetchPolicy.from_settings(custom).user_agent == "naba/0.2 (+https://naba.example/contact)"
    assert FetchPolicy.from_settings(custom).robots_agent == "naba"


def test_body_and_declared_charset_pass_through_undecoded() -> None:
    body = PAGE.encode("windows-1256")
    result = fetch(page_site(body=body, **{"Content-Type": 'text/html; charset="Windows-1256"'}))
    assert result.content == body  # bytes as sent: extraction decodes
    assert result.charset == "windows-1256"
    assert result.content_type == 'text/html; charset="Windows-1256"'
    assert (result.status, result.attempts, result.redirects, result.final_url) == (200, 1, (), URL)
    assert result.fetched_at.tzinfo is dt.UTC
    assert result.url == URL


def test_sends_user_agent_accept_and_accept_encoding() -> None:
    site = page_site()
    clock = VirtualClock()

    async def main() -> None:
        async with client_for(site, clock, user_agent="naba/9 (+https://naba.example)") as client:
            await client.fetch(URL, accept="application/rss+xml")

    clock.run(main())
    page = site.requests[-1]
    assert page.headers["User-Agent"] == "naba/9 (+https://naba.example)"
    assert page.headers["Accept"] == "application/rss+xml"
    assert page.headers["Accept-Encoding"] == "gzip, deflate, br"


def test_a_response_already_read_by_the_transport_is_accepted() -> None:
    site = Site()
    site.add("/ar/2024/politics/1", lambda request: httpx.Response(200, content=PAGE.encode()))
    assert fetch(site).content == PAGE.encode()


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", gzip.compress),
        ("br", brotli.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as RFC 9110 means
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
    ],
)
def test_compressed_bodies_are_decoded(coding: str, compress: Callable[[bytes], bytes]) -> None:
    body = (PAGE * 50).encode()
    result = fetch(page_site(body=compress(body), **{"Content-Encoding": coding}))
    assert result.content == body


@pytest.mark.parametrize(
    ("coding", "body"), [("gzip", b"not gzip at all"), ("br", b"\xff" * 40), ("zstd", b"x")]
)
def test_undecodable_bodies_fail_with_decoding(coding: str, body: bytes) -> None:
    error = fetch_error(page_site(body=body, **{"Content-Encoding": coding}))
    assert error.reason == "decoding"


# -- conditional GET ------------------------------------------------------------------------------------
def test_conditional_get_returns_not_modified_on_304() -> None:
    site = Site()
    site.add("/feed.xml", lambda request: respond(304, headers={"ETag": '"v2"'}))
    clock = VirtualClock()

    async def main() -> FetchResult:
        async with client_for(site, clock) as client:
            return await client.fetch(
                "https://news.example/feed.xml", etag='"v2"', last_modified="Sat, 01 Jun 2024 10:00:00 GMT"
            )

    result = clock.run(main())
    sent = site.requests[-1].headers
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == ('"v2"', "Sat, 01 Jun 2024 10:00:00 GMT")
    assert result.not_modified and result.content == b"" and result.status == 304
    assert (result.etag, result.last_modified) == ('"v2"', "Sat, 01 Jun 2024 10:00:00 GMT")


# -- politeness -----------------------------------------------------------------------------------------
def test_request_starts_to_one_host_are_spaced_by_host_delay() -> None:
    site, clock = page_site(), VirtualClock()
    client = fetch_many(site, clock, [URL] * 4, host_delay=2.0, host_concurrency=4)
    starts = client.host_log()["news.example"]
    assert starts == [0.0, 2.0, 4.0, 6.0, 8.0]  # robots.txt counts too


def test_different_hosts_proceed_in_parallel() -> None:
    site, clock = page_site(), VirtualClock()
    urls = [f"https://{host}.example/ar/2024/politics/1" for host in ("a", "b") for _ in range(3)]
    client = fetch_many(site, clock, urls, host_delay=1.0)
    log = client.host_log()
    assert log["a.example"] == log["b.example"] == [0.0, 1.0, 2.0, 3.0]  # robots + 3 pages, side by side
    assert clock.t == 3.0  # one host after the other would take 7 s


def test_at_most_host_concurrency_requests_in_flight() -> None:
    clock = VirtualClock()
    site = page_site()
    site.clock, site.latency = clock, 1.0
    fetch_many(site, clock, [URL] * 6, host_concurrency=2, respect_robots=False)
    assert site.max_in_flight == 2
    assert clock.t == 3.0  # six one-second requests, two at a time


# -- retries --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_with_jittered_backoff(status: int) -> None:
    site = Site()
    site.serve(
        URL_PATH, lambda: respond(status), lambda: respond(status), lambda: respond(200, PAGE.encode())
    )
    clock = VirtualClock()
    result = fetch(site, clock=clock)
    assert result.attempts == 3 and result.content == PAGE.encode()
    first, second = clock.sleeps
    assert 0.0 <= first <= 1.0 and 0.0 <= second <= 2.0  # full jitter under backoff * 2**n


PAST = email.utils.format_datetime(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), usegmt=True)


def two_hours_from_now() -> str:
    """An HTTP-date two hours ahead, computed when the test runs (Retry-After dates are wall-clock time)."""
    return email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2), usegmt=True)


@pytest.mark.parametrize(("retry_after", "waited"), [("7", 7.0), ("30", 30.0), (PAST, 0.0)])
def test_retry_after_is_honoured(retry_after: str, waited: float) -> None:
    site = Site()
    site.serve(URL_PATH, lambda: respond(503, headers={"Retry-After": retry_after}), lambda: respond(200))
    clock = VirtualClock()
    assert fetch(site, clock=clock).attempts == 2
    assert clock.sleeps == [waited]


@pytest.mark.parametrize(
    ("retry_after", "at_least"),
    [(lambda: "1000", 1000.0), (two_hours_from_now, 7000.0)],
    ids=["delta-seconds", "http-date"],
)
def test_a_long_retry_after_ends_the_fetch_for_the_caller_to_reschedule(
    retry_after: Callable[[], str], at_least: float
) -> None:
    site = Site()
    header = {"Retry-After": retry_after()}
    site.serve(URL_PATH, lambda: respond(503, headers=header), lambda: respond(200))
    clock = VirtualClock()
    error = fetch_error(site, clock=clock)
    assert error.status == 503 and error.retry_after is not None and error.retry_after >= at_least
    assert clock.sleeps == [] and site.hits(URL_PATH) == 1


def test_after_the_last_retry_the_last_reason_is_raised() -> None:
    site = Site()
    site.serve(URL_PATH, lambda: respond(503), lambda: respond(503), httpx.ConnectError)
    error = fetch_error(site)
    assert (error.reason, error.status, error.attempts) == ("connect", None, 3)
    assert site.hits(URL_PATH) == 3


@pytest.mark.parametrize(
    ("exception", "reason"),
    [
        (httpx.ReadTimeout, "timeout"),
        (httpx.ConnectTimeout, "timeout"),
        (httpx.ConnectError, "connect"),
        (httpx.RemoteProtocolError, "connect"),
    ],
)
def test_transport_failures_are_retried_then_reported(exception: type[Exception], reason: str) -> None:
    site = Site()
    site.serve(URL_PATH, exception)
    error = fetch_error(site, retries=1)
    assert (error.reason, error.attempts) == (reason, 2)


@pytest.mark.parametrize("status", [403, 404, 410, 400])
def test_client_errors_are_not_retried(status: int) -> None:
    site = Site()
    site.serve(URL_PATH, lambda: respond(status))
    error = fetch_error(site)
    assert (error.reason, error.status, error.attempts) == ("http_status", status, 1)
    assert site.hits(URL_PATH) == 1


# -- redirects ------------------------------------------------------------------------------------------
def test_relative_redirects_are_followed() -> None:
    site = page_site(path="/ar/news/1")
    site.serve("/old/1", lambda: respond(301, headers={"Location": "/short/1"}))
    site.serve("/short/1", lambda: respond(302, headers={"Location": "../ar/news/1#top"}))
    result = fetch(site, "https://news.example/old/1")
    assert result.final_url == "https://news.example/ar/news/1"
    assert result.redirects == ("https://news.example/old/1", "https://news.example/short/1")
    assert result.content == PAGE.encode()


def test_redirect_loops_and_long_chains_fail() -> None:
    site = Site()
    site.serve("/a", lambda: respond(302, headers={"Location": "/b"}))
    site.serve("/b", lambda: respond(302, headers={"Location": "https://news.example/a"}))
    loop = fetch_error(site, "https://news.example/a")
    assert loop.reason == "redirects" and "loop" in str(loop)
    for hop in range(8):
        site.serve(f"/hop{hop}", lambda hop=hop: respond(307, headers={"Location": f"/hop{hop + 1}"}))
    error = fetch_error(site, "https://news.example/hop0", max_redirects=5)
    assert error.reason == "redirects" and "more than 5" in str(error)


# -- SSRF guard -----------------------------------------------------------------------------------------
BLOCKED = [
    "10.0.0.5",
    "127.0.0.1",
    "169.254.169.254",
    "::1",
    "fd00::1",
    "fd00:ec2::254",
    "0.0.0.0",
    "::ffff:10.0.0.1",
    "224.0.0.1",
    "100.64.0.1",
    "192.168.1.1",
    "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 wrapping the metadata address
    "fec0::1",  # site-local
]


@pytest.mark.parametrize("address", BLOCKED)
def test_hosts_resolving_to_non_public_addresses_are_refused(address: str) -> None:
    site = page_site()
    error = fetch_error(site, resolver=lambda host: [PUBLIC, address])
    assert error.reason == "blocked_address" and address in str(error)
    assert site.requests == []  # refused before anything is sent


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "http://[::1]:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
    ],
)
def test_ip_literal_hosts_are_checked_without_resolving(url: str) -> None:
    def resolver(host: str) -> list[str]:
        raise AssertionError("an IP literal needs no lookup")

    assert fetch_error(page_site(), url, resolver=resolver).reason == "blocked_address"


def test_every_redirect_hop_is_checked() -> None:
    site = Site()
    site.serve("/go", lambda: respond(302, headers={"Location": "http://intranet.example/secrets"}))
    addresses = {"news.example": [PUBLIC], "intranet.example": ["10.0.0.5"]}
    error = fetch_error(site, "https://news.example/go", resolver=addresses.__getitem__)
    assert error.reason == "blocked_address" and "intranet.example" in error.url
    assert site.hits("/secrets") == 0


def test_the_address_is_checked_again_before_a_retry() -> None:
    site = Site()
    site.serve(URL_PATH, lambda: respond(503), lambda: respond(200))
    answers = iter([[PUBLIC], ["10.0.0.5"]])  # the name is rebound while we wait to retry
    error = fetch_error(site, resolver=lambda host: next(answers), respect_robots=False)
    assert (error.reason, error.attempts) == ("blocked_address", 1) and site.hits(URL_PATH) == 1


def test_private_addresses_are_allowed_when_the_policy_says_so() -> None:
    result = fetch(page_site(), resolver=lambda host: ["127.0.0.1"], allow_private_addresses=True)
    assert result.status == 200


def test_unresolvable_hosts_fail_with_connect() -> None:
    def resolver(host: str) -> list[str]:
        raise OSError("Name or service not known")

    assert fetch_error(page_site(), resolver=resolver).reason == "connect"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://news.example/file",
        "file:///etc/passwd",
        "https://user:secret@news.example/",
        "http:///path",
        "gopher://x",
    ],
)
def test_non_http_schemes_and_credentials_are_invalid(url: str) -> None:
    site = page_site()
    assert fetch_error(site, url).reason == "invalid_url"
    assert site.requests == []


def test_a_redirect_to_another_scheme_is_invalid() -> None:
    site = Site()
    site.serve("/go", lambda: respond(302, headers={"Location": "file:///etc/passwd"}))
    assert fetch_error(site, "https://news.example/go").reason == "invalid_url"


# -- robots.txt -----------------------------------------------------------------------------------------
def robots_site(text: str) -> Site:
    site = page_site()
    site.add("/private/1", lambda request: respond(200, PAGE.encode()))
    site.add("/robots.txt", lambda request: respond(200, text.encode(), {"Content-Type": "text/plain"}))
    return site


def test_robots_disallow_is_honoured_and_robots_is_read_once() -> None:
    site, clock = robots_site("User-agent: *\nDisallow: /private\n"), VirtualClock()

    async def main() -> list[FetchResult | BaseException]:
        async with client_for(site, clock) as client:
            urls = [URL, URL, "https://news.example/private/1", URL]
            return await asyncio.gather(*(client.fetch(url) for url in urls), return_exceptions=True)

    outcomes = clock.run(main())
    refused = outcomes[2]
    assert isinstance(refused, FetchError) and refused.reason == "robots"
    assert all(isinstance(outcome, FetchResult) for outcome in outcomes[:2] + outcomes[3:])
    assert site.hits("/robots.txt") == 1 and site.hits("/private/1") == 0


def test_robots_group_for_our_product_token_wins() -> None:
    site = robots_site("User-agent: naba\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    assert fetch_error(site).reason == "robots"


def test_robots_crawl_delay_widens_the_spacing() -> None:
    site, clock = robots_site("User-agent: *\nCrawl-delay: 5\n"), VirtualClock()
    client = fetch_many(site, clock, [URL] * 3, host_delay=1.0, host_concurrency=3)
    assert client.host_log()["news.example"] == [0.0, 5.0, 10.0, 15.0]


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (403, True), (410, True), (500, False), (503, False)]
)
def test_robots_4xx_allows_all_and_5xx_disallows_all(status: int, allowed: bool) -> None:
    site = page_site()
    site.serve("/robots.txt", lambda: respond(status))
    if allowed:
        assert fetch(site).status == 200
    else:
        assert fetch_error(site).reason == "robots" and site.hits(URL_PATH) == 0


def test_unreachable_robots_disallows_all() -> None:
    site = page_site()
    site.serve("/robots.txt", httpx.ReadTimeout)
    error = fetch_error(site)
    assert error.reason == "robots" and "robots.txt unreachable (timeout: ReadTimeout" in str(error)


def test_robots_can_be_skipped() -> None:
    site = robots_site("User-agent: *\nDisallow: /\n")
    assert fetch(site, respect_robots=False).status == 200
    clock = VirtualClock()

    async def main() -> FetchResult:
        async with client_for(site, clock) as client:
            return await client.fetch(URL, robots=False)

    assert clock.run(main()).status == 200
    assert site.hits("/robots.txt") == 0


def test_robots_is_read_again_after_its_ttl() -> None:
    site, clock = robots_site("User-agent: *\nAllow: /\n"), VirtualClock()

    async def main() -> None:
        async with client_for(site, clock) as client:
            await client.fetch(URL)
            clock.t += 3601.0
            await client.fetch(URL)

    clock.run(main())
    assert site.hits("/robots.txt") == 2


def test_robots_sitemaps_lists_the_sitemap_lines() -> None:
    text = (
        "User-agent: *\nDisallow:\nSitemap: https://news.example/sitemap-news.xml\nSitemap: /relative.xml\n"
    )
    site, clock = robots_site(text), VirtualClock()

    async def main() -> list[str]:
        async with client_for(site, clock) as client:
            return await client.robots_sitemaps(URL)

    assert clock.run(main())[0] == "https://news.example/sitemap-news.xml"


# -- limits ---------------------------------------------------------------------------------------------
def test_bodies_over_the_cap_are_refused_while_streaming() -> None:
    site = Site()
    site.add(URL_PATH, lambda request: respond(200, PAGE.encode() * 1000, length=False))
    assert fetch_error(site, max_body_bytes=10_000).reason == "too_large"


def test_a_large_content_length_is_refused_before_reading() -> None:
    stream = Chunks(b"x" * 20_000)
    site = Site()
    site.add(URL_PATH, lambda request: respond(200, b"x" * 20_000, stream=stream))
    assert fetch_error(site, max_body_bytes=10_000).reason == "too_large"
    assert not stream.started


def test_a_body_exactly_at_the_cap_is_accepted() -> None:
    body = (HEADLINE * 100).encode()
    site = page_site(body=body)
    assert fetch(site, max_body_bytes=len(body)).content == body
    assert fetch_error(site, max_body_bytes=len(body) - 1).reason == "too_large"


@pytest.mark.parametrize(
    ("coding", "compress"),
    [("gzip", gzip.compress), ("br", lambda data: brotli.compress(data, quality=1))],
)
def test_compression_bombs_are_stopped_at_the_decoded_cap(
    coding: str, compress: Callable[[bytes], bytes]
) -> None:
    bomb = compress(bytes(20 * 1024 * 1024))
    site = page_site(body=bomb, **{"Content-Encoding": coding})
    error = fetch_error(site, max_body_bytes=64 * 1024)
    assert error.reason == "too_large" and len(bomb) < 64 * 1024  # small on the wire, huge decoded


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_bomb_is_never_inflated_beyond_the_cap(coding: str) -> None:
    # One 256 KiB network chunk of a 1 GiB bomb: inflated whole (as httpx's decoders do) it would be
    # hundreds of megabytes at once; decoded with bounded output it never holds much more than the cap.
    wire = Chunks(bomb(1 << 30, coding), size=256 * 1024)
    site = Site()
    site.add(
        URL_PATH,
        lambda request: respond(200, headers={"Content-Encoding": coding}, length=False, stream=wire),
    )
    tracemalloc.start()
    try:
        error = fetch_error(site, max_body_bytes=1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.reason == "too_large"
    assert peak < 16 * 1024 * 1024


def test_the_total_deadline_stops_a_dripping_body() -> None:
    site = Site()
    drip = Chunks(PAGE.encode(), size=1, pause=0.02)  # real time: the deadline is the event loop's
    site.add(URL_PATH, lambda request: respond(200, PAGE.encode(), stream=drip))
    error = fetch_error(site, total_timeout=0.2, retries=0)
    assert error.reason == "timeout" and "0.2s" in str(error)


# -- errors ---------------------------------------------------------------------------------------------
def test_fetch_errors_name_url_and_reason_and_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    site = Site()
    site.serve(URL_PATH, lambda: respond(410))
    with caplog.at_level(logging.WARNING, logger="naba.sources.http"):
        error = fetch_error(site)
    assert isinstance(error, NabaError) and error.stage == "fetch"
    assert str(error).startswith(f"{URL}: http_status: HTTP 410")
    failures = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(failures) == 1 and URL in failures[0] and "reason=http_status" in failures[0]
