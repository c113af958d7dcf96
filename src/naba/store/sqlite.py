"""The default store: one SQLite file in WAL mode, one writer, numbered forward-only migrations.

The database is the source of truth; the search index is derived from it and can be rebuilt. Every
``put_many`` is one transaction, so a process killed mid-ingest leaves the batches before it committed and
nothing half-written. Identity and change detection: an article is its id (see ``naba.identity``); the
same id with the same content hash changes nothing, a changed one is updated and the previous version is
copied to ``article_versions``. ``change_seq`` grows with every stored or updated article so that derived
indexes can catch up from a watermark.

Several processes may write one file (two ``naba ingest``, ``watch`` and ``understand``): every write is a
``BEGIN IMMEDIATE`` transaction, so writers take turns, and ``change_seq`` is allocated *inside* it from the
table itself. Sequence numbers therefore follow commit order, which is what lets a projection trust that
nothing below its watermark can still appear. A row is never replaced across identities: an article is
inserted or updated by its id, and a clash on ``change_seq`` would be an error, not a silent delete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from naba.article_json import article_from_json, article_to_json
from naba.errors import BusyError, ReadOnlyError, StoreError
from naba.store.access import AccessTables
from naba.store.base import PageKey, SourceCount, StoredArticle
from naba.store.copy import TableCopy, TableShape
from naba.store.migrations import MIGRATIONS
from naba.store.pages import latest_page_where
from naba.store.sections import SectionTables
from naba.store.sources import SourceTables
from naba.store.understanding import UnderstandingTables
from naba.types import Article, ArticleId, Provenance, PublishedTime, StageFailure, StoreOutcome

log = logging.getLogger(__name__)

# Each attempt to start a write waits this long inside SQLite; a writer keeps trying for WRITE_WAIT_SECONDS
# (another process's batch is short, a migration or a large understanding batch longer) and says so.
_BUSY_TIMEOUT_MS = 2_000
WRITE_WAIT_SECONDS = 600.0
_WAIT_NOTICE_SECONDS = 5.0

# SQLite limits the number of bound parameters per statement; stay well below it when using IN (...).
_IN_CHUNK = 500

_COLUMNS = (
    "id, url, canonical_url, publisher, original_source, language, title, published, published_ts, "
    "embedded_in, content_sha256, raw_sha256, source, fetched_at, ingested_at, analyzer, version, "
    "change_seq, doc"
)


_UPSERT_ARTICLE = (
    f"INSERT INTO articles ({_COLUMNS}) VALUES ({','.join('?' * 19)}) ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c.strip()} = excluded.{c.strip()}" for c in _COLUMNS.split(",") if c.strip() != "id")
)


def content_hash(article: Article) -> str:
    """Hash of what an article says, ignoring where and when it was read (provenance)."""
    data = article_to_json(article)
    data.pop("provenance")
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def published_timestamp(value: PublishedTime | None) -> float | None:
    """UTC seconds for ordering; a bare date counts as its midnight UTC."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.timestamp()
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLiteStore(UnderstandingTables, SourceTables, AccessTables, SectionTables, TableCopy):
    """The :class:`naba.store.base.Store` on one SQLite file."""

    _db: sqlite3.Connection

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.migrated: list[int] = []  # what this handle applied, and the version it found (as on PostgreSQL)
        self.migrated_from = 0
        try:
            self._db = self._connect()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        if read_only:
            self._check_schema()
        else:
            self._migrate()

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            uri = f"file:{self.path}?mode=ro"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            # Before switching to WAL: two processes opening a new file at once wait for each other.
            db.execute(f"PRAGMA busy_timeout={WRITE_WAIT_SECONDS * 1000:.0f}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        db.row_factory = sqlite3.Row
        return db

    # -- schema ---------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        try:  # a read: opening an up-to-date file must not queue behind the writers for the write lock
            done = self._applied_migrations()
        except sqlite3.OperationalError:  # a new file
            with self._transaction():
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
            done = self._applied_migrations()
        if done and max(done) > max(MIGRATIONS):
            raise StoreError(f"{self.path} has schema version {max(done)}, newer than this naba knows")
        self.migrated_from = max(done, default=0)
        for number in sorted(set(MIGRATIONS) - done):
            with self._transaction():
                # Another process opening the same new file may have applied it while this one waited.
                if number in self._applied_migrations():
                    continue
                log.info("applying migration %d to %s", number, self.path)
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (number, _now()))
            self.migrated.append(number)

    def _check_schema(self) -> None:
        """A read-only connection cannot migrate: a file behind this naba's schema is named, never half-read."""
        try:
            missing = set(MIGRATIONS) - self._applied_migrations()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a naba database ({exc})") from exc
        if missing:
            raise StoreError(
                f"{self.path} lacks schema migrations {sorted(missing)}: run `naba migrate` on it first "
                "(as on PostgreSQL)"
            )

    def _applied_migrations(self) -> set[int]:
        return {row[0] for row in self._db.execute("SELECT version FROM schema_migrations")}

    def applied_migrations(self) -> set[int]:
        """The migrations this file has (none when it has no naba schema yet)."""
        try:
            return self._applied_migrations()
        except sqlite3.OperationalError:
            return set()

    def schema_version(self) -> int:
        row = self._db.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, str(self.path))

    def write_refusal(self) -> str | None:
        """Why this user cannot write the file (SQLite also writes its folder: the WAL and lock files)."""
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return f"{self.path} is not writable by this user"
        if not os.access(self.path.parent, os.W_OK):
            return f"the folder of {self.path} is not writable by this user"
        return None

    def _max_seq(self) -> int:
        try:
            row = self._db.execute("SELECT max(change_seq) FROM articles").fetchone()
        except sqlite3.OperationalError:  # read-only handle on a database that was never migrated
            return 0
        return int(row[0] or 0)

    # -- writes ---------------------------------------------------------------------------------------
    def put_many(self, articles: Sequence[Article], analyzer: str) -> list[StoreOutcome]:
        """Store a batch in one transaction. Returns one outcome per article, in order."""
        hashes = [content_hash(a) for a in articles]
        with self._transaction():
            known = self._known_hashes([a.id for a in articles])
            # Allocated under the write lock: no other process can hand out the same numbers.
            seqs = itertools.count(self._max_seq() + 1)
            outcomes = []
            for article, digest in zip(articles, hashes, strict=True):
                outcomes.append(self._put_one(article, digest, analyzer, known, seqs))
                known[article.id] = digest
        return outcomes

    def _put_one(
        self,
        article: Article,
        digest: str,
        analyzer: str,
        known: dict[ArticleId, str],
        seqs: Iterator[int],
    ) -> StoreOutcome:
        previous = known.get(article.id)
        if previous == digest:
            return StoreOutcome.UNCHANGED
        version = 1
        if previous is not None:
            version = self._archive_current(article.id) + 1
        row = self._row(article, digest, analyzer, version, next(seqs))
        self._db.execute(_UPSERT_ARTICLE, row)
        return StoreOutcome.STORED if previous is None else StoreOutcome.UPDATED

    def _archive_current(self, article_id: ArticleId) -> int:
        row = self._db.execute("SELECT version, doc FROM articles WHERE id = ?", (article_id,)).fetchone()
        self._db.execute(
            "INSERT OR REPLACE INTO article_versions (id, version, doc, replaced_at) VALUES (?, ?, ?, ?)",
            (article_id, row["version"], row["doc"], _now()),
        )
        return int(row["version"])

    def _row(self, article: Article, digest: str, analyzer: str, version: int, seq: int) -> tuple[Any, ...]:
        prov = article.provenance
        doc = json.dumps(article_to_json(article), ensure_ascii=False)
        return (
            article.id,
            article.url,
            article.canonical_url,
            article.publisher,
            article.original_source,
            article.language,
            article.title,
            article.published.isoformat() if article.published else None,
            published_timestamp(article.published),
            article.embedded_in,
            digest,
            prov.raw_sha256,
            prov.source,
            prov.fetched_at.isoformat() if prov.fetched_at else None,
            _now(),
            analyzer,
            version,
            seq,
            doc,
        )

    def _known_hashes(self, ids: Sequence[ArticleId]) -> dict[ArticleId, str]:
        rows = self._select_ids("SELECT id, content_sha256 FROM articles WHERE id IN ({marks})", ids)
        return {ArticleId(row["id"]): row["content_sha256"] for row in rows}

    def _select_ids(self, template: str, ids: Sequence[ArticleId]) -> Iterator[sqlite3.Row]:
        """Run ``template`` (with an ``IN ({marks})``) over ids in chunks below SQLite's parameter limit."""
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start : start + _IN_CHUNK]
            yield from self._db.execute(template.format(marks=",".join("?" * len(chunk))), chunk)

    def record_failures(self, failures: Iterable[StageFailure]) -> None:
        rows = [(f.stage, f.location, f.error_type, f.message, f.when.isoformat()) for f in failures]
        if not rows:
            return
        with self._transaction():
            self._db.executemany(
                "INSERT INTO failures (stage, location, error_type, message, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (stage, location, error_type, message) "
                "DO UPDATE SET at = excluded.at, seen = seen + 1",
                rows,
            )

    def set_state(self, key: str, value: str) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    # -- reads ----------------------------------------------------------------------------------------
    def get(self, article_id: ArticleId) -> StoredArticle | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _stored(row) if row else None

    def get_many(self, ids: Sequence[ArticleId]) -> dict[ArticleId, StoredArticle]:
        rows = self._select_ids(f"SELECT {_COLUMNS} FROM articles WHERE id IN ({{marks}})", ids)
        return {ArticleId(row["id"]): _stored(row) for row in rows}

    def versions(self, article_id: ArticleId) -> list[Article]:
        rows = self._db.execute(
            "SELECT doc FROM article_versions WHERE id = ? ORDER BY version", (article_id,)
        ).fetchall()
        return [_article(row["doc"]) for row in rows]

    def latest(self, *, limit: int, offset: int = 0, publisher: str | None = None) -> list[StoredArticle]:
        where, params = ("WHERE publisher = ?", [publisher]) if publisher else ("", [])
        rows = self._db.execute(
            # SQLite sorts NULL lowest, so DESC already puts undated articles last, and the order is
            # migration 9's index: no sort of the table.
            f"SELECT {_COLUMNS} FROM articles {where} "
            "ORDER BY published_ts DESC, change_seq DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [_stored(row) for row in rows]

    def latest_page(
        self,
        *,
        limit: int,
        after: PageKey | None = None,
        publisher: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> list[StoredArticle]:
        """Newest first by (publication time, change_seq), articles without a date last; ``after`` is the key
        of the previous page's last article (keyset pagination: a page costs the same however deep)."""
        clause, params = latest_page_where(after, publisher, since, until)
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles {clause} "
            "ORDER BY published_ts IS NULL, published_ts DESC, change_seq DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [_stored(row) for row in rows]

    def sources(self) -> list[SourceCount]:
        rows = self._db.execute(
            "SELECT publisher, count(*) AS n, max(published_ts) AS latest FROM articles "
            "WHERE publisher IS NOT NULL GROUP BY publisher ORDER BY n DESC, publisher"
        ).fetchall()
        return [
            SourceCount(
                publisher=row["publisher"],
                articles=row["n"],
                latest=dt.datetime.fromtimestamp(row["latest"], dt.UTC)
                if row["latest"] is not None
                else None,
            )
            for row in rows
        ]

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def published_span(self) -> tuple[float, float] | None:
        # Two subqueries: SQLite answers a lone min() or max() from the index, not both in one query.
        row = self._db.execute(
            "SELECT (SELECT min(published_ts) FROM articles), (SELECT max(published_ts) FROM articles)"
        ).fetchone()
        return None if row[0] is None else (float(row[0]), float(row[1]))

    def counts(self) -> dict[str, int]:
        """Rows of each kind a user checks after a crash (``naba stats``)."""
        tables = {
            "articles": "articles",
            "versions": "article_versions",
            "failures": "failures",
            "understood": "understanding",
            "stories": "stories",
            "duplicate_groups": "dup_groups",
            "sources": "sources",
        }
        counts = {
            name: int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # names are ours
            for name, table in tables.items()
        }
        counts["change_seq"] = self._max_seq()
        counts["schema_version"] = self.schema_version()
        return counts

    def max_change_seq(self) -> int:
        return self._max_seq()

    def iter_articles(self, *, since_seq: int = 0) -> Iterator[StoredArticle]:
        cursor = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE change_seq > ? ORDER BY change_seq", (since_seq,)
        )
        while rows := cursor.fetchmany(1000):
            for row in rows:
                yield _stored(row)

    def embedded_articles(self, article_id: ArticleId) -> list[Article]:
        rows = self._db.execute(
            "SELECT doc FROM articles WHERE embedded_in = ? ORDER BY change_seq", (article_id,)
        ).fetchall()
        return [_article(row["doc"]) for row in rows]

    def failures(self, *, limit: int = 100) -> list[StageFailure]:
        rows = self._db.execute(
            "SELECT stage, location, error_type, message, at FROM failures ORDER BY at DESC, seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            StageFailure(
                stage=r["stage"],
                location=r["location"],
                error_type=r["error_type"],
                message=r["message"],
                when=dt.datetime.fromisoformat(r["at"]),
            )
            for r in rows
        ]

    def get_state(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def integrity_check(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def table_shapes(self) -> dict[str, TableShape]:
        """Every table with its columns and primary key (``naba migrate-store``)."""
        names = [
            str(r[0])
            for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        shapes = {}
        for name in names:
            info = self._db.execute(
                "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", (name,)
            ).fetchall()
            key = tuple(str(r[0]) for r in sorted((r for r in info if r[1]), key=lambda r: r[1]))
            shapes[name] = TableShape(name, tuple(str(r[0]) for r in info), key)
        return shapes

    def close(self) -> None:
        self._db.close()


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (the connection runs in autocommit mode).

    While another process writes, it waits its turn (logging once that it waits, then every few seconds),
    and gives up with a :class:`StoreError` after :data:`WRITE_WAIT_SECONDS`, before writing anything.
    """

    def __init__(self, db: sqlite3.Connection, name: str) -> None:
        self._db = db
        self._name = name

    def __enter__(self) -> None:
        started = time.monotonic()
        noticed = 0.0
        while True:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "readonly" in str(exc).lower():
                    raise ReadOnlyError(f"{self._name} refuses writes here: {exc}") from exc
                if not _is_busy(exc):
                    raise StoreError(f"{self._name}: {exc}") from exc
            waited = time.monotonic() - started
            if waited >= WRITE_WAIT_SECONDS:
                raise BusyError(
                    f"{self._name} is busy: another naba process has been writing for {waited:.0f} s; "
                    "try again when it is done"
                )
            if waited - noticed >= _WAIT_NOTICE_SECONDS or not noticed:
                noticed = max(waited, 1e-9)
                log.warning(
                    "waiting for another naba process to finish writing %s (%.0f s)", self._name, waited
                )

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


_EMPTY_PROVENANCE = Provenance(source="", fetched_at=None, raw_sha256="")


def _article(doc: str) -> Article:
    return article_from_json(json.loads(doc), default_provenance=_EMPTY_PROVENANCE)


def _stored(row: sqlite3.Row) -> StoredArticle:
    return StoredArticle(
        article=_article(row["doc"]),
        analyzer=row["analyzer"],
        version=row["version"],
        ingested_at=dt.datetime.fromisoformat(row["ingested_at"]),
        change_seq=row["change_seq"],
    )


# The row readers, shared with the PostgreSQL store (same columns, same JSON document).
article_from_doc = _article
stored_from_row = _stored
