"""Schema and data moves between databases: ``naba migrate`` and ``naba migrate-store FROM TO``.

:func:`migrate` applies the numbered migrations a database lacks (SQLite or PostgreSQL, the same numbers on
both: :mod:`naba.store.postgres.schema`). :func:`migrate_store` copies one database into another of either
backend, table by table (see :mod:`naba.store.copy` for the contract: keyset chunks by primary key, each
chunk written with its bookmark in one transaction, so a killed copy resumes where it stopped), then verifies
every table by row count and checksum on both sides.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from naba.engine.progress import Progress
from naba.errors import StoreError
from naba.store.backends import check_db, display, open_store
from naba.store.base import Store
from naba.store.copy import BOOKMARK, SKIPPED_TABLES, TableShape, TableSum


@dataclass
class MigrateReport:
    db: str
    before: int
    after: int
    applied: list[int]

    def as_dict(self) -> dict[str, Any]:
        return {"db": self.db, "before": self.before, "after": self.after, "applied": self.applied}


def migrate(db: str) -> MigrateReport:
    """Bring the schema of ``db`` to this naba's version (creating a SQLite file or the tables if needed)."""
    check_db(db)
    store = open_store(db)  # a writer's handle: it applies what the database lacks, and says what it did
    try:
        return MigrateReport(display(db), store.migrated_from, store.schema_version(), store.migrated)
    finally:
        store.close()


# Rows per copied page (one transaction each on the target, with its bookmark).
COPY_PAGE = 2000


class CopyableStore(Store, Protocol):
    """What ``migrate-store`` needs of both sides: the store, its tables by primary key, and its bookmarks."""

    def table_shapes(self) -> dict[str, TableShape]: ...

    def read_page(
        self, table: TableShape, after: Sequence[Any] | None, limit: int
    ) -> list[tuple[Any, ...]]: ...

    def key_of(self, table: TableShape, row: Sequence[Any]) -> list[Any]: ...

    def write_page(
        self, table: TableShape, rows: Sequence[Sequence[Any]], last_key: Sequence[Any]
    ) -> None: ...

    def bookmark(self, table: str) -> str | None: ...

    def mark_done(self, table: str) -> None: ...

    def clear_bookmarks(self) -> None: ...

    def finish_table(self, table: TableShape) -> None: ...

    def table_sum(self, table: TableShape) -> TableSum: ...

    def schema_version(self) -> int: ...


@dataclass
class TableReport:
    rows: int
    copied: int
    source_sha256: str
    target_sha256: str
    target_rows: int

    @property
    def ok(self) -> bool:
        return self.rows == self.target_rows and self.source_sha256 == self.target_sha256


@dataclass
class CopyReport:
    source: str
    target: str
    schema_version: int
    tables: dict[str, TableReport] = field(default_factory=dict)
    resumed: bool = False
    copy_seconds: float = 0.0
    verify_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "schema_version": self.schema_version,
            "ok": self.ok,
            "resumed": self.resumed,
            "copy_seconds": round(self.copy_seconds, 2),
            "verify_seconds": round(self.verify_seconds, 2),
            "tables": {
                name: {
                    "rows": t.rows,
                    "copied": t.copied,
                    "target_rows": t.target_rows,
                    "sha256": t.source_sha256,
                    "target_sha256": t.target_sha256,
                    "ok": t.ok,
                }
                for name, t in self.tables.items()
            },
        }


def migrate_store(
    source_db: str, target_db: str, progress: Progress | None = None, *, page: int = COPY_PAGE
) -> CopyReport:
    """Copy ``source_db`` into ``target_db`` (SQLite ↔ PostgreSQL, either way), then verify every table by
    count and checksum. A killed copy resumes from its bookmarks when run again with the same two databases;
    a target that holds data from anything else is refused. Nothing should write the source meanwhile."""
    if display(source_db) == display(target_db):
        raise StoreError("migrate-store needs two different databases")
    source = cast(CopyableStore, open_store(source_db, read_only=True))
    try:
        target = cast(CopyableStore, open_store(target_db))
        try:
            return _copy(source, target, display(source_db), display(target_db), progress, page)
        finally:
            target.close()
    finally:
        source.close()


def _copy(
    source: CopyableStore,
    target: CopyableStore,
    source_name: str,
    target_name: str,
    progress: Progress | None,
    page: int,
) -> CopyReport:
    version = source.schema_version()
    if target.schema_version() != version:
        raise StoreError(
            f"{source_name} has schema {version} and {target_name} {target.schema_version()}: "
            "run `naba migrate` on the older one first"
        )
    origin = target.get_state(BOOKMARK + "source")
    if origin is None and (target.count() or target.list_sources()):
        raise StoreError(f"{target_name} already holds data: copy into an empty database")
    if origin is not None and origin != source_name:
        raise StoreError(f"{target_name} holds an unfinished copy of {origin}, not of {source_name}")
    target.set_state(BOOKMARK + "source", source_name)
    source_tables = {n: t for n, t in source.table_shapes().items() if n not in SKIPPED_TABLES}
    target_tables = target.table_shapes()
    for name, shape in source_tables.items():
        other = target_tables.get(name)
        if other is None or set(other.columns) != set(shape.columns):
            raise StoreError(f"table {name} differs between {source_name} and {target_name}")
        if not shape.key:
            raise StoreError(f"table {name} has no primary key: it cannot be copied page by page")
    report = CopyReport(source_name, target_name, version, resumed=origin is not None)
    started = time.monotonic()
    if progress:
        progress.expect(source.count())
    copied: dict[str, int] = {}
    for name, shape in source_tables.items():
        copied[name] = _copy_table(source, target, shape, progress, page)
    report.copy_seconds = time.monotonic() - started
    started = time.monotonic()
    for name, shape in source_tables.items():
        mine, theirs = source.table_sum(shape), target.table_sum(shape)
        report.tables[name] = TableReport(mine.rows, copied[name], mine.sha256, theirs.sha256, theirs.rows)
    report.verify_seconds = time.monotonic() - started
    if report.ok:
        target.clear_bookmarks()
    return report


def _copy_table(
    source: CopyableStore, target: CopyableStore, shape: TableShape, progress: Progress | None, page: int
) -> int:
    mark = target.bookmark(shape.name)
    if mark == "done":
        return 0
    after: list[Any] | None = json.loads(mark) if mark else None
    copied = 0
    while True:
        rows = source.read_page(shape, after, page)
        if rows:
            after = source.key_of(shape, rows[-1])
            target.write_page(shape, rows, after)
            copied += len(rows)
            if progress and shape.name == "articles":
                progress(len(rows))
        if len(rows) < page:
            break
    target.finish_table(shape)
    target.mark_done(shape.name)
    return copied
