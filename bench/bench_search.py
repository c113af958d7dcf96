"""Search benchmark: SQLite FTS5 vs tantivy for naba's default index, at corpus scale and at ~1M articles.

Both engines get the same pre-analyzed text: every article is analyzed once with naba's analyzer
(``analyze_texts``: index terms and phrase tokens of title and body), terms space-joined.

* tantivy: naba's own :class:`naba.search.tantivy_index.TantivyIndex` (``whitespace`` tokenizer; title, body
  with frequencies, title_phrase, body_phrase with positions), committed every ``_INDEX_COMMIT_EVERY``
  articles like ``naba ingest``; queried with ``TantivyIndex.search`` (boolean OR of the terms over title
  boosted x2 and body, top 10, with the total count).
* FTS5: one contentless table (``content=''``: like the tantivy index it stores no text, the SQLite store
  holds the articles) with the same four columns, ``tokenize="unicode61 remove_diacritics 0"``, rows
  inserted in transactions of the same size, then ``optimize``; queried with ``{title body} : ("t1" OR "t2" ...)``,
  rank = ``bm25(2.0, 1.0, 0, 0)`` (title weight 2), ``ORDER BY rank LIMIT 10``.
* peer row at corpus scale: bm25s (``BM25.retrieve``, k=10) over title terms twice + body terms (the
  usual stand-in for a title boost), query terms restricted to its vocabulary.
* naba's full search service at corpus scale: ``Naba.search`` with and without highlights (query analysis,
  tantivy, loading the 10 articles from SQLite, highlighting).

Queries: the 30 dev queries of ``queries-dev.tsv`` plus titles of corpus articles (a seeded sample) up to
``--queries`` (500); double-quote characters are removed from titles so that every query is a bag of terms.
Engine latencies are measured on queries analyzed beforehand (analysis is in the service row only). Each
latency is one query, after a warm-up of the first 50 queries.

Scale: ``--scale`` articles (default 1,000,000) made of replicas of the corpus with distinct ids, indexed
straight into both engines (no re-analysis, no article store). An engine whose build would exceed
``--budget-s`` (default 600 s) of inserting stops at the last whole replica that fits, and the output says
at which scale it was measured.

Usage: ``.venv/bin/python bench/bench_search.py [--corpus PATH] [--scale 1000000]``. Prints tables, then
one last line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import logging
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from naba.config import load_settings
from naba.engine.analysis import analyze_texts
from naba.engine.index import _INDEX_COMMIT_EVERY, _STATE_INDEX_ANALYZER, _STATE_INDEX_SEQ
from naba.engine.naba import Naba
from naba.search.base import ParsedQuery
from naba.search.service import parse_query
from naba.search.tantivy_index import TantivyIndex
from naba.sources.files import read_inputs
from naba.store.sqlite import SQLiteStore
from naba.text.analyzer import get_analyzer
from naba.types import AnalyzedArticle, Article, ArticleId, SearchQuery

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_CORPUS = SHARED / "data" / "saudinewsnet" / "dataset"
DEFAULT_QUERIES = SHARED / "eval" / "queries-dev.tsv"
ANALYZER = "ar-search-v1"
TITLE_BOOST = 2.0
# Issue targets: p95 top-10 search latency at corpus scale (31k) and at 1M articles.
TARGET_P95_MS_CORPUS = 20.0
TARGET_P95_MS_1M = 100.0
_QUERY_SEED = 20150721
_WARMUP = 50
_ANALYSIS_CHUNK = 250
_ADD_BATCH = 500
_QUOTES = str.maketrans("", "", '"«»“”')

Latencies = list[float]


# -- corpus and queries -----------------------------------------------------------------------------------
def load_articles(corpus: Path) -> list[Article]:
    """Every article naba would store from ``corpus`` (first copy of an id wins), in input order."""
    seen: set[str] = set()
    articles = []
    for item in read_inputs([corpus], max_input_bytes=50 * 1024 * 1024):
        for article in item.articles:
            if article.id not in seen:
                seen.add(article.id)
                articles.append(article)
    return articles


def _intern(terms: Sequence[str]) -> tuple[str, ...]:
    return tuple(sys.intern(t) for t in terms)


def analyze_all(articles: Sequence[Article], workers: int) -> list[AnalyzedArticle]:
    """Analyze every article once, in a process pool, with naba's own ``analyze_texts``."""
    texts = [(a.title, a.body_text) for a in articles]
    chunks = [texts[i : i + _ANALYSIS_CHUNK] for i in range(0, len(texts), _ANALYSIS_CHUNK)]
    with ProcessPoolExecutor(workers) as pool:
        results = [t for chunk in pool.map(analyze_texts, [ANALYZER] * len(chunks), chunks) for t in chunk]
    return [
        AnalyzedArticle(
            article=a,
            analyzer=ANALYZER,
            title_terms=_intern(r.title_terms),
            body_terms=_intern(r.body_terms),
            title_phrase_terms=_intern(r.title_phrase),
            body_phrase_terms=_intern(r.body_phrase),
            fingerprint=r.fingerprint,
        )
        for a, r in zip(articles, results, strict=True)
    ]


