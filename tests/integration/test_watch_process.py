"""``naba watch`` as a process: killed mid-poll it loses nothing; SIGTERM stops it cleanly.

One fast feed and one slow feed (its article pages hang once, so the poll is still fetching them when the
fast feed's articles are already stored). After a SIGKILL at that moment, ``naba watch --once`` stores the
rest, and every article is stored exactly once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import CORPUS, need_shared
from tests.fixture_server import FixtureServer
from tests.news_site import SiteArticle, article_page, load_articles, rss

from naba.config import load_settings
from naba.engine.naba import Naba

FAST, SLOW = 3, 6


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return 0


def _serve(server: FixtureServer, prefix: str, articles: list[SiteArticle], *, hang_once: bool) -> list[str]:
    urls = []
    for a in articles:
        url = server.url(a.path(prefix))
        server.add(a.path(prefix), article_page(a, url))
        if hang_once:
            server.fault(a.path(prefix), "hang", times=1)
        urls.append(url)
    server.add(f"{prefix}/rss.xml", rss(prefix, server.url("/"), list(zip(articles, urls, strict=True))))
    return urls


@pytest.fixture
def news() -> Iterator[tuple[FixtureServer, list[str]]]:
    articles = load_articles(need_shared(CORPUS / "2015-08-02.zip"), FAST + SLOW)
    with FixtureServer() as server:
        urls = _serve(server, "/fast", articles[:FAST], hang_once=False)
        urls += _serve(server, "/slow", articles[FAST:], hang_once=True)
        yield server, urls


def _env() -> dict[str, str]:
    return dict(
        os.environ,
        NABA_ALLOW_PRIVATE_ADDRESSES="1",
        NABA_HOST_DELAY="0",
        NABA_HOST_CONCURRENCY="8",
        NABA_READ_TIMEOUT="2",
        NABA_RETRIES="1",
        NABA_BACKOFF_SECONDS="0.05",
        NABA_INGEST_WORKERS="1",
    )


def _naba(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "naba.cli", "--db", str(db), *args]


def _start_watch(db: Path, server: FixtureServer) -> subprocess.Popen[str]:
    feeds = [server.url("/fast/rss.xml"), server.url("/slow/rss.xml")]
    subprocess.run(
        _naba(db, "sources", "add", *feeds), env=_env(), check=True, capture_output=True, timeout=60
    )
    proc = subprocess.Popen(
        _naba(db, "watch"), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while (
        _count(db, "SELECT count(*) FROM articles") < FAST
        and time.monotonic() < deadline
        and proc.poll() is None
    ):
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()[1][-2000:]
    assert _count(db, "SELECT count(*) FROM articles") == FAST  # the slow poll is still fetching its pages
    return proc


def _assert_all_stored_once(db: Path, urls: list[str]) -> None:
    with Naba.open(load_settings({"db": str(db)}, environ={})) as naba:
        stored = [s.article.url for s in naba.store.iter_articles()]
        assert sorted(stored) == sorted(urls)
        assert naba.index.count() == len(urls)


def test_killed_mid_poll_then_restarted_stores_everything_once(
    news: tuple[FixtureServer, list[str]], tmp_path: Path
) -> None:
    server, urls = news
    db = tmp_path / "naba.db"
    proc = _start_watch(db, server)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rerun = subprocess.run(
        _naba(db, "watch", "--once", "--json"), env=_env(), capture_output=True, text=True, timeout=120
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    _assert_all_stored_once(db, urls)
    assert _count(db, "SELECT count(*) FROM source_items") == FAST + SLOW


def test_sigterm_ends_the_watch_cleanly(news: tuple[FixtureServer, list[str]], tmp_path: Path) -> None:
    server, urls = news
    db = tmp_path / "naba.db"
    proc = _start_watch(db, server)
    proc.send_signal(signal.SIGTERM)
    out, errors = proc.communicate(timeout=30)
    assert proc.returncode == 0, errors[-2000:]
    assert "polls" in out
    rerun = subprocess.run(
        _naba(db, "watch", "--once"), env=_env(), capture_output=True, text=True, timeout=120
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    _assert_all_stored_once(db, urls)
