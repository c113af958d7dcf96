"""One PostgreSQL database behind a connection pool, spoken to in the SQL the SQLite table mixins write.

The understanding, entity and source tables (:mod:`naba.store.understanding`, :mod:`naba.store.entities`,
:mod:`naba.store.sources`) are written once, in SQLite's dialect, against the small :class:`SqlConnection`
protocol. :class:`PgDatabase` is that protocol on PostgreSQL, so both backends run the same queries:

* ``?`` placeholders become ``%s`` (a literal ``%`` is escaped first);
* ``INSERT OR REPLACE`` becomes ``INSERT … ON CONFLICT (primary key) DO UPDATE`` (the keys are read from the
  catalog, so tables of later migrations need no list here), ``INSERT OR IGNORE`` ``… DO NOTHING``;
* in ``ON CONFLICT … DO UPDATE SET``, a bare column on the right of ``=`` means the existing row in SQLite and
  is ambiguous in PostgreSQL: it is qualified with the table's name;
* ``ORDER BY`` keeps SQLite's NULL order (first when ascending, last when descending).

Statements are translated once and cached. What cannot be translated (``UPDATE OR REPLACE``, ``UPDATE OR
IGNORE``, ``SELECT DISTINCT`` ordered by another column) is rewritten by :class:`~naba.store.postgres.store.
PostgresStore` in its own methods.

Transactions: :meth:`PgDatabase.transaction` takes a connection from the pool and binds it to the calling
thread until the block ends, so every statement of the block (in the mixins, ``self._db.execute``) runs in
it; outside a block each statement borrows a connection, runs in autocommit and its rows are fetched before
the connection goes back. Readers therefore never hold a connection, and never block writers (MVCC).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from naba.errors import ReadOnlyError, StoreError
from naba.store.urls import display as redact


class Row:
    """A result row read by position or by column name (as ``sqlite3.Row``); ``dict(row)`` works."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]) -> None:
        self._names = names
        self._values = tuple(values)

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._names[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values, strict=True))!r})"


class Result:
    """The rows of one statement, fetched before its connection went back to the pool."""

    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self._rows = rows
        self._at = 0
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[Any]:
        rest = self._rows[self._at :]
        self._at = len(self._rows)
        return rest

    def fetchmany(self, size: int) -> list[Any]:
        rest = self._rows[self._at : self._at + size]
        self._at += len(rest)
        return rest

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