def load_queries(path: Path, articles: Sequence[Article], total: int) -> tuple[list[str], int]:
    """The dev queries, then seeded sample titles up to ``total``; returns (queries, number of dev queries)."""
    with path.open(encoding="utf-8", newline="") as handle:
        dev = [row["query"] for row in csv.DictReader(handle, delimiter="\t") if row.get("query")]
    titled = [a.title.translate(_QUOTES).strip() for a in articles if a.title.strip()]
    rng = random.Random(_QUERY_SEED)
    titles = rng.sample(titled, max(0, total - len(dev)))
    return (dev + titles)[:total], len(dev)


# -- engines ----------------------------------------------------------------------------------------------
def replicas(analyzed: Sequence[AnalyzedArticle], start: int, count: int) -> Iterator[AnalyzedArticle]:
    """Articles ``start`` to ``start + count`` of the corpus followed by copies of it (ids end in ``#r<n>``)."""
    for i in range(start, start + count):
        replica, doc = divmod(i, len(analyzed))
        item = analyzed[doc]
        if replica:
            article = dataclasses.replace(item.article, id=ArticleId(f"{item.article.id}#r{replica}"))
            item = dataclasses.replace(item, article=article)
        yield item


def _batches(items: Iterator[AnalyzedArticle], size: int) -> Iterator[list[AnalyzedArticle]]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Build:
    """A build that stops at the last whole replica fitting in the time budget."""

    def __init__(self, corpus_size: int, target: int, budget_s: float) -> None:
        self.corpus_size, self.target, self.budget_s = corpus_size, target, budget_s
        self.started = time.perf_counter()
        self.done = 0

    def more(self) -> bool:
        """True while the next replica should be added (projected from the pace so far)."""
        if self.done >= self.target:
            return False
        if self.done == 0:
            return True
        elapsed = time.perf_counter() - self.started
        per_doc = elapsed / self.done
        return elapsed + per_doc * min(self.corpus_size, self.target - self.done) <= self.budget_s

    def next_count(self) -> int:
        return min(self.corpus_size, self.target - self.done)


def build_tantivy(
    path: Path, analyzed: Sequence[AnalyzedArticle], target: int, budget_s: float
) -> dict[str, Any]:
    index = TantivyIndex(path, analyzer=ANALYZER, title_boost=TITLE_BOOST)
    index.clear()
    build = Build(len(analyzed), target, budget_s)
    since_commit = 0
    while build.more():
        count = build.next_count()
        start = build.done
        for batch in _batches(replicas(analyzed, start, count), _ADD_BATCH):
            index.add(batch)
            since_commit += len(batch)
            if since_commit >= _INDEX_COMMIT_EVERY:
                index.commit()
                since_commit = 0
        build.done += count
    index.commit()
    seconds = time.perf_counter() - build.started
    index.close()
    return {"docs": build.done, "build_s": seconds, "size_mb": _dir_mb(path), "index": index}


_FTS_SCHEMA = (
    "CREATE VIRTUAL TABLE fts USING fts5(title, body, title_phrase, body_phrase, "
    "content='', tokenize=\"unicode61 remove_diacritics 0\")"
)


def build_fts5(
    path: Path, analyzed: Sequence[AnalyzedArticle], target: int, budget_s: float
) -> dict[str, Any]:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(_FTS_SCHEMA)
    db.execute(f"INSERT INTO fts(fts, rank) VALUES('rank', 'bm25({TITLE_BOOST}, 1.0, 0.0, 0.0)')")
    joined = [
        (
            " ".join(a.title_terms),
            " ".join(a.body_terms),
            " ".join(a.title_phrase_terms),
            " ".join(a.body_phrase_terms),
        )
        for a in analyzed
    ]
    build = Build(len(analyzed), target, budget_s)
    while build.more():
        count = build.next_count()
        for start in range(build.done, build.done + count, _INDEX_COMMIT_EVERY):
            stop = min(start + _INDEX_COMMIT_EVERY, build.done + count)
            db.execute("BEGIN")
            db.executemany(
                "INSERT INTO fts(rowid, title, body, title_phrase, body_phrase) VALUES (?, ?, ?, ?, ?)",
                ((i + 1, *joined[i % len(joined)]) for i in range(start, stop)),
            )
            db.execute("COMMIT")
        build.done += count
    insert_s = time.perf_counter() - build.started
    db.execute("INSERT INTO fts(fts) VALUES('optimize')")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - build.started
    return {
        "docs": build.done,
        "build_s": seconds,
        "insert_s": insert_s,
        "optimize_s": seconds - insert_s,
        "size_mb": _file_mb(path),
        "db": db,
    }


