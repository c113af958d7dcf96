"""The default search index: tantivy over naba's pre-analyzed terms.

Chosen over SQLite FTS5 by ``bench/bench_search.py`` (see the README table): tantivy indexes and answers
top-10 BM25 queries an order of magnitude faster at 31k and 1M articles. Text is analyzed by naba's own
Arabic analyzer *before* it reaches tantivy, and tantivy's ``whitespace`` tokenizer only splits the
pre-analyzed terms, so ranking stays Arabic-aware and the same analysis can feed any other backend.

Fields: ``title``/``body`` hold stemmed, variant-folded terms (BM25, frequencies only); ``title_phrase``/
``body_phrase`` hold normalized unstemmed tokens with positions (quoted phrases); ``publisher`` and
``published`` serve the filters. The index stores only ids: the SQLite database is the source of truth.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tantivy

from naba.errors import SearchError
from naba.search.base import IndexHit, IndexResults, ParsedQuery, QueryWord
from naba.store.sqlite import published_timestamp
from naba.types import AnalyzedArticle, ArticleId, SearchQuery

log = logging.getLogger(__name__)

# Writer heap: tantivy flushes a segment when it is full. 256 MB keeps the 31k-article ingest in few
# segments without pressure on a 2-core, small-memory machine.
_WRITER_HEAP_BYTES = 256 * 1024 * 1024
_WRITER_THREADS = 1
# Articles without a publication date sort and filter as if published at the epoch.
_NO_DATE = 0
# Outlets counted in a search's facets: more than the reader's source menu ever lists (~40 outlets).
FACET_OUTLETS = 100

# Evidence beyond BM25 of single terms, both scaled by the query's own BM25 scores:
# * coverage: a document holding every word of a multi-word query (any of each word's terms, title or body)
#   gets the BM25 of those words again, times COVERAGE_WEIGHT;
# * proximity: adjacent query words found within PROXIMITY_SLOP positions of each other in the title or the
#   body (normalized, unstemmed tokens) add their phrase BM25 times PROXIMITY_WEIGHT.
# Fitted with the title boost by ``scripts/fit_search.py`` (cross-validation over 5 outlet folds and 2 day
# folds of the dev sets, 12 settings): every fold chose title boost 0.75 (0.5 once) with both weights 0 —
# proximity 0.5 cost 0.02-0.03 condensed nDCG@10 on short queries and coverage 0.5 cost 0.01-0.02 hard
# MRR@10 on headlines. So both are off; the clauses stay for the next fit (README, "Search ranking").
COVERAGE_WEIGHT: float = 0.0
PROXIMITY_WEIGHT: float = 0.0
PROXIMITY_SLOP: int = 2


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("title_phrase", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("body_phrase", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("publisher", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    return builder.build()


class TantivyIndex:
    """A :class:`naba.search.base.SearchIndex` in a folder, for one analyzer preset."""

    def __init__(
        self,
        path: str | Path,
        *,
        analyzer: str,
        title_boost: float,
        coverage_weight: float = COVERAGE_WEIGHT,
        proximity_weight: float = PROXIMITY_WEIGHT,
        proximity_slop: int = PROXIMITY_SLOP,
    ) -> None:
        self.path = Path(path)
        self.analyzer = analyzer
        self.title_boost = title_boost
        self.coverage_weight = coverage_weight
        self.proximity_weight = proximity_weight
        self.proximity_slop = proximity_slop
        self.path.mkdir(parents=True, exist_ok=True)
        self._schema = _schema()
        try:
            self._index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
        except ValueError as exc:
            raise SearchError(f"cannot open search index {self.path}: {exc}; run `naba reindex`") from exc
        self._writer: Any = None

    # -- writing --------------------------------------------------------------------------------------
    def _get_writer(self) -> Any:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=_WRITER_HEAP_BYTES, num_threads=_WRITER_THREADS)
            except ValueError as exc:  # tantivy's own writer lock, held outside naba's lease
                raise SearchError(
                    f"the search index {self.path} is being written by another process"
                ) from exc
        return self._writer

    def add(self, articles: Sequence[AnalyzedArticle]) -> None:
        writer = self._get_writer()
        for analyzed in articles:
            article = analyzed.article
            writer.delete_documents_by_term("id", article.id)
            ts = published_timestamp(article.published)
            writer.add_document(
                tantivy.Document(
                    id=article.id,
                    title=" ".join(analyzed.title_terms),
                    body=" ".join(analyzed.body_terms),
                    title_phrase=" ".join(analyzed.title_phrase_terms),
                    body_phrase=" ".join(analyzed.body_phrase_terms),
                    publisher=article.publisher or "",
                    published=int(ts) if ts is not None else _NO_DATE,
                )
            )

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self._index.reload()

    def reload(self) -> None:
        """See the segments committed since this index was opened (by this or another process)."""
        self._index.reload()

    def clear(self) -> None:
        """Drop every document (used by ``naba reindex``)."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)
        self._index = tantivy.Index(self._schema, path=str(self.path), reuse=False)

    # -- searching ------------------------------------------------------------------------------------
    def search(self, parsed: ParsedQuery, query: SearchQuery) -> IndexResults:
        tquery = self._build_query(parsed, query)
        if tquery is None:
            return IndexResults(hits=(), total=0)
        searcher = self._index.searcher()
        by_date = query.sort == "date"
        if by_date:  # newest first; the hit's order key is its timestamp, so it gets no score
            result = searcher.search(
                tquery, limit=query.limit, count=True, offset=query.offset, order_by_field="published"
            )
        else:
            result = searcher.search(tquery, limit=query.limit, count=True, offset=query.offset)
        hits = tuple(
            IndexHit(
                article_id=ArticleId(searcher.doc(address)["id"][0]), score=0.0 if by_date else float(key)
            )
            for key, address in result.hits
        )
        # The bundled type stubs omit SearchResult.count, which exists at run time when count=True.
        total = int(getattr(result, "count", 0) or 0)
        if not query.facets or not total:
            return IndexResults(hits=hits, total=total)
        outlets, days = self._facets(searcher, tquery)
        return IndexResults(hits=hits, total=total, outlets=outlets, days=days)

    def _facets(self, searcher: Any, tquery: Any) -> tuple[dict[str, int], dict[str, int]]:
        """Every match counted by publisher (the FACET_OUTLETS largest) and by UTC day, in one pass over the
        fast fields (no stored document is read). Articles without a date (stored as the epoch) and without a
        publisher are left out of their facet."""
        found = searcher.aggregate(
            tquery,
            {
                "outlets": {"terms": {"field": "publisher", "size": FACET_OUTLETS}},
                "days": {"histogram": {"field": "published", "interval": 86400, "min_doc_count": 1}},
            },
        )
        outlets = {b["key"]: int(b["doc_count"]) for b in found["outlets"]["buckets"] if b["key"]}
        days = {
            dt.datetime.fromtimestamp(b["key"], dt.UTC).date().isoformat(): int(b["doc_count"])
            for b in found["days"]["buckets"]
            if b["key"] != _NO_DATE and b["doc_count"]
        }
        return outlets, days

    def doc_freq(self, field: str, term: str) -> int:
        """Documents whose ``field`` holds ``term`` (the spelling choice of query words)."""
        return int(self._index.searcher().doc_freq(field, term))

    def _build_query(self, parsed: ParsedQuery, query: SearchQuery) -> Any:
        must: list[tuple[Any, Any]] = []
        should = self._terms_query(parsed.terms)
        for phrase in parsed.phrases:
            must.append((tantivy.Occur.Must, self._phrase_query(phrase)))
        if should is None and not must:
            return None
        if should is not None:
            # With phrases present, the terms only rank; without them, at least one term must match.
            occur = tantivy.Occur.Should if must else tantivy.Occur.Must
            must.append((occur, should))
            must.extend((tantivy.Occur.Should, q) for q in self._evidence(parsed.words))
        must.extend((tantivy.Occur.Must, f) for f in self._filters(query))
        return tantivy.Query.boolean_query(must)

    def _terms_query(self, terms: Sequence[str]) -> Any:
        clauses = []
        for term in dict.fromkeys(terms):
            title = tantivy.Query.term_query(self._schema, "title", term)
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(title, self.title_boost)))
            clauses.append((tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "body", term)))
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def _evidence(self, words: Sequence[QueryWord]) -> list[Any]:
        """Coverage and proximity clauses (see COVERAGE_WEIGHT) for a query of two words or more."""
        words = [w for w in words if w.terms]
        if len(words) < 2:
            return []
        found = []
        if self.coverage_weight > 0:
            every = [(tantivy.Occur.Must, self._terms_query(w.terms)) for w in words]
            found.append(tantivy.Query.boost_query(tantivy.Query.boolean_query(every), self.coverage_weight))
        if self.proximity_weight > 0:
            pairs = dict.fromkeys((a.form, b.form) for a, b in itertools.pairwise(words) if a.form != b.form)
            near = [
                (
                    tantivy.Occur.Should,
                    tantivy.Query.phrase_query(self._schema, f, list(pair), slop=self.proximity_slop),
                )
                for pair in pairs
                for f in ("title_phrase", "body_phrase")
            ]
            if near:
                found.append(
                    tantivy.Query.boost_query(tantivy.Query.boolean_query(near), self.proximity_weight)
                )
        return found

    def _phrase_query(self, phrase: Sequence[str]) -> Any:
        if len(phrase) == 1:
            parts = [
                tantivy.Query.term_query(self._schema, f, phrase[0]) for f in ("title_phrase", "body_phrase")
            ]
        else:
            parts = [
                tantivy.Query.phrase_query(self._schema, f, list(phrase))
                for f in ("title_phrase", "body_phrase")
            ]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, p) for p in parts])

    def _filters(self, query: SearchQuery) -> list[Any]:
        filters = []
        if query.ids:
            filters.append(tantivy.Query.term_set_query(self._schema, "id", list(query.ids)))
        if query.sources:
            by_source = [
                (tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "publisher", s))
                for s in query.sources
            ]
            filters.append(tantivy.Query.boolean_query(by_source))
        if query.date_from or query.date_to:
            lower = _day_start(query.date_from) if query.date_from else None
            upper = _day_start(query.date_to + dt.timedelta(days=1)) - 1 if query.date_to else None
            filters.append(
                tantivy.Query.range_query(self._schema, "published", tantivy.FieldType.Integer, lower, upper)
            )
        return filters

    def count(self) -> int:
        return int(self._index.searcher().num_docs)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None


def _day_start(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
