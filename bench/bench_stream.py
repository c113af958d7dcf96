"""Time per new article for duplicate lookup + story assignment as the stream grows, and peak memory.

Usage: ``.venv/bin/python bench/bench_stream.py [--corpus DIR] [--replicas N] [--limit N]``

The corpus (31k SaudiNewsNet articles) is read and analyzed once (not timed), then fed in publication
order through :class:`naba.stories.StoryStream` (dedupe + online stories + threads). ``--replicas N``
appends N copies of the corpus, each with its dates shifted by the corpus span times the replica number and
one word in ten deterministically replaced (so replicas are neither duplicates nor stories of each other):
this measures cost at 31k x (N + 1) stored articles, not quality. Reported per bucket: mean and p95 ms per
article and the engine's memory (RSS above what the held corpus takes); peak RSS at the end. Last line: one
JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from _stream import DEFAULT_CORPUS, MAX_INPUT_BYTES, analyze

from naba.sources.files import read_inputs
from naba.stories import StoryStream
from naba.types import AnalyzedArticle, Article, ArticleId


def _perturb(terms: Sequence[str], replica: int) -> tuple[str, ...]:
    # Replace one word in ten with a replica-specific token: shingles and TF-IDF vectors of replicas differ.
    return tuple(f"{t}~{replica}" if (i + replica) % 10 == 0 else t for i, t in enumerate(terms))


def replicas(base: Sequence[AnalyzedArticle], n: int) -> Iterator[AnalyzedArticle]:
    yield from base
    times = [a.article.published for a in base if isinstance(a.article.published, dt.datetime)]
    span = (max(times) - min(times)) + dt.timedelta(days=1)
    for r in range(1, n + 1):
        for a in base:
            pub = a.article.published
            article = dataclasses.replace(
                a.article,
                id=ArticleId(f"{a.article.id}#r{r}"),
                url=f"{a.article.url}#r{r}",
                published=pub + span * r if isinstance(pub, dt.datetime) else pub,
            )
            yield dataclasses.replace(
                a,
                article=article,
                title_terms=_perturb(a.title_terms, r),
                body_terms=_perturb(a.body_terms, r),
                body_phrase_terms=_perturb(a.body_phrase_terms, r),
            )


def load(corpus: Path) -> list[Article]:
    seen: dict[str, Article] = {}
    for item in read_inputs([corpus], max_input_bytes=MAX_INPUT_BYTES):
        for a in item.articles:
            seen.setdefault(a.id, a)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return sorted(
        seen.values(),
        key=lambda a: (a.published if isinstance(a.published, dt.datetime) else epoch, a.url or ""),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--replicas", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="stop after this many articles (0: all)")
    ap.add_argument("--bucket", type=int, default=5000)
    args = ap.parse_args()

    base = analyze(load(args.corpus))
    held_mb = _rss_mb()  # the analyzed corpus the benchmark holds, not the engine's state
    stream = StoryStream()
    rows, times = [], []
    for n, a in enumerate(replicas(base, args.replicas), start=1):
        t0 = time.perf_counter()
        stream.add(a)
        times.append(time.perf_counter() - t0)
        if n % args.bucket == 0:
            ordered = sorted(times)
            rows.append(
                {
                    "stored": n,
                    "ms_mean": round(1000 * sum(times) / len(times), 3),
                    "ms_p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 3),
                    "engine_mb": round(_rss_mb() - held_mb),
                }
            )
            print(rows[-1], flush=True)
            times = []
        if args.limit and n >= args.limit:
            break
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'stored':>10}{'ms/article':>12}{'p95 ms':>10}{'engine MB':>11}")
    for r in rows:
        print(f"{r['stored']:>10}{r['ms_mean']:>12}{r['ms_p95']:>10}{r['engine_mb']:>11}")
    print(f"peak RSS {peak_mb:.0f} MB, of which {held_mb:.0f} MB is the analyzed corpus held for the run")
    print(json.dumps({"buckets": rows, "peak_rss_mb": round(peak_mb), "corpus_mb": round(held_mb)}))


def _rss_mb() -> float:
    """Current resident memory (Linux /proc), in MB."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


if __name__ == "__main__":
    main()
