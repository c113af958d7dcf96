"""A real HTTP server on 127.0.0.1 for every test that fetches: static routes plus the faults the web throws.

Usage::

    from tests.fixture_server import FixtureServer

    with FixtureServer() as server:
        server.add("/feed.xml", rss_bytes, content_type="application/rss+xml; charset=utf-8")
        server.add("/a/1", "<html>...</html>", headers={"ETag": '"v1"'})   # If-None-Match: "v1" -> 304
        server.fault("/robots.txt", "robots", text="User-agent: *\\nDisallow: /private\\n")
        server.fault("/flaky", "status", status=503, times=2)   # two 503s, then the route added below
        server.add("/flaky", b"ok")
        url = server.url("/feed.xml")                             # http://127.0.0.1:<port>/feed.xml
        ...
        server.requests                                           # [Hit(at, method, path, headers), ...]

or as a pytest fixture::

    @pytest.fixture
    def server() -> Iterator[FixtureServer]:
        with FixtureServer() as running:
            yield running

The server is stdlib ``ThreadingHTTPServer`` (one daemon thread per connection, HTTP/1.0 so each response
closes its connection) on a free port. Faults (``server.fault(path, kind, **options)``, see :data:`FAULTS`):

=================  ===================================================================================
``hang``           accept the request, never answer (until the server stops) -> the client's read timeout
``drip``           send headers, then one byte every ``interval`` seconds (default 1) -> total deadline
``status``         answer ``status`` (default 503) with optional ``retry_after`` and ``body``
``redirect``       redirect (``status`` 302) to ``to`` (relative or absolute)
``redirect_loop``  ``path`` -> ``path?again`` -> ``path`` -> ...
``gzip_bomb``      a small compressed body (``encoding`` "gzip" or "br") that decodes to ``size`` (1 GiB) zeros
``huge``           stream ``size`` bytes (100 MiB) from a fixed buffer; ``content_length=True`` declares it
``wrong_charset``  ``text`` encoded as ``actual`` (windows-1256) but declared as ``declared`` (utf-8)
``truncated``      declare a Content-Length ``missing`` (100) bytes longer than ``body``, then close
``robots``         serve ``text`` as text/plain (meant for /robots.txt)
=================  ===================================================================================

Every fault takes ``times=N``: it fires for the first N requests to its path only; later requests get the
static route of that path (or 404). Paths are matched with their query first, then without it. Requests are
logged (thread-safe) before they are answered. ``stop()`` (or leaving the ``with``) wakes hanging and
dripping handlers, so shutdown is prompt. A closed port for connection-refused tests: :func:`closed_port`.
"""

from __future__ import annotations

import functools
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple

import brotli  # type: ignore[import-untyped]

HOST = "127.0.0.1"
ARABIC_PAGE = (
    '<html lang="ar" dir="rtl"><head><title>وزير الخارجية يبحث مع نظيره الأردني تطورات المنطقة</title></head>'
    "<body><h1>وزير الخارجية يبحث مع نظيره الأردني تطورات المنطقة</h1>"
    "<p>بحث وزير الخارجية اليوم مع نظيره الأردني آخر تطورات الأوضاع في المنطقة.</p></body></html>"
)
_CHUNK = 64 * 1024
_DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class Hit(NamedTuple):
    """One request as the server received it (``at`` is ``time.monotonic()``; header names lower-cased)."""

    at: float
    method: str
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Route:
    body: bytes
    status: int
    headers: Mapping[str, str]


@dataclass
class Fault:
    kind: str
    options: dict[str, Any]
    times: int | None
    hits: int = field(default=0)


Handler = BaseHTTPRequestHandler
FaultFn = Callable[..., None]


def _send_head(handler: Handler, status: int, headers: Mapping[str, str]) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()


