"""API benchmark: 50 concurrent clients on ``/api/v1/search`` (varied Arabic queries), on article pages (the API's
and the reader's) and on a feed, over a database of the whole corpus; each throughput is also given as a ratio
to a static file served by the same server in the same run (so a loaded machine shows in both).

The server is ``naba serve`` in its own process (rate limit off: ``NABA_API_RATE_LIMIT=0``), on loopback; the
clients are one asyncio process with ``--clients`` connections, each sending requests back to back for
``--requests`` requests per scenario (bounded: no scenario runs open-ended). Queries are 1 to 3 consecutive
words of stored headlines (a seeded sample), so they are real Arabic and vary from request to request; article
ids are a seeded sample of the stored ones.

Usage: ``.venv/bin/python bench/bench_api.py --db PATH`` (a database built with ``naba ingest`` of the corpus,
indexed and understood; ``make demo SOURCE=../shared/data/saudinewsnet/dataset`` builds one). Prints a table,
then one last line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

TARGET_P99_MS = 200.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def samples(db: str, n: int, seed: int) -> tuple[list[str], list[str]]:
    """(queries, article ids): seeded samples of stored headlines' words and of stored ids."""
    rng = random.Random(seed)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute("SELECT id, title FROM articles ORDER BY id").fetchall()
    picked = rng.sample(rows, min(n, len(rows)))
    queries = []
    for _, title in picked:
        words = [w for w in title.replace('"', " ").split() if len(w) > 2]
        if words:
            start = rng.randrange(len(words))
            queries.append(" ".join(words[start : start + rng.randint(1, 3)]))
    return queries, [i for i, _ in picked]


async def run_scenario(base: str, paths: Callable[[int], str], clients: int, total: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:

        async def worker() -> None:
            nonlocal errors
            for i in counter:
                started = time.perf_counter()
                try:
                    response = await client.get(paths(i))
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="An ingested, indexed and understood naba database.")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="Requests per scenario.")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    queries, ids = samples(args.db, 2000, args.seed)
    port = free_port()
    env = {**os.environ, "NABA_API_RATE_LIMIT": "0", "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "naba.cli", "--db", args.db, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        scenarios: dict[str, Callable[[int], str]] = {
            "static": lambda i: "/static/reader.css",
            "api search": lambda i: "/api/v1/search?" + urlencode({"q": queries[i % len(queries)]}),
            "api article": lambda i: "/api/v1/articles/" + quote(ids[i % len(ids)], safe=""),
            "reader article": lambda i: "/article/" + quote(ids[i % len(ids)], safe=""),
            "search feed": lambda i: "/feeds/search.atom?" + urlencode({"q": queries[i % len(queries)]}),
        }
        # One warm-up pass (the searcher, SQLite's page cache) before the measured ones.
        asyncio.run(run_scenario(base, scenarios["api search"], args.clients, args.clients * 4))
        results = {
            name: asyncio.run(run_scenario(base, path, args.clients, args.requests))
            for name, path in scenarios.items()
        }
    finally:
        server.terminate()
        server.wait(30)
    static_rps = results["static"]["rps"]
    print(
        f"{args.clients} clients, {args.requests} requests per scenario, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'scenario':<16}{'req/s':>8}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in results.items():
        r["ratio_to_static"] = round(r["rps"] / static_rps, 3) if static_rps else None
        print(
            f"{name:<16}{r['rps']:>8}{r['ratio_to_static']:>8}{r['p50_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}"
        )
    met = results["api search"]["errors"] == 0 and results["api search"]["p99_ms"] < TARGET_P99_MS
    print(
        json.dumps(
            {
                "clients": args.clients,
                "load_average": round(os.getloadavg()[0], 1),
                "search_target_met": met,
                **results,
            }
        )
    )


if __name__ == "__main__":
    main()
