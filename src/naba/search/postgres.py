"""Search on PostgreSQL with no local index: naba's analyzer terms stored and ranked by BM25 in SQL.

A :class:`naba.search.base.SearchIndex` whose documents live in the store's own database (tables created by
migration 1's PostgreSQL variant, :mod:`naba.store.postgres.schema`), so every ``naba serve`` on any machine
searches the same projection and none keeps a folder. Text is analyzed by naba's own analyzer *before* it
reaches PostgreSQL, exactly as for tantivy (the same versioned preset, the same terms):

* ``search_postings`` holds one row per (term, field, document) with the term's frequency and the field's
  length: a query sums BM25 over the postings of its terms (index scans on the primary key (term, field, doc),
  then one aggregate per document), so it reads only what its terms match. ``search_df`` keeps each term's
  document frequency per field and ``search_totals`` the number of documents and tokens per field;
  ``search_docs`` one row per article (its frequencies as JSONB, to undo them when it changes, its phrase
  vector and the filters' columns). :meth:`PostgresSearchIndex.add` keeps them in step in one transaction.
* Ranking is tantivy's BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N − df + 0.5)/(df + 0.5)), average field
  length = tokens / documents), title scores multiplied by ``title_boost``, summed over the query's distinct
  terms in both fields: what :class:`naba.search.tantivy_index.TantivyIndex` computes, with exact rather than
  one-byte-quantized field lengths.
* Quoted phrases: ``phrases`` is a ``tsvector`` built from the unstemmed phrase tokens with their positions
  (title first, then the body one position further on, so a phrase never spans the two) and a phrase is the
  ``tsquery`` ``'a' <-> 'b' <-> …``. With free terms the phrases filter and the terms rank (tantivy also adds
  the phrase's own BM25); a phrase-only query ranks newest first.
  PostgreSQL keeps positions up to 16,383 and 256 per lexeme: a phrase past the 16,383rd token of a very long
  article is not found reliably.
* Filters: publisher and the publication day range, on indexed columns, and a set of ids (alerts);
  ``sort=date`` (newest first) and the facets (matches per outlet and per UTC day) as the embedded engine
  gives them.

Writes happen only in the index writer (the projection's lease), so the frequency tables have one writer.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from naba.search.base import IndexHit, IndexResults, ParsedQuery
from naba.search.tantivy_index import FACET_OUTLETS
from naba.store.postgres.db import PgDatabase
from naba.store.sqlite import published_timestamp
from naba.types import AnalyzedArticle, ArticleId, SearchQuery

K1 = 1.2
B = 0.75
TITLE, BODY = 0, 1
_MAX_POSITION = 16_383
_MAX_POSITIONS_PER_LEXEME = 256
_MAX_LEXEME_BYTES = 2_000
_NO_DATE = 0


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def phrase_vector(title_tokens: Sequence[str], body_tokens: Sequence[str]) -> str:
    """The ``tsvector`` literal of an article's phrase tokens with positions (title, a gap, then body)."""
    positions: dict[str, list[int]] = {}
    at = 0
    for tokens in (title_tokens, body_tokens):
        for token in tokens:
            at += 1
            if not token or len(token.encode()) > _MAX_LEXEME_BYTES:
                continue
            found = positions.setdefault(token, [])
            if len(found) < _MAX_POSITIONS_PER_LEXEME:
                found.append(min(at, _MAX_POSITION))
        at += 1
    return " ".join(f"{_lexeme(t)}:{','.join(map(str, sorted(set(p))))}" for t, p in positions.items())


def phrase_query(tokens: Sequence[str]) -> str:
    return " <-> ".join(_lexeme(t) for t in tokens if t)


