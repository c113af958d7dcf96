"""The entity and keyword tables of the SQLite store: per-article rows, surface forms, story aggregates.

A mixin of :class:`naba.store.sqlite.SQLiteStore` (through :class:`~naba.store.understanding.UnderstandingTables`).
Rows are written with their article's understanding, in the same transaction; a story's top entities and
keywords are recomputed from its articles' rows whenever the story row is written (:meth:`story_terms`), so
they follow merges. Entity queries join ``understanding`` for the live story ids.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Final

from naba.store.base import (
    ArticleUnderstanding,
    EntityCount,
    EntityInfo,
    EntityKindName,
    EntityMention,
    KeywordRow,
    StoryKeyword,
    StoryRow,
)
from naba.store.rows import UNDERSTANDING_COLUMNS, understanding_row
from naba.store.sql import SqlConnection
from naba.types import ArticleId

# Top entities and keywords kept with each story (the reader shows them as chips; the CLI lists them).
STORY_TOP_ENTITIES: Final = 12
STORY_TOP_KEYWORDS: Final = 10
# Articles of one entity gathered for ranking and lists (newest first); bounds the entity page's queries.
ENTITY_POOL: Final = 2000

# Ids per IN (...) list: well below SQLite's bound-parameter limit.
_KEYWORD_CHUNK: Final = 500
_KINDS: Final[dict[str, EntityKindName]] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


def _kind(value: str) -> EntityKindName:
    return _KINDS.get(value, "ORG")


def entity_count_json(e: EntityCount) -> dict[str, Any]:
    return {
        "canonical": e.canonical,
        "kind": e.kind,
        "articles": e.articles,
        "outlets": e.outlets,
        "stories": e.stories,
        "mentions": e.mentions,
    }


def story_keyword_json(k: StoryKeyword) -> dict[str, Any]:
    return {"text": k.text, "key": k.key, "articles": k.articles, "score": round(k.score, 4)}


def parse_story_entities(raw: str) -> tuple[EntityCount, ...]:
    return tuple(
        EntityCount(
            d["canonical"], _kind(d["kind"]), d["articles"], d["outlets"], d.get("stories", 1), d["mentions"]
        )
        for d in json.loads(raw or "[]")
    )


def parse_story_keywords(raw: str) -> tuple[StoryKeyword, ...]:
    return tuple(
        StoryKeyword(d["text"], d["key"], d["articles"], d["score"]) for d in json.loads(raw or "[]")
    )


class EntityTables:
    """Reads and writes of the entity and keyword tables (mixed into the SQLite store)."""

    _db: SqlConnection

    def _resolve_story(self, story_id: str) -> str:  # provided by UnderstandingTables
        raise NotImplementedError

    def story(self, story_id: str) -> StoryRow | None:  # provided by UnderstandingTables
        raise NotImplementedError

    # -- writes (inside put_understanding's transaction) -------------------------------------------------
    def _put_terms(
        self,
        entities: Iterable[EntityMention],
        keywords: Iterable[KeywordRow],
        published: dict[ArticleId, float | None],
    ) -> None:
        db = self._db
        rows = list(entities)
        db.executemany(
            "INSERT OR REPLACE INTO article_entities "
            "(article, canonical, kind, name, first_offset, count, published_ts) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (e.article, e.canonical, e.kind, e.name, e.first_offset, e.count, published.get(e.article))
                for e in rows
            ],
        )
        names: Counter[tuple[str, str]] = Counter()
        for e in rows:
            for name in e.names:
                names[(name, e.canonical)] += 1
        db.executemany(
            "INSERT INTO entity_names (name, canonical, mentions) VALUES (?, ?, ?) "
            "ON CONFLICT (name, canonical) DO UPDATE SET mentions = mentions + excluded.mentions",
            [(name, canonical, n) for (name, canonical), n in sorted(names.items())],
        )
        db.executemany(
            "INSERT OR REPLACE INTO article_keywords (article, key, text, score, count) VALUES (?, ?, ?, ?, ?)",
            [(k.article, k.key, k.text, k.score, k.count) for k in keywords],
        )

    def story_terms(self, story_id: str) -> tuple[str, str]:
        """The story's top entities and keywords as JSON, aggregated from its (live) articles' rows."""
        return (
            json.dumps(
                [entity_count_json(e) for e in self._aggregate_story_entities(story_id)], ensure_ascii=False
            ),
            json.dumps(
                [story_keyword_json(k) for k in self._aggregate_story_keywords(story_id)], ensure_ascii=False
            ),
        )

    def _aggregate_story_entities(self, story_id: str) -> list[EntityCount]:
        rows = self._db.execute(
            "SELECT e.canonical, e.kind, e.count, a.publisher FROM understanding u "
            "JOIN article_entities e ON e.article = u.article JOIN articles a ON a.id = u.article "
            "WHERE u.story = ?",
            (story_id,),
        ).fetchall()
        return _rank_entities(rows, with_stories=False)[:STORY_TOP_ENTITIES]

    def _aggregate_story_keywords(self, story_id: str) -> list[StoryKeyword]:
        rows = self._db.execute(
            "SELECT k.key, k.text, k.score FROM understanding u JOIN article_keywords k ON k.article = u.article "
            "WHERE u.story = ?",
            (story_id,),
        ).fetchall()
        articles: Counter[str] = Counter()
        scores: dict[str, float] = defaultdict(float)
        texts: dict[str, Counter[str]] = defaultdict(Counter)
        for key, text, score in rows:
            articles[key] += 1
            scores[key] += float(score)
            texts[key][text] += 1
        # Summed score = mean score x articles carrying it: a phrase many articles share ranks first.
        ranked = sorted(scores, key=lambda k: (-scores[k], -articles[k], k))[:STORY_TOP_KEYWORDS]
        return [
            StoryKeyword(min(texts[k].items(), key=lambda t: (-t[1], t[0]))[0], k, articles[k], scores[k])
            for k in ranked
        ]

    # -- reads --------------------------------------------------------------------------------------------
    def article_entities(self, article_id: ArticleId) -> list[EntityMention]:
        rows = self._db.execute(
            "SELECT canonical, kind, name, first_offset, count FROM article_entities WHERE article = ? "
            "ORDER BY count DESC, first_offset",
            (article_id,),
        ).fetchall()
        return [
            EntityMention(article_id, r[0], _kind(r[1]), r[2], (r[2],), int(r[3]), int(r[4])) for r in rows
        ]

    def article_keywords(self, article_id: ArticleId) -> list[KeywordRow]:
        rows = self._db.execute(
            "SELECT key, text, score, count FROM article_keywords WHERE article = ? ORDER BY score DESC, key",
            (article_id,),
        ).fetchall()
        return [KeywordRow(article_id, r[0], r[1], float(r[2]), int(r[3])) for r in rows]

    def keyword_weights(self, article_ids: Sequence[ArticleId]) -> dict[ArticleId, dict[str, float]]:
        weights: dict[ArticleId, dict[str, float]] = {a: {} for a in article_ids}
        unique = list(weights)
        for start in range(0, len(unique), _KEYWORD_CHUNK):
            chunk = unique[start : start + _KEYWORD_CHUNK]
            rows = self._db.execute(
                f"SELECT article, key, score FROM article_keywords WHERE article IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for r in rows:
                weights[ArticleId(r[0])][r[1]] = float(r[2])
        return weights

    def story_entities(self, story_id: str, limit: int = 10) -> list[EntityCount]:
        found = self.story(story_id)
        return list(found.entities[:limit]) if found else []

    def story_keywords(self, story_id: str, limit: int = 10) -> list[StoryKeyword]:
        found = self.story(story_id)
        return list(found.keywords[:limit]) if found else []

    def entity(self, name: str) -> EntityInfo | None:
        db = self._db
        canonical = name.strip()
        if (
            db.execute("SELECT 1 FROM article_entities WHERE canonical = ? LIMIT 1", (canonical,)).fetchone()
            is None
        ):
            row = db.execute(
                "SELECT canonical FROM entity_names WHERE name = ? ORDER BY mentions DESC, canonical LIMIT 1",
                (canonical,),
            ).fetchone()
            if row is None:
                return None
            canonical = str(row[0])
        kinds = db.execute(
            "SELECT kind, count(*) AS n FROM article_entities WHERE canonical = ? GROUP BY kind "
            "ORDER BY n DESC, kind",
            (canonical,),
        ).fetchall()
        aliases = db.execute(
            "SELECT name, mentions FROM entity_names WHERE canonical = ? ORDER BY mentions DESC, name",
            (canonical,),
        ).fetchall()
        return EntityInfo(
            canonical,
            _kind(kinds[0][0]) if kinds else "ORG",
            tuple((str(r[0]), int(r[1])) for r in aliases),
            sum(int(k[1]) for k in kinds),
        )

    def display_names(self, canonicals: Sequence[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(canonicals))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT canonical, name FROM entity_names WHERE canonical IN ({marks}) "  # marks: one ? per name
            "ORDER BY canonical, mentions DESC, name",
            wanted,
        ).fetchall()
        out: dict[str, str] = {}
        for canonical, name in rows:
            out.setdefault(str(canonical), str(name))
        return out

    def entity_articles(self, canonical: str, limit: int = 50) -> list[ArticleUnderstanding]:
        columns = ", ".join(f"u.{c.strip()}" for c in UNDERSTANDING_COLUMNS.split(","))
        rows = self._db.execute(
            f"SELECT {columns} FROM article_entities e JOIN understanding u ON u.article = e.article "
            "WHERE e.canonical = ? ORDER BY e.published_ts IS NULL, e.published_ts DESC, e.article LIMIT ?",
            (canonical, limit),
        ).fetchall()
        return [understanding_row(r) for r in rows]

    def entity_stories(self, canonical: str, limit: int = 50) -> list[StoryRow]:
        ids = [
            str(r[0])
            for r in self._db.execute(
                "SELECT DISTINCT u.story FROM article_entities e JOIN understanding u ON u.article = e.article "
                "WHERE e.canonical = ? ORDER BY e.published_ts DESC LIMIT ?",
                (canonical, ENTITY_POOL),
            )
        ]
        # Only the stories of the latest mentions are read (each story row parses its entity and keyword
        # lists): twice ``limit`` distinct stories, newest mention first, is enough to rank by last_seen.
        recent = list(dict.fromkeys(ids))[: limit * 2]
        found = [s for s in (self.story(i) for i in recent) if s is not None]
        far = dt.datetime.min.replace(tzinfo=dt.UTC)
        return sorted(found, key=lambda s: (s.last_seen or far, s.id), reverse=True)[:limit]

    def top_entities(
        self,
        limit: int,
        since: dt.datetime | None = None,
        kind: EntityKindName | None = None,
        until: dt.datetime | None = None,
    ) -> list[EntityCount]:
        clauses, params = [], []
        if since is not None:
            clauses.append("e.published_ts >= ?")
            params.append(since.timestamp())
        if until is not None:
            clauses.append("e.published_ts < ?")
            params.append(until.timestamp())
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._db.execute(
            "SELECT e.canonical, e.kind, e.count, a.publisher, u.story FROM article_entities e "
            f"JOIN understanding u ON u.article = e.article JOIN articles a ON a.id = e.article {where}",
            params,
        ).fetchall()
        ranked = _rank_entities(rows, with_stories=True)
        return [e for e in ranked if kind is None or e.kind == kind][:limit]


def _rank_entities(rows: Iterable[sqlite3.Row | tuple[Any, ...]], *, with_stories: bool) -> list[EntityCount]:
    """Entities of (canonical, kind, count, publisher[, story]) rows: most stories, outlets, articles first.

    An entity's kind is its majority kind over the articles (the tagger may call one name a place in one
    article and an organization in another).
    """
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    outlets: dict[str, set[str]] = defaultdict(set)
    stories: dict[str, set[str]] = defaultdict(set)
    articles: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for row in rows:
        canonical, kind, count, publisher = row[0], row[1], int(row[2]), row[3]
        kinds[canonical][kind] += 1
        articles[canonical] += 1
        mentions[canonical] += count
        if publisher:
            outlets[canonical].add(publisher)
        if with_stories:
            stories[canonical].add(row[4])
    found = [
        EntityCount(
            c,
            _kind(min(kinds[c].items(), key=lambda t: (-t[1], t[0]))[0]),
            articles[c],
            len(outlets[c]),
            len(stories[c]) if with_stories else 1,
            mentions[c],
        )
        for c in articles
    ]
    found.sort(key=lambda e: (-e.stories, -e.outlets, -e.articles, -e.mentions, e.canonical))
    return found
