"""Copying a database table by table, between backends (``naba migrate-store FROM TO``), resumably.

A mixin of both stores (:class:`naba.store.sqlite.SQLiteStore`, :class:`naba.store.postgres.PostgresStore`):
its statements are in SQLite's dialect, which the PostgreSQL store translates. Every table of the schema is
copied (so tables added by later migrations need nothing here) except the bookkeeping of each side
(:data:`SKIPPED_TABLES`: the migrations table, PostgreSQL's search projection) and the state keys that
describe a side's own search index (:data:`LOCAL_STATE`): the target rebuilds its index from the copied log.

* Rows are read in keyset pages by primary key (``WHERE (k1, k2) > (?, ?) ORDER BY k1, k2``); both backends
  order text bytewise (SQLite's BINARY, PostgreSQL's ``COLLATE "C"``), so pages and checksums agree.
* Each page is written (upsert by primary key) in one transaction together with its bookmark, the last key
  copied, in the target's ``state`` (``migrate_store.<table>``): a copy killed at any point resumes after its
  last committed page, and a page written twice is the same rows.
* :meth:`TableCopy.table_sum` is the verification: row count and a SHA-256 over every row's values in key
  order, computed the same way on both sides.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from naba.store.sql import SqlConnection

SKIPPED_TABLES = frozenset(
    {"schema_migrations", "sqlite_sequence", "search_docs", "search_postings", "search_df", "search_totals"}
)
# State rows that belong to one side: its own search index's watermark, and the copy's own bookmarks.
LOCAL_STATE = ("search_index_", "migrate_store")
BOOKMARK = "migrate_store."


@dataclass(frozen=True, slots=True)
class TableShape:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableSum:
    rows: int
    sha256: str


def _value(v: Any) -> str:
    if v is None:
        return "\x00"
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, bytes | memoryview):
        return bytes(v).hex()
    return str(v)


class TableCopy:
    """Reads and writes of whole tables by primary key (mixed into both stores)."""

    _db: SqlConnection

    def _transaction(self) -> Any:  # provided by the store
        raise NotImplementedError

    def table_shapes(self) -> dict[str, TableShape]:  # provided by the store
        raise NotImplementedError

    def finish_table(self, table: TableShape) -> None:
        """After a table's rows were written with their own keys (PostgreSQL moves identity sequences)."""

    @staticmethod
    def _where(table: TableShape) -> str:
        if table.name != "state":
            return ""
        return " AND ".join(f"key NOT LIKE '{p}%'" for p in LOCAL_STATE)

    def read_page(self, table: TableShape, after: Sequence[Any] | None, limit: int) -> list[tuple[Any, ...]]:
        """Up to ``limit`` rows of ``table`` after the key ``after`` (None: from the start), in key order."""
        conditions = [c for c in (self._where(table),) if c]
        params: list[Any] = []
        if after is not None:
            keys = ", ".join(table.key)
            conditions.append(f"({keys}) > ({', '.join('?' * len(table.key))})")
            params.extend(after)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._db.execute(
            f"SELECT {', '.join(table.columns)} FROM {table.name}{where} "  # names from the catalog
            f"ORDER BY {', '.join(table.key)} LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [tuple(r) for r in rows]

    def iter_rows(self, table: TableShape, page: int = 2000) -> Iterator[tuple[Any, ...]]:
        after: Sequence[Any] | None = None
        while True:
            rows = self.read_page(table, after, page)
            yield from rows
            if len(rows) < page:
                return
            after = self.key_of(table, rows[-1])

    @staticmethod
    def key_of(table: TableShape, row: Sequence[Any]) -> list[Any]:
        return [row[table.columns.index(k)] for k in table.key]

    def write_page(self, table: TableShape, rows: Sequence[Sequence[Any]], last_key: Sequence[Any]) -> None:
        """Upsert ``rows`` and move the table's bookmark to ``last_key``, in one transaction."""
        marks = ", ".join("?" * len(table.columns))
        with self._transaction():
            self._db.executemany(
                f"INSERT OR REPLACE INTO {table.name} ({', '.join(table.columns)}) VALUES ({marks})",
                [tuple(r) for r in rows],
            )
            self._set_bookmark(table.name, json.dumps(list(last_key), ensure_ascii=False))

    def _set_bookmark(self, table: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (BOOKMARK + table, value))

    def bookmark(self, table: str) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (BOOKMARK + table,)).fetchone()
        return None if row is None else str(row[0])

    def mark_done(self, table: str) -> None:
        with self._transaction():
            self._set_bookmark(table, "done")

    def clear_bookmarks(self) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM state WHERE key LIKE ?", (BOOKMARK + "%",))

    def table_sum(self, table: TableShape) -> TableSum:
        digest = hashlib.sha256()
        count = 0
        for row in self.iter_rows(table):
            count += 1
            digest.update("\x1f".join(_value(v) for v in row).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1e")
        return TableSum(count, digest.hexdigest())
