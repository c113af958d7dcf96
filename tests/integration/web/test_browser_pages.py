"""Every reader page on real articles in headless Chromium: screenshots, right-to-left layout, no overflow on a
phone, no console or CSP error, pages usable without JavaScript, and axe-core with no serious or critical
violation.

The database is ``real_reader``'s (SaudiNewsNet 2015-08-10/11). Chromium is Debian's, driven by Playwright
(``browser_support``); axe-core comes from the npm registry, pinned in ``tests/axe/package-lock.json`` and
installed by ``.ci/run`` (``npm ci --prefix tests/axe``) — never downloaded by a test. Without Chromium or
axe-core the tests skip locally and fail under ``CI=true``.

Screenshots go to ``$NABA_SCREENSHOT_DIR`` when set, else to pytest's tmp dir.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import serve_app, unavailable

from naba.config import Settings
from naba.engine.front import front_page
from naba.engine.naba import Naba
from naba.web.app import create_app
from naba.web.pages import article_href
from naba.web.story_pages import entity_href, story_href

AXE = Path(__file__).resolve().parents[2] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def built(real_reader: Settings) -> Settings:
    return real_reader


@pytest.fixture(scope="module")
def pages(built: Settings) -> dict[str, str]:
    """Every kind of page, by name: home, a day, latest, search, article, story, entity, sources."""
    with Naba.open(built) as naba:
        front = front_page(naba.store, dt.date(2015, 8, 10), RIYADH)
        story = front.stories[0]
        return {
            "home": "/",
            "day": "/?day=2015-08-10",
            "latest": "/latest",
            "search": "/search?q=%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6",
            "article": article_href(story.headline.id),
            "story": story_href(story.story.id),
            "entity": entity_href(front.names[0].canonical),
            "sources": "/sources",
        }


@pytest.fixture(scope="module")
def base_url(built: Settings) -> Iterator[str]:
    with Naba.open(built) as naba, serve_app(create_app(naba)) as url:
        yield url


def _open(browser: Any, url: str, width: int = 1280, **context: Any) -> tuple[Any, Any, list[str]]:
    ctx = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1, **context)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    return ctx, page, problems


NAMES = ["home", "day", "latest", "search", "article", "story", "entity", "sources"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("width", [1280, 390])
def test_page_renders_rtl(
    browser: Any, base_url: str, pages: dict[str, str], screenshot_dir: Path, name: str, width: int
) -> None:
    ctx, page, problems = _open(browser, base_url + pages[name], width)
    try:
        page.screenshot(path=str(screenshot_dir / f"real-{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        # Headings and cards are laid out right to left: a card's title starts at its right edge.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert page.locator("main h1").count() == 1
        assert problems == [], problems
    finally:
        ctx.close()


def test_front_page_cards_in_the_browser(browser: Any, base_url: str) -> None:
    ctx, page, _ = _open(browser, base_url + "/")
    try:
        cards = page.locator(".card--story")
        assert cards.count() >= 20
        first = cards.first
        box, title = first.bounding_box(), first.locator(".card__title").bounding_box()
        assert box and title
        assert abs((box["x"] + box["width"]) - (title["x"] + title["width"])) < 40  # starts on the right
        assert "التغطية الكاملة" in first.inner_text()
        assert re.search(r"[٠-٩]+:[٠-٩]{2} [صم]", first.locator("time").inner_text())
    finally:
        ctx.close()


def test_pages_work_without_javascript(browser: Any, base_url: str, pages: dict[str, str]) -> None:
    ctx, page, problems = _open(browser, base_url + "/", java_script_enabled=False)
    try:
        assert page.locator(".card--story").count() >= 20
        page.fill("#day-picker", "2015-08-10")
        page.click(".day-nav__pick button")
        page.wait_for_load_state()
        assert page.url.endswith("/?day=2015-08-10")
        assert page.locator(".card--story").count() >= 20
        page.click("a.card__more >> nth=0")
        page.wait_for_load_state()
        assert "/story/" in page.url and page.locator(".timeline .card").count() >= 1
        page.fill(".quick-search input", "الرياض")
        page.press(".quick-search input", "Enter")
        page.wait_for_load_state()
        assert "/search?q=" in page.url and page.locator(".card").count() >= 1
        page.goto(base_url + pages["entity"])
        assert page.locator(".day__title").count() >= 1
        assert problems == [], problems
    finally:
        ctx.close()


@pytest.mark.parametrize("name", NAMES)
def test_axe_finds_no_serious_violation(
    browser: Any, base_url: str, pages: dict[str, str], name: str
) -> None:
    if not AXE.exists():
        unavailable(f"{AXE} is missing (npm ci --prefix tests/axe)")
    # axe is injected as a script; the reader's CSP rightly forbids that, so this context bypasses it.
    ctx, page, _ = _open(browser, base_url + pages[name], bypass_csp=True)
    try:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert blocking == [], blocking
    finally:
        ctx.close()
