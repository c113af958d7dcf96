"""Several writers on one SQLite file: nothing clobbered, writers take turns, failures listed once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from tests.unit.store.test_sqlite import make_article

from naba.errors import StoreError
from naba.store import sqlite as sqlite_module
from naba.store.sqlite import SQLiteStore
from naba.types import StageFailure, StoreOutcome


def test_two_connections_interleaving_batches_lose_nothing(tmp_path: Path) -> None:
    # The data-loss bug: each handle numbered its rows from the max it saw when it opened, and
    # INSERT OR REPLACE under the unique change_seq index deleted the other handle's rows.
    db = tmp_path / "s.db"
    first, second = SQLiteStore(db), SQLiteStore(db)
    for batch in range(5):
        first.put_many([make_article(batch * 20 + i) for i in range(10)], "a")
        second.put_many([make_article(batch * 20 + 10 + i) for i in range(10)], "a")
    assert first.count() == second.count() == 100
    seqs = [s.change_seq for s in first.iter_articles()]
    assert seqs == list(range(1, 101))  # one number per write, in commit order


def test_an_update_by_another_handle_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first, second = SQLiteStore(db), SQLiteStore(db)
    first.put_many([make_article(i) for i in range(3)], "a")
    assert second.put_many([make_article(1, body="نص معدل تماما.")], "a") == [StoreOutcome.UPDATED]
    first.put_many([make_article(7)], "a")
    assert first.count() == 4
    assert len(first.versions(make_article(1).id)) == 1
    assert sorted(s.change_seq for s in first.iter_articles()) == [1, 3, 4, 5]


def test_a_writer_waits_for_another_writer_then_writes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        assert store.put_many([make_article(1)], "a") == [StoreOutcome.STORED]
    finally:
        release.join()
    assert store.count() == 1


def test_a_writer_that_cannot_get_its_turn_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    monkeypatch.setattr(sqlite_module, "WRITE_WAIT_SECONDS", 0.5)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="busy: another naba process"):
            store.put_many([make_article(1)], "a")
    finally:
        holder.execute("ROLLBACK")
    assert store.count() == 0


def test_two_handles_opening_a_new_file_both_migrate_it_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            SQLiteStore(db).close()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert SQLiteStore(db).schema_version() == max(sqlite_module.MIGRATIONS)


def test_the_same_failure_of_the_same_input_is_listed_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    when = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    failure = StageFailure("read", "dump.zip!a.json:3", "JSONDecodeError", "Expecting value", when)
    other = StageFailure("read", "dump.zip!a.json:9", "JSONDecodeError", "Expecting value", when)
    store.record_failures([failure, other])
    store.record_failures([dataclasses.replace(failure, when=when + dt.timedelta(hours=1))])
    rows = store.failures()
    assert [(f.location, f.when) for f in rows] == [
        ("dump.zip!a.json:3", when + dt.timedelta(hours=1)),
        ("dump.zip!a.json:9", when),
    ]
