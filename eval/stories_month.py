"""Stories and threads at the scale of a month: spans, sizes and the largest stories to read (issue 11).

Usage::

    .venv/bin/python eval/stories_month.py [--corpus DIR | --db DB] [--out FILE] [--top N] [--cache FILE]

``--corpus`` (the default, ``../shared/data/saudinewsnet/dataset``) streams every article of every zip through
naba's :class:`~naba.stories.StoryStream` in publication order (ties by url), as ``naba understand`` does;
``--db`` reads the stories and thread links a ``naba understand`` run left in a database instead. Spans are
measured on the publication times of a story's members; the shares are among stories with at least 3
articles. ``--out`` receives the ``--top`` largest stories with their members' titles (and the largest
threads as timelines), for a person to read and count purity: the share of a story's articles that are about
its main event. ``--cache`` keeps the analyzed corpus in a pickle between runs (a development convenience; the
figures are the same without it). ``--links-out FILE`` writes a seeded sample of ``--links-sample`` thread
links (both stories' titles, a blank verdict column) for a person to judge; ``--compare-threads`` runs a
second thread linker over the same stories with the shared-anchor requirement flipped (on when the shipped
linker has it off, and the other way round) and writes its sample to ``FILE.other.tsv``, its largest threads
after the others and its figures as ``other_*`` lines.

Last line: one JSON object with ``stories, stories_ge3, span_gt3d_share, span_gt7d_share,
largest_story_span_days, largest_thread_stories, largest_thread_span_days``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import random
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stream import DEFAULT_CORPUS, MAX_INPUT_BYTES, _order_key

from naba.engine.analysis import analyze_texts, to_analyzed
from naba.sources.files import read_inputs
from naba.stories import StoryStream, ThreadLink, ThreadLinker
from naba.text.analyzer import DEFAULT_ANALYZER
from naba.types import AnalyzedArticle, Article

KEYS = (
    "stories",
    "stories_ge3",
    "span_gt3d_share",
    "span_gt7d_share",
    "largest_story_span_days",
    "largest_thread_stories",
    "largest_thread_span_days",
)
DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Member:
    title: str
    outlet: str
    ts: float  # publication, UTC seconds


@dataclass
class MonthState:
    stories: dict[str, list[Member]]
    threads: list[list[str]]  # each thread: its story ids
    links: list[tuple[str, str, float]] | None = None  # (story, to, similarity), final story ids
    other_threads: list[list[str]] | None = None  # --compare-threads: the other anchor rule
    other_links: list[tuple[str, str, float]] | None = None


class _Tee:
    """The stream's thread linker, with a second linker fed the same touched stories (--compare-threads)."""

    def __init__(self, main: ThreadLinker, other: ThreadLinker | None) -> None:
        self.main, self.other = main, other
        self.links: list[ThreadLink] = []
        self.other_links: list[ThreadLink] = []

    def link(self, touched: set[str]) -> list[ThreadLink]:
        if self.other is not None:
            self.other_links.extend(self.other.link(set(touched)))
        links = self.main.link(touched)
        self.links.extend(links)
        return links


def _analyze_chunk(texts: list[tuple[str, str]]) -> list[object]:
    return list(analyze_texts(DEFAULT_ANALYZER, texts))


def load_corpus(corpus: Path, cache: Path | None) -> list[AnalyzedArticle]:
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            stream: list[AnalyzedArticle] = pickle.load(f)
        return stream
    paths = [corpus] if corpus.is_file() else sorted(corpus.glob("*.zip"))
    articles: dict[str, Article] = {}
    for item in read_inputs(paths, max_input_bytes=MAX_INPUT_BYTES):
        for a in item.articles:
            articles.setdefault(a.id, a)
    ordered = sorted(articles.values(), key=_order_key)
    texts = [(a.title, a.body_text) for a in ordered]
    chunks = [texts[i : i + 500] for i in range(0, len(texts), 500)]
    with ProcessPoolExecutor(2) as pool:
        analyses = [x for part in pool.map(_analyze_chunk, chunks) for x in part]
    stream = [to_analyzed(a, DEFAULT_ANALYZER, t) for a, t in zip(ordered, analyses, strict=True)]  # type: ignore[arg-type]
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(stream, f, protocol=pickle.HIGHEST_PROTOCOL)
    return stream


