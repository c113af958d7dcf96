"""Fixtures of the API, feed and webhook tests: one real SaudiNewsNet day, ingested and understood once per
session, served by the reader app (``create_app``) over it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import Receiver
from fastapi.testclient import TestClient
from tests.conftest import CORPUS, need_shared

from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.web.app import create_app


@pytest.fixture(scope="session")
def day_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A database holding 2015-08-02 (1,314 articles of 14 outlets), understood (stories, entities)."""
    day = need_shared(CORPUS / "2015-08-02.zip")
    db = tmp_path_factory.mktemp("api") / "naba.db"
    settings = load_settings(
        {"db": str(db), "ingest_workers": 1}, toml_path=Path("/nonexistent/naba.toml"), environ={}
    )
    with Naba.open(settings) as naba:
        naba.ingest([day])
        naba.understand()
    return settings


@pytest.fixture(scope="session")
def day_naba(day_settings: Settings) -> Iterator[Naba]:
    with Naba.open(day_settings) as naba:
        yield naba


@pytest.fixture(scope="session")
def api(day_naba: Naba) -> Iterator[TestClient]:
    with TestClient(create_app(day_naba), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    thread = threading.Thread(target=running.server.serve_forever, daemon=True)
    thread.start()
    yield running
    running.release.set()
    running.server.shutdown()
    running.server.server_close()
