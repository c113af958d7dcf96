"""The soak, full size: 4 concurrent ingests, watch, understand and serve under reads, ≥ 50 random SIGKILLs.

    .venv/bin/python bench/soak.py [--kills 50] [--max-seconds 900] [--files 8] [--seed 7]

Prints progress lines, then one JSON report (see ``tests/soak.py`` for what is checked). Exit status 1 when
any check fails: an article lost or stored twice, an orphan process, a raw traceback, a 5xx from the reader,
a failure listed twice, or a projection (index, understanding) behind the store.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import CORPUS
from tests.soak import SoakConfig, run_soak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--files", type=int, default=8, help="JSONL inputs of --per-file real articles")
    parser.add_argument("--per-file", type=int, default=250)
    parser.add_argument("--feed-articles", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} is missing: the soak reads real SaudiNewsNet days from ../shared", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="naba-soak-") as work:
        config = SoakConfig(
            work=Path(work),
            corpus=CORPUS,
            files=args.files,
            articles_per_file=args.per_file,
            feed_articles=args.feed_articles,
            kills=args.kills,
            max_seconds=args.max_seconds,
            seed=args.seed,
        )
        report = run_soak(config, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps(report.as_dict(), ensure_ascii=False))
    return 0 if report.ok() and report.kills >= args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
