"""The API's tables: tokens (hashed), saved searches, webhooks and their delivery log.

A mixin of both stores (migration 7): :class:`naba.store.sqlite.SQLiteStore` and
:class:`naba.store.postgres.PostgresStore` run the same statements, written in the dialect both databases
speak (``RETURNING id`` for new ids, ``ON CONFLICT (key) DO NOTHING`` for a repeated delivery) against
:class:`~naba.store.sql.SqlConnection`. Tokens are kept as the SHA-256 of their secret part only: the secret
itself is shown once by ``naba tokens create`` and never stored. Webhook secrets are kept as they are
(signing needs them). A delivery is written with its idempotency key (unique), in the same transaction that
moves its webhook's watermark, so a process killed at any point either enqueued the alert or will enqueue it
again with the same key, which the insert ignores: nothing is sent twice that was recorded as delivered. The
watermark moves only from the value the deliveries were computed from (compare and set), so two processes
collecting at once (several ``naba watch`` workers on PostgreSQL) never enqueue the same articles twice under
different keys. Every statement is parameterized.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from naba.store.sql import SqlConnection

TokenScope = Literal["read", "write"]
DeliveryStatus = Literal["pending", "delivered", "failed"]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class TokenRow:
    """An API token as stored: never its secret, only when it was made, last used or revoked."""

    id: int
    name: str | None
    scope: TokenScope
    created_at: str
    last_used: str | None
    revoked_at: str | None


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search kept under a name: its query and filters, as the search page and ``/api/v1/search`` take them."""

    id: int
    name: str
    query: str
    sources: tuple[str, ...]
    date_from: dt.date | None
    date_to: dt.date | None
    created_at: str


