"""Reading a big JSON dump: seconds and peak memory of naba's streamed reader against json.load.

A dump of ``--mb`` MB (default 40, under the 50 MB ``max_input_bytes`` cap) is built from real SaudiNewsNet
articles (the day zips of ``--corpus``, in date order, serialized as the corpus serializes them: a JSON
array, UTF-8). Each reader then runs alone in a child process, twice:

* **naba**: ``naba.sources.files.read_inputs([dump])``, every item consumed and dropped (ijson events, one
  record at a time);
* **peer (json.load)**: what naba did before: ``json.loads`` of the whole file, then the same per-record
  conversion (``saudinewsnet_article`` with the record's canonical-JSON digest), items dropped likewise.

The first run gives ``seconds`` (reading only, imports excluded) and ``rss_growth_mb``: the child's peak
resident memory during the reading (``VmHWM``, reset after the imports through ``/proc/self/clear_refs``;
``peak_rss_mb``) minus its resident memory when the reading starts: what the reading itself took from the
OS.
The second run traces Python allocations (``tracemalloc``, reading only): ``traced_peak_mb``; for naba,
``traced_fixed_mb`` is the same reading of a one-article dump (read buffers, allocator free lists) and
``traced_marginal_per_largest_article`` what the big dump adds to it, per byte of its largest article. Both
are given as ratios to the largest article's size (the bound the streamed reader should follow, ~4x) and to the
input's size (what a whole-file parser follows). tracemalloc does not see the C parser's own buffers (yajl:
a few KB; json.loads: none); RSS sees everything but moves in allocator-sized steps.

A benchmark, not a test: it asserts nothing. Usage::

    .venv/bin/python bench/bench_bad_inputs.py [--corpus DIR] [--mb 40] [--tmp DIR]

Prints a table, then one last line of JSON with the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "saudinewsnet" / "dataset"
MAX_INPUT_BYTES = 50 * 1024 * 1024


# -- the dump -------------------------------------------------------------------------------------------------
def build_dump(corpus: Path, target_bytes: int, path: Path) -> dict[str, int]:
    """Real records, in day order (repeated if the corpus is smaller), until the array reaches the target."""
    days = sorted(corpus.glob("*.zip"))
    if not days:
        raise SystemExit(f"no day zips in {corpus} (pass --corpus)")
    size = count = largest = largest_index = first = 0
    with path.open("wb") as out:
        out.write(b"[")
        while size < target_bytes:
            for day in days:
                with zipfile.ZipFile(day) as archive:
                    records = json.loads(archive.read(archive.namelist()[0]))
                for record in records:
                    data = json.dumps(record, ensure_ascii=False).encode()
                    out.write((b", " if count else b"") + data)
                    size += len(data) + 2
                    count += 1
                    first = first or len(data)
                    if len(data) > largest:
                        largest, largest_index = len(data), count - 1
                    if size >= target_bytes:
                        break
                if size >= target_bytes:
                    break
        out.write(b"]")
    return {
        "records": count,
        "largest_article_bytes": largest,
        "largest_article_index": largest_index,
        "first_record_bytes": first,
        "input_bytes": path.stat().st_size,
    }


def dump_record(path: Path, size: int) -> bytes:
    """The first record of the dump (``size`` bytes after the opening bracket)."""
    with path.open("rb") as handle:
        return handle.read(size + 1)[1:]


def largest_record(corpus: Path, dump: dict[str, int]) -> bytes:
    """The dump's largest record, serialized as in the dump."""
    index = dump["largest_article_index"]
    for day in sorted(corpus.glob("*.zip")):
        with zipfile.ZipFile(day) as archive:
            records = json.loads(archive.read(archive.namelist()[0]))
        if index < len(records):
            return json.dumps(records[index], ensure_ascii=False).encode()
        index -= len(records)
    raise AssertionError("the largest record is in the corpus")


# -- readers (run in a child process) -----------------------------------------------------------------------
def read_naba(path: Path) -> int:
    from naba.sources.files import read_inputs

    articles = 0
    for item in read_inputs([path], max_input_bytes=MAX_INPUT_BYTES):
        articles += len(item.articles)
    return articles


def read_peer(path: Path) -> int:
    from naba.errors import NabaError
    from naba.sources.files import saudinewsnet_article

    records = json.loads(path.read_bytes())
    articles = 0
    for index, record in enumerate(records):
        digest = hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        try:
            saudinewsnet_article(record, source=f"{path}[{index}]", raw_sha256=digest)
        except NabaError:
            continue
        articles += 1
    return articles


READERS: dict[str, Callable[[Path], int]] = {"naba": read_naba, "peer": read_peer}


