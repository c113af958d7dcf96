"""Ingest benchmark: a full ingest of the corpus into a fresh database, then an idempotent re-ingest.

Every run happens in a child process so that its memory is measured on its own: ``peak_rss_mb`` is the
child's ``ru_maxrss`` from ``os.wait4`` (the largest single process of the child's tree: the main process or
one analysis worker), ``peak_tree_pss_mb`` is the largest sum of PSS over the child and its workers, sampled
every 0.1 s from ``/proc`` (PSS splits shared pages between processes, so the sum does not double-count).

Peer, measured in the same run on the same text (title + body of every article naba stores): bm25s
indexing with PyStemmer's Snowball Arabic stemmer (``bm25s.tokenize(..., stemmer=Stemmer.Stemmer("arabic"))``
then ``BM25().index``), also in its own child process. The peer only tokenizes and builds an in-memory
index; naba also reads the zips, stores every article in SQLite, and analyzes title and body twice (index
terms and phrase tokens) before indexing them in tantivy.

Usage: ``.venv/bin/python bench/bench_ingest.py [--corpus PATH] [--workers N]``. Prints a table, then one
last line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "saudinewsnet" / "dataset"
# Issue target: a full ingest of the 31k-article corpus in under 60 s on a 2-core machine.
TARGET_INGEST_S = 60.0
_SAMPLE_EVERY_S = 0.1


# -- child processes --------------------------------------------------------------------------------------
def child_naba(corpus: str, db: str, workers: int) -> dict[str, Any]:
    """One ``Naba.ingest`` of ``corpus`` into ``db``; times the store phase and the index phase apart."""
    from naba.config import load_settings
    from naba.engine.naba import Naba

    started = time.perf_counter()
    # No naba.toml and no NABA_* environment: the run is the same wherever it is started.
    settings = load_settings(
        {"db": db, "ingest_workers": workers}, toml_path=Path("/nonexistent"), environ={}
    )
    naba = Naba.open(settings)
    opened = time.perf_counter()
    phases: dict[str, float] = {}
    sync = naba.sync_index

    def timed_sync(*args: Any, **kwargs: Any) -> int:
        t0 = time.perf_counter()
        done = sync(*args, **kwargs)
        phases["index_s"] = time.perf_counter() - t0
        phases["indexed"] = done
        return done

    naba.sync_index = timed_sync  # type: ignore[method-assign]
    report = naba.ingest([corpus])
    naba.close()
    result = report.as_dict()
    result.pop("failures")
    result.update(
        seconds=report.seconds,
        open_s=opened - started,
        index_s=phases.get("index_s", 0.0),
        indexed=phases.get("indexed", 0),
        read_store_s=report.seconds - phases.get("index_s", 0.0),
        workers=settings.ingest_workers or os.cpu_count() or 1,
    )
    return result


def child_peer(corpus: str) -> dict[str, Any]:
    """bm25s + PyStemmer Arabic over the same title + body texts naba stores (read with naba's reader)."""
    import bm25s
    import Stemmer

    from naba.sources.files import read_inputs

    t0 = time.perf_counter()
    seen: set[str] = set()
    texts = []
    for item in read_inputs([corpus], max_input_bytes=50 * 1024 * 1024):
        for article in item.articles:
            if article.id not in seen:  # naba keeps the first copy of an id
                seen.add(article.id)
                texts.append(article.title + "\n" + article.body_text)
    t1 = time.perf_counter()
    tokens = bm25s.tokenize(texts, stemmer=Stemmer.Stemmer("arabic"), stopwords=None, show_progress=False)
    t2 = time.perf_counter()
    model = bm25s.BM25()
    model.index(tokens, show_progress=False)
    t3 = time.perf_counter()
    return {
        "docs": len(texts),
        "read_s": t1 - t0,
        "tokenize_s": t2 - t1,
        "index_s": t3 - t2,
        "seconds": t3 - t1,
        "vocab": len(model.vocab_dict),
    }


# -- measuring a child ------------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(p) for p in handle.read().split())
    except OSError:
        return []
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_pss_kb(root: int) -> int:
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack.extend(_children(pid))
    return total


@dataclass
class ChildRun:
    result: dict[str, Any]
    wall_s: float
    max_rss_mb: float
    tree_pss_mb: float
    cpu_s: float
    samples: list[int] = field(default_factory=list)


def run_child(args: list[str]) -> ChildRun:
    """Run this script in child mode; return its JSON result, wall time and memory peaks."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args, "--out", out_path])
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(_SAMPLE_EVERY_S):
            peak[0] = max(peak[0], _tree_pss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child {args[:2]} failed with exit code {proc.returncode}")
    result = json.loads(Path(out_path).read_text())
    os.unlink(out_path)
    cpu = usage.ru_utime + usage.ru_stime  # the child and its reaped workers
    return ChildRun(result, wall, usage.ru_maxrss / 1024, peak[0] / 1024, cpu)


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return 0.0


def _db_size_mb(db: Path) -> float:
    return sum(_size_mb(db.with_name(db.name + suffix)) for suffix in ("", "-wal", "-shm"))


# -- the benchmark ----------------------------------------------------------------------------------------
def measure(corpus: Path, workers: int, tmp_root: str | None, keep: bool, peer: bool) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="naba-bench-ingest-", dir=tmp_root))
    db = tmp / "naba.db"
    load_before = os.getloadavg()[0]
    try:
        first = run_child(
            ["--child", "naba", "--corpus", str(corpus), "--db", str(db), "--workers", str(workers)]
        )
        db_mb, index_mb = _db_size_mb(db), _size_mb(Path(str(db) + ".index"))
        second = run_child(
            ["--child", "naba", "--corpus", str(corpus), "--db", str(db), "--workers", str(workers)]
        )
        peer_run = run_child(["--child", "peer", "--corpus", str(corpus)]) if peer else None
    finally:
        if keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    r1, r2 = first.result, second.result
    figures: dict[str, Any] = {
        "bench": "ingest",
        "corpus": str(corpus),
        "cpus": os.cpu_count(),
        "workers": r1["workers"],
        "articles_read": r1["read"],
        "articles": r1["stored"],
        "failed_inputs": r1["failed"],
        "skipped_duplicates": r1["skipped"],
        "seconds": round(r1["seconds"], 2),
        "articles_per_s": round(r1["stored"] / r1["seconds"], 1),
        "read_store_s": round(r1["read_store_s"], 2),
        "analyze_index_s": round(r1["index_s"], 2),
        "child_wall_s": round(first.wall_s, 2),
        "child_cpu_s": round(first.cpu_s, 2),
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(first.max_rss_mb, 1),
        "peak_tree_pss_mb": round(first.tree_pss_mb, 1),
        "db_mb": round(db_mb, 1),
        "index_mb": round(index_mb, 1),
        "reingest_s": round(r2["seconds"], 2),
        "reingest_stored": r2["stored"] + r2["updated"],
        "reingest_unchanged": r2["unchanged"],
        "reingest_indexed": r2["indexed"],
        "reingest_peak_rss_mb": round(second.max_rss_mb, 1),
        "target_s": TARGET_INGEST_S,
        "meets_target": r1["seconds"] < TARGET_INGEST_S,
    }
    if peer_run is not None:
        p = peer_run.result
        figures.update(
            peer="bm25s+PyStemmer(arabic)",
            peer_docs=p["docs"],
            peer_seconds=round(p["seconds"], 2),
            peer_tokenize_s=round(p["tokenize_s"], 2),
            peer_index_s=round(p["index_s"], 2),
            peer_docs_per_s=round(p["docs"] / p["seconds"], 1),
            peer_peak_rss_mb=round(peer_run.max_rss_mb, 1),
            peer_cpu_s=round(peer_run.cpu_s, 2),
            ratio_vs_peer=round(r1["seconds"] / p["seconds"], 2),
            # CPU seconds are steadier than wall seconds when other work shares the cores.
            cpu_ratio_vs_peer=round(first.cpu_s / peer_run.cpu_s, 2),
        )
    return figures


def print_table(f: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"naba ingest — {f['articles']} articles, {f['workers']} workers on {f['cpus']} CPUs")
    table.add_column("figure")
    table.add_column("value", justify="right")
    target = "meets" if f["meets_target"] else "MISSES"
    rows = [
        (
            "full ingest (read + store + analyze + index)",
            f"{f['seconds']:.1f} s ({target} < {f['target_s']:.0f} s)",
        ),
        ("  read zips + store in SQLite", f"{f['read_store_s']:.1f} s"),
        ("  analyze + index in tantivy", f"{f['analyze_index_s']:.1f} s"),
        ("CPU time, child + workers (user + sys)", f"{f['child_cpu_s']:.1f} s"),
        (
            "load average (1 min) before / after",
            f"{f['load_avg_1m_before']:.2f} / {f['load_avg_1m_after']:.2f}",
        ),
        ("throughput", f"{f['articles_per_s']:.0f} articles/s"),
        (
            "articles read / stored / skipped dup / failed inputs",
            f"{f['articles_read']} / {f['articles']} / {f['skipped_duplicates']} / {f['failed_inputs']}",
        ),
        ("peak RSS, largest process (ru_maxrss)", f"{f['peak_rss_mb']:.0f} MB"),
        ("peak PSS, whole process tree (sampled)", f"{f['peak_tree_pss_mb']:.0f} MB"),
        ("database size (db + wal + shm)", f"{f['db_mb']:.1f} MB"),
        ("index size (tantivy folder)", f"{f['index_mb']:.1f} MB"),
        (
            "re-ingest, idempotent",
            f"{f['reingest_s']:.1f} s ({f['reingest_unchanged']} unchanged, "
            f"{f['reingest_stored']} written, {f['reingest_indexed']} indexed)",
        ),
    ]
    if "peer" in f:
        rows += [
            (
                f"peer: {f['peer']} tokenize + index",
                f"{f['peer_seconds']:.1f} s "
                f"({f['peer_tokenize_s']:.1f} + {f['peer_index_s']:.1f}), {f['peer_docs_per_s']:.0f} docs/s",
            ),
            ("peer peak RSS", f"{f['peer_peak_rss_mb']:.0f} MB"),
            ("naba full ingest / peer, wall time", f"{f['ratio_vs_peer']:.2f}x"),
            (
                "naba full ingest / peer, CPU time",
                f"{f['cpu_ratio_vs_peer']:.2f}x ({f['child_cpu_s']:.1f} s / {f['peer_cpu_s']:.1f} s)",
            ),
        ]
    for name, value in rows:
        table.add_row(name, value)
    Console(width=110).print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, default=0, help="analysis workers; 0 = naba's default")
    parser.add_argument("--tmp", default=None, help="folder for the temporary database (default: system tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--no-peer", action="store_true", help="skip the bm25s peer")
    parser.add_argument("--child", choices=("naba", "peer"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        # Per-article warnings (skipped duplicate copies) would bury the table; the counts are in the figures.
        logging.getLogger("naba").setLevel(logging.ERROR)
        if args.child == "naba":
            result = child_naba(str(args.corpus), args.db, args.workers)
        else:
            result = child_peer(str(args.corpus))
        Path(args.out).write_text(json.dumps(result))
        return
    figures = measure(args.corpus, args.workers, args.tmp, args.keep, not args.no_peer)
    print_table(figures)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
