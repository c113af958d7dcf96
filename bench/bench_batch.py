"""Batch benchmark: the SaudiNewsNet corpus as a CC-NEWS-like WARC crawl → Parquet → dedupe on Spark
``local[1]`` and ``local[2]``, and ``naba ingest`` of the same WARC files in the same run.

Every article of the corpus is rendered as an HTML page (``tests/warc_corpus.py``: headline, time, paragraphs)
and written as a gzipped ``response`` record, round robin into ``--files`` archives (CC-NEWS's layout: many
archives, one Spark task each). Each measured run is a child process, so its CPU time (``os.wait4``: the child,
its JVM and Spark's Python workers, or ingest's analysis workers) is its own:

* ``ingest``: ``Naba.ingest(warcs)`` into a fresh SQLite database (extract, store, analyze, index).
* ``local[N]``: a Spark session on N cores runs ``run_extract`` (WARC → Parquet by day) then ``run_dedupe``
  (MinHash banding, containment, connected components); each stage timed.

Figures: records/s and records/s per core of each run (extract alone, and extract + dedupe), the ratio of
the batch extract's per-core rate to ingest's, and the scaling from 1 to 2 cores. Then, on paper, the cores
and hours for a month and a year of CC-NEWS's Arabic share from those per-core rates (see ``--month-records``
and ``--arabic-share``; the model is printed with its inputs).

Usage: ``.venv/bin/python bench/bench_batch.py [--corpus DIR] [--days N] [--files N] [--tmp DIR]``. Prints a
table, then one last line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "saudinewsnet" / "dataset"
# CC-NEWS, from Common Crawl's published listings: about 1 GB per WARC file (~35-40k response records), and
# in 2023-2024 about 400-600 files a month. The Arabic share of the records is an assumption (CC-NEWS has no
# language tag per record): about 3% of news pages are Arabic in multilingual crawls. Both are inputs.
DEFAULT_MONTH_RECORDS = 18_000_000
DEFAULT_ARABIC_SHARE = 0.03
# A non-Arabic page under `--lang ar` costs a decode and a letter count, not an extraction: ~1/4 of an
# extraction on the 7 extraction-real pages (sources/warc.py, WarcFilter.may_want_text).
SKIP_COST_SHARE = 0.25


# -- children -----------------------------------------------------------------------------------------------
def child_ingest(warcs: list[str], db: str) -> dict[str, Any]:
    from naba.config import load_settings
    from naba.engine.naba import Naba

    settings = load_settings({"db": db, "ingest_workers": 1}, toml_path=Path("/nonexistent"), environ={})
    started = time.perf_counter()
    with Naba.open(settings) as naba:
        report = naba.ingest(warcs)
    return {"seconds": time.perf_counter() - started, "stored": report.stored, "read": report.read}


def child_spark(warcs: list[str], out: str, cores: int) -> dict[str, Any]:
    from naba.batch.dedupe import run_dedupe
    from naba.batch.extract import run_extract
    from naba.batch.session import StageTracker, start_spark

    t0 = time.perf_counter()
    spark = start_spark(f"local[{cores}]", ui=False, shuffle_partitions=max(4, 4 * cores))
    started = time.perf_counter() - t0
    tracker = StageTracker(spark)
    t1 = time.perf_counter()
    extracted = run_extract(spark, warcs, Path(out), max_input_bytes=1 << 30, tracker=tracker)
    extract_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    deduped = run_dedupe(spark, Path(out), tracker=tracker)
    dedupe_s = time.perf_counter() - t2
    spark.stop()
    return {
        "start_s": started,
        "extract_s": extract_s,
        "dedupe_s": dedupe_s,
        "articles": extracted.articles,
        "groups": deduped.groups,
        "grouped": deduped.grouped,
        "candidate_pairs": deduped.candidates,
        "stage_seconds": tracker.seconds,
    }


def run_child(args: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args, "--out", out_path], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"child {args[:2]} failed with status {status}")
    result: dict[str, Any] = json.loads(Path(out_path).read_text())
    Path(out_path).unlink()
    result["child_wall_s"] = wall
    result["child_cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


# -- the crawl ----------------------------------------------------------------------------------------------
def build_crawl(
    corpus: Path, days: int | None, files: int, folder: Path, limit: int | None = None
) -> tuple[list[Path], int]:
    from tests.warc_corpus import saudinewsnet_records, write_corpus_warcs

    zips = sorted(corpus.glob("*.zip"))[: days or None]
    records = list(saudinewsnet_records(zips))[: limit or None]
    return write_corpus_warcs(records, folder, files=files), len(records)


# -- the paper model ----------------------------------------------------------------------------------------
def plan(per_core_extract: float, per_core_dedupe: float, month_records: int, share: float) -> dict[str, Any]:
    """Core-hours and hours on a cluster for a month and a year of CC-NEWS restricted to Arabic."""
    out: dict[str, Any] = {"month_records": month_records, "arabic_share": share}
    for name, months in (("month", 1), ("year", 12)):
        records = month_records * months
        arabic = records * share
        # Arabic pages are extracted; the others cost a decode and a letter count (SKIP_COST_SHARE).
        extract_core_s = (arabic + (records - arabic) * SKIP_COST_SHARE) / per_core_extract
        dedupe_core_s = arabic / per_core_dedupe
        core_hours = (extract_core_s + dedupe_core_s) / 3600
        out[name] = {
            "records": records,
            "arabic_articles": int(arabic),
            "core_hours": round(core_hours, 1),
            "hours_on_64_cores": round(core_hours / 64, 2),
            "hours_on_256_cores": round(core_hours / 256, 2),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--days", type=int, default=None, help="only the first N daily zips (default: all)")
    parser.add_argument("--files", type=int, default=8, help="WARC files to spread the corpus over")
    parser.add_argument("--limit", type=int, default=None, help="only the first N records (a quick run)")
    parser.add_argument("--tmp", default=None)
    parser.add_argument("--cores", default="1,2", help="Spark local[N] runs, comma-separated")
    parser.add_argument("--month-records", type=int, default=DEFAULT_MONTH_RECORDS)
    parser.add_argument("--arabic-share", type=float, default=DEFAULT_ARABIC_SHARE)
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "ingest":
            result = child_ingest(rest[1:], rest[0])
        else:
            result = child_spark(rest[2:], rest[0], int(rest[1]))
        Path(args.out).write_text(json.dumps(result))
        return

    root = Path(tempfile.mkdtemp(prefix="naba-bench-batch-", dir=args.tmp))
    try:
        warcs, records = build_crawl(args.corpus, args.days, args.files, root / "crawl", args.limit)
        paths = [str(p) for p in warcs]
        load_before = os.getloadavg()[0]
        ingest = run_child(["--child", "ingest", str(root / "ingest.db"), *paths])
        runs: dict[int, dict[str, Any]] = {}
        for cores in (int(c) for c in args.cores.split(",")):
            runs[cores] = run_child(["--child", "spark", str(root / f"out{cores}"), str(cores), *paths])
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(root, ignore_errors=True)

    articles = ingest["stored"]
    figures: dict[str, Any] = {
        "records": records,
        "articles": articles,
        "warc_files": len(warcs),
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(load_after, 2),
        "ingest_s": round(ingest["seconds"], 2),
        "ingest_cpu_s": round(ingest["child_cpu_s"], 2),
        "ingest_records_per_s": round(records / ingest["seconds"], 1),
    }
    print(f"{'run':<10}{'extract s':>11}{'dedupe s':>10}{'rec/s':>9}{'rec/s/core':>12}{'cpu s':>9}")
    print(f"{'ingest':<10}{ingest['seconds']:>11.1f}{'':>10}{records / ingest['seconds']:>9.1f}"
          f"{records / ingest['seconds']:>12.1f}{ingest['child_cpu_s']:>9.1f}")  # fmt: skip
    for cores, r in runs.items():
        rate = records / r["extract_s"]
        key = f"local{cores}"
        figures[f"{key}_extract_s"] = round(r["extract_s"], 2)
        figures[f"{key}_dedupe_s"] = round(r["dedupe_s"], 2)
        figures[f"{key}_start_s"] = round(r["start_s"], 2)
        figures[f"{key}_cpu_s"] = round(r["child_cpu_s"], 2)
        figures[f"{key}_records_per_s"] = round(rate, 1)
        figures[f"{key}_records_per_s_per_core"] = round(rate / cores, 1)
        figures[f"{key}_dedupe_articles_per_s_per_core"] = round(r["articles"] / r["dedupe_s"] / cores, 1)
        figures[f"{key}_articles"] = r["articles"]
        figures[f"{key}_groups"] = r["groups"]
        print(f"{key:<10}{r['extract_s']:>11.1f}{r['dedupe_s']:>10.1f}{rate:>9.1f}{rate / cores:>12.1f}"
              f"{r['child_cpu_s']:>9.1f}")  # fmt: skip
    if 1 in runs:
        figures["ratio_batch1_vs_ingest"] = round(
            figures["local1_records_per_s"] / figures["ingest_records_per_s"], 3
        )
    if 1 in runs and 2 in runs:
        figures["scaling_1_to_2"] = round(
            figures["local2_records_per_s"] / figures["local1_records_per_s"], 3
        )
        figures["same_articles"] = runs[1]["articles"] == runs[2]["articles"] == articles
        figures["same_groups"] = runs[1]["groups"] == runs[2]["groups"]
    best = max(runs)
    figures["paper"] = plan(
        figures[f"local{best}_records_per_s_per_core"],
        figures[f"local{best}_dedupe_articles_per_s_per_core"],
        args.month_records,
        args.arabic_share,
    )
    print(json.dumps(figures["paper"], indent=2))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
