"""PostgreSQL benchmark: ingest as a ratio to SQLite in the same run, search latency beside the embedded
engine, and ``naba migrate-store`` both ways.

* **Ingest** (``--phases ingest``): the corpus (or its first ``--days`` daily zips) ingested by real
  ``naba ingest`` processes into a fresh SQLite file and a fresh PostgreSQL database, with 1 process and with
  2 processes at once (the zips split in two halves), each a separate fresh database. Reported: seconds,
  articles per second, and PostgreSQL's time as a ratio to SQLite's with the same number of processes.
* **Search** (``--phases search``): ``Naba.search`` (query analysis, the index, loading the hits; no
  highlights) on PostgreSQL (:mod:`naba.search.postgres`) and on the embedded engine (tantivy) over the same
  articles: the 30 dev queries of ``queries-dev.tsv`` then seeded sample titles up to ``--queries``; p50 and
  p95 after a warm-up of 20 queries. ``--pg-db`` and ``--sqlite-db`` measure existing databases instead of the
  ones the ingest phase made (e.g. the 31k databases of ``eval/search.py --db``).
* **Copy** (``--phases copy``): ``naba migrate-store`` SQLite -> PostgreSQL and back, seconds and verification.

The server: ``--server postgresql://user@host:port/postgres`` (databases are created in it), else a throwaway
cluster started like the tests' (``tests/pg_server.py``: ``fsync=off``, ``synchronous_commit=off``; say so
beside any figure: SQLite runs with ``synchronous=NORMAL`` in WAL mode).

Usage: ``.venv/bin/python bench/bench_postgres.py [--corpus DIR] [--days N] [--phases ingest,search,copy]
[--server URL] [--pg-db URL --sqlite-db FILE] [--queries 200]``. Prints a table per phase, then one last
line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
DEFAULT_CORPUS = SHARED / "data" / "saudinewsnet" / "dataset"
DEFAULT_QUERIES = SHARED / "eval" / "queries-dev.tsv"
# Issue targets: search p95 on PostgreSQL at 31k articles and at 1M.
TARGET_P95_MS_31K = 50.0
TARGET_P95_MS_1M = 200.0
_WARMUP = 20
_SEED = 20150721


def _create_database(server: str) -> str:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a generated name
    return server.rsplit("/", 1)[0] + "/" + name


def _ingest(db: str, zips: list[Path], processes: int) -> dict[str, Any]:
    halves = [zips[i::processes] for i in range(processes)]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    subprocess.run(
        [sys.executable, "-m", "naba.cli", "--db", db, "migrate", "--json"],
        env=env,
        check=True,
        capture_output=True,
    )
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "naba.cli", "--db", db, "ingest", *map(str, part), "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in halves
        if part
    ]
    stored = 0
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"ingest into {db} failed: {err[-1000:]}")
        stored += int(json.loads(out)["stored"])
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "stored": stored, "per_second": round(stored / seconds, 1)}


def phase_ingest(zips: list[Path], server: str, folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    out: dict[str, Any] = {}
    kept: dict[str, str] = {}
    for processes in (1, 2):
        sqlite = str(folder / f"ingest-{processes}.db")
        pg = _create_database(server)
        lite = _ingest(sqlite, zips, processes)
        post = _ingest(pg, zips, processes)
        out[f"{processes}_process"] = {
            "sqlite": lite,
            "postgres": post,
            "postgres_over_sqlite": round(post["seconds"] / lite["seconds"], 2),
        }
        print(
            f"ingest, {processes} process(es): SQLite {lite['seconds']} s ({lite['per_second']}/s), "
            f"PostgreSQL {post['seconds']} s ({post['per_second']}/s), ratio {out[f'{processes}_process']['postgres_over_sqlite']}"
        )
        if processes == 1:
            kept = {"sqlite": sqlite, "postgres": pg}
    return out, kept


def _queries(total: int, titles: list[str]) -> list[str]:
    with DEFAULT_QUERIES.open(encoding="utf-8", newline="") as handle:
        dev = [row["query"] for row in csv.DictReader(handle, delimiter="\t") if row.get("query")]
    rng = random.Random(_SEED)
    sample = rng.sample(titles, max(0, min(len(titles), total - len(dev))))
    return [q.replace('"', " ") for q in (dev + sample)[:total]]


def _latencies(db: str, queries: list[str]) -> dict[str, Any]:
    from naba.config import load_settings
    from naba.engine.naba import Naba
    from naba.types import SearchQuery

    with Naba.open(load_settings({"db": db}, environ={})) as naba:
        times = []
        for n, text in enumerate(queries):
            started = time.perf_counter()
            naba.search(SearchQuery(text, limit=10), highlight=False)
            if n >= _WARMUP:
                times.append((time.perf_counter() - started) * 1000)
        count = naba.store.count()
    times.sort()
    return {
        "articles": count,
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
    }


def phase_search(sqlite: str, pg: str, total: int) -> dict[str, Any]:
    from naba.store.backends import open_store

    store = open_store(sqlite, read_only=True)
    try:
        titles = [s.article.title for s in store.latest(limit=5000) if s.article.title.strip()]
    finally:
        store.close()
    queries = _queries(total, titles)
    out = {"postgres": _latencies(pg, queries), "embedded": _latencies(sqlite, queries)}
    target = TARGET_P95_MS_31K
    for name, row in out.items():
        print(
            f"search on {name}: {row['articles']} articles, {row['queries']} queries, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms"
        )
    out["target_p95_ms_31k"] = target
    return out


def phase_copy(sqlite: str, server: str, folder: Path) -> dict[str, Any]:
    from naba.engine.stores import migrate_store

    pg = _create_database(server)
    started = time.perf_counter()
    there = migrate_store(sqlite, pg)
    there_s = time.perf_counter() - started
    back_path = str(folder / "back.db")
    started = time.perf_counter()
    back = migrate_store(pg, back_path)
    back_s = time.perf_counter() - started
    out = {
        "sqlite_to_postgres": {
            "seconds": round(there_s, 1), "copy_s": round(there.copy_seconds, 1),
            "verify_s": round(there.verify_seconds, 1), "ok": there.ok,
            "articles": there.tables["articles"].rows,
        },
        "postgres_to_sqlite": {
            "seconds": round(back_s, 1), "copy_s": round(back.copy_seconds, 1),
            "verify_s": round(back.verify_seconds, 1), "ok": back.ok,
            "same_checksums": {n: t.source_sha256 for n, t in back.tables.items()}
            == {n: t.source_sha256 for n, t in there.tables.items()},
        },
    }  # fmt: skip
    for name, row in out.items():
        print(
            f"migrate-store {name}: {row['seconds']} s (copy {row['copy_s']}, verify {row['verify_s']}), ok={row['ok']}"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--days", type=int, help="only the first N daily zips")
    ap.add_argument("--phases", default="ingest,search,copy")
    ap.add_argument("--server", help="admin URL of a running server (default: a throwaway cluster)")
    ap.add_argument("--pg-db", help="search/copy: an existing PostgreSQL database")
    ap.add_argument("--sqlite-db", help="search/copy: an existing SQLite database with the same articles")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    logging.getLogger("naba").setLevel(logging.ERROR)
    phases = set(args.phases.split(","))
    folder = Path(tempfile.mkdtemp(prefix="naba-bench-pg-"))
    cluster = None
    server = args.server
    if server is None:
        from tests.pg_server import start

        cluster = start()
        server = cluster.admin_url
    figures: dict[str, Any] = {"load_average": os.getloadavg()[0]}
    try:
        zips = (
            sorted(args.corpus.glob("*.zip"))[: args.days] if args.days else sorted(args.corpus.glob("*.zip"))
        )
        dbs = {"sqlite": args.sqlite_db or "", "postgres": args.pg_db or ""}
        if "ingest" in phases:
            figures["ingest"], made = phase_ingest(zips, server, folder)
            figures["ingest"]["zips"] = len(zips)
            dbs = {k: dbs[k] or made[k] for k in dbs}
        if "search" in phases:
            figures["search"] = phase_search(dbs["sqlite"], dbs["postgres"], args.queries)
        if "copy" in phases:
            figures["copy"] = phase_copy(dbs["sqlite"], server, folder)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    figures["load_average_end"] = os.getloadavg()[0]
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