def _send(handler: Handler, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
    all_headers = {"Content-Length": str(len(body)), **(headers or {})}
    _send_head(handler, status, all_headers)
    if handler.command != "HEAD":
        handler.wfile.write(body)


def _hang(handler: Handler, stop: threading.Event) -> None:
    stop.wait()  # never answer; the server's stop() releases us


def _drip(
    handler: Handler,
    stop: threading.Event,
    interval: float = 1.0,
    text: str = ARABIC_PAGE,
    content_type: str = "text/html; charset=utf-8",
) -> None:
    body = text.encode("utf-8")
    _send_head(handler, 200, {"Content-Type": content_type, "Content-Length": str(len(body))})
    for index in range(len(body)):
        if stop.wait(interval):
            return
        handler.wfile.write(body[index : index + 1])
        handler.wfile.flush()


def _status(
    handler: Handler,
    stop: threading.Event,
    status: int = 503,
    retry_after: str | int | None = None,
    body: bytes = b"",
) -> None:
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    _send(handler, status, body, headers)


def _redirect(handler: Handler, stop: threading.Event, to: str, status: int = 302) -> None:
    _send(handler, status, b"", {"Location": to})


def _redirect_loop(handler: Handler, stop: threading.Event, status: int = 302) -> None:
    path, _, query = handler.path.partition("?")
    _send(handler, status, b"", {"Location": path if query else f"{path}?again"})


@functools.cache
def bomb(size: int = 1 << 30, encoding: str = "gzip") -> bytes:
    """``size`` zero bytes compressed as gzip (~1 MB per GiB) or br (far less); cached, built in 1 MiB steps."""
    zeros = bytes(1 << 20)
    steps, rest = divmod(size, len(zeros))
    if encoding == "br":
        compressor = brotli.Compressor(quality=1)
        parts = [compressor.process(zeros) for _ in range(steps)]
        return b"".join([*parts, compressor.process(zeros[:rest]), compressor.finish()])
    # After a full flush the deflater starts afresh, so every 1 MiB of zeros compresses to the same bytes:
    # compress one block and repeat it (0.2 s instead of 2-3 s of deflating a whole GiB).
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflater.compress(zeros) + deflater.flush(zlib.Z_FULL_FLUSH)
    tail = deflater.compress(zeros[:rest]) + deflater.flush()
    crc = 0
    for _ in range(steps):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(zeros[:rest], crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, no mtime
    return header + block * steps + tail + struct.pack("<II", crc, size & 0xFFFFFFFF)


def _gzip_bomb(handler: Handler, stop: threading.Event, size: int = 1 << 30, encoding: str = "gzip") -> None:
    body = bomb(size, encoding)
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": encoding}
    _send(handler, 200, body, headers)


def _huge(
    handler: Handler, stop: threading.Event, size: int = 100 * 1024 * 1024, content_length: bool = False
) -> None:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    if content_length:
        headers["Content-Length"] = str(size)
    _send_head(handler, 200, headers)  # without a length, HTTP/1.0 ends the body by closing
    chunk = ("خبر " * (_CHUNK // 7)).encode("utf-8")
    sent = 0
    while sent < size and not stop.is_set():
        piece = chunk[: size - sent]
        handler.wfile.write(piece)
        sent += len(piece)


def _wrong_charset(
    handler: Handler,
    stop: threading.Event,
    text: str = ARABIC_PAGE,
    actual: str = "windows-1256",
    declared: str = "utf-8",
) -> None:
    _send(handler, 200, text.encode(actual), {"Content-Type": f"text/html; charset={declared}"})


def _truncated(
    handler: Handler, stop: threading.Event, body: bytes = ARABIC_PAGE.encode("utf-8"), missing: int = 100
) -> None:
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body) + missing)}
    _send_head(handler, 200, headers)
    handler.wfile.write(body)  # then the handler returns and HTTP/1.0 closes the connection early


def _robots(handler: Handler, stop: threading.Event, text: str = "User-agent: *\nDisallow:\n") -> None:
    _send(handler, 200, text.encode("utf-8"), {"Content-Type": "text/plain; charset=utf-8"})


FAULTS: dict[str, FaultFn] = {
    "hang": _hang,
    "drip": _drip,
    "status": _status,
    "redirect": _redirect,
    "redirect_loop": _redirect_loop,
    "gzip_bomb": _gzip_bomb,
    "huge": _huge,
    "wrong_charset": _wrong_charset,
    "truncated": _truncated,
    "robots": _robots,
}


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self.server.fixture._serve(self)

    def do_HEAD(self) -> None:
        self.server.fixture._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean; the request log is FixtureServer.requests


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fixture: FixtureServer, host: str) -> None:
        self.fixture = fixture
        super().__init__((host, 0), _RequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up mid-response are the point of this server, not errors


class FixtureServer:
    """A loopback HTTP server with static routes and faults; see the module docstring."""

    def __init__(self, host: str = HOST) -> None:
        """``host``: any loopback address (127.0.0.2, ...) gives benchmarks distinct hosts to be polite to."""
        self.host = host
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._routes: dict[str, Route] = {}
        self._faults: dict[str, Fault] = {}
        self._requests: list[Hit] = []
        self._active = 0
        self._httpd = _Server(self, host)
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fixture-server",
            daemon=True,
        )
        self._thread.start()

    def __enter__(self) -> FixtureServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> None:
        """Serve ``body`` (str is sent as UTF-8) at ``path``; an ``ETag``/``Last-Modified`` header makes
        matching ``If-None-Match``/``If-Modified-Since`` requests get a 304."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self._routes[path] = Route(data, status, {"Content-Type": content_type, **(headers or {})})

    def fault(self, path: str, kind: str, *, times: int | None = None, **options: Any) -> None:
        """Answer ``path`` with the fault ``kind`` (one of :data:`FAULTS`), for the first ``times`` hits."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; known: {', '.join(sorted(FAULTS))}")
        if kind == "gzip_bomb":
            # Built now, not while a client waits for its response.
            bomb(options.get("size", 1 << 30), options.get("encoding", "gzip"))
        with self._lock:
            self._faults[path] = Fault(kind, options, times)

    @property
    def requests(self) -> list[Hit]:
        with self._lock:
            return list(self._requests)

    def hits(self, path: str) -> list[Hit]:
        """Requests whose path (query ignored) is ``path``."""
        return [hit for hit in self.requests if hit.path.partition("?")[0] == path]

    @property
    def active(self) -> int:
        """Handlers still running (0 after a clean stop)."""
        with self._lock:
            return self._active

    def stop(self, timeout: float = 5.0) -> None:
        """Wake hanging and dripping handlers, stop serving, and wait (up to ``timeout``) for handlers."""
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout)
        deadline = time.monotonic() + timeout
        while self.active and time.monotonic() < deadline:
            time.sleep(0.01)

    # -- request handling (runs on the handler threads) -------------------------------------------------
    def _serve(self, handler: Handler) -> None:
        headers = {name.lower(): value for name, value in handler.headers.items()}
        with self._lock:
            self._requests.append(Hit(time.monotonic(), handler.command, handler.path, headers))
            self._active += 1
            fault = self._take_fault(handler.path)
            route = self._routes.get(handler.path) or self._routes.get(handler.path.partition("?")[0])
        try:
            if fault is not None:
                FAULTS[fault.kind](handler, self._stop, **fault.options)
            else:
                self._static(handler, route, headers)
        except _DISCONNECTS:
            pass  # the client gave up (a cap or a timeout fired): exactly what these tests provoke
        finally:
            with self._lock:
                self._active -= 1

    def _take_fault(self, path: str) -> Fault | None:
        fault = self._faults.get(path) or self._faults.get(path.partition("?")[0])
        if fault is None or (fault.times is not None and fault.hits >= fault.times):
            return None
        fault.hits += 1
        return fault

    @staticmethod
    def _static(handler: Handler, route: Route | None, headers: Mapping[str, str]) -> None:
        if route is None:
            _send(handler, 404, b"not found", {"Content-Type": "text/plain; charset=utf-8"})
            return
        etag = route.headers.get("ETag")
        modified = route.headers.get("Last-Modified")
        wanted = [tag.strip() for tag in headers.get("if-none-match", "").split(",")]
        if (etag and (etag in wanted or "*" in wanted)) or (
            modified and headers.get("if-modified-since") == modified
        ):
            _send_head(handler, 304, {k: v for k, v in route.headers.items() if k != "Content-Type"})
            return
        _send(handler, route.status, route.body, route.headers)


def closed_port() -> int:
    """A local port nothing listens on (bound, then released), for connection-refused tests."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port
