"""Which store a ``--db`` names: a SQLite file path, or a database URL (``postgresql://…``).

A value with a scheme (``name://``) is a URL and never a file name: ``postgresql://`` and ``postgres://``
open :class:`naba.store.postgres.PostgresStore` (the ``postgres`` extra), any other scheme is an error.
Everything else is a SQLite file. Leases follow the backend: a ``flock`` file beside a SQLite database, an
advisory lock in a PostgreSQL one (:func:`lease_for`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from naba.errors import StoreError
from naba.store.leases import ExclusiveLease, Lease
from naba.store.urls import display, is_postgres, is_url

__all__ = ["check_db", "display", "exists", "is_postgres", "is_url", "lease_for", "open_store"]

if TYPE_CHECKING:
    from naba.store.base import Store


def check_db(db: str) -> None:
    """Refuse a URL this naba cannot open (before anything is created)."""
    if is_url(db) and not is_postgres(db):
        scheme = db.split("://", 1)[0]
        raise StoreError(f"unsupported database URL scheme {scheme}://: use a file path or postgresql://")
    if is_postgres(db):
        try:
            import psycopg  # noqa: F401
            import psycopg_pool  # noqa: F401
        except ImportError as exc:
            raise StoreError(
                "a postgresql:// database needs the PostgreSQL driver: pip install 'naba[postgres]'"
            ) from exc


def exists(db: str) -> bool:
    """Whether a read command can open ``db`` (a URL always can try: the server says)."""
    return is_url(db) or Path(db).exists()


def open_store(db: str, *, read_only: bool = False) -> Store:
    """The store ``db`` names. A writer's handle applies pending migrations; a ``read_only`` one never writes
    (a SQLite read-only connection; PostgreSQL sessions in read-only transactions) and names a database
    behind the schema instead of migrating it."""
    check_db(db)
    if is_postgres(db):
        from naba.store.postgres import PostgresStore

        return PostgresStore(db, migrate=not read_only, read_only=read_only)
    from naba.store.sqlite import SQLiteStore

    return SQLiteStore(db, read_only=read_only)


def lease_for(db: str, name: str, what: str) -> ExclusiveLease:
    """The lease ``name`` of the database ``db`` (``what`` names it in messages)."""
    check_db(db)
    if is_postgres(db):
        from naba.store.postgres.leases import PgLease

        return PgLease(db, f"naba {name}", what)
    return Lease(Path(f"{db}.{name}.lock"), what)
