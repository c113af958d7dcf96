"""Shared fixtures: where ../shared is, small real corpora, fresh settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from naba.config import Settings, load_settings
from tests.pg_server import PgServer, Unavailable
from tests.pg_server import start as start_pg

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
CORPUS = SHARED / "data" / "saudinewsnet" / "dataset"
IN_CI = os.environ.get("CI") == "true"


def need_shared(path: Path) -> Path:
    """Real third-party data is read from ../shared, never copied in; skip (or fail in CI) without it."""
    if not path.exists():
        message = f"{path} is missing (the ../shared folder is not beside the repo)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"db": str(tmp_path / "naba.db"), "ingest_workers": 1}, environ={})


@pytest.fixture(scope="session")
def one_day_zip() -> Path:
    return need_shared(CORPUS / "2015-08-02.zip")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL cluster for the whole test session (tests/pg_server.py); each test creates
    its own database in it. Without server binaries or the driver: a skip with the reason, a failure in CI."""
    try:
        import psycopg  # noqa: F401

        server = start_pg()
    except (ImportError, Unavailable) as exc:
        message = f"PostgreSQL tests need a server and the driver: {exc}"
        if IN_CI:
            pytest.fail(message)
        print(f"\nSKIP: {message}")
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A new empty database on the session's PostgreSQL server."""
    return pg_server.create_database()
