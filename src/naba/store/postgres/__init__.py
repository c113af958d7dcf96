"""The PostgreSQL backend of the store (``naba --db postgresql://…``; needs ``pip install 'naba[postgres]'``)."""

from naba.store.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
