"""Shared fixtures: where ../shared is, small real corpora, fresh settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naba.config import Settings, load_settings

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