def _ts(article: Article) -> float:
    pub = article.published
    if isinstance(pub, dt.datetime):
        return pub.timestamp()
    if isinstance(pub, dt.date):
        return dt.datetime(pub.year, pub.month, pub.day, tzinfo=dt.UTC).timestamp()
    return 0.0


def _threads_of(linker: ThreadLinker, stories: dict[str, list[Member]]) -> list[list[str]]:
    threads: dict[str, list[str]] = defaultdict(list)
    for story in stories:
        thread = linker.thread_of(story)
        if thread is not None:
            threads[thread].append(story)
    return list(threads.values())


def state_of_stream(stream: Sequence[AnalyzedArticle], compare: bool = False) -> tuple[MonthState, float]:
    engine = StoryStream()
    main = engine.threads
    other = (
        ThreadLinker(engine.stories, main.threshold, require_anchor=not main.require_anchor)
        if compare
        else None
    )
    tee = _Tee(main, other)
    engine.threads = tee  # type: ignore[assignment]
    started = time.perf_counter()
    for a in stream:
        engine.add(a)
    engine.flush()
    seconds = time.perf_counter() - started
    engine.threads = main
    stories: dict[str, list[Member]] = defaultdict(list)
    for a in stream:
        story = engine.stories.story_of(a.article.id) or a.article.id
        stories[story].append(Member(a.article.title, a.article.publisher or "", _ts(a.article)))
    resolve = engine.stories.resolve

    def final(links: list[ThreadLink]) -> list[tuple[str, str, float]]:
        return [(resolve(k.story) or k.story, resolve(k.to) or k.to, k.similarity) for k in links]

    state = MonthState(dict(stories), _threads_of(main, stories), final(tee.links))
    if other is not None:
        state.other_threads, state.other_links = _threads_of(other, stories), final(tee.other_links)
    return state, seconds


def state_of_db(path: Path) -> MonthState:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    stories: dict[str, list[Member]] = defaultdict(list)
    rows = db.execute(
        "SELECT u.story, a.title, coalesce(a.publisher, ''), coalesce(a.published_ts, 0) "
        "FROM understanding u JOIN articles a ON a.id = u.article"
    )
    for story, title, outlet, ts in rows:
        stories[str(story)].append(Member(str(title), str(outlet), float(ts)))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in db.execute("SELECT story, to_story FROM thread_links"):
        parent[find(str(a))] = find(str(b))
    threads: dict[str, list[str]] = defaultdict(list)
    for s in list(parent):
        threads[find(s)].append(s)
    db.close()
    return MonthState(dict(stories), [t for t in threads.values() if len(t) > 1])


def _span(members: Sequence[Member]) -> float:
    times = [m.ts for m in members if m.ts]
    return (max(times) - min(times)) / DAY if times else 0.0


def figures(state: MonthState) -> dict[str, float]:
    big = [m for m in state.stories.values() if len(m) >= 3]
    spans = [_span(m) for m in big]
    largest = max(state.stories.values(), key=len, default=[])
    thread = max(state.threads, key=len, default=[])
    thread_members = [m for s in thread for m in state.stories.get(s, [])]
    return {
        "stories": len(state.stories),
        "stories_ge3": len(big),
        "span_gt3d_share": round(sum(s > 3 for s in spans) / max(1, len(spans)), 4),
        "span_gt7d_share": round(sum(s > 7 for s in spans) / max(1, len(spans)), 4),
        "largest_story_span_days": round(_span(largest), 2),
        "largest_thread_stories": len(thread),
        "largest_thread_span_days": round(_span(thread_members), 2),
    }


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%m-%d %H:%M") if ts else "?"


