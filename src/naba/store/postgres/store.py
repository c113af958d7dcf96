"""The store on PostgreSQL: the same log, tables and roles as :class:`naba.store.sqlite.SQLiteStore`.

* **The log.** ``put_many`` is one transaction that first takes a transaction-scoped advisory lock (the
  article writers' turn, as ``BEGIN IMMEDIATE`` is on SQLite) and allocates ``change_seq`` from
  ``max(change_seq)`` inside it, so sequence numbers follow commit order and a projection can trust its
  watermark. Only article writers take turns; readers never wait (MVCC), and the understanding, sources and
  state writes run concurrently with them.
* **The schema** is the numbered migrations' PostgreSQL variants (:mod:`naba.store.postgres.schema`), applied
  under an advisory lock by ``naba migrate`` and by commands that write (``migrate=True``); a read never
  migrates, and a database behind this naba's schema says to run ``naba migrate``.
* **The tables' queries** are the SQLite mixins' own (:class:`~naba.store.understanding.UnderstandingTables`,
  :class:`~naba.store.sources.SourceTables`, and the API's :class:`~naba.store.access.AccessTables`: tokens,
  saved searches, webhooks and deliveries), run through :class:`~naba.store.postgres.db.PgDatabase`, which
  translates their dialect; the few statements that do not translate are overridden here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from naba.article_json import article_to_json
from naba.errors import StoreError
from naba.store.access import AccessTables
from naba.store.base import PageKey, SourceCount, StoredArticle, StoryRow
from naba.store.copy import TableCopy, TableShape
from naba.store.entities import ENTITY_POOL
from naba.store.pages import latest_page_where
from naba.store.postgres.db import PgDatabase, write_refusal
from naba.store.postgres.leases import application_name, lock_key
from naba.store.postgres.schema import PG_MIGRATIONS
from naba.store.sections import SectionTables
from naba.store.sources import SOURCE_COLUMNS, SourceRow, SourceTables, source_from_row
from naba.store.sqlite import article_from_doc, content_hash, published_timestamp
from naba.store.sqlite import stored_from_row as _stored
from naba.store.understanding import UnderstandingTables
from naba.store.urls import display
from naba.types import Article, ArticleId, StageFailure, StoreOutcome

log = logging.getLogger(__name__)

_COLUMNS = (
    "id, url, canonical_url, publisher, original_source, language, title, published, published_ts, "
    "embedded_in, content_sha256, raw_sha256, source, fetched_at, ingested_at, analyzer, version, "
    "change_seq, doc"
)
_NAMES = [c.strip() for c in _COLUMNS.split(",")]
_UPSERT_ARTICLE = (
    f"INSERT INTO articles ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(_NAMES))}) ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _NAMES if c != "id")
)
# Advisory lock keys: the article writers' turn, and the migration runner.
_SEQ_LOCK = lock_key("naba article log")
_MIGRATION_LOCK = lock_key("naba migrations")
_ITER_CHUNK = 1000


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class PostgresStore(UnderstandingTables, SourceTables, SectionTables, AccessTables, TableCopy):
    """The :class:`naba.store.base.Store` on a PostgreSQL database (``postgresql://…``)."""

    _db: PgDatabase

    def __init__(
        self, url: str, *, migrate: bool = False, read_only: bool = False, pool_size: int = 8
    ) -> None:
        self.url = url
        self.path = display(url)  # what messages and `naba stats` show
        self.read_only = read_only
        self._db = PgDatabase(
            url, max_size=pool_size, application=application_name("store"), read_only=read_only
        )
        self.migrated: list[int] = []  # what this handle applied, and the version it found
        self.migrated_from = 0
        try:
            if migrate:
                self.migrate()
            self._check_schema()
            self._db.load_primary_keys()
        except BaseException:
            self._db.close()
            raise

    @property
    def db(self) -> PgDatabase:
        """The pooled database (the PostgreSQL search index shares it)."""
        return self._db

    # -- schema ---------------------------------------------------------------------------------------
    def applied_migrations(self) -> set[int]:
        exists = self._db.execute("SELECT to_regclass('schema_migrations') IS NOT NULL", raw=True).fetchone()
        if not exists[0]:
            return set()
        return {int(r[0]) for r in self._db.execute("SELECT version FROM schema_migrations", raw=True)}

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks, in order, each in its own transaction. Returns them."""
        applied: list[int] = []
        with self._db.transaction() as conn:  # one migrator at a time, on every machine
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
            self._refuse_newer(done)
            self.migrated_from = max(done, default=0)
            for number in sorted(set(PG_MIGRATIONS) - done):
                log.info("applying migration %d to %s", number, self.path)
                with conn.transaction():  # a savepoint: a failing migration names itself
                    try:
                        conn.execute(PG_MIGRATIONS[number].encode())
                    except Exception as exc:
                        raise StoreError(f"migration {number} failed on {self.path}: {exc}") from exc
                    conn.execute("INSERT INTO schema_migrations VALUES (%s, %s)", (number, _now()))
                applied.append(number)
        self._db.load_primary_keys()
        self.migrated = applied
        return applied

    def _refuse_newer(self, done: set[int]) -> None:
        if done and max(done) > max(PG_MIGRATIONS):
            raise StoreError(f"{self.path} has schema version {max(done)}, newer than this naba knows")

    def _check_schema(self) -> None:
        done = self.applied_migrations()
        self._refuse_newer(done)
        missing = sorted(set(PG_MIGRATIONS) - done)
        if missing:
            what = "has no naba schema" if not done else f"lacks migrations {missing}"
            raise StoreError(f"{self.path} {what}: run `naba migrate` on it first")

    def schema_version(self) -> int:
        return max(self.applied_migrations(), default=0)

    def _transaction(self) -> Any:
        return self._db.transaction()

    def write_refusal(self) -> str | None:
        """Why this server refuses writes (:func:`~naba.store.postgres.db.write_refusal`), or None."""
        return write_refusal(self.url)

    # -- writes ---------------------------------------------------------------------------------------
    def put_many(self, articles: Sequence[Article], analyzer: str) -> list[StoreOutcome]:
        """Store a batch in one transaction. Returns one outcome per article, in order."""
        hashes = [content_hash(a) for a in articles]
        with self._db.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SEQ_LOCK,))
            ids = list(dict.fromkeys(a.id for a in articles))
            known = {
                r[0]: (r[1], int(r[2]))
                for r in conn.execute(
                    "SELECT id, content_sha256, version FROM articles WHERE id = ANY(%s)", (ids,)
                )
            }
            row = conn.execute("SELECT coalesce(max(change_seq), 0) FROM articles").fetchone()
            seq = int(row[0]) if row else 0
            outcomes: list[StoreOutcome] = []
            upserts: list[tuple[Any, ...]] = []
            archive: list[str] = []
            for article, digest in zip(articles, hashes, strict=True):
                previous = known.get(article.id)
                if previous is not None and previous[0] == digest:
                    outcomes.append(StoreOutcome.UNCHANGED)
                    continue
                if previous is not None and any(u[0] == article.id for u in upserts):
                    # Changed twice in one batch: write the first now so that the second archives it.
                    self._write(conn, upserts, archive)
                    upserts, archive = [], []
                seq += 1
                version = 1 if previous is None else previous[1] + 1
                if previous is not None:
                    archive.append(article.id)
                upserts.append(self._row(article, digest, analyzer, version, seq))
                known[article.id] = (digest, version)
                outcomes.append(StoreOutcome.STORED if previous is None else StoreOutcome.UPDATED)
            self._write(conn, upserts, archive)
        return outcomes

    @staticmethod
    def _write(conn: Any, upserts: list[tuple[Any, ...]], archive: list[str]) -> None:
        if archive:
            conn.execute(
                "INSERT INTO article_versions (id, version, doc, replaced_at) "
                "SELECT id, version, doc, %s FROM articles WHERE id = ANY(%s) "
                "ON CONFLICT (id, version) DO UPDATE SET doc = EXCLUDED.doc, replaced_at = EXCLUDED.replaced_at",
                (_now(), archive),
            )
        if upserts:
            with conn.cursor() as cur:
                cur.executemany(_UPSERT_ARTICLE, upserts)

    @staticmethod
    def _row(article: Article, digest: str, analyzer: str, version: int, seq: int) -> tuple[Any, ...]:
        prov = article.provenance
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
            json.dumps(article_to_json(article), ensure_ascii=False),
        )

    def record_failures(self, failures: Iterable[StageFailure]) -> None:
        rows = [(f.stage, f.location, f.error_type, f.message, f.when.isoformat()) for f in failures]
        if not rows:
            return
        with self._db.transaction():
            self._db.executemany(
                "INSERT INTO failures (stage, location, error_type, message, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (stage, location, error_type, message) "
                "DO UPDATE SET at = excluded.at, seen = seen + 1",
                rows,
            )

    def set_state(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    # -- reads ----------------------------------------------------------------------------------------
    def get(self, article_id: ArticleId) -> StoredArticle | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _stored(row) if row else None

    def get_many(self, ids: Sequence[ArticleId]) -> dict[ArticleId, StoredArticle]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE id = ANY(?)", (list(dict.fromkeys(ids)),)
        ).fetchall()
        return {ArticleId(row["id"]): _stored(row) for row in rows}

    def versions(self, article_id: ArticleId) -> list[Article]:
        found = self._db.execute(
            "SELECT doc FROM article_versions WHERE id = ? ORDER BY version", (article_id,)
        ).fetchall()
        return [article_from_doc(r["doc"]) for r in found]

    def latest(self, *, limit: int, offset: int = 0, publisher: str | None = None) -> list[StoredArticle]:
        where, params = ("WHERE publisher = ?", [publisher]) if publisher else ("", [])
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles {where} "
            "ORDER BY published_ts IS NULL, published_ts DESC, change_seq DESC LIMIT ? OFFSET ?",
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
                articles=int(row["n"]),
                latest=dt.datetime.fromtimestamp(row["latest"], dt.UTC)
                if row["latest"] is not None
                else None,
            )
            for row in rows
        ]

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def published_span(self) -> tuple[float, float] | None:
        row = self._db.execute("SELECT min(published_ts), max(published_ts) FROM articles").fetchone()
        return None if row[0] is None else (float(row[0]), float(row[1]))

    def counts(self) -> dict[str, int]:
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
        counts["change_seq"] = self.max_change_seq()
        counts["schema_version"] = self.schema_version()
        return counts

    def max_change_seq(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(change_seq), 0) FROM articles").fetchone()[0])

    def iter_articles(self, *, since_seq: int = 0) -> Iterator[StoredArticle]:
        """By change, in chunks (keyset pages: no connection is held between them)."""
        last = since_seq
        while True:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
                (last, _ITER_CHUNK),
            ).fetchall()
            for row in rows:
                yield _stored(row)
            if len(rows) < _ITER_CHUNK:
                return
            last = int(rows[-1]["change_seq"])

    def embedded_articles(self, article_id: ArticleId) -> list[Article]:
        rows = self._db.execute(
            "SELECT doc FROM articles WHERE embedded_in = ? ORDER BY change_seq", (article_id,)
        ).fetchall()
        return [article_from_doc(row["doc"]) for row in rows]

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

    # -- statements SQLite's dialect cannot say in PostgreSQL ------------------------------------------
    def _merge_story(self, absorbed: str, into: str, similarity: float, at: dt.datetime) -> str | None:
        a, b = self._resolve_story(absorbed), self._resolve_story(into)
        if a == b:
            return None
        db = self._db
        db.execute(
            "INSERT OR REPLACE INTO story_redirects (absorbed, into_id, similarity, at) VALUES (?, ?, ?, ?)",
            (a, b, similarity, at.isoformat()),
        )
        db.execute("UPDATE story_redirects SET into_id = ? WHERE into_id = ?", (b, a))
        db.execute("UPDATE understanding SET story = ? WHERE story = ?", (b, a))
        # UPDATE OR REPLACE: the moved link replaces a link the survivor already has.
        db.execute(
            "DELETE FROM thread_links t WHERE t.story = ? AND EXISTS "
            "(SELECT 1 FROM thread_links o WHERE o.story = ? AND o.to_story = t.to_story)",
            (b, a),
        )
        db.execute("UPDATE thread_links SET story = ? WHERE story = ?", (b, a))
        db.execute(
            "DELETE FROM thread_links t WHERE t.to_story = ? AND EXISTS "
            "(SELECT 1 FROM thread_links o WHERE o.to_story = ? AND o.story = t.story)",
            (b, a),
        )
        db.execute("UPDATE thread_links SET to_story = ? WHERE to_story = ?", (b, a))
        db.execute("DELETE FROM thread_links WHERE story = to_story")
        db.execute("DELETE FROM stories WHERE id = ?", (a,))
        return b

    def set_source_verified(self, source_id: int, verified: bool, *, url: str | None = None) -> None:
        with self._db.transaction():
            self._db.execute("UPDATE sources SET verified = ? WHERE id = ?", (int(verified), source_id))
            if url is not None:  # UPDATE OR IGNORE: a URL already followed by another row stays as it is
                self._db.execute(
                    "UPDATE sources SET url = ?, etag = NULL, last_modified = NULL, failures = 0, "
                    "last_error = NULL, next_poll_ts = 0, interval_s = NULL WHERE id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM sources o WHERE o.url = ? AND o.id != ?)",
                    (url, source_id, url, source_id),
                )

    # -- several watch workers ------------------------------------------------------------------------
    def claim_due_sources(self, now: dt.datetime, limit: int, hold_seconds: float) -> list[SourceRow]:
        """Take up to ``limit`` due sources for this worker: their rows are locked with ``FOR UPDATE SKIP
        LOCKED`` (workers claiming at the same moment get different sources, and none waits) and their next
        poll moved ``hold_seconds`` ahead, so no other worker polls them meanwhile. The poll's
        ``record_poll`` sets the real next poll; a worker that dies holds them until ``hold_seconds`` pass.
        Returns the rows as they were before the claim, most overdue first."""
        with self._db.transaction():
            rows = self._db.execute(
                f"SELECT {SOURCE_COLUMNS} FROM sources WHERE enabled = 1 AND next_poll_ts <= %s "
                "ORDER BY next_poll_ts, id LIMIT %s FOR UPDATE SKIP LOCKED",
                (now.timestamp(), limit),
                raw=True,
            ).fetchall()
            if rows:
                self._db.execute(
                    "UPDATE sources SET next_poll_ts = %s WHERE id = ANY(%s)",
                    (now.timestamp() + hold_seconds, [r["id"] for r in rows]),
                    raw=True,
                )
        return [source_from_row(r) for r in rows]

    def release_claims(self, previous: dict[int, float]) -> None:
        """Give back claimed sources that were not polled (a stopped worker): due again as before."""
        if previous:
            self._db.executemany(
                "UPDATE sources SET next_poll_ts = ? WHERE id = ?", [(ts, i) for i, ts in previous.items()]
            )

    def entity_stories(self, canonical: str, limit: int = 50) -> list[StoryRow]:
        ids = [
            str(r[0])
            for r in self._db.execute(
                "SELECT u.story FROM article_entities e JOIN understanding u ON u.article = e.article "
                "WHERE e.canonical = ? GROUP BY u.story ORDER BY max(e.published_ts) DESC LIMIT ?",
                (canonical, ENTITY_POOL),
            )
        ]
        found = [s for s in (self.story(i) for i in dict.fromkeys(ids)) if s is not None]
        far = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(found, key=lambda s: (s.last_seen or far, s.id), reverse=True)[:limit]

    def table_shapes(self) -> dict[str, TableShape]:
        """Every table with its columns and primary key (``naba migrate-store``)."""
        rows = self._db.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "ORDER BY table_name, ordinal_position",
            raw=True,
        ).fetchall()
        columns: dict[str, list[str]] = {}
        for table, column in rows:
            columns.setdefault(str(table), []).append(str(column))
        keys = self._db.primary_keys
        return {t: TableShape(t, tuple(c), keys.get(t, ())) for t, c in sorted(columns.items())}

    def finish_table(self, table: TableShape) -> None:
        """Identity columns continue after the copied ids."""
        for (column,) in self._db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s AND is_identity = 'YES'",
            (table.name,),
            raw=True,
        ).fetchall():
            self._db.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce((SELECT max({column}) FROM {table.name}), 0) + 1, false)",
                (table.name, column),
                raw=True,
            )

    def close(self) -> None:
        self._db.close()
