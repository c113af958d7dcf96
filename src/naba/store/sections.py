"""The sections tables of the store: each article's section and countries, and the installation's own model.

A mixin of :class:`naba.store.sqlite.SQLiteStore` and :class:`naba.store.postgres.store.PostgresStore` (its
queries run on both; :class:`~naba.store.postgres.db.PgDatabase` translates ``INSERT OR REPLACE``). Written by
the sections projection (``naba.engine.sections``) in batches with its watermark in the same transaction. Every
statement is parameterized; section keys and country codes only travel as bound values.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from naba.store.base import SectionRow, StateRow, StoredModel
from naba.store.sql import SqlConnection
from naba.types import ArticleId

# Ids per IN (...) query: below SQLite's default limit of bound variables.
_CHUNK: Final = 500
_COLUMNS: Final = "article, section, source, confidence, weak, weak_signal, countries, published_ts"


def _row(r: Any) -> SectionRow:
    return SectionRow(
        article=ArticleId(r[0]),
        section=r[1],
        source=r[2],
        confidence=float(r[3]),
        weak=r[4],
        weak_signal=r[5],
        countries=tuple(r[6].split()),
        published_ts=r[7],
    )


class SectionTables:
    """Reads and writes of ``article_sections``, ``article_countries`` and ``section_models``."""

    _db: SqlConnection

    def _transaction(self) -> Any:  # provided by the store
        raise NotImplementedError

    def put_sections(self, rows: Sequence[SectionRow], state: Sequence[StateRow] = ()) -> None:
        db = self._db
        with self._transaction():
            for start in range(0, len(rows), _CHUNK):
                chunk = rows[start : start + _CHUNK]
                marks = ", ".join("?" for _ in chunk)
                db.execute(
                    f"DELETE FROM article_countries WHERE article IN ({marks})", [r.article for r in chunk]
                )
            db.executemany(
                f"INSERT OR REPLACE INTO article_sections ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.article,
                        r.section,
                        r.source,
                        r.confidence,
                        r.weak,
                        r.weak_signal,
                        " ".join(r.countries),
                        r.published_ts,
                    )
                    for r in rows
                ],
            )
            db.executemany(
                "INSERT INTO article_countries (article, country, rank, published_ts) VALUES (?, ?, ?, ?)",
                [(r.article, c, i, r.published_ts) for r in rows for i, c in enumerate(r.countries)],
            )
            db.executemany(
                "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", [(s.key, s.value) for s in state]
            )

    def weak_labels(self) -> list[tuple[ArticleId, str]]:
        rows = self._db.execute(
            "SELECT article, weak FROM article_sections WHERE weak IS NOT NULL ORDER BY article"
        ).fetchall()
        return [(ArticleId(r[0]), r[1]) for r in rows]

    def sections_of(self, ids: Sequence[ArticleId]) -> dict[ArticleId, SectionRow]:
        out: dict[ArticleId, SectionRow] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ", ".join("?" for _ in chunk)
            for r in self._db.execute(
                f"SELECT {_COLUMNS} FROM article_sections WHERE article IN ({marks})", chunk
            ).fetchall():
                row = _row(r)
                out[row.article] = row
        return out

    def section_counts(self, ids: Sequence[ArticleId] | None = None) -> dict[str, int]:
        if ids is None:
            rows = self._db.execute(
                "SELECT section, count(*) FROM article_sections GROUP BY section"
            ).fetchall()
            return {r[0]: int(r[1]) for r in rows}
        counts: dict[str, int] = {}
        for row in self.sections_of(ids).values():
            counts[row.section] = counts.get(row.section, 0) + 1
        return counts

    @staticmethod
    def _filter(section: str | None, country: str | None) -> tuple[str, list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if section is not None:
            where.append("s.section = ?")
            args.append(section)
        if country is not None:
            where.append(
                "EXISTS (SELECT 1 FROM article_countries c WHERE c.article = s.article AND c.country = ?)"
            )
            args.append(country)
        return (f"WHERE {' AND '.join(where)}" if where else ""), args

    def section_articles(
        self, *, section: str | None = None, country: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[ArticleId]:
        clause, args = self._filter(section, country)
        rows = self._db.execute(
            f"SELECT s.article FROM article_sections s {clause} "
            "ORDER BY s.published_ts IS NULL, s.published_ts DESC, s.article LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        return [ArticleId(r[0]) for r in rows]

    def section_total(self, *, section: str | None = None, country: str | None = None) -> int:
        clause, args = self._filter(section, country)
        row = self._db.execute(f"SELECT count(*) FROM article_sections s {clause}", args).fetchone()
        return int(row[0])

    def put_model(self, model: StoredModel) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO section_models (name, trained_at, trained_on, body) VALUES (?, ?, ?, ?)",
                (
                    model.name,
                    model.trained_at.isoformat(),
                    model.trained_on,
                    base64.b64encode(model.body).decode("ascii"),
                ),
            )

    def model(self, name: str) -> StoredModel | None:
        row = self._db.execute(
            "SELECT name, trained_at, trained_on, body FROM section_models WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        return StoredModel(
            name=row[0],
            body=base64.b64decode(row[3]),
            trained_on=int(row[2]),
            trained_at=dt.datetime.fromisoformat(row[1]),
        )