@dataclass(frozen=True, slots=True)
class Webhook:
    """An alert: POST to ``url`` for new articles matching a saved search, or for stories reaching
    ``min_outlets`` outlets. ``watermark`` is the ``change_seq`` up to which articles were considered."""

    id: int
    url: str
    secret: str
    saved_search: int | None
    min_outlets: int | None
    enabled: bool
    watermark: int
    created_at: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST to make (or made): its idempotency key, body and how the attempts went."""

    id: int
    webhook: int
    key: str
    payload: str
    status: DeliveryStatus
    attempts: int
    next_attempt_ts: float
    last_status: int | None
    last_error: str | None
    created_at: str
    delivered_at: str | None


_SAVED = "id, name, query, sources, date_from, date_to, created_at"
_HOOK = "id, url, secret, saved_search, min_outlets, enabled, watermark, created_at"
_DELIVERY = (
    "id, webhook, key, payload, status, attempts, next_attempt_ts, last_status, last_error, created_at, "
    "delivered_at"
)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _saved(row: Any) -> SavedSearch:
    return SavedSearch(
        row["id"], row["name"], row["query"], tuple(json.loads(row["sources"])), _day(row["date_from"]),
        _day(row["date_to"]), row["created_at"],
    )  # fmt: skip


def _hook(row: Any) -> Webhook:
    data = dict(row)
    data["enabled"] = bool(data["enabled"])
    return Webhook(**data)


class AccessTables:
    """Reads and writes of ``api_tokens``, ``saved_searches``, ``webhooks`` and ``webhook_deliveries``."""

    _db: SqlConnection

    def _transaction(self) -> Any:  # provided by the store
        raise NotImplementedError

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an ``INSERT … RETURNING id`` in a transaction; the new row's id."""
        with self._transaction():
            row = self._db.execute(sql, params).fetchone()
        return int(row[0])

    # -- tokens ---------------------------------------------------------------------------------------
    def add_token(self, name: str | None, scope: TokenScope, digest: str) -> TokenRow:
        new = self._insert_id(
            "INSERT INTO api_tokens (name, scope, digest, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            (name, scope, digest, _now()),
        )
        found = self.token(new)
        assert found is not None
        return found

    def token(self, token_id: int) -> TokenRow | None:
        row = self._db.execute(
            "SELECT id, name, scope, created_at, last_used, revoked_at FROM api_tokens WHERE id = ?",
            (token_id,),
        ).fetchone()
        return TokenRow(**dict(row)) if row else None

    def token_digest(self, token_id: int) -> str | None:
        """The stored SHA-256 of a live (not revoked) token's secret, for a constant-time comparison."""
        row = self._db.execute(
            "SELECT digest FROM api_tokens WHERE id = ? AND revoked_at IS NULL", (token_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def tokens(self) -> list[TokenRow]:
        rows = self._db.execute(
            "SELECT id, name, scope, created_at, last_used, revoked_at FROM api_tokens ORDER BY id"
        ).fetchall()
        return [TokenRow(**dict(r)) for r in rows]

    def revoke_token(self, token_id: int) -> bool:
        with self._transaction():
            cursor = self._db.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (_now(), token_id)
            )
        return bool(cursor.rowcount > 0)

    # -- saved searches -------------------------------------------------------------------------------
    def add_saved_search(
        self,
        name: str,
        query: str,
        sources: Sequence[str],
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> SavedSearch:
        new = self._insert_id(
            "INSERT INTO saved_searches (name, query, sources, date_from, date_to, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (name, query, json.dumps(list(sources), ensure_ascii=False),
             date_from.isoformat() if date_from else None, date_to.isoformat() if date_to else None, _now()),
        )  # fmt: skip
        found = self.saved_search(new)
        assert found is not None
        return found

    def saved_search(self, search_id: int) -> SavedSearch | None:
        row = self._db.execute(f"SELECT {_SAVED} FROM saved_searches WHERE id = ?", (search_id,)).fetchone()
        return _saved(row) if row else None

    def saved_searches(self) -> list[SavedSearch]:
        return [_saved(r) for r in self._db.execute(f"SELECT {_SAVED} FROM saved_searches ORDER BY id")]

    def delete_saved_search(self, search_id: int) -> bool:
        """Delete a saved search and the webhooks that follow it (their delivery log stays)."""
        with self._transaction():
            self._db.execute("DELETE FROM webhooks WHERE saved_search = ?", (search_id,))
            cursor = self._db.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))
        return bool(cursor.rowcount > 0)

    # -- webhooks -------------------------------------------------------------------------------------
    def add_webhook(
        self, url: str, secret: str, *, saved_search: int | None, min_outlets: int | None, watermark: int
    ) -> Webhook:
        new = self._insert_id(
            "INSERT INTO webhooks (url, secret, saved_search, min_outlets, watermark, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (url, secret, saved_search, min_outlets, watermark, _now()),
        )
        found = self.webhook(new)
        assert found is not None
        return found

    def webhook(self, webhook_id: int) -> Webhook | None:
        row = self._db.execute(f"SELECT {_HOOK} FROM webhooks WHERE id = ?", (webhook_id,)).fetchone()
        return _hook(row) if row else None

    def webhooks(self) -> list[Webhook]:
        return [_hook(r) for r in self._db.execute(f"SELECT {_HOOK} FROM webhooks ORDER BY id")]

    def delete_webhook(self, webhook_id: int) -> bool:
        with self._transaction():
            cursor = self._db.execute("DELETE FROM webhooks WHERE id = ?", (webhook_id,))
        return bool(cursor.rowcount > 0)

    # -- deliveries -----------------------------------------------------------------------------------
    def enqueue_deliveries(
        self,
        webhook_id: int,
        watermark: int | None,
        deliveries: Sequence[tuple[str, str]],
        at: float,
        *,
        since: int | None = None,
    ) -> int:
        """Add (idempotency key, JSON body) deliveries (a key already enqueued is ignored) and move the
        webhook's watermark to ``watermark`` (None: it stays), in one transaction. ``since``: the watermark
        the deliveries were computed from; when another process moved it meanwhile, nothing is enqueued.
        Returns how many were new."""
        added = 0
        with self._transaction():
            if watermark is not None:
                if since is None:
                    self._db.execute(
                        "UPDATE webhooks SET watermark = ? WHERE id = ?", (watermark, webhook_id)
                    )
                else:  # compare and set: the row lock (PostgreSQL) or the write lock (SQLite) orders collectors
                    moved = self._db.execute(
                        "UPDATE webhooks SET watermark = ? WHERE id = ? AND watermark = ?",
                        (watermark, webhook_id, since),
                    )
                    if moved.rowcount == 0:
                        return 0
            for key, payload in deliveries:
                cursor = self._db.execute(
                    "INSERT INTO webhook_deliveries (webhook, key, payload, status, next_attempt_ts, created_at) "
                    "VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (key) DO NOTHING",
                    (webhook_id, key, payload, at, _now()),
                )
                added += max(cursor.rowcount, 0)
        return added

    def due_deliveries(self, now: float, limit: int = 100) -> list[Delivery]:
        rows = self._db.execute(
            f"SELECT {_DELIVERY} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_ts <= ? "
            "ORDER BY next_attempt_ts, id LIMIT ?",
            (now, limit),
        ).fetchall()
        return [Delivery(**dict(r)) for r in rows]

    def next_delivery_ts(self) -> float | None:
        row = self._db.execute(
            "SELECT min(next_attempt_ts) FROM webhook_deliveries WHERE status = 'pending'"
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def record_attempt(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        http_status: int | None,
        error: str | None,
        next_ts: float,
    ) -> None:
        with self._transaction():
            self._db.execute(
                "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, "
                "last_error = ?, next_attempt_ts = ?, delivered_at = ? WHERE id = ?",
                (status, http_status, error, next_ts, _now() if status == "delivered" else None, delivery_id),
            )

    def deliveries(self, webhook_id: int | None = None, limit: int = 100) -> list[Delivery]:
        """The delivery log, newest first (one webhook's with ``webhook_id``)."""
        where, params = ("WHERE webhook = ?", [webhook_id]) if webhook_id is not None else ("", [])
        rows = self._db.execute(
            f"SELECT {_DELIVERY} FROM webhook_deliveries {where} ORDER BY id DESC LIMIT ?", [*params, limit]
        ).fetchall()
        return [Delivery(**dict(r)) for r in rows]


class AccessStore(Protocol):
    """The API's role of a store: tokens, saved searches, webhooks and deliveries (see the module docstring).
    Consumed by ``engine/access.py``, ``engine/alerts.py`` and ``web/api/``."""

    def add_token(self, name: str | None, scope: TokenScope, digest: str) -> TokenRow: ...

    def token(self, token_id: int) -> TokenRow | None: ...

    def token_digest(self, token_id: int) -> str | None: ...

    def tokens(self) -> list[TokenRow]: ...

    def revoke_token(self, token_id: int) -> bool: ...

    def add_saved_search(
        self,
        name: str,
        query: str,
        sources: Sequence[str],
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> SavedSearch: ...

    def saved_search(self, search_id: int) -> SavedSearch | None: ...

    def saved_searches(self) -> list[SavedSearch]: ...

    def delete_saved_search(self, search_id: int) -> bool: ...

    def add_webhook(
        self, url: str, secret: str, *, saved_search: int | None, min_outlets: int | None, watermark: int
    ) -> Webhook: ...

    def webhook(self, webhook_id: int) -> Webhook | None: ...

    def webhooks(self) -> list[Webhook]: ...

    def delete_webhook(self, webhook_id: int) -> bool: ...

    def enqueue_deliveries(
        self,
        webhook_id: int,
        watermark: int | None,
        deliveries: Sequence[tuple[str, str]],
        at: float,
        *,
        since: int | None = None,
    ) -> int: ...

    def due_deliveries(self, now: float, limit: int = 100) -> list[Delivery]: ...

    def next_delivery_ts(self) -> float | None: ...

    def record_attempt(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        http_status: int | None,
        error: str | None,
        next_ts: float,
    ) -> None: ...

    def deliveries(self, webhook_id: int | None = None, limit: int = 100) -> list[Delivery]: ...


class AccessHandle(AccessStore, Protocol):
    """The API's tables on a connection of their own, closed with it (a reader opens one for its writes)."""

    def close(self) -> None: ...