def fts5_match(parsed: ParsedQuery) -> str | None:
    terms = list(dict.fromkeys(parsed.terms))
    if not terms:
        return None
    return "{title body} : (" + " OR ".join('"' + t.replace('"', '""') + '"' for t in terms) + ")"


def fts5_search(db: sqlite3.Connection, parsed: ParsedQuery) -> list[int]:
    match = fts5_match(parsed)
    if match is None:
        return []
    rows = db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 10", (match,))
    return [row[0] for row in rows]


# -- measuring --------------------------------------------------------------------------------------------
def latencies(run: Callable[[int], object], count: int) -> Latencies:
    """Milliseconds of ``run(i)`` for every query i, after a warm-up on the first queries."""
    for i in range(min(_WARMUP, count)):
        run(i)
    times = []
    for i in range(count):
        t0 = time.perf_counter()
        run(i)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def summary(times: Latencies) -> dict[str, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "p50_ms": round(statistics.median(times), 3),
        "p95_ms": round(cuts[94], 3),
        "p99_ms": round(cuts[98], 3),
        "mean_ms": round(statistics.fmean(times), 3),
    }


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _file_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file()) / 1e6


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the service row --------------------------------------------------------------------------------------
def open_service(db: Path, articles: Sequence[Article], index_path: Path) -> tuple[Naba, float]:
    """A naba database holding ``articles`` whose search index is the tantivy index at ``index_path``."""
    t0 = time.perf_counter()
    store = SQLiteStore(db)
    for start in range(0, len(articles), _ADD_BATCH):
        store.put_many(articles[start : start + _ADD_BATCH], ANALYZER)
    store.set_state(_STATE_INDEX_ANALYZER, ANALYZER)
    store.set_state(_STATE_INDEX_SEQ, str(store.max_change_seq()))
    store.close()
    settings = load_settings(
        {"db": str(db), "index_dir": str(index_path), "analyzer": ANALYZER, "title_boost": TITLE_BOOST},
        toml_path=Path("/nonexistent"),
        environ={},
    )
    naba = Naba.open(settings)  # finds the index current: nothing to catch up
    return naba, time.perf_counter() - t0


# -- the benchmark ----------------------------------------------------------------------------------------
@dataclasses.dataclass
class Corpus:
    articles: list[Article]
    analyzed: list[AnalyzedArticle]
    queries: list[str]
    dev_queries: int
    parsed: list[ParsedQuery]
    analyze_s: float


def prepare(corpus: Path, queries_path: Path, total_queries: int, workers: int) -> Corpus:
    articles = load_articles(corpus)
    t0 = time.perf_counter()
    analyzed = analyze_all(articles, workers)
    analyze_s = time.perf_counter() - t0
    queries, dev = load_queries(queries_path, articles, total_queries)
    analyzer = get_analyzer(ANALYZER)
    parsed = [parse_query(q, analyzer) for q in queries]
    return Corpus(articles, analyzed, queries, dev, parsed, analyze_s)


def engine_rows(c: Corpus, tmp: Path, target: int, budget_s: float) -> dict[str, dict[str, Any]]:
    """Build both engines at ``target`` articles (budget permitting) and time the queries on each."""
    rows: dict[str, dict[str, Any]] = {}
    tan = build_tantivy(tmp / f"tantivy-{target}", c.analyzed, target, budget_s)
    index: TantivyIndex = tan.pop("index")
    times = latencies(lambda i: index.search(c.parsed[i], SearchQuery(c.queries[i], limit=10)), len(c.parsed))
    rows["tantivy"] = {**tan, **summary(times)}
    fts = build_fts5(tmp / f"fts5-{target}.db", c.analyzed, target, budget_s)
    db: sqlite3.Connection = fts.pop("db")
    times = latencies(lambda i: fts5_search(db, c.parsed[i]), len(c.parsed))
    rows["fts5"] = {**fts, **summary(times)}
    db.close()
    return rows


def bm25s_row(c: Corpus) -> dict[str, Any]:
    import bm25s

    t0 = time.perf_counter()
    model = bm25s.BM25()
    model.index([list(a.title_terms) * 2 + list(a.body_terms) for a in c.analyzed], show_progress=False)
    build_s = time.perf_counter() - t0
    vocab = model.vocab_dict
    tokens = [[t for t in dict.fromkeys(p.terms) if t in vocab] for p in c.parsed]

    def run(i: int) -> object:
        if not tokens[i]:
            return None
        return model.retrieve([tokens[i]], k=10, show_progress=False, n_threads=0)

    return {
        "docs": len(c.analyzed),
        "build_s": build_s,
        "size_mb": None,
        **summary(latencies(run, len(tokens))),
    }


