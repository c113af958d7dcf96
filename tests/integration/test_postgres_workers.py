"""Several processes on one PostgreSQL database: watch workers sharing the sources (every feed fetched once,
every item stored once), a worker killed mid-poll (after its lease runs out the rest is stored, nothing
twice), the advisory leases (single writer, freed when the holder is killed), and a reader searching while a
writer ingests."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
from tests.conftest import CORPUS, need_shared
from tests.fixture_server import FixtureServer
from tests.news_site import SiteArticle, article_page, load_articles, rss

from naba.config import load_settings
from naba.engine.naba import Naba
from naba.sources.files import read_inputs
from naba.store.backends import lease_for
from naba.types import SearchQuery

FEEDS, PER_FEED = 6, 2


def _env(**extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        NABA_ALLOW_PRIVATE_ADDRESSES="1",
        NABA_HOST_DELAY="0",
        NABA_HOST_CONCURRENCY="8",
        NABA_READ_TIMEOUT="2",
        NABA_RETRIES="1",
        NABA_BACKOFF_SECONDS="0.05",
        NABA_INGEST_WORKERS="1",
        **extra,
    )


def _naba(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "naba.cli", "--db", db, *args]


def _serve(
    server: FixtureServer, prefix: str, articles: list[SiteArticle], *, hang_once: bool = False
) -> list[str]:
    urls = []
    for a in articles:
        url = server.url(a.path(prefix))
        server.add(a.path(prefix), article_page(a, url))
        if hang_once:
            server.fault(a.path(prefix), "hang", times=1)
        urls.append(url)
    server.add(f"{prefix}/rss.xml", rss(prefix, server.url("/"), list(zip(articles, urls, strict=True))))
    return urls


def _scalar(db: str, sql: str) -> int:
    with psycopg.connect(db) as conn:
        row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _stored_once(db: str, urls: list[str]) -> None:
    with psycopg.connect(db) as conn:
        stored = [r[0] for r in conn.execute("SELECT url FROM articles")]
    assert sorted(stored) == sorted(urls)
    assert _scalar(db, "SELECT count(*) FROM source_items") == len(urls)


def test_two_watch_workers_share_the_sources(pg_url: str, server: FixtureServer) -> None:
    articles = load_articles(need_shared(CORPUS / "2015-08-02.zip"), FEEDS * PER_FEED)
    urls: list[str] = []
    feeds = []
    for n in range(FEEDS):
        urls += _serve(server, f"/site{n}", articles[n * PER_FEED : (n + 1) * PER_FEED])
        feeds.append(server.url(f"/site{n}/rss.xml"))
    subprocess.run(
        _naba(pg_url, "sources", "add", *feeds), env=_env(), check=True, capture_output=True, timeout=120
    )
    workers = [
        subprocess.Popen(
            _naba(pg_url, "watch", "--once", "--concurrency", "2", "--json"),
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors[-2000:]
    for n in range(FEEDS):  # no source was polled twice
        assert len(server.hits(f"/site{n}/rss.xml")) == 1
    assert _scalar(pg_url, "SELECT count(*) FROM sources WHERE polls = 1") == FEEDS
    _stored_once(pg_url, urls)


def test_a_killed_worker_loses_nothing_and_its_sources_come_back(pg_url: str, server: FixtureServer) -> None:
    articles = load_articles(need_shared(CORPUS / "2015-08-02.zip"), 9)
    urls = _serve(server, "/fast", articles[:3]) + _serve(server, "/slow", articles[3:], hang_once=True)
    feeds = [server.url("/fast/rss.xml"), server.url("/slow/rss.xml")]
    subprocess.run(
        _naba(pg_url, "sources", "add", *feeds), env=_env(), check=True, capture_output=True, timeout=120
    )
    env = _env(NABA_WATCH_LEASE="2")
    worker = subprocess.Popen(
        _naba(pg_url, "watch"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while _scalar(pg_url, "SELECT count(*) FROM articles") < 3 and time.monotonic() < deadline:
        assert worker.poll() is None, worker.communicate()[1][-2000:]
        time.sleep(0.05)
    assert _scalar(pg_url, "SELECT count(*) FROM articles") == 3  # the slow poll is still fetching its pages
    worker.kill()
    worker.communicate()
    # The dead worker's claim on the slow source runs out, then another worker polls it.
    time.sleep(2.5)
    rerun = subprocess.run(
        _naba(pg_url, "watch", "--once"), env=env, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    _stored_once(pg_url, urls)


def test_an_advisory_lease_is_exclusive_and_freed_when_its_holder_is_killed(pg_url: str) -> None:
    lease = lease_for(pg_url, "understand", "understanding run")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from naba.store.backends import lease_for; "
            f"l = lease_for({pg_url!r}, 'understand', 'understanding run'); l.acquire(); "
            "print('held', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert not lease.try_acquire()
    assert f"pid {holder.pid}" in lease.holder()
    holder.kill()
    holder.wait()
    lease.acquire(timeout=30)  # the server ends the dead session and its lock with it
    assert lease.held
    lease.release()


def test_a_reader_searches_while_a_writer_ingests(pg_url: str, one_day_zip: Path) -> None:
    items = list(itertools.islice(read_inputs([one_day_zip], max_input_bytes=1 << 30), 240))
    settings = load_settings({"db": pg_url, "ingest_workers": 1}, environ={})
    with Naba.open(settings) as writer:
        writer.ingest_items(items[:40])
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            with Naba.open(settings, sync_index=False, read_only=True) as reader:
                while not done.is_set():
                    reader.search(SearchQuery("السعودية", limit=10))
                    reader.store.latest(limit=20)
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        with Naba.open(settings) as writer:
            for start in range(40, len(items), 40):
                writer.ingest_items(items[start : start + 40])
    finally:
        done.set()
        thread.join()
    assert not errors
    with Naba.open(settings, sync_index=False, read_only=True) as reader:
        assert reader.store.count() >= 200
