"""Schema and data moves between databases: ``naba migrate`` and ``naba migrate-store FROM TO``.

:func:`migrate` applies the numbered migrations a database lacks (SQLite or PostgreSQL, the same numbers on
both: :mod:`naba.store.postgres.schema`). :func:`migrate_store` copies one database into another of either
backend, table by table (see :mod:`naba.store.copy` for the contract: keyset chunks by primary key, each
chunk written with its bookmark in one transaction, so a killed copy resumes where it stopped), then verifies
every table by row count and checksum on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from naba.store.backends import check_db, display, is_postgres


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
    if is_postgres(db):
        from naba.store.postgres import PostgresStore

        pg = PostgresStore(db, migrate=True)
        try:
            return MigrateReport(display(db), pg.migrated_from, pg.schema_version(), pg.migrated)
        finally:
            pg.close()
    from naba.store.sqlite import SQLiteStore

    before: set[int] = set()
    if Path(db).exists():
        reader = SQLiteStore(db, read_only=True)
        try:
            before = reader.applied_migrations()
        finally:
            reader.close()
    store = SQLiteStore(db)
    try:
        now = store.applied_migrations()
    finally:
        store.close()
    return MigrateReport(db, max(before, default=0), max(now, default=0), sorted(now - before))