def service_rows(c: Corpus, tmp: Path) -> dict[str, dict[str, Any]]:
    """naba's own search (query analysis + tantivy + SQLite + highlights) on a database of the corpus."""
    index_path = tmp / "service.index"
    build_tantivy(index_path, c.analyzed, len(c.analyzed), float("inf"))["index"].close()
    naba, store_s = open_service(tmp / "service.db", c.articles, index_path)
    rows = {}
    try:
        for name, highlight in (("naba.search (highlights)", True), ("naba.search (no highlights)", False)):
            times = latencies(
                lambda i, h=highlight: naba.search(SearchQuery(c.queries[i], limit=10), highlight=h),  # type: ignore[misc]
                len(c.queries),
            )
            rows[name] = {"docs": naba.store.count(), "build_s": None, "size_mb": None, **summary(times)}
    finally:
        naba.close()
    rows["naba.search (highlights)"]["store_s"] = store_s
    return rows


def _fmt(value: Any, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def print_rows(title: str, rows: dict[str, dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for name in ("engine", "articles", "build s", "size MB", "p50 ms", "p95 ms", "p99 ms", "mean ms"):
        table.add_column(name, justify="left" if name == "engine" else "right")
    for name, r in rows.items():
        table.add_row(
            name,
            f"{r['docs']:,}",
            _fmt(r.get("build_s"), ".1f"),
            _fmt(r.get("size_mb"), ".1f"),
            _fmt(r["p50_ms"], ".2f"),
            _fmt(r["p95_ms"], ".2f"),
            _fmt(r["p99_ms"], ".2f"),
            _fmt(r["mean_ms"], ".2f"),
        )
    Console(width=120).print(table)


def _rounded(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        name: {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
        for name, row in rows.items()
    }


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    c = prepare(args.corpus, args.queries_file, args.queries, args.workers)
    n = len(c.analyzed)
    corpus_rows = engine_rows(c, tmp, n, float("inf"))
    corpus_rows["bm25s (peer)"] = bm25s_row(c)
    corpus_rows.update(service_rows(c, tmp))
    print_rows(
        f"Top-10 search over {n:,} articles — {len(c.queries)} queries ({c.dev_queries} dev queries + "
        f"{len(c.queries) - c.dev_queries} corpus titles); engine rows use pre-analyzed queries",
        corpus_rows,
    )
    shutil.rmtree(tmp / f"tantivy-{n}", ignore_errors=True)
    for path in tmp.glob(f"fts5-{n}.db*"):
        path.unlink()
    scale_rows: dict[str, dict[str, Any]] = {}
    if args.scale > n:
        scale_rows = engine_rows(c, tmp, args.scale, args.budget_s)
        print_rows(
            f"Top-10 search at {args.scale:,} articles requested — replicas of the corpus with distinct ids "
            f"(build budget {args.budget_s:.0f} s per engine; 'articles' is the scale reached)",
            scale_rows,
        )
    t, f = corpus_rows["tantivy"], corpus_rows["fts5"]
    figures: dict[str, Any] = {
        "bench": "search",
        "corpus": str(args.corpus),
        "articles": n,
        "queries": len(c.queries),
        "dev_queries": c.dev_queries,
        "analyze_s": round(c.analyze_s, 2),
        "analyze_workers": args.workers,
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "corpus_rows": _rounded(corpus_rows),
        "scale_rows": _rounded(scale_rows),
        "scale_requested": args.scale,
        "scale_note": "replicas of the corpus with distinct ids",
        "fts5_over_tantivy_p95": round(f["p95_ms"] / t["p95_ms"], 1),
        "fts5_over_tantivy_build": round(f["build_s"] / t["build_s"], 1),
        "service_p95_ms": corpus_rows["naba.search (highlights)"]["p95_ms"],
        "target_p95_ms_corpus": TARGET_P95_MS_CORPUS,
        "target_p95_ms_1m": TARGET_P95_MS_1M,
    }
    if scale_rows:
        ts, fs = scale_rows["tantivy"], scale_rows["fts5"]
        figures["fts5_over_tantivy_p95_at_scale"] = round(fs["p95_ms"] / ts["p95_ms"], 1)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--queries-file", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--queries", type=int, default=500, help="number of queries (dev queries + titles)")
    parser.add_argument("--scale", type=int, default=1_000_000, help="articles for the scale run; 0 = skip")
    parser.add_argument(
        "--budget-s", type=float, default=600.0, help="longest insert time per engine at scale"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="analysis processes")
    parser.add_argument("--tmp", default=None, help="folder for the temporary indexes (default: system tmp)")
    args = parser.parse_args(argv)
    logging.getLogger("naba").setLevel(logging.ERROR)
    tmp = Path(tempfile.mkdtemp(prefix="naba-bench-search-", dir=args.tmp))
    try:
        figures = run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
