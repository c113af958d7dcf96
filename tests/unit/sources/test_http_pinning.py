"""DNS-rebinding defence: HttpClient connects to the very address its SSRF guard vetted, keeping the name.

The real httpx and httpcore stack runs over a fake network backend (:class:`Network`) that records where
each socket would go and what crosses it; one test uses a real loopback server instead.
"""

from __future__ import annotations

import asyncio
import random
import ssl
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpcore
import httpx
import pytest
from tests.fixture_server import ARABIC_PAGE, FixtureServer

from naba.errors import FetchError
from naba.sources.http import FetchPolicy, FetchResult, HttpClient, PinningTransport

T = TypeVar("T")
PUBLIC = "93.184.216.34"
OTHER_PUBLIC = "151.101.1.69"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"
LOOPBACK = "127.0.0.1"
BODY = ARABIC_PAGE.encode()

Answer = tuple[int, dict[str, str]]


class Resolver:
    """A DNS stub: each name gives its answers in turn (the last repeats); every lookup is recorded."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = {host: list(queue) for host, queue in answers.items()}
        self.calls: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.calls.append(host)
        queue = self.answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]


@dataclass
class Received:
    """One request as it crossed a socket: where the socket went, the TLS name, the request head."""

    address: str
    port: int
    server_hostname: str | None
    ssl_context: ssl.SSLContext | None
    path: str
    headers: dict[str, str]


class Wire(httpcore.AsyncNetworkStream):
    """One fake TCP connection: keeps what the client writes, answers each request head from the network."""

    def __init__(self, network: Network, address: str, port: int) -> None:
        self.network, self.address, self.port = network, address, port
        self.server_hostname: str | None = None
        self.ssl_context: ssl.SSLContext | None = None
        self._sent = b""
        self._unread = b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._sent += buffer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if not self._unread and b"\r\n\r\n" in self._sent:
            head, self._sent = self._sent.split(b"\r\n\r\n", 1)  # a GET has no body
            self._unread = self.network.answer(self, head.decode("ascii"))
        chunk, self._unread = self._unread[:max_bytes], self._unread[max_bytes:]
        return chunk

    async def aclose(self) -> None:
        pass

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        self.ssl_context, self.server_hostname = ssl_context, server_hostname
        return self


class Network(httpcore.AsyncNetworkBackend):
    """The internet as PinningTransport sees it: records every connect; paths answer from ``routes``.

    A route's answers are given in turn (the last repeats); unrouted paths get 200 with :data:`BODY`.
    Connections close after each response unless ``keep_alive``; ``unreachable`` addresses refuse.
    """

    def __init__(
        self,
        routes: dict[str, list[Answer]] | None = None,
        *,
        unreachable: Iterable[str] = (),
        keep_alive: bool = False,
    ) -> None:
        self.routes = {path: list(queue) for path, queue in (routes or {}).items()}
        self.unreachable = set(unreachable)
        self.keep_alive = keep_alive
        self.connects: list[tuple[str, int]] = []
        self.received: list[Received] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        if host in self.unreachable:
            raise httpcore.ConnectError("[Errno 101] Network is unreachable")
        return Wire(self, host, port)

    async def sleep(self, seconds: float) -> None:
        pass

    def answer(self, wire: Wire, head: str) -> bytes:
        request_line, *lines = head.split("\r\n")
        path = request_line.split(" ")[1]
        headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
        self.received.append(
            Received(wire.address, wire.port, wire.server_hostname, wire.ssl_context, path, headers)
        )
        queue = self.routes.get(path, [(200, {})])
        status, extra = queue.pop(0) if len(queue) > 1 else queue[0]
        body = BODY if status == 200 else b""
        fields = {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Length": str(len(body)),
            **({} if self.keep_alive else {"Connection": "close"}),
            **extra,
        }
        lines = [f"HTTP/1.1 {status} X", *(f"{name}: {value}" for name, value in fields.items())]
        return "\r\n".join(lines).encode("ascii") + b"\r\n\r\n" + body

    def paths(self) -> list[str]:
        return [request.path for request in self.received]


class InstantClock:
    """Monotonic time that jumps over every sleep (these tests wait for nothing)."""

    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += max(seconds, 0.0)


def pinned_client(network: Network, resolver: Resolver, **policy: Any) -> HttpClient:
    settings: dict[str, Any] = {"host_delay": 0.0, "retries": 2, "respect_robots": False, **policy}
    return HttpClient(
        FetchPolicy(**settings),
        transport=PinningTransport(network_backend=network),
        clock=InstantClock(),
        resolver=resolver,
        rng=random.Random(7),
    )


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def fetch(network: Network, resolver: Resolver, *urls: str, **policy: Any) -> list[FetchResult]:
    async def main() -> list[FetchResult]:
        async with pinned_client(network, resolver, **policy) as client:
            return [await client.fetch(url) for url in urls]

    return run(main())


def fetch_error(network: Network, resolver: Resolver, url: str, **policy: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(network, resolver, url, **policy)
    return caught.value


def rebinding(host: str = "news.example") -> Resolver:
    """A name that answers a public address once, then loopback for ever (TTL 0, attacker's DNS)."""
    return Resolver({host: [[PUBLIC], [LOOPBACK]]})


# -- one request: resolve once, connect to what was vetted -------------------------------------------------
def test_a_rebinding_name_is_connected_at_the_address_that_was_vetted() -> None:
    network, resolver = Network(), rebinding()
    (result,) = fetch(network, resolver, "https://news.example/ar/1")
    assert result.status == 200 and result.content == BODY
    assert resolver.calls == ["news.example"]  # resolved once; nobody asked DNS again before connecting
    assert network.connects == [(PUBLIC, 443)]


def test_with_robots_each_request_is_resolved_once_and_none_reaches_loopback() -> None:
    # The page's lookup says public (pinned); robots.txt's lookup, a moment later, says loopback: that
    # request is refused (robots.txt then counts as unavailable: allow all) and the page goes to the pin.
    network, resolver = Network(), rebinding()
    (result,) = fetch(network, resolver, "https://news.example/ar/1", respect_robots=True)
    assert result.status == 200
    assert resolver.calls == ["news.example", "news.example"]  # the page, then robots.txt
    assert network.connects == [(PUBLIC, 443)] and network.paths() == ["/ar/1"]


def test_the_socket_goes_to_the_ip_while_host_sni_and_certificate_check_keep_the_name() -> None:
    network = Network()
    fetch(network, Resolver({"news.example": [[PUBLIC]]}), "https://news.example/ar/1")
    (request,) = network.received
    assert (request.address, request.port) == (PUBLIC, 443)
    assert request.headers["host"] == "news.example"
    assert request.server_hostname == "news.example"  # SNI, and the name the certificate is checked against
    assert request.ssl_context is not None
    assert request.ssl_context.check_hostname and request.ssl_context.verify_mode == ssl.CERT_REQUIRED


def test_a_plain_http_port_is_kept_and_no_tls_is_started() -> None:
    network = Network()
    fetch(network, Resolver({"news.example": [[PUBLIC]]}), "http://news.example:8080/ar/1")
    (request,) = network.received
    assert (request.address, request.port, request.server_hostname) == (PUBLIC, 8080, None)
    assert request.headers["host"] == "news.example:8080"


def test_an_idn_host_is_resolved_and_pinned_in_its_ascii_form() -> None:
    network = Network()
    resolver = Resolver({"xn--igbicxr.example": [[PUBLIC]]})
    fetch(network, resolver, "https://أخبار.example/ar/1")
    (request,) = network.received
    assert resolver.calls == ["xn--igbicxr.example"]
    assert (request.address, request.headers["host"], request.server_hostname) == (
        PUBLIC,
        "xn--igbicxr.example",
        "xn--igbicxr.example",
    )


# -- retries and redirects: each resolved and pinned anew ---------------------------------------------------
def test_each_retry_is_resolved_vetted_and_pinned_again() -> None:
    network = Network({"/ar/1": [(503, {}), (200, {})]})
    resolver = Resolver({"news.example": [[PUBLIC], [OTHER_PUBLIC]]})  # the site moved while we waited
    (result,) = fetch(network, resolver, "https://news.example/ar/1")
    assert result.attempts == 2
    assert resolver.calls == ["news.example"] * 2
    assert network.connects == [(PUBLIC, 443), (OTHER_PUBLIC, 443)]


def test_a_retry_to_a_name_that_rebound_is_refused() -> None:
    network, resolver = Network({"/ar/1": [(503, {})]}), rebinding()
    error = fetch_error(network, resolver, "https://news.example/ar/1")
    assert error.reason == "blocked_address"
    assert network.connects == [(PUBLIC, 443)]


def test_a_redirect_to_a_name_that_rebinds_is_refused() -> None:
    # The attacker's page redirects to its own name, whose next answer is loopback.
    network = Network({"/start": [(302, {"Location": "/admin"})]})
    error = fetch_error(network, rebinding("rebind.example"), "https://rebind.example/start")
    assert error.reason == "blocked_address" and error.url == "https://rebind.example/admin"
    assert str(error) == (
        "https://rebind.example/admin: blocked_address: rebind.example is a non-public address (127.0.0.1)"
    )
    assert network.connects == [(PUBLIC, 443)] and network.paths() == ["/start"]


def test_every_redirect_hop_is_resolved_and_pinned_for_its_own_name() -> None:
    network = Network({"/go": [(301, {"Location": "https://other.example/ar/1"})]})
    resolver = Resolver({"news.example": [[PUBLIC]], "other.example": [[OTHER_PUBLIC]]})
    (result,) = fetch(network, resolver, "https://news.example/go")
    assert result.final_url == "https://other.example/ar/1"
    assert resolver.calls == ["news.example", "other.example"]
    assert [(r.address, r.headers["host"], r.server_hostname) for r in network.received] == [
        (PUBLIC, "news.example", "news.example"),
        (OTHER_PUBLIC, "other.example", "other.example"),
    ]


# -- addresses ----------------------------------------------------------------------------------------------
def test_an_ipv6_pin_is_dialled_bare_and_reported_in_brackets() -> None:
    network = Network(unreachable=[PUBLIC_V6])
    error = fetch_error(
        network, Resolver({"news.example": [[PUBLIC_V6]]}), "https://news.example/", retries=0
    )
    assert network.connects == [(PUBLIC_V6, 443)]  # a socket address takes no brackets
    assert error.reason == "connect" and f"cannot connect to news.example at [{PUBLIC_V6}]:443" in str(error)
    assert "\n" not in str(error)


def test_the_vetted_addresses_are_tried_in_order_and_no_others() -> None:
    network = Network(unreachable=[PUBLIC_V6])
    resolver = Resolver({"news.example": [[PUBLIC_V6, PUBLIC]]})
    (result,) = fetch(network, resolver, "https://news.example/ar/1")
    assert result.status == 200
    assert network.connects == [(PUBLIC_V6, 443), (PUBLIC, 443)]


def test_one_non_public_address_among_the_answers_refuses_the_host() -> None:
    network = Network()
    error = fetch_error(network, Resolver({"news.example": [[PUBLIC, LOOPBACK]]}), "https://news.example/")
    assert error.reason == "blocked_address" and network.connects == []


# -- the pool and the transport ----------------------------------------------------------------------------
def test_connections_are_pooled_per_name_not_per_address() -> None:
    # Two names behind one address (a CDN): each gets its own connection and its own TLS handshake, so a
    # certificate checked for one name never vouches for the other; one name reuses its own connection.
    network = Network(keep_alive=True)
    resolver = Resolver({"a.example": [[PUBLIC]], "b.example": [[PUBLIC]]})
    urls = ("https://a.example/1", "https://b.example/1", "https://a.example/2")
    fetch(network, resolver, *urls)
    assert network.connects == [(PUBLIC, 443), (PUBLIC, 443)]
    assert [(r.server_hostname, r.headers["host"], r.path) for r in network.received] == [
        ("a.example", "a.example", "/1"),
        ("b.example", "b.example", "/1"),
        ("a.example", "a.example", "/2"),
    ]


def test_the_transport_refuses_a_request_that_was_not_vetted() -> None:
    network = Network()

    async def main() -> None:
        async with httpx.AsyncClient(transport=PinningTransport(network_backend=network)) as client:
            await client.get("https://news.example/")

    with pytest.raises(httpx.ConnectError, match="no address of it was vetted"):
        run(main())
    assert network.connects == []


# -- a real socket ------------------------------------------------------------------------------------------
def test_a_real_connection_goes_to_the_pinned_address_under_the_name() -> None:
    # The fake name exists only in the stub resolver: the request can reach the loopback server only
    # through the pinned address, and the server must still be told the name.
    with FixtureServer() as server:
        server.add("/ar/1", ARABIC_PAGE)
        resolver = Resolver({"fake-name.test": [[server.host]]})
        url = f"http://fake-name.test:{server.port}/ar/1"

        async def main() -> tuple[FetchResult, dict[str, list[float]]]:
            policy = FetchPolicy(host_delay=0.0, retries=0, allow_private_addresses=True)
            async with HttpClient(policy, resolver=resolver) as client:
                return await client.fetch(url), client.host_log()

        result, log = run(main())
        assert result.content == BODY
        (page,) = server.hits("/ar/1")
        assert page.headers["host"] == f"fake-name.test:{server.port}"
        assert len(server.requests) == 2  # robots.txt and the page ...
        assert resolver.calls == ["fake-name.test"] * 2  # ... each resolved once
        assert list(log) == ["fake-name.test"]  # politeness is per name


def test_the_real_transport_refuses_the_loopback_name_by_default() -> None:
    with FixtureServer() as server:
        server.add("/ar/1", ARABIC_PAGE)
        resolver = Resolver({"fake-name.test": [[server.host]]})

        async def main() -> FetchResult:
            async with HttpClient(FetchPolicy(host_delay=0.0), resolver=resolver) as client:
                return await client.fetch(f"http://fake-name.test:{server.port}/ar/1")

        with pytest.raises(FetchError) as caught:
            run(main())
        assert caught.value.reason == "blocked_address" and server.requests == []
