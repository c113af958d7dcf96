"""Helpers of the API tests (imported by name, like the web tests' browser_support)."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi.testclient import TestClient

from naba.config import Settings
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
