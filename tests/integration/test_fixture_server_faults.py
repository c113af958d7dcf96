"""The real HttpClient against the real FixtureServer: every fault ends in the right FetchError (or success)."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import time
from typing import Any

import pytest
from tests.fixture_server import ARABIC_PAGE, FixtureServer, closed_port

from naba.config import Settings
from naba.errors import FetchError
from naba.sources.http import FetchPolicy, FetchResult, HttpClient, fetch_once

# Small limits so each fault trips fast; allow_private_addresses because the server is on 127.0.0.1.
POLICY = FetchPolicy(
    user_agent="naba-test/1.0 (+https://naba.example/contact)",
    host_delay=0.05,
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=3.0,
    max_body_bytes=2 * 1024 * 1024,
    retries=2,
    backoff_seconds=0.05,
    max_backoff_seconds=0.2,
    allow_private_addresses=True,
)


def fetch(url: str, policy: FetchPolicy = POLICY, **options: Any) -> FetchResult:
    async def main() -> FetchResult:
        async with HttpClient(policy) as client:
            return await client.fetch(url, **options)

    return asyncio.run(main())


def fetch_error(url: str, policy: FetchPolicy = POLICY) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, policy)
    return caught.value


def test_an_arabic_page_is_fetched_with_our_user_agent(server: FixtureServer) -> None:
    server.add("/ar/1", ARABIC_PAGE)
    result = fetch(server.url("/ar/1"))
    assert result.content.decode("utf-8") == ARABIC_PAGE and result.charset == "utf-8"
    (hit,) = server.hits("/ar/1")
    assert hit.headers["user-agent"] == POLICY.user_agent
    assert server.hits("/robots.txt")  # asked first (404 here: allow all)


def test_conditional_get_gets_a_304(server: FixtureServer) -> None:
    server.add("/feed.xml", "<rss/>", headers={"ETag": '"v1"'}, content_type="application/rss+xml")
    first = fetch(server.url("/feed.xml"))
    again = fetch(server.url("/feed.xml"), etag=first.etag)
    assert first.etag == '"v1"' and not first.not_modified
    assert again.not_modified and again.status == 304 and again.content == b""
    assert server.hits("/feed.xml")[-1].headers["if-none-match"] == '"v1"'


def test_hang_ends_in_timeout(server: FixtureServer) -> None:
    server.fault("/hang", "hang")
    error = fetch_error(server.url("/hang"), dataclasses.replace(POLICY, retries=0))
    assert error.reason == "timeout"


def test_drip_ends_at_the_total_deadline_not_the_read_timeout(server: FixtureServer) -> None:
    server.fault("/drip", "drip", interval=0.2)  # a byte every 0.2 s: the 1 s read timeout never fires
    error = fetch_error(server.url("/drip"), dataclasses.replace(POLICY, retries=0, total_timeout=1.5))
    assert error.reason == "timeout" and "1.5s" in str(error)


def test_transient_503s_are_retried_until_success(server: FixtureServer) -> None:
    server.fault("/flaky", "status", status=503, times=2)
    server.add("/flaky", ARABIC_PAGE)
    result = fetch(server.url("/flaky"))
    assert result.attempts == 3 and result.content == ARABIC_PAGE.encode()


@pytest.mark.parametrize(("status", "retry_after"), [(503, "0"), (429, "1"), (500, None)])
def test_persistent_server_errors_fail_after_the_retries(
    server: FixtureServer, status: int, retry_after: str | None
) -> None:
    server.fault("/down", "status", status=status, retry_after=retry_after)
    error = fetch_error(server.url("/down"))
    assert (error.reason, error.status, error.attempts) == ("http_status", status, 3)
    assert len(server.hits("/down")) == 3


@pytest.mark.parametrize("status", [404, 410])
def test_gone_pages_are_not_retried(server: FixtureServer, status: int) -> None:
    server.fault("/gone", "status", status=status)
    error = fetch_error(server.url("/gone"))
    assert (error.reason, error.status) == ("http_status", status)
    assert len(server.hits("/gone")) == 1


def test_redirect_is_followed(server: FixtureServer) -> None:
    server.fault("/old", "redirect", to="new?id=7", status=301)
    server.add("/new", ARABIC_PAGE)
    result = fetch(server.url("/old"))
    assert result.final_url == server.url("/new?id=7") and result.redirects == (server.url("/old"),)


def test_redirect_loop_fails(server: FixtureServer) -> None:
    server.fault("/loop", "redirect_loop")
    assert fetch_error(server.url("/loop")).reason == "redirects"


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compression_bomb_is_refused(server: FixtureServer, encoding: str) -> None:
    server.fault("/bomb", "gzip_bomb", encoding=encoding)  # ~1 MB (gzip) on the wire, 1 GiB decoded
    error = fetch_error(server.url("/bomb"))
    assert error.reason == "too_large" and error.attempts == 1


@pytest.mark.parametrize("content_length", [False, True])
def test_huge_body_is_refused(server: FixtureServer, content_length: bool) -> None:
    server.fault("/huge", "huge", content_length=content_length)  # 100 MiB, streamed
    error = fetch_error(server.url("/huge"))
    assert error.reason == "too_large"
    assert ("Content-Length" in str(error)) is content_length  # declared: refused before reading


@pytest.mark.parametrize(("actual", "declared"), [("windows-1256", "utf-8"), ("utf-8", "windows-1256")])
def test_wrong_charset_is_handed_on_as_declared(server: FixtureServer, actual: str, declared: str) -> None:
    server.fault("/mislabelled", "wrong_charset", actual=actual, declared=declared)
    result = fetch(server.url("/mislabelled"))
    assert result.content == ARABIC_PAGE.encode(actual)  # untouched: extraction sniffs the real encoding
    assert result.charset == declared


def test_truncated_body_fails_with_connect(server: FixtureServer) -> None:
    server.fault("/cut", "truncated")
    error = fetch_error(server.url("/cut"))
    assert (error.reason, error.attempts) == ("connect", 3)


def test_robots_rules_and_crawl_delay_are_honoured(server: FixtureServer) -> None:
    server.fault("/robots.txt", "robots", text="User-agent: *\nDisallow: /private\nCrawl-delay: 0.2\n")
    server.add("/public", ARABIC_PAGE)
    server.add("/private/1", ARABIC_PAGE)

    async def main() -> tuple[list[FetchResult | BaseException], dict[str, list[float]]]:
        async with HttpClient(POLICY) as client:
            urls = [server.url("/public"), server.url("/private/1"), server.url("/public")]
            outcomes = await asyncio.gather(*(client.fetch(url) for url in urls), return_exceptions=True)
            return outcomes, client.host_log()

    outcomes, log = asyncio.run(main())
    assert isinstance(outcomes[1], FetchError) and outcomes[1].reason == "robots"
    assert isinstance(outcomes[0], FetchResult) and isinstance(outcomes[2], FetchResult)
    assert len(server.hits("/robots.txt")) == 1 and not server.hits("/private/1")
    starts = log["127.0.0.1"]
    assert all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(starts))


def test_robots_sitemaps(server: FixtureServer) -> None:
    server.fault("/robots.txt", "robots", text=f"User-agent: *\nSitemap: {server.url('/sitemap.xml')}\n")

    async def main() -> list[str]:
        async with HttpClient(POLICY) as client:
            return await client.robots_sitemaps(server.url("/"))

    assert asyncio.run(main()) == [server.url("/sitemap.xml")]


def test_connection_refused_fails_with_connect() -> None:
    url = f"http://127.0.0.1:{closed_port()}/ar/1"
    error = fetch_error(url, dataclasses.replace(POLICY, retries=1, respect_robots=False))
    assert (error.reason, error.attempts) == ("connect", 2)
    # With robots on, the unreachable robots.txt is what refuses the page (Google's rule), and says why.
    error = fetch_error(url, dataclasses.replace(POLICY, retries=1))
    assert error.reason == "robots" and "unreachable (connect:" in str(error)


def test_the_ssrf_guard_refuses_the_fixture_server_by_default(server: FixtureServer) -> None:
    server.add("/ar/1", ARABIC_PAGE)
    error = fetch_error(server.url("/ar/1"), dataclasses.replace(POLICY, allow_private_addresses=False))
    assert error.reason == "blocked_address" and not server.requests


def test_fetch_once_uses_the_settings(server: FixtureServer, settings: Settings) -> None:
    server.add("/ar/1", ARABIC_PAGE)
    local = dataclasses.replace(settings, allow_private_addresses=True, host_delay=0.0)
    assert fetch_once(server.url("/ar/1"), local).content == ARABIC_PAGE.encode()


def test_stop_releases_hanging_and_dripping_handlers() -> None:
    server = FixtureServer()
    server.fault("/hang", "hang")
    server.fault("/drip", "drip", interval=5.0)
    policy = dataclasses.replace(POLICY, retries=0, read_timeout=0.3, respect_robots=False)
    for path in ("/hang", "/drip"):
        assert fetch_error(server.url(path), policy).reason == "timeout"
    assert server.active == 2  # both handlers are still waiting on their connections
    started = time.monotonic()
    server.stop()
    assert server.active == 0 and time.monotonic() - started < 2.0
