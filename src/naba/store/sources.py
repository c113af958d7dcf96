"""The fetch tables of the SQLite store: followed sources with their poll state, and the items they served.

A mixin of :class:`naba.store.sqlite.SQLiteStore` (one connection, one writer). ``sources`` holds what
``naba watch`` needs to resume after a restart without refetching what it has (ETag, Last-Modified, next poll
time, consecutive failures, last error); ``source_items`` maps each item a source served (its GUID, else its
link) to the article it became, so an item served again, or edited with a new headline and slug, updates
that article instead of making a second one. Every statement is parameterized.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from naba.store.sql import SqlConnection
from naba.types import ArticleId, SourceSpec

ITEM_STORED = "stored"
ITEM_FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A followed source and its health."""

    id: int
    url: str
    kind: str
    title: str | None
    site_url: str | None
    publisher: str | None
    language: str | None
    country: str | None
    region: str | None
    verified: bool
    enabled: bool
    added_at: str
    etag: str | None
    last_modified: str | None
    last_poll: str | None
    last_ok: str | None
    next_poll_ts: float
    interval_s: float | None
    failures: int
    last_status: int | None
    last_error: str | None
    polls: int
    items_seen: int
    articles_stored: int

    def spec(self) -> SourceSpec:
        """What describes the source (for OPML export), without its poll state."""
        return SourceSpec(
            self.url, self.kind, self.title, self.site_url, self.publisher, self.language, self.country,
            self.region, self.verified,
        )  # fmt: skip

    @property
    def healthy(self) -> bool:
        return self.failures == 0 and self.last_ok is not None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__} | {"healthy": self.healthy}


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One item a source served and what became of it."""

    source_id: int
    item_key: str
    link: str | None
    article_id: ArticleId | None
    entry_hash: str
    status: str
    error: str | None
    attempts: int


@dataclass(frozen=True, slots=True)
class PollRecord:
    """What one poll of one source changes in its row (written with its items in one transaction)."""

    source_id: int
    at: dt.datetime
    ok: bool
    next_poll: dt.datetime
    interval_s: float
    status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items_seen: int = 0
    articles_stored: int = 0


_SOURCE_COLUMNS = (
    "id, url, kind, title, site_url, publisher, language, country, region, verified, enabled, added_at, etag, "
    "last_modified, last_poll, last_ok, next_poll_ts, interval_s, failures, last_status, last_error, polls, "
    "items_seen, articles_stored"
)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _source(row: sqlite3.Row) -> SourceRow:
    data = dict(row)
    data["verified"] = bool(data["verified"])
    data["enabled"] = bool(data["enabled"])
    return SourceRow(**data)


def _item(row: sqlite3.Row) -> SourceItem:
    data = dict(row)
    data["article_id"] = ArticleId(data["article_id"]) if data["article_id"] else None
    return SourceItem(**data)


class SourceTables:
    """Reads and writes of ``sources`` and ``source_items`` (mixed into the SQLite store)."""

    _db: SqlConnection

    def _transaction(self) -> Any:  # provided by SQLiteStore
        raise NotImplementedError

    # -- sources --------------------------------------------------------------------------------------
    def add_sources(self, sources: Iterable[SourceSpec]) -> tuple[int, int]:
        """Follow ``sources``; a URL already followed keeps its state (its description is refreshed).

        Returns (added, already followed).
        """
        added = existing = 0
        now = _iso(dt.datetime.now(dt.UTC))
        with self._transaction():
            for s in sources:
                known = self._db.execute("SELECT id FROM sources WHERE url = ?", (s.url,)).fetchone()
                if known is None:
                    self._db.execute(
                        "INSERT INTO sources (url, kind, title, site_url, publisher, language, country, region, "
                        "verified, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (s.url, s.kind, s.title, s.site_url, s.publisher, s.language, s.country, s.region,
                         int(s.verified), now),
                    )  # fmt: skip
                    added += 1
                    continue
                self._db.execute(
                    "UPDATE sources SET title = coalesce(?, title), site_url = coalesce(?, site_url), "
                    "publisher = coalesce(?, publisher), country = coalesce(?, country), "
                    "region = coalesce(?, region) WHERE id = ?",
                    (s.title, s.site_url, s.publisher, s.country, s.region, known[0]),
                )
                existing += 1
        return added, existing

    def list_sources(self, *, enabled_only: bool = False) -> list[SourceRow]:
        where = " WHERE enabled = 1" if enabled_only else ""
        rows = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources{where} ORDER BY id").fetchall()
        return [_source(r) for r in rows]

    def get_source(self, source_id: int) -> SourceRow | None:
        row = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,)).fetchone()
        return _source(row) if row else None

    def source_by_url(self, url: str) -> SourceRow | None:
        row = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE url = ?", (url,)).fetchone()
        return _source(row) if row else None

    def due_sources(self, now: dt.datetime, limit: int) -> list[SourceRow]:
        """Enabled sources whose next poll is due, most overdue first."""
        rows = self._db.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE enabled = 1 AND next_poll_ts <= ? "
            "ORDER BY next_poll_ts, id LIMIT ?",
            (now.timestamp(), limit),
        ).fetchall()
        return [_source(r) for r in rows]

    def next_due(self) -> dt.datetime | None:
        row = self._db.execute("SELECT min(next_poll_ts) FROM sources WHERE enabled = 1").fetchone()
        return None if row[0] is None else dt.datetime.fromtimestamp(row[0], dt.UTC)

    def remove_source(self, source_id: int) -> bool:
        """Stop following a source (its items' bookkeeping goes; its articles stay). False if unknown."""
        with self._transaction():
            self._db.execute("DELETE FROM source_items WHERE source_id = ?", (source_id,))
            cursor = self._db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return bool(cursor.rowcount > 0)

    def set_source_enabled(self, source_id: int, enabled: bool) -> None:
        with self._transaction():
            self._db.execute("UPDATE sources SET enabled = ? WHERE id = ?", (int(enabled), source_id))

    def set_source_verified(self, source_id: int, verified: bool, *, url: str | None = None) -> None:
        """Mark a source checked; ``url`` replaces its feed URL (one discovered on the site's home page) and
        starts its poll state afresh (the old URL's validators, failures and backoff do not apply to it)."""
        with self._transaction():
            self._db.execute("UPDATE sources SET verified = ? WHERE id = ?", (int(verified), source_id))
            if url is not None:
                self._db.execute(
                    "UPDATE OR IGNORE sources SET url = ?, etag = NULL, last_modified = NULL, failures = 0, "
                    "last_error = NULL, next_poll_ts = 0, interval_s = NULL WHERE id = ?",
                    (url, source_id),
                )

    # -- items ----------------------------------------------------------------------------------------
    def source_items(self, source_id: int, keys: Sequence[str]) -> dict[str, SourceItem]:
        """The known items of ``source_id`` among ``keys``."""
        out: dict[str, SourceItem] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT source_id, item_key, link, article_id, entry_hash, status, error, attempts "
                f"FROM source_items WHERE source_id = ? AND item_key IN ({marks})",
                (source_id, *chunk),
            ).fetchall()
            out.update((r["item_key"], _item(r)) for r in rows)
        return out

    def source_item_by_link(self, source_id: int, link: str) -> SourceItem | None:
        row = self._db.execute(
            "SELECT source_id, item_key, link, article_id, entry_hash, status, error, attempts "
            "FROM source_items WHERE source_id = ? AND link = ? AND article_id IS NOT NULL LIMIT 1",
            (source_id, link),
        ).fetchone()
        return _item(row) if row else None

    def failed_items(self, source_id: int, limit: int = 20) -> list[SourceItem]:
        """Items of ``source_id`` whose article could not be fetched or extracted (retried on later polls)."""
        rows = self._db.execute(
            "SELECT source_id, item_key, link, article_id, entry_hash, status, error, attempts "
            "FROM source_items WHERE source_id = ? AND status = ? ORDER BY last_seen DESC LIMIT ?",
            (source_id, ITEM_FAILED, limit),
        ).fetchall()
        return [_item(r) for r in rows]

    def failed_item_counts(self) -> dict[int, int]:
        rows = self._db.execute(
            "SELECT source_id, count(*) FROM source_items WHERE status = ? GROUP BY source_id", (ITEM_FAILED,)
        ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}

    def record_items(self, items: Sequence[SourceItem], at: dt.datetime | None = None) -> None:
        """Write items as they are done (one transaction), before the poll's end is recorded."""
        with self._transaction():
            self._put_items(items, _iso(at or dt.datetime.now(dt.UTC)))

    def record_poll(self, poll: PollRecord, items: Sequence[SourceItem]) -> None:
        """Write a poll's remaining items and the source's new state in one transaction.

        On a good poll the validators are replaced by the poll's (``None`` clears them: the next poll then
        fetches in full); a failed poll keeps those of the last good one.
        """
        at = _iso(poll.at)
        with self._transaction():
            self._put_items(items, at)
            self._db.execute(
                "UPDATE sources SET last_poll = ?, next_poll_ts = ?, interval_s = ?, polls = polls + 1, "
                "last_status = ?, items_seen = items_seen + ?, articles_stored = articles_stored + ?, "
                "failures = CASE WHEN ? THEN 0 ELSE failures + 1 END, "
                "last_error = CASE WHEN ? THEN NULL ELSE ? END, "
                "last_ok = CASE WHEN ? THEN ? ELSE last_ok END, "
                "etag = CASE WHEN ? THEN ? ELSE etag END, "
                "last_modified = CASE WHEN ? THEN ? ELSE last_modified END "
                "WHERE id = ?",
                (
                    at, poll.next_poll.timestamp(), poll.interval_s, poll.status, poll.items_seen,
                    poll.articles_stored, poll.ok, poll.ok, poll.error, poll.ok, at, poll.ok, poll.etag,
                    poll.ok, poll.last_modified, poll.source_id,
                ),
            )  # fmt: skip

    def _put_items(self, items: Sequence[SourceItem], at: str) -> None:
        if not items:
            return
        self._db.executemany(
            "INSERT INTO source_items (source_id, item_key, link, article_id, entry_hash, status, error, "
            "attempts, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(source_id, item_key) DO UPDATE SET link = excluded.link, "
            "article_id = coalesce(excluded.article_id, article_id), entry_hash = excluded.entry_hash, "
            "status = excluded.status, error = excluded.error, attempts = excluded.attempts, "
            "last_seen = excluded.last_seen",
            [
                (i.source_id, i.item_key, i.link, i.article_id, i.entry_hash, i.status, i.error, i.attempts,
                 at, at)
                for i in items
            ],
        )  # fmt: skip


# The row reader and column list, shared with the PostgreSQL store's claims (naba.store.postgres.store).
source_from_row = _source
SOURCE_COLUMNS = _SOURCE_COLUMNS
