"""Helpers of the API tests (imported by name, like the web tests' browser_support)."""

from __future__ import annotations

import dataclasses
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fastapi.testclient import TestClient

from naba.config import Settings
from naba.engine import alerts
from naba.engine.naba import Naba
from naba.web.app import create_app


class TunedBackend:
    """``day_naba`` seen with other settings (no rate limit, a required read token, …)."""

    def __init__(self, naba: Naba, settings: Settings) -> None:
        self._naba, self.settings = naba, settings

    @property
    def store(self) -> Any:
        return self._naba.store

    @property
    def access(self) -> Any:
        return self._naba.access

    def search(self, query: Any) -> Any:
        return self._naba.search(query)

    def index_seq(self) -> int:
        return self._naba.index_seq()


def tuned_client(naba: Naba, **changes: Any) -> TestClient:
    backend = TunedBackend(naba, dataclasses.replace(naba.settings, **changes))
    return TestClient(create_app(backend), raise_server_exceptions=False)


@dataclasses.dataclass
class Hit:
    key: str
    signature: str
    body: bytes
    answered: int | None  # None: the receiver never answered (hung)


class Receiver:
    """A loopback HTTP server recording every POST; ``plan`` gives the answer per attempt of a key:
    an int status, "hang" (never answer) or "slow" (answer 200 after ``slow`` seconds)."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.plan: dict[str, list[int | str]] = {}
        self.default: int | str = 200
        self.slow = 3.0
        self.lock = threading.Lock()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get(alerts.IDEMPOTENCY_HEADER, "")
                with receiver.lock:
                    queue = receiver.plan.get(key, [])
                    answer = queue.pop(0) if queue else receiver.default
                    hit = Hit(key, self.headers.get(alerts.SIGNATURE_HEADER, ""), body, None)
                    receiver.hits.append(hit)
                if answer == "hang":
                    receiver.release.wait(120)
                    return
                if answer == "slow":
                    time.sleep(receiver.slow)
                    answer = 200
                assert isinstance(answer, int)
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()
                hit.answered = answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def acknowledged(self) -> list[str]:
        return [h.key for h in self.hits if h.answered is not None and 200 <= h.answered < 300]
