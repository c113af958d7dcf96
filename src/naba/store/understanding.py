"""The understanding tables of the SQLite store: duplicate groups, verdicts, stories, redirects, threads.

A mixin of :class:`naba.store.sqlite.SQLiteStore` (one connection, one writer). Ids are kept *live*: when a
story or a duplicate group is merged into another, the rows of the absorbed one are rewritten to the
surviving id in the same transaction and a redirect is kept (flattened, so one lookup resolves any old id).
Every statement is parameterized; ids only ever travel as bound values.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections.abc import Iterable
from typing import Any, Final

from naba.store.base import ArticleUnderstanding, DayArticle, StoryHead, StoryRow, UnderstandBatch
from naba.store.entities import EntityTables, parse_story_entities, parse_story_keywords
from naba.store.rows import UNDERSTANDING_COLUMNS, understanding_row
from naba.store.sql import SqlConnection
from naba.types import ArticleId, CopyRow

# Home-page ranking: score = (outlets + sqrt(size)) halved every RANK_HALF_LIFE behind the newest story.
# Outlets weigh most (independent coverage is what makes a story big), size is damped so one outlet's
# twenty updates do not beat five outlets; the half-life keeps a day's page about that day.
RANK_HALF_LIFE: Final = dt.timedelta(hours=12)
# Most recent stories looked at when ranking (the ranking itself is done in Python).
RANK_POOL: Final = 5000
# Most stories gathered into one thread view.
MAX_THREAD_STORIES: Final = 200

_STORY_COLUMNS = "id, headline, lead, first_seen, last_seen, outlets, top_terms, size, entities, keywords"


def _ts(value: float | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, dt.UTC)


def _story_row(row: sqlite3.Row) -> StoryRow:
    return StoryRow(
        id=row["id"],
        headline=row["headline"],
        lead=ArticleId(row["lead"]),
        first_seen=_ts(row["first_seen"]),
        last_seen=_ts(row["last_seen"]),
        outlets=tuple(json.loads(row["outlets"])),
        top_terms=tuple(json.loads(row["top_terms"])),
        size=int(row["size"]),
        entities=parse_story_entities(row["entities"]),
        keywords=parse_story_keywords(row["keywords"]),
    )


def rank_score(row: StoryRow, newest: dt.datetime | None) -> float:
    """The home-page score of a story (see :data:`RANK_HALF_LIFE`)."""
    base = len(row.outlets) + math.sqrt(row.size)
    if newest is None or row.last_seen is None:
        return base
    age = max((newest - row.last_seen).total_seconds(), 0.0)
    return float(base * 0.5 ** (age / RANK_HALF_LIFE.total_seconds()))


class UnderstandingTables(EntityTables):
    """Reads and writes of the understanding tables (mixed into the SQLite store)."""

    _db: SqlConnection

    def _transaction(self) -> Any:  # provided by SQLiteStore
        raise NotImplementedError

    # -- writes ---------------------------------------------------------------------------------------
    def put_understanding(self, batch: UnderstandBatch) -> None:
        """Write one batch in one transaction (order of application: see :class:`UnderstandBatch`)."""
        db = self._db
        with self._transaction():
            db.executemany(
                f"INSERT OR REPLACE INTO understanding ({UNDERSTANDING_COLUMNS}, assigned_story) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        u.article,
                        u.dup_group,
                        u.duplicate_of,
                        u.similarity,
                        u.method,
                        u.story,
                        u.story_similarity,
                        u.story_method,
                        u.published_ts,
                        u.story,
                    )
                    for u in batch.articles
                ],
            )
            self._put_terms(
                batch.entities, batch.keywords, {u.article: u.published_ts for u in batch.articles}
            )
            for group_merge in batch.group_merges:
                self._merge_group(group_merge.absorbed, group_merge.into)
            touched: set[str] = set()
            for move in batch.story_moves:
                db.execute(
                    "UPDATE understanding SET story = ? WHERE article = ?", (move.to_story, move.article)
                )
                db.execute(
                    "INSERT OR REPLACE INTO story_moves (article, from_story, to_story, at) VALUES (?, ?, ?, ?)",
                    (move.article, move.from_story, move.to_story, move.at.isoformat()),
                )
                touched.update((move.from_story, move.to_story))
            for m in batch.story_merges:
                survivor = self._merge_story(m.absorbed, m.into, m.similarity, m.at)
                if survivor is not None:
                    touched.add(survivor)
            for group in batch.groups:
                self._put_group(group.id, group.original, group.members)
            heads = {self._resolve_story(h.id): h for h in batch.stories}
            for story_id in sorted(touched | set(heads) | {u.story for u in batch.articles}):
                self._refresh_story(self._resolve_story(story_id), heads.get(story_id))
            for link in batch.thread_links:
                a, b = self._resolve_story(link.story), self._resolve_story(link.to)
                if a != b:
                    db.execute(
                        "INSERT OR REPLACE INTO thread_links (story, to_story, similarity) VALUES (?, ?, ?)",
                        (a, b, link.similarity),
                    )
            db.executemany(
                "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                [(s.key, s.value) for s in batch.state],
            )

    def _merge_group(self, absorbed: str, into: str) -> None:
        a, b = self._resolve_group(absorbed), self._resolve_group(into)
        if a == b:
            return
        db = self._db
        db.execute("INSERT OR REPLACE INTO dup_redirects (absorbed, into_id) VALUES (?, ?)", (a, b))
        db.execute("UPDATE dup_redirects SET into_id = ? WHERE into_id = ?", (b, a))
        db.execute("UPDATE dup_members SET group_id = ? WHERE group_id = ?", (b, a))
        db.execute("UPDATE understanding SET dup_group = ? WHERE dup_group = ?", (b, a))
        db.execute("DELETE FROM dup_groups WHERE id = ?", (a,))

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
        db.execute("UPDATE OR REPLACE thread_links SET story = ? WHERE story = ?", (b, a))
        db.execute("UPDATE OR REPLACE thread_links SET to_story = ? WHERE to_story = ?", (b, a))
        db.execute("DELETE FROM thread_links WHERE story = to_story")
        db.execute("DELETE FROM stories WHERE id = ?", (a,))
        return b

    def _put_group(self, group_id: str, original: ArticleId, members: Iterable[CopyRow]) -> None:
        live = self._resolve_group(group_id)
        db = self._db
        db.executemany(
            "INSERT OR REPLACE INTO dup_members (article, group_id, outlet, url) VALUES (?, ?, ?, ?)",
            [(m.article, live, m.outlet, m.url) for m in members],
        )
        size = db.execute("SELECT count(*) FROM dup_members WHERE group_id = ?", (live,)).fetchone()[0]
        db.execute(
            "INSERT OR REPLACE INTO dup_groups (id, original, size) VALUES (?, ?, ?)", (live, original, size)
        )

    def _refresh_story(self, story_id: str, head: StoryHead | None) -> None:
        """Recompute size, span and outlets of a story from its articles; headline/lead/terms from ``head``."""
        db = self._db
        size, first, last = db.execute(
            "SELECT count(*), min(published_ts), max(published_ts) FROM understanding WHERE story = ?",
            (story_id,),
        ).fetchone()
        if not size:
            db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            return
        outlets = [
            row[0]
            for row in db.execute(
                "SELECT a.publisher, count(*) AS n FROM understanding u JOIN articles a ON a.id = u.article "
                "WHERE u.story = ? AND a.publisher IS NOT NULL GROUP BY a.publisher ORDER BY n DESC, a.publisher",
                (story_id,),
            )
        ]
        if head is None:
            row = db.execute(
                "SELECT headline, lead, top_terms FROM stories WHERE id = ?", (story_id,)
            ).fetchone()
            if row is None:  # a story the engine did not describe: its earliest article leads it
                lead = db.execute(
                    "SELECT u.article, a.title FROM understanding u JOIN articles a ON a.id = u.article "
                    "WHERE u.story = ? ORDER BY u.published_ts, u.article LIMIT 1",
                    (story_id,),
                ).fetchone()
                head = StoryHead(story_id, lead[1], ArticleId(lead[0]), ())
            else:
                head = StoryHead(
                    story_id, row["headline"], ArticleId(row["lead"]), tuple(json.loads(row["top_terms"]))
                )
        entities, keywords = self.story_terms(story_id)
        db.execute(
            f"INSERT OR REPLACE INTO stories ({_STORY_COLUMNS}, n_outlets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                story_id,
                head.headline,
                head.lead,
                first,
                last,
                json.dumps(outlets, ensure_ascii=False),
                json.dumps(list(head.top_terms), ensure_ascii=False),
                size,
                entities,
                keywords,
                len(outlets),
            ),
        )

    # -- reads ----------------------------------------------------------------------------------------
    def _resolve_story(self, story_id: str) -> str:
        row = self._db.execute(
            "SELECT into_id FROM story_redirects WHERE absorbed = ?", (story_id,)
        ).fetchone()
        return str(row[0]) if row else story_id

    def _resolve_group(self, group_id: str) -> str:
        row = self._db.execute("SELECT into_id FROM dup_redirects WHERE absorbed = ?", (group_id,)).fetchone()
        return str(row[0]) if row else group_id

    def understanding(self, article_id: ArticleId) -> ArticleUnderstanding | None:
        row = self._db.execute(
            f"SELECT {UNDERSTANDING_COLUMNS} FROM understanding WHERE article = ?", (article_id,)
        ).fetchone()
        return understanding_row(row) if row else None

    def pending_understanding(self, since_seq: int) -> list[tuple[ArticleId, float | None]]:
        """Articles changed after ``since_seq`` with no understanding yet, in publication order (ties by id)."""
        rows = self._db.execute(
            "SELECT a.id, a.published_ts FROM articles a WHERE a.change_seq > ? AND NOT EXISTS "
            "(SELECT 1 FROM understanding u WHERE u.article = a.id) "
            "ORDER BY a.published_ts IS NULL, a.published_ts, a.id",
            (since_seq,),
        ).fetchall()
        return [(ArticleId(r[0]), r[1]) for r in rows]

    def understood_since(self, start_ts: float) -> list[ArticleUnderstanding]:
        """Understood articles published at or after ``start_ts`` (UTC seconds), in publication order."""
        rows = self._db.execute(
            f"SELECT {UNDERSTANDING_COLUMNS} FROM understanding WHERE published_ts >= ? "
            "ORDER BY published_ts, article",
            (start_ts,),
        ).fetchall()
        return [understanding_row(r) for r in rows]

    def latest_understood_ts(self) -> float | None:
        row = self._db.execute("SELECT max(published_ts) FROM understanding").fetchone()
        return None if row[0] is None else float(row[0])

    def changed_count(self, since_seq: int) -> int:
        """Articles stored or updated after ``since_seq``."""
        row = self._db.execute("SELECT count(*) FROM articles WHERE change_seq > ?", (since_seq,)).fetchone()
        return int(row[0])

    def understood_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM understanding").fetchone()[0])

    def stories(self, limit: int, since: dt.datetime | None = None) -> list[StoryRow]:
        where, params = ("WHERE last_seen >= ?", [since.timestamp()]) if since else ("", [])
        rows = self._db.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories {where} ORDER BY last_seen DESC LIMIT ?",
            [*params, RANK_POOL],
        ).fetchall()
        found = [_story_row(r) for r in rows]
        newest = max((s.last_seen for s in found if s.last_seen), default=None)
        found.sort(key=lambda s: (-rank_score(s, newest), s.id))
        return found[:limit]

    def day_articles(self, start: dt.datetime, end: dt.datetime) -> list[DayArticle]:
        rows = self._db.execute(
            "SELECT u.article, u.story, u.dup_group, a.publisher, a.published_ts FROM articles a "
            "JOIN understanding u ON u.article = a.id WHERE a.published_ts >= ? AND a.published_ts < ? "
            "ORDER BY a.published_ts, a.id",
            (start.timestamp(), end.timestamp()),
        ).fetchall()
        return [DayArticle(ArticleId(r[0]), r[1], r[2], r[3], float(r[4])) for r in rows]

    def story(self, story_id: str) -> StoryRow | None:
        row = self._db.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = ?", (self._resolve_story(story_id),)
        ).fetchone()
        return _story_row(row) if row else None

    def story_articles(self, story_id: str) -> list[ArticleUnderstanding]:
        rows = self._db.execute(
            f"SELECT {UNDERSTANDING_COLUMNS} FROM understanding WHERE story = ? "
            "ORDER BY published_ts IS NULL, published_ts, article",
            (self._resolve_story(story_id),),
        ).fetchall()
        return [understanding_row(r) for r in rows]

    def moved_to(self, article_id: ArticleId, story_id: str) -> str | None:
        """The live story an article moved to from ``story_id`` (a repair split), else None."""
        row = self._db.execute(
            "SELECT to_story FROM story_moves WHERE article = ? AND from_story = ?", (article_id, story_id)
        ).fetchone()
        return self._resolve_story(str(row[0])) if row else None

    def story_of(self, article_id: ArticleId) -> StoryRow | None:
        found = self.understanding(article_id)
        return self.story(found.story) if found else None

    def also_published_by(self, article_id: ArticleId) -> list[CopyRow]:
        row = self._db.execute(
            "SELECT m.group_id, g.original FROM dup_members m LEFT JOIN dup_groups g ON g.id = m.group_id "
            "WHERE m.article = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return []
        rows = self._db.execute(
            "SELECT m.article, m.outlet, m.url FROM dup_members m "
            "LEFT JOIN understanding u ON u.article = m.article WHERE m.group_id = ? AND m.article != ? "
            "ORDER BY m.article = ? DESC, u.published_ts, m.article",
            (row["group_id"], article_id, row["original"]),
        ).fetchall()
        return [
            CopyRow(ArticleId(r["article"]), r["outlet"], r["url"], r["article"] == row["original"])
            for r in rows
        ]

    def thread_of(self, story_id: str) -> list[StoryRow]:
        start = self._resolve_story(story_id)
        seen, frontier = {start}, [start]
        while frontier and len(seen) < MAX_THREAD_STORIES:
            current = frontier.pop()
            for (other,) in self._db.execute(
                "SELECT to_story FROM thread_links WHERE story = ? UNION SELECT story FROM thread_links "
                "WHERE to_story = ?",
                (current, current),
            ).fetchall():
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
        if len(seen) == 1:
            return []
        stories = [s for s in (self.story(i) for i in seen) if s is not None]
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return sorted(stories, key=lambda s: (s.first_seen or far, s.id))