_WORD = re.compile(r"(?<![.\w])([A-Za-z_]\w*)\b(?!\s*[.(])")
_KEYWORDS = frozenset(
    [
        "case",
        "when",
        "then",
        "else",
        "end",
        "null",
        "and",
        "or",
        "not",
        "is",
        "in",
        "excluded",
        "true",
        "false",
        "coalesce",
        "distinct",
    ]
)
_INSERT_OR = re.compile(
    r"^\s*INSERT\s+OR\s+(REPLACE|IGNORE)\s+INTO\s+(\w+)\s*\(([^)]*)\)(.*)$", re.IGNORECASE | re.DOTALL
)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_DO_UPDATE = re.compile(r"\bDO\s+UPDATE\s+SET\b(.*)$", re.IGNORECASE | re.DOTALL)
_ORDER_BY = re.compile(r"\bORDER\s+BY\s+", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s+(LIMIT|OFFSET)\b", re.IGNORECASE)


def _split_top(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _qualify_set(assignments: str, table: str) -> str:
    """``a = a + excluded.a`` → ``a = table.a + excluded.a`` (bare columns on the right are the old row)."""
    out = []
    for part in _split_top(assignments):
        target, _, value = part.partition("=")
        value = _WORD.sub(
            lambda m: m.group(1) if m.group(1).lower() in _KEYWORDS else f"{table}.{m.group(1)}", value
        )
        out.append(f"{target}={value}")
    return ",".join(out)


_ASC = re.compile(r"\s+ASC$", re.IGNORECASE)


def _null_order(clause: str) -> str:
    items = []
    for item in _split_top(clause):
        text = item.strip()
        if re.search(r"\bNULLS\s+(FIRST|LAST)$", text, re.IGNORECASE):
            items.append(text)
        elif re.search(r"\bDESC$", text, re.IGNORECASE):
            items.append(f"{text} NULLS LAST")
        else:
            items.append(_ASC.sub("", text) + " NULLS FIRST")
    return ", ".join(items)


def translate(sql: str, primary_keys: dict[str, tuple[str, ...]]) -> str:
    """SQLite's dialect as the mixins write it → PostgreSQL (see the module docstring)."""
    sql = sql.replace("%", "%%")
    found = _INSERT_OR.match(sql)
    if found:
        mode, table, columns, rest = found.groups()
        names = [c.strip() for c in columns.split(",")]
        keys = primary_keys.get(table.lower())
        if keys is None:
            raise StoreError(f"no primary key known for table {table}")
        updates = [c for c in names if c not in keys]
        if mode.upper() == "IGNORE" or not updates:
            action = "DO NOTHING"
        else:
            action = "DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in updates)
        sql = f"INSERT INTO {table} ({columns}){rest} ON CONFLICT ({', '.join(keys)}) {action}"
    else:
        into = _INSERT_INTO.match(sql)
        update = _DO_UPDATE.search(sql) if into else None
        if into and update:
            sql = sql[: update.start(1)] + _qualify_set(update.group(1), into.group(1))
    return _with_null_order(sql).replace("?", "%s")


def _with_null_order(sql: str) -> str:
    """Each ``ORDER BY`` list (to LIMIT/OFFSET, the closing parenthesis or the end) in SQLite's NULL order."""
    out, at = [], 0
    for found in _ORDER_BY.finditer(sql):
        if found.start() < at:
            continue
        start = found.end()
        depth, end = 0, len(sql)
        for i in range(start, len(sql)):
            ch = sql[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    end = i
                    break
                depth -= 1
            elif depth == 0 and _CLAUSE_END.match(sql, i):
                end = i
                break
        out.append(
            sql[at:start]
            + _null_order(sql[start:end].rstrip())
            + sql[start:end][len(sql[start:end].rstrip()) :]
        )
        at = end
    out.append(sql[at:])
    return "".join(out)


# Tables the search index projection writes (``naba serve``'s follower, any index sync).
PROJECTION_TABLES = ("search_docs", "search_postings", "search_df", "search_totals", "state")


def store_error(exc: psycopg.Error) -> StoreError:
    """A driver error as naba's: a write refused by a hot standby, a read-only session or a role without
    the privilege is a :class:`ReadOnlyError` (the API answers 503), anything else a :class:`StoreError`."""
    text = f"{exc.__class__.__name__}: {exc}".strip()
    if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction | psycopg.errors.InsufficientPrivilege):
        return ReadOnlyError(f"the database refuses writes here ({text}); make changes on the primary")
    return StoreError(text)


def write_refusal(url: str) -> str | None:
    """Why the database at ``url`` refuses this naba's writes, or None when it takes them: a hot standby
    (``pg_is_in_recovery()``), sessions read-only by default for this role or database
    (``default_transaction_read_only``), or a role that may not write the search projection's tables.
    Asked on a connection of its own, without the read-only option a reader's pool sets."""
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            row = conn.execute(
                "SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only'), current_user"
            ).fetchone()
            assert row is not None
            if row[0]:
                return "a hot standby (read replica)"
            if row[1] == "on":
                return f"sessions of role {row[2]} are read-only by default (default_transaction_read_only)"
            for table in PROJECTION_TABLES:
                allowed = conn.execute(
                    "SELECT to_regclass(%s) IS NULL OR (has_table_privilege(%s, 'INSERT') "
                    "AND has_table_privilege(%s, 'UPDATE') AND has_table_privilege(%s, 'DELETE'))",
                    (table, table, table, table),
                ).fetchone()
                if allowed is not None and not allowed[0]:
                    return f"role {row[2]} may not write table {table}"
    except psycopg.Error as exc:
        raise store_error(exc) from exc
    return None


def _row_factory(cursor: Any) -> Any:
    names = {d.name: i for i, d in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        return Row(names, values)

    return make


class PgDatabase:
    """A pool of connections to one database, with thread-bound transactions (see the module docstring)."""

    def __init__(
        self, url: str, *, max_size: int = 8, application: str = "naba", read_only: bool = False
    ) -> None:
        self.url = url
        self._bound = threading.local()
        self._sql: dict[str, str] = {}
        self.primary_keys: dict[str, tuple[str, ...]] = {}
        try:  # one direct connection first: a wrong address or password fails at once, not after the pool's wait
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {redact(url)}: {exc}") from exc
        try:
            self.pool = ConnectionPool(
                url,
                min_size=1,
                max_size=max_size,
                kwargs={"autocommit": True, "application_name": application}
                | ({"options": "-c default_transaction_read_only=on"} if read_only else {}),
                open=True,
                timeout=30.0,
            )
            self.pool.wait(timeout=30.0)
        except (psycopg.Error, Exception) as exc:  # PoolTimeout is not a psycopg.Error
            raise StoreError(f"cannot connect to {redact(url)}: {exc}") from exc

    def load_primary_keys(self) -> None:
        """Read the primary key of every table (after migrations: new tables are found without a list)."""
        rows = self.execute(
            "SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
            "WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY c.relname, k.ord",
            raw=True,
        ).fetchall()
        keys: dict[str, list[str]] = {}
        for table, column in rows:
            keys.setdefault(table, []).append(column)
        self.primary_keys = {t: tuple(c) for t, c in keys.items()}
        self._sql.clear()

    def _translate(self, sql: str) -> str:
        done = self._sql.get(sql)
        if done is None:
            done = self._sql[sql] = translate(sql, self.primary_keys)
        return done

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """The thread's transaction connection, else one borrowed from the pool for the block."""
        bound = getattr(self._bound, "conn", None)
        if bound is not None:
            yield bound
            return
        with self.pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """A transaction on one connection bound to this thread; nested blocks join it."""
        bound = getattr(self._bound, "conn", None)
        if bound is not None:
            yield bound
            return
        try:
            with self.pool.connection() as conn, conn.transaction():
                self._bound.conn = conn
                try:
                    yield conn
                finally:
                    self._bound.conn = None
        except psycopg.Error as exc:  # a statement run on ``conn`` directly, or the commit itself
            raise store_error(exc) from exc

    def execute(self, sql: str, params: Sequence[Any] = (), *, raw: bool = False) -> Result:
        """Run one statement (SQLite's dialect unless ``raw``) and fetch its rows."""
        text = sql if raw else self._translate(sql)
        try:
            with self.connection() as conn, conn.cursor(row_factory=_row_factory) as cur:
                cur.execute(text, params or None)
                rows = cur.fetchall() if cur.description is not None else []
                return Result(rows, cur.rowcount)
        except psycopg.Error as exc:
            raise store_error(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]] | Any, *, raw: bool = False) -> Result:
        text = sql if raw else self._translate(sql)
        rows = list(rows)
        if not rows:
            return Result([], 0)
        try:
            with self.connection() as conn, conn.cursor() as cur:
                cur.executemany(text, rows)
                return Result([], cur.rowcount)
        except psycopg.Error as exc:
            raise store_error(exc) from exc

    def close(self) -> None:
        self.pool.close()
