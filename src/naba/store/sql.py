"""The connection the table mixins write their SQL to (see :class:`SqlConnection`)."""

from __future__ import annotations

from typing import Any, Protocol


class SqlConnection(Protocol):
    """What the table mixins call on their connection: ``sqlite3.Connection``, or the PostgreSQL store's
    :class:`~naba.store.postgres.db.PgDatabase`, which takes the same SQLite dialect."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, params: Any, /) -> Any: ...
