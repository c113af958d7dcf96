"""Fetch → extract → store throughput against a local news site, with politeness and memory checked.

Usage: ``.venv/bin/python bench/bench_fetch.py [--feeds 50] [--items 100] [--hosts 10] [--host-delay 0.05]
[--peer-pages 300]``

Loopback servers on ``--hosts`` addresses (127.0.0.1, 127.0.0.2, …) serve ``--feeds`` RSS feeds of
``--items`` summary-only items each; every item's article page is built from a real SaudiNewsNet article
(read from ``../shared``), so each item costs one page fetch, one extraction and one store. One
``naba watch --once`` round (the library call) polls them all. Reported: articles/s, peak RSS, RSS sampled
every 10% of the run (flat = no leak), and the highest number of requests any host received in any
one-second window against the configured politeness (``1 / host_delay``, and ``host_concurrency``).

Peer, same run, same pages: httpx ``get`` + trafilatura ``extract`` in a loop (what a script built on
trafilatura does; its own ``fetch_url`` refuses loopback addresses), on the first ``--peer-pages`` pages,
with no politeness and no storage; naba's figure includes both, and indexing.
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fixture_server import FixtureServer
from tests.news_site import SiteArticle, article_page, load_articles, rss

from naba.config import load_settings
from naba.engine.naba import Naba
from naba.engine.poll import Poller, PollOutcome, Schedule
from naba.engine.watch import watch
from naba.sources.http import FetchPolicy, HttpClient
from naba.types import SourceSpec

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet" / "dataset"


def corpus_articles(n: int) -> list[SiteArticle]:
    out: list[SiteArticle] = []
    for day in sorted(CORPUS.glob("*.zip")):
        for a in load_articles(day, n - len(out)):
            out.append(SiteArticle(f"{day.stem}-{a.slug}", a.title, a.paragraphs, a.published, a.source))
        if len(out) >= n:
            break
    if len(out) < n:
        raise SystemExit(f"only {len(out)} articles in {CORPUS}")
    return out


def current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(
    servers: list[FixtureServer], articles: list[SiteArticle], feeds: int, items: int
) -> tuple[list[str], list[str]]:
    feed_urls, page_urls = [], []
    it: Iterator[SiteArticle] = iter(articles)
    for f in range(feeds):
        server = servers[f % len(servers)]
        chosen = [next(it) for _ in range(items)]
        entries = []
        for a in chosen:
            url = server.url(a.path(f"/f{f}"))
            server.add(a.path(f"/f{f}"), article_page(a, url))
            entries.append((a, url))
            page_urls.append(url)
        server.add(
            f"/f{f}/rss.xml", rss(f"feed {f}", server.url("/"), entries), content_type="application/rss+xml"
        )
        feed_urls.append(server.url(f"/f{f}/rss.xml"))
    return feed_urls, page_urls


def politeness(starts_per_host: list[list[float]]) -> tuple[float, float]:
    """Most requests to one host started within any one-second window [t, t + 1), and the smallest gap
    between two request starts to one host."""
    worst, min_gap = 0, float("inf")
    for starts in starts_per_host:
        times = sorted(starts)
        start = 0
        for end, t in enumerate(times):
            while t - times[start] >= 1.0:
                start += 1
            worst = max(worst, end - start + 1)
        min_gap = min([min_gap, *(b - a for a, b in itertools.pairwise(times))])
    return float(worst), min_gap


def run_naba(
    settings: object, feed_urls: list[str], total: int
) -> tuple[float, int, list[tuple[int, float]], dict[str, list[float]], list[str]]:
    samples: list[tuple[int, float]] = []
    stored = 0
    client_log: dict[str, list[float]] = {}
    failures: list[str] = []

    def on_poll(outcome: PollOutcome) -> None:
        nonlocal stored
        stored += outcome.stored
        if not samples or stored - samples[-1][0] >= max(1, total // 10):
            samples.append((stored, round(current_rss_mb(), 1)))

    async def main() -> int:
        with Naba.open(settings) as naba:
            naba.store.add_sources(SourceSpec(u) for u in feed_urls)
            async with HttpClient(FetchPolicy.from_settings(settings)) as client:
                poller = Poller(naba, client, Schedule(60.0, 3600.0))
                report = await watch(poller, concurrency=16, stop=asyncio.Event(), once=True, on_poll=on_poll)
                client_log.update(client.host_log())
            failures.extend(f"{url}: {error}" for url, error in report.errors.items())
            for source in naba.store.list_sources():
                failures.extend(f"{i.link}: {i.error}" for i in naba.store.failed_items(source.id))
            return int(naba.store.count())

    started = time.perf_counter()
    count = asyncio.run(main())
    return time.perf_counter() - started, count, samples, client_log, failures


def run_peer(page_urls: list[str]) -> tuple[float, int]:
    # trafilatura.fetch_url refuses loopback addresses (its own SSRF guard), so the pages are fetched with
    # a plain httpx client — the usual "requests + trafilatura" script, without politeness or storage.
    import httpx
    import trafilatura

    started = time.perf_counter()
    ok = 0
    with httpx.Client(timeout=10) as client:
        for url in page_urls:
            html = client.get(url).text
            if html and trafilatura.extract(html, url=url):
                ok += 1
    return time.perf_counter() - started, ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--host-delay", type=float, default=0.05)
    ap.add_argument("--host-concurrency", type=int, default=2)
    ap.add_argument("--peer-pages", type=int, default=300)
    args = ap.parse_args()

    total = args.feeds * args.items
    articles = corpus_articles(total)
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        servers = [stack.enter_context(FixtureServer(f"127.0.0.{i + 1}")) for i in range(args.hosts)]
        feed_urls, page_urls = build(servers, articles, args.feeds, args.items)
        rss_before = current_rss_mb()
        settings = load_settings(
            {
                "db": f"{tmp}/bench.db",
                "allow_private_addresses": True,
                "host_delay": args.host_delay,
                "host_concurrency": args.host_concurrency,
            },
            environ={},
        )
        seconds, stored, samples, client_log, failures = run_naba(settings, feed_urls, total)
        naba_peak = peak_rss_mb()
        # Politeness as the client enforced it (request starts). The servers share this process's GIL, so
        # the arrival times they log are bunched whenever extraction holds it; they are shown for reference.
        per_second, min_gap = politeness(list(client_log.values()))
        seen_per_second, _ = politeness([[hit.at for hit in server.requests] for server in servers])
        peer_seconds, peer_ok = run_peer(page_urls[: args.peer_pages]) if args.peer_pages else (0.0, 0)

    allowed = 1.0 / args.host_delay if args.host_delay else float("inf")
    rate = stored / seconds
    peer_rate = peer_ok / peer_seconds if peer_seconds else 0.0
    print(f"{'system':<34}{'items':>8}{'stored':>8}{'seconds':>9}{'articles/s':>12}")
    print(f"{'naba watch (fetch+extract+store)':<34}{total:>8}{stored:>8}{seconds:>9.1f}{rate:>12.1f}")
    if peer_seconds:
        print(
            f"{'httpx + trafilatura.extract':<34}{args.peer_pages:>8}{peer_ok:>8}{peer_seconds:>9.1f}{peer_rate:>12.1f}"
        )
    print(f"peak RSS {naba_peak:.0f} MB (before the run {rss_before:.0f} MB); RSS every ~10%: {samples}")
    print(
        f"most requests started to one host in one second: {per_second:.0f} (politeness allows {allowed:.0f}; "
        f"arrivals logged by the servers: {seen_per_second:.0f}); smallest gap between two request starts to "
        f"one host {1000 * min_gap:.1f} ms (host_delay {1000 * args.host_delay:.0f} ms)"
    )
    for failure in failures[:10]:
        print(f"failed: {failure}")
    print(
        json.dumps(
            {
                "feeds": args.feeds,
                "items": total,
                "stored": stored,
                "seconds": round(seconds, 2),
                "articles_per_s": round(rate, 1),
                "peak_rss_mb": round(naba_peak),
                "rss_samples_mb": samples,
                "max_requests_per_host_second": per_second,
                "allowed_per_host_second": allowed,
                "min_gap_ms": round(1000 * min_gap, 1),
                "server_seen_max_per_second": seen_per_second,
                "failures": len(failures),
                "peer_trafilatura_pages_per_s": round(peer_rate, 1),
                "ratio_vs_trafilatura": round(rate / peer_rate, 2) if peer_rate else None,
            }
        )
    )


if __name__ == "__main__":
    main()