def child(reader: str, path: Path, traced: bool) -> None:
    import naba.sources.files  # noqa: F401  (imports are not part of the reading)

    base_kb = reset_peak_rss_kb()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    articles = READERS[reader](path)
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {"articles": articles, "seconds": seconds}
    if traced:
        result["traced_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    peak_kb = peak_rss_kb()
    result.update(peak_rss_bytes=peak_kb * 1024, rss_growth_bytes=(peak_kb - base_kb) * 1024)
    print(json.dumps(result))


def _status_kb(field: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else None


def reset_peak_rss_kb() -> int:
    """Resident memory now, after resetting the peak (Linux: the imports' transient peak is forgotten;
    elsewhere the peak so far, which can only understate the reading's growth)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_rss_kb() -> int:
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_child(reader: str, path: Path, traced: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", reader, str(path)] + (["--traced"] if traced else [])
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# -- main -------------------------------------------------------------------------------------------------------
def measure(reader: str, path: Path, dump: dict[str, int]) -> dict[str, Any]:
    plain = run_child(reader, path, traced=False)
    traced = run_child(reader, path, traced=True)
    largest, size = dump["largest_article_bytes"], dump["input_bytes"]
    mb = 1024 * 1024
    return {
        "articles": plain["articles"],
        "seconds": round(plain["seconds"], 2),
        "peak_rss_mb": round(plain["peak_rss_bytes"] / mb, 1),
        "rss_growth_mb": round(plain["rss_growth_bytes"] / mb, 1),
        "rss_growth_per_largest_article": round(plain["rss_growth_bytes"] / largest, 1),
        "rss_growth_per_input": round(plain["rss_growth_bytes"] / size, 2),
        "traced_peak_mb": round(traced["traced_peak_bytes"] / mb, 2),
        "traced_peak_per_largest_article": round(traced["traced_peak_bytes"] / largest, 1),
        "traced_peak_per_input": round(traced["traced_peak_bytes"] / size, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of SaudiNewsNet day zips")
    ap.add_argument("--mb", type=float, default=40.0, help="size of the dump in MB (default 40)")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the dump (default: system temp)")
    ap.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.traced)
        return
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        path = Path(tmp) / "dump.json"
        dump = build_dump(args.corpus, int(args.mb * 1024 * 1024), path)
        figures = {name: measure(name, path, dump) for name in READERS}
        # What one article costs naba beyond its fixed cost: a one-article dump against the same plus the
        # largest article.
        small, big = Path(tmp) / "small.json", Path(tmp) / "big.json"
        small.write_bytes(b"[" + dump_record(path, dump["first_record_bytes"]) + b"]")
        small_and_largest = [dump_record(path, dump["first_record_bytes"]), largest_record(args.corpus, dump)]
        big.write_bytes(b"[" + b", ".join(small_and_largest) + b"]")
        fixed = run_child("naba", small, traced=True)["traced_peak_bytes"]
        with_largest = run_child("naba", big, traced=True)["traced_peak_bytes"]
    naba, peer = figures["naba"], figures["peer"]
    naba["traced_fixed_mb"] = round(fixed / 2**20, 2)
    naba["traced_one_largest_article_per_its_size"] = round(
        (with_largest - fixed) / dump["largest_article_bytes"], 1
    )
    print(
        f"dump: {dump['input_bytes'] / 2**20:.1f} MB, {dump['records']} records, "
        f"largest article {dump['largest_article_bytes'] / 1024:.1f} KB; naba's fixed cost "
        f"{naba['traced_fixed_mb']} MB traced, the largest article alone {naba['traced_one_largest_article_per_its_size']}x its size"
    )
    print(
        f"{'reader':<18}{'seconds':>9}{'RSS growth MB':>15}{'x largest':>11}{'x input':>9}{'traced MB':>11}{'x largest':>11}"
    )
    for label, row in (("naba (ijson)", naba), ("peer (json.load)", peer)):
        print(
            f"{label:<18}{row['seconds']:>9}{row['rss_growth_mb']:>15}{row['rss_growth_per_largest_article']:>11}"
            f"{row['rss_growth_per_input']:>9}{row['traced_peak_mb']:>11}{row['traced_peak_per_largest_article']:>11}"
        )
    print(
        json.dumps(
            {
                **dump,
                **{f"naba_{k}": v for k, v in naba.items()},
                **{f"peer_{k}": v for k, v in peer.items()},
                "rss_growth_ratio_peer_over_naba": round(
                    peer["rss_growth_mb"] / max(naba["rss_growth_mb"], 0.1), 1
                ),
                "seconds_ratio_naba_over_peer": round(naba["seconds"] / peer["seconds"], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
