"""Poll bookkeeping: leftovers and failed items survive a 304, crashes and long Retry-After back off, the
schedule adapts, and the CLI survives hostile error text."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import CORPUS, need_shared
from tests.fixture_server import FixtureServer
from tests.integration.test_watch_faults import fast_settings
from tests.news_site import SiteArticle, article_page, load_articles, rss

from naba.cli import main
from naba.config import Settings
from naba.engine.naba import Naba
from naba.engine.poll import Poller, Schedule
from naba.engine.watch import WatchReport, watch
from naba.sources.http import FetchPolicy, HttpClient
from naba.store.sources import SourceRow
from naba.types import SourceSpec

LATER = dt.timedelta(days=1)


@pytest.fixture
def articles() -> list[SiteArticle]:
    return load_articles(need_shared(CORPUS / "2015-08-04.zip"), 6)


def _feed(server: FixtureServer, articles: list[SiteArticle]) -> str:
    items = []
    for a in articles:
        url = server.url(f"/news/{a.slug}.html")
        server.add(f"/news/{a.slug}.html", article_page(a, url))
        items.append((a, url))
    server.add("/rss.xml", rss("ص", server.url("/"), items), headers={"ETag": '"same"'})
    return server.url("/rss.xml")


def _round(
    settings: Settings, at: dt.datetime, *, max_items: int = 200, poller_hook: Any = None
) -> WatchReport:
    async def run() -> WatchReport:
        with Naba.open(settings) as naba:
            async with HttpClient(FetchPolicy.from_settings(settings)) as client:
                poller = Poller(naba, client, Schedule(60.0, 3600.0), now=lambda: at, max_items=max_items)
                if poller_hook is not None:
                    poller_hook(poller)
                return await watch(poller, concurrency=4, stop=asyncio.Event(), once=True, now=lambda: at)

    return asyncio.run(run())


def _source(settings: Settings) -> SourceRow:
    with Naba.open(settings) as naba:
        (row,) = naba.store.list_sources()
        return row


def _follow(settings: Settings, url: str) -> None:
    with Naba.open(settings) as naba:
        naba.store.add_sources([SourceSpec(url)])


def test_items_left_over_are_not_hidden_by_a_304(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    _follow(settings, _feed(server, articles[:5]))
    now = dt.datetime.now(dt.UTC)
    assert _round(settings, now, max_items=2).stored == 2
    assert _source(settings).etag is None  # work left: no validators kept
    assert _round(settings, now + LATER, max_items=2).stored == 2
    assert _round(settings, now + 2 * LATER, max_items=2).stored == 1
    assert _source(settings).etag == '"same"'  # all done: the next poll may be a 304
    fourth = _round(settings, now + 3 * LATER, max_items=2)
    assert fourth.not_modified == 1 and fourth.stored == 0


def test_a_failed_item_is_retried_even_when_the_feed_is_unchanged(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    feed = _feed(server, articles[:2])
    server.fault(f"/news/{articles[1].slug}.html", "status", status=500, times=2)  # both attempts of poll 1
    _follow(settings, feed)
    now = dt.datetime.now(dt.UTC)
    first = _round(settings, now)
    assert (first.stored, first.failed_items) == (1, 1)
    second = _round(settings, now + LATER)
    assert second.stored == 1 and second.not_modified == 0
    with Naba.open(settings) as naba:
        assert naba.store.count() == 2 and naba.store.failed_item_counts() == {}


def test_a_crashing_poll_is_recorded_and_backed_off(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    _follow(settings, _feed(server, articles[:1]))
    now = dt.datetime.now(dt.UTC)

    def break_items(poller: Poller) -> None:
        async def boom(*_: object) -> list[object]:
            raise RuntimeError("a bug")

        poller._items = boom  # type: ignore[method-assign]

    report = _round(settings, now, poller_hook=break_items)
    assert (report.polls, report.failed) == (1, 1)
    row = _source(settings)
    assert row.failures == 1 and row.last_error and "a bug" in row.last_error
    assert row.next_poll_ts > now.timestamp() + 60  # backed off, not due again at once


def test_a_long_retry_after_reschedules_the_source(server: FixtureServer, tmp_path: Path) -> None:
    settings = fast_settings(tmp_path, retries=2)
    server.fault("/rss.xml", "status", status=503, retry_after=7200)
    _follow(settings, server.url("/rss.xml"))
    now = dt.datetime.now(dt.UTC)
    report = _round(settings, now)
    assert report.failed == 1 and len(server.hits("/rss.xml")) == 1  # no sleeping inside the poll
    assert _source(settings).next_poll_ts >= now.timestamp() + 7200


def test_the_schedule_adapts_and_recovers_after_an_outage() -> None:
    schedule = Schedule(300.0, 6 * 3600.0)
    assert schedule.first() == 600.0
    assert schedule.next_interval(600.0, ok=True, new_items=3) == 300.0  # busy: faster, not below min
    assert schedule.next_interval(300.0, ok=True, new_items=3) == 300.0
    assert schedule.next_interval(600.0, ok=True, new_items=0) == 900.0  # quiet: slower
    assert schedule.next_interval(6 * 3600.0, ok=True, new_items=0) == 6 * 3600.0  # capped
    assert schedule.next_interval(600.0, ok=False, new_items=0) == 1200.0  # failure: backed off
    assert schedule.next_interval(None, ok=True, new_items=1) == 300.0  # after an outage: from first()
    at = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    dues = {schedule.due(at, 600.0) for _ in range(20)}
    assert len(dues) > 1 and all(540 <= (d - at).total_seconds() <= 660 for d in dues)


def test_fetch_and_extract_refuse_a_feed(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    feed = _feed(server, articles[:2])
    env = {"NABA_ALLOW_PRIVATE_ADDRESSES": "1", "NABA_DB": str(tmp_path / "n.db"), "NABA_RETRIES": "0"}
    extracted = CliRunner().invoke(main, ["extract", feed], env=env)
    assert extracted.exit_code == 1 and "feed" in extracted.output
    fetched = CliRunner().invoke(main, ["fetch", feed, "--json"], env=env)
    assert fetched.exit_code == 1 and json.loads(fetched.stdout)["stored"] == 0


def test_hostile_error_text_does_not_crash_the_cli(server: FixtureServer, tmp_path: Path) -> None:
    server.fault("/evil", "redirect", to="ftp://evil.example/[/b]")
    env = {"NABA_ALLOW_PRIVATE_ADDRESSES": "1", "NABA_DB": str(tmp_path / "n.db"), "NABA_RETRIES": "0"}
    for args in (
        ["fetch", server.url("/evil")],
        ["extract", server.url("/evil")],
        ["fetch", server.url("/x?a[/i]=1")],
    ):
        result = CliRunner().invoke(main, args, env=env)
        assert (result.exit_code == 1 and result.exception is None) or isinstance(
            result.exception, SystemExit
        ), args
        assert "[/b]" in result.output or "[/i]" in result.output


def test_sources_remove_and_toggles_check_their_ids(tmp_path: Path) -> None:
    env = {"NABA_DB": str(tmp_path / "n.db")}
    runner = CliRunner()
    assert runner.invoke(main, ["sources", "add", "https://www.okaz.com.sa/rss"], env=env).exit_code == 0
    assert runner.invoke(main, ["sources", "add", "javascript:alert(1)"], env=env).exit_code == 2
    assert runner.invoke(main, ["sources", "disable", "99"], env=env).exit_code == 2
    assert "disabled 1" in runner.invoke(main, ["sources", "disable", "1"], env=env).output
    assert runner.invoke(main, ["sources", "remove", "1"], env=env).exit_code == 0
    assert json.loads(runner.invoke(main, ["sources", "--json"], env=env).stdout) == []
