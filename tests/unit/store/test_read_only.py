"""Readers on a read-only connection (datasette's model): they see every commit, never write, never wait."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from tests.unit.store.test_sqlite import make_article

from naba.engine.stores import migrate
from naba.errors import StoreError
from naba.store.migrations import MIGRATIONS
from naba.store.sqlite import SQLiteStore


def test_a_reader_sees_each_commit_and_reads_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    writer = SQLiteStore(db)
    writer.put_many([make_article(i) for i in range(3)], "a")
    reader = SQLiteStore(db, read_only=True)
    assert reader.count() == 3
    writer.put_many([make_article(3)], "a")
    assert reader.count() == 4
    # A third connection holds the write lock mid-transaction: the reader answers at once, from the last commit.
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM articles")
    assert reader.count() == 4
    assert reader.get(make_article(0).id) is not None
    holder.execute("ROLLBACK")
    holder.close()


def test_a_reader_cannot_write(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    SQLiteStore(db).put_many([make_article(0)], "a")
    reader = SQLiteStore(db, read_only=True)
    with pytest.raises((StoreError, sqlite3.OperationalError), match=r"readonly|read-only|read only"):
        reader.put_many([make_article(1)], "a")
    assert reader.count() == 1


def test_a_reader_refuses_a_file_behind_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    SQLiteStore(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute(
            "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)"
        )
    with pytest.raises(StoreError, match="lacks schema migrations"):
        SQLiteStore(db, read_only=True)


_CREATED = re.compile(
    r"\s*CREATE\s+(?:UNIQUE\s+)?(?:VIRTUAL\s+)?(?P<kind>TABLE|INDEX|TRIGGER|VIEW)\s+(?:IF NOT EXISTS\s+)?(?P<name>\w+)",
    re.IGNORECASE,
)


def test_naba_migrate_brings_a_file_behind_the_schema_up_to_date(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    SQLiteStore(db).put_many([make_article(0)], "a")
    latest = max(MIGRATIONS)
    with sqlite3.connect(db) as raw:  # as a naba one migration older left it: the latest one's objects undone
        for statement in reversed([s for s in MIGRATIONS[latest].split(";") if s.strip()]):
            created = _CREATED.match(statement)
            assert created, (
                f"the test cannot undo this statement of migration {latest}: {statement.strip()[:60]}"
            )
            raw.execute(f"DROP {created['kind']} {created['name']}")
        raw.execute("DELETE FROM schema_migrations WHERE version = ?", (latest,))
    report = migrate(str(db))
    assert (report.before, report.after, report.applied) == (latest - 1, latest, [latest])
    assert SQLiteStore(db, read_only=True).count() == 1
    assert migrate(str(db)).applied == []  # idempotent


def test_a_reader_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not sqlite", encoding="utf-8")
    with pytest.raises(StoreError, match=r"not a naba database|cannot open"):
        SQLiteStore(db, read_only=True)