def write_largest(state: MonthState, out: Path, top: int) -> None:
    ranked = sorted(state.stories.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    lines = []
    for rank, (story, members) in enumerate(ranked, 1):
        lines.append(f"## {rank}. {story}  ({len(members)} articles, span {_span(members):.2f} d)")
        for m in sorted(members, key=lambda m: m.ts):
            lines.append(f"  {_when(m.ts)}  [{m.outlet}]  {m.title}")
        lines.append("")
    lines.append("# Largest threads (story: first title, size, first day)")
    for rank, thread in enumerate(sorted(state.threads, key=len, reverse=True)[:10], 1):
        lines.append(f"## thread {rank} ({len(thread)} stories)")
        entries = []
        for s in thread:
            members = state.stories.get(s, [])
            if members:
                first = min(members, key=lambda m: m.ts)
                entries.append((first.ts, f"  {_when(first.ts)}  ({len(members)})  {first.title}"))
        lines.extend(e for _, e in sorted(entries)[:40])
        lines.append("")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_links(
    stories: dict[str, list[Member]], links: Sequence[tuple[str, str, float]], out: Path, n: int
) -> None:
    """A seeded sample of links: one row per link, both stories' first titles, an empty verdict column."""
    # Links whose two stories were merged later are no thread links any more: they are left out.
    distinct = [k for k in links if k[0] != k[1]]
    sample = random.Random(11).sample(distinct, min(n, len(distinct)))

    def titles(story: str) -> str:
        members = sorted(stories.get(story, []), key=lambda m: m.ts)
        return " | ".join(f"{_when(m.ts)} {m.title}" for m in members[:3]) + f" ({len(members)})"

    lines = ["# n\tsimilarity\tverdict (1 same matter, 0 not)\tstory\tlinked to"]
    for i, (a, b, sim) in enumerate(sample, 1):
        lines.append(f"{i}\t{sim}\t\t{titles(a)}\t{titles(b)}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = ap.add_mutually_exclusive_group()
    source.add_argument("--corpus", type=Path, default=None)
    source.add_argument("--db", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=Path("stories-month-largest.txt"))
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument(
        "--cache", type=Path, default=None, help="pickle of the analyzed corpus (read or written)"
    )
    ap.add_argument("--links-out", type=Path, default=None, help="a sample of thread links to judge (TSV)")
    ap.add_argument("--links-sample", type=int, default=50)
    ap.add_argument("--compare-threads", action="store_true", help="also link threads without anchors")
    args = ap.parse_args()

    extra: dict[str, float] = {}
    if args.db is not None:
        state = state_of_db(args.db)
    else:
        started = time.perf_counter()
        stream = load_corpus(args.corpus or DEFAULT_CORPUS, args.cache)
        extra["load_s"] = round(time.perf_counter() - started, 1)
        state, seconds = state_of_stream(stream, args.compare_threads)
        extra["articles"] = len(stream)
        extra["stream_s"] = round(seconds, 1)
    result = figures(state)
    write_largest(state, args.out, args.top)
    if state.links is not None:
        extra["thread_links"] = len(state.links)
        if args.links_out is not None:
            write_links(state.stories, state.links, args.links_out, args.links_sample)
    if state.other_threads is not None and state.other_links is not None:
        other = MonthState(state.stories, state.other_threads)
        extra["other_thread_links"] = len(state.other_links)
        extra["other_largest_thread_stories"] = figures(other)["largest_thread_stories"]
        extra["other_largest_thread_span_days"] = figures(other)["largest_thread_span_days"]
        with args.out.open("a", encoding="utf-8") as f:
            f.write("\n# The other anchor rule (--compare-threads)\n")
            for rank, thread in enumerate(sorted(other.threads, key=len, reverse=True)[:10], 1):
                f.write(f"## thread {rank} ({len(thread)} stories)\n")
                firsts = [min(state.stories[s], key=lambda m: m.ts) for s in thread if state.stories.get(s)]
                for m in sorted(firsts, key=lambda m: m.ts)[:40]:
                    f.write(f"  {_when(m.ts)}  {m.title}\n")
        if args.links_out is not None:
            write_links(
                state.stories,
                state.other_links,
                args.links_out.with_suffix(".other.tsv"),
                args.links_sample,
            )
    print(f"Stories over the month ({args.db or args.corpus or DEFAULT_CORPUS}); largest in {args.out}")
    for key, value in {**result, **extra}.items():
        print(f"  {key:<26}{value}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