class PostgresSearchIndex:
    """The search projection in PostgreSQL (see the module docstring)."""

    def __init__(self, db: PgDatabase, *, analyzer: str, title_boost: float) -> None:
        self._db = db
        self.analyzer = analyzer
        self.title_boost = title_boost

    # -- writing --------------------------------------------------------------------------------------
    def add(self, articles: Sequence[AnalyzedArticle]) -> None:
        """Add or replace (by id) in one transaction, with the frequencies and totals."""
        latest: dict[str, AnalyzedArticle] = {a.article.id: a for a in articles}
        if not latest:
            return
        df: Counter[tuple[str, int]] = Counter()
        docs = tokens_title = tokens_body = 0
        rows = []
        for analyzed in latest.values():
            article = analyzed.article
            title_tf, body_tf = Counter(analyzed.title_terms), Counter(analyzed.body_terms)
            df.update((t, TITLE) for t in title_tf)
            df.update((t, BODY) for t in body_tf)
            docs += 1
            tokens_title += len(analyzed.title_terms)
            tokens_body += len(analyzed.body_terms)
            ts = published_timestamp(article.published)
            rows.append(
                (
                    article.id,
                    article.publisher,
                    int(ts) if ts is not None else _NO_DATE,
                    len(analyzed.title_terms),
                    len(analyzed.body_terms),
                    json.dumps(title_tf, ensure_ascii=False),
                    json.dumps(body_tf, ensure_ascii=False),
                    phrase_vector(analyzed.title_phrase_terms, analyzed.body_phrase_terms),
                )
            )
        with self._db.transaction() as conn:
            old = conn.execute(
                "SELECT doc, title_len, body_len, title_tf, body_tf FROM search_docs WHERE id = ANY(%s) FOR UPDATE",
                (list(latest),),
            ).fetchall()
            gone: tuple[list[str], list[int], list[int]] = ([], [], [])
            for doc, title_len, body_len, title_tf, body_tf in old:
                df.subtract({(t, TITLE): 1 for t in title_tf})
                df.subtract({(t, BODY): 1 for t in body_tf})
                docs -= 1
                tokens_title -= title_len
                tokens_body -= body_len
                for field, terms in ((TITLE, title_tf), (BODY, body_tf)):
                    for t in terms:
                        gone[0].append(t)
                        gone[1].append(field)
                        gone[2].append(doc)
            if gone[0]:
                conn.execute(
                    "DELETE FROM search_postings p USING unnest(%s::text[], %s::smallint[], %s::bigint[]) "
                    "AS o(term, field, doc) WHERE p.term = o.term AND p.field = o.field AND p.doc = o.doc",
                    gone,
                )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO search_docs (id, publisher, published, title_len, body_len, title_tf, body_tf, "
                    "phrases) VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::tsvector) "
                    "ON CONFLICT (id) DO UPDATE SET publisher = EXCLUDED.publisher, published = EXCLUDED.published, "
                    "title_len = EXCLUDED.title_len, body_len = EXCLUDED.body_len, title_tf = EXCLUDED.title_tf, "
                    "body_tf = EXCLUDED.body_tf, phrases = EXCLUDED.phrases",
                    rows,
                )
            numbers = {
                str(r[0]): int(r[1])
                for r in conn.execute("SELECT id, doc FROM search_docs WHERE id = ANY(%s)", (list(latest),))
            }
            with (
                conn.cursor() as cur,
                cur.copy("COPY search_postings (term, field, doc, tf, len) FROM STDIN") as copy,
            ):
                for analyzed in latest.values():
                    doc = numbers[analyzed.article.id]
                    for field, terms in ((TITLE, analyzed.title_terms), (BODY, analyzed.body_terms)):
                        for term, tf in Counter(terms).items():
                            copy.write_row((term, field, doc, tf, len(terms)))
            changed = sorted((k, n) for k, n in df.items() if n)
            if changed:
                conn.execute(
                    "INSERT INTO search_df (term, field, df) SELECT * FROM unnest(%s::text[], %s::smallint[], "
                    "%s::bigint[]) ON CONFLICT (term, field) DO UPDATE SET df = search_df.df + EXCLUDED.df",
                    ([k[0] for k, _ in changed], [k[1] for k, _ in changed], [n for _, n in changed]),
                )
            conn.execute(
                "UPDATE search_totals SET docs = docs + %s, tokens = tokens + CASE field WHEN 0 THEN %s::bigint "
                "ELSE %s::bigint END",
                (docs, tokens_title, tokens_body),
            )

    def commit(self) -> None:
        """Nothing to do: :meth:`add` commits its own transaction."""

    def reload(self) -> None:
        """Nothing to do: every query reads the committed tables."""

    def clear(self) -> None:
        with self._db.transaction() as conn:
            conn.execute("TRUNCATE search_docs, search_postings, search_df")
            conn.execute("UPDATE search_totals SET docs = 0, tokens = 0")

    # -- searching ------------------------------------------------------------------------------------
    def _weights(self, terms: Sequence[str]) -> tuple[list[float], list[float], float, float]:
        totals = {int(r[0]): (int(r[1]), int(r[2])) for r in self._db.execute(
            "SELECT field, docs, tokens FROM search_totals", raw=True
        )}  # fmt: skip
        n = max(totals.get(TITLE, (0, 0))[0], 0)
        df = {
            (r[0], int(r[1])): int(r[2])
            for r in self._db.execute(
                "SELECT term, field, df FROM search_df WHERE term = ANY(%s)", (list(terms),), raw=True
            )
        }

        def idf(term: str, field: int) -> float:
            d = df.get((term, field), 0)
            return math.log(1.0 + (n - d + 0.5) / (d + 0.5))

        avg_title = totals.get(TITLE, (0, 0))[1] / n if n else 1.0
        avg_body = totals.get(BODY, (0, 0))[1] / n if n else 1.0
        return (
            [self.title_boost * idf(t, TITLE) for t in terms],
            [idf(t, BODY) for t in terms],
            avg_title or 1.0,
            avg_body or 1.0,
        )

    def search(self, parsed: ParsedQuery, query: SearchQuery) -> IndexResults:
        terms = list(dict.fromkeys(parsed.terms))
        phrases = [p for p in (phrase_query(ph) for ph in parsed.phrases) if p]
        if not terms and not phrases:
            return IndexResults(hits=(), total=0)
        where: list[str] = []
        params: list[Any] = []
        if terms and not phrases:  # without phrases, at least one term must match
            where.append("d.doc IN (SELECT p.doc FROM search_postings p WHERE p.term = ANY(%s))")
            params.append(terms)
        for phrase in phrases:
            where.append("d.phrases @@ %s::tsquery")
            params.append(phrase)
        if query.sources:
            where.append("d.publisher = ANY(%s)")
            params.append(list(query.sources))
        if query.date_from:
            where.append("d.published >= %s")
            params.append(_day_start(query.date_from))
        if query.date_to:
            where.append("d.published < %s")
            params.append(_day_start(query.date_to + dt.timedelta(days=1)))
        if query.ids:  # only these articles (alerts ask about what arrived since a webhook's watermark)
            where.append("d.id = ANY(%s)")
            params.append(list(query.ids))
        by_date = query.sort == "date"
        if terms and not by_date:
            w_title, w_body, avg_title, avg_body = self._weights(terms)
            # BM25 summed from the postings of the query's terms (index scans on (term, field, doc)).
            scored = (
                "WITH s AS (SELECT p.doc, sum(q.w * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.len / q.avg))) "
                "AS score FROM unnest(%s::text[], %s::smallint[], %s::float8[], %s::float8[]) AS q(term, field, w, avg) "
                "JOIN search_postings p ON p.term = q.term AND p.field = q.field GROUP BY p.doc) "
            )
            score_params: list[Any] = [
                terms + terms,
                [TITLE] * len(terms) + [BODY] * len(terms),
                w_title + w_body,
                [avg_title] * len(terms) + [avg_body] * len(terms),
            ]
            # With phrases, the phrase filters and the terms only rank (a match without a term scores 0).
            source = (
                "search_docs d LEFT JOIN s ON s.doc = d.doc"
                if phrases
                else "s JOIN search_docs d ON d.doc = s.doc"
            )
            conditions = [w for w in where if not w.startswith("d.doc IN")]
            condition_params = params[1:] if not phrases else params
            where_sql = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            sql = (
                f"{scored}SELECT d.id, coalesce(s.score, 0) AS score, count(*) OVER () AS total FROM {source}"
                f"{where_sql} ORDER BY score DESC, d.id LIMIT %s OFFSET %s"
            )
            score_params += condition_params
            params_for_rows = score_params
        else:  # newest first (articles without a date last); a phrase-only query too
            sql = (
                "SELECT d.id, 0.0 AS score, count(*) OVER () AS total FROM search_docs d "
                f"WHERE {' AND '.join(where)} ORDER BY d.published DESC, d.id LIMIT %s OFFSET %s"
            )
            params_for_rows = list(params)
        rows = self._db.execute(sql, [*params_for_rows, query.limit, query.offset], raw=True).fetchall()
        total = int(rows[0][2]) if rows else self._count(where, params) if query.offset else 0
        hits = tuple(IndexHit(article_id=ArticleId(r[0]), score=float(r[1])) for r in rows)
        if not query.facets or not total:
            return IndexResults(hits=hits, total=total)
        outlets, days = self._facets(where, params)
        return IndexResults(hits=hits, total=total, outlets=outlets, days=days)

    def _facets(self, where: list[str], params: list[Any]) -> tuple[dict[str, int], dict[str, int]]:
        """Every match counted by publisher (the FACET_OUTLETS largest) and by UTC day; articles without a
        date or a publisher are left out of their facet (as the embedded engine does)."""
        condition = " AND ".join(where)
        outlets = {
            str(r[0]): int(r[1])
            for r in self._db.execute(
                f"SELECT d.publisher, count(*) AS n FROM search_docs d WHERE {condition} "
                "AND d.publisher IS NOT NULL AND d.publisher != '' GROUP BY d.publisher "
                "ORDER BY n DESC, d.publisher LIMIT %s",
                [*params, FACET_OUTLETS],
                raw=True,
            )
        }
        days = {
            dt.datetime.fromtimestamp(int(r[0]) * 86400, dt.UTC).date().isoformat(): int(r[1])
            for r in self._db.execute(
                f"SELECT floor(d.published / 86400.0)::bigint AS day, count(*) FROM search_docs d "
                f"WHERE {condition} AND d.published != %s GROUP BY day ORDER BY day",
                [*params, _NO_DATE],
                raw=True,
            )
        }
        return outlets, days

    def doc_freq(self, field: str, term: str) -> int:
        """Documents whose ``field`` holds ``term`` (the spelling choice of query words): stems from
        ``search_df``; a normalized word ("title_phrase"/"body_phrase") from the phrase vectors, which hold
        title and body together, so both phrase fields count articles with the word in either."""
        if field in ("title", "body"):
            row = self._db.execute(
                "SELECT df FROM search_df WHERE term = %s AND field = %s",
                (term, TITLE if field == "title" else BODY),
                raw=True,
            ).fetchone()
            return int(row[0]) if row else 0
        lexeme = phrase_query([term])
        if not lexeme:
            return 0
        row = self._db.execute(
            "SELECT count(*) FROM search_docs WHERE phrases @@ %s::tsquery", (lexeme,), raw=True
        ).fetchone()
        return int(row[0])

    def _count(self, where: list[str], params: list[Any]) -> int:
        row = self._db.execute(
            f"SELECT count(*) FROM search_docs d WHERE {' AND '.join(where)}", params, raw=True
        ).fetchone()
        return int(row[0])

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM search_docs", raw=True).fetchone()[0])

    def close(self) -> None:
        """The connections belong to the store."""


def _day_start(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
