"""The SQLite store: identity, idempotence, versions, migrations, failures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from naba.errors import StoreError
from naba.store.migrations import MIGRATIONS
from naba.store.sqlite import SQLiteStore
from naba.types import Article, ArticleId, Provenance, StageFailure, StoreOutcome

RIYADH = dt.timezone(dt.timedelta(hours=3))


def make_article(n: int, body: str = "أعلنت وزارة الصحة عن تسجيل حالات جديدة.", **changes: object) -> Article:
    article = Article(
        id=ArticleId(f"https://example.sa/news/{n}"),
        url=f"https://example.sa/news/{n}",
        canonical_url=None,
        publisher="example",
        original_source="واس",
        language="ar",
        title=f"خبر رقم {n}",
        lead=None,
        body_paragraphs=(body,),
        authors=("محمد العتيبي",),
        published=dt.datetime(2015, 8, 2, 10, n % 60, tzinfo=RIYADH),
        updated=None,
        tags=("الصحة",),
        images=(),
        related_headlines=(),
        embedded_in=None,
        provenance=Provenance(source="test", fetched_at=None, raw_sha256="x"),
    )
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "s.db")


def test_new_then_same_then_changed(store: SQLiteStore) -> None:
    first = make_article(1)
    assert store.put_many([first], "ar-search-v1") == [StoreOutcome.STORED]
    assert store.put_many([first], "ar-search-v1") == [StoreOutcome.UNCHANGED]
    changed = make_article(1, body="نص معدل بعد التحديث.")
    assert store.put_many([changed], "ar-search-v1") == [StoreOutcome.UPDATED]
    current = store.get(first.id)
    assert current is not None
    assert current.version == 2
    assert current.article.body_paragraphs == ("نص معدل بعد التحديث.",)
    assert [a.body_paragraphs for a in store.versions(first.id)] == [first.body_paragraphs]
    assert store.count() == 1


def test_provenance_alone_is_not_a_change(store: SQLiteStore) -> None:
    store.put_many([make_article(1)], "ar-search-v1")
    moved = make_article(1, provenance=Provenance(source="elsewhere.zip", fetched_at=None, raw_sha256="y"))
    assert store.put_many([moved], "ar-search-v1") == [StoreOutcome.UNCHANGED]


def test_round_trip_keeps_every_field(store: SQLiteStore) -> None:
    article = make_article(7)
    store.put_many([article], "ar-search-v1")
    stored = store.get(article.id)
    assert stored is not None
    assert stored.article == article


def test_latest_is_newest_first_and_filters_by_publisher(store: SQLiteStore) -> None:
    store.put_many([make_article(n) for n in range(5)], "ar-search-v1")
    store.put_many([make_article(9, publisher="other")], "ar-search-v1")
    latest = store.latest(limit=3)
    times = [s.article.published for s in latest]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]
    assert [s.article.publisher for s in store.latest(limit=10, publisher="other")] == ["other"]
    assert {s.publisher: s.articles for s in store.sources()} == {"example": 5, "other": 1}


def test_change_seq_only_grows(store: SQLiteStore) -> None:
    store.put_many([make_article(1), make_article(2)], "ar-search-v1")
    before = store.max_change_seq()
    store.put_many([make_article(1, body="جديد")], "ar-search-v1")
    changed = list(store.iter_articles(since_seq=before))
    assert [s.article.id for s in changed] == [ArticleId("https://example.sa/news/1")]


def test_failures_and_state(store: SQLiteStore) -> None:
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    store.record_failures([StageFailure("read", "a.jsonl:3", "InputError", "invalid JSON", when)])
    assert store.failures()[0].location == "a.jsonl:3"
    store.set_state("k", "v")
    assert store.get_state("k") == "v"


def test_migrations_are_recorded_and_not_rerun(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    again = SQLiteStore(path)
    assert again.schema_version() == max(MIGRATIONS)
    assert again.integrity_check() == "ok"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_migrations VALUES (999, 'later')")
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)


def test_wal_mode(store: SQLiteStore) -> None:
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
