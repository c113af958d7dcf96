"""``naba migrate-store``: a database copied SQLite -> PostgreSQL -> SQLite, with its articles and their
versions, failures, sources and their state, and the understanding, verified by counts and checksums on both
sides; a copy stopped in the middle resumes from its bookmarks; the copy answers searches and reads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from naba.cli import main
from naba.config import load_settings
from naba.engine.naba import Naba
from naba.engine.stores import migrate_store
from naba.sources.files import read_inputs
from naba.store.sources import ITEM_STORED, PollRecord, SourceItem
from naba.types import SearchQuery, SourceSpec, StageFailure

ARTICLES = 150
T0 = dt.datetime(2015, 8, 2, 8, 0, tzinfo=dt.UTC)


class Crash(Exception):
    """Stands for a kill in the middle of the copy."""


@pytest.fixture(scope="module")
def source_db(tmp_path_factory: pytest.TempPathFactory, one_day_zip: Path) -> str:
    db = str(tmp_path_factory.mktemp("copy") / "source.db")
    items = list(itertools.islice(read_inputs([one_day_zip], max_input_bytes=1 << 30), ARTICLES))
    settings = load_settings({"db": db, "ingest_workers": 1}, environ={})
    with Naba.open(settings) as naba:
        naba.ingest_items(items)
        first = items[0].articles[0]
        naba.store.put_many([dataclasses.replace(first, title=first.title + " (محدث)")], naba.analyzer.name)
        naba.store.record_failures(
            [StageFailure("read", "2015-08-02.zip!x.json:3", "JSONDecodeError", "خطأ", T0)]
        )
        naba.store.add_sources([SourceSpec("https://www.spa.gov.sa/rss", title="واس")])
        source = naba.store.list_sources()[0]
        item = SourceItem(source.id, "guid-1", first.url, first.id, "h1", ITEM_STORED, None, 1)
        naba.store.record_poll(PollRecord(source.id, T0, True, T0 + dt.timedelta(hours=1), 600.0), [item])
        naba.understand()
    return db


def test_copy_to_postgres_resumes_after_a_crash_and_back_to_sqlite(
    source_db: str, pg_url: str, tmp_path: Path
) -> None:
    calls = 0

    def crash_after_two_pages(done: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Crash

    crash_after_two_pages.expect = lambda total: None  # type: ignore[attr-defined]
    with pytest.raises(Crash):
        migrate_store(source_db, pg_url, crash_after_two_pages, page=50)  # type: ignore[arg-type]

    report = migrate_store(source_db, pg_url, page=50)
    assert report.ok and report.resumed
    articles = report.tables["articles"]
    assert articles.rows == ARTICLES and 0 < articles.copied < ARTICLES  # the committed pages were kept
    for name in (
        "article_versions",
        "failures",
        "sources",
        "source_items",
        "understanding",
        "stories",
        "state",
    ):
        assert report.tables[name].rows >= 1 and report.tables[name].ok, name

    back = str(tmp_path / "back.db")
    result = CliRunner().invoke(main, ["migrate-store", pg_url, back, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    again = json.loads(result.stdout)
    assert again["ok"] and not again["resumed"]  # PostgreSQL -> SQLite, the same rows as the original
    assert {n: t["sha256"] for n, t in again["tables"].items()} == {
        n: t.source_sha256 for n, t in report.tables.items()
    }

    settings = load_settings({"db": pg_url, "ingest_workers": 1}, environ={})
    with Naba.open(settings) as naba:  # the copy rebuilds its own search index from the copied log
        stats = naba.stats()
        assert stats["articles"] == ARTICLES and stats["understand_lag"] == 0 and stats["index_lag"] == 0
        assert naba.search(SearchQuery("السعودية", limit=5)).hits
        assert naba.store.list_sources()[0].polls == 1
        # New rows continue after the copied ids.
        naba.store.add_sources([SourceSpec("https://sabq.org/rss")])
        assert len({s.id for s in naba.store.list_sources()}) == 2


def test_a_target_with_other_data_is_refused(source_db: str, tmp_path: Path) -> None:
    other = str(tmp_path / "other.db")
    settings = load_settings({"db": other, "ingest_workers": 1}, environ={})
    with Naba.open(settings, sync_index=False) as naba:
        naba.store.add_sources([SourceSpec("https://sabq.org/rss")])
    result = CliRunner().invoke(main, ["migrate-store", source_db, other], catch_exceptions=False)
    assert result.exit_code == 1 and "already holds data" in " ".join(result.output.split())
