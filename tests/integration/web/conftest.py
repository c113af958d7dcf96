"""Fixtures of the real-browser tests (helpers in ``browser_support``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, unavailable
from real_reader import build_real_reader

from naba.config import Settings


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("python package 'playwright' is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-core)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("NABA_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def real_reader(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The understood database of real articles (``real_reader``), built once for the session."""
    return build_real_reader(tmp_path_factory.mktemp("real-reader"))
