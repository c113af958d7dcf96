"""Fixtures of the integration tests that fetch: a loopback HTTP server per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.fixture_server import FixtureServer


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A fresh :class:`FixtureServer` on 127.0.0.1 (routes and faults are added by the test)."""
    with FixtureServer() as running:
        yield running
