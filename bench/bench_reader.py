"""Server time per reader page over a real database: p50 and p95 of each kind of page.

    .venv/bin/python bench/bench_reader.py --db naba.db [--rounds 20] [--timezone Asia/Riyadh]

The database is an ingested (and understood) corpus, e.g. the whole SaudiNewsNet corpus (31k articles):
``naba --db naba.db ingest ../shared/data/saudinewsnet/dataset && naba --db naba.db understand``.
The app runs in-process (``fastapi.testclient``: the request goes through the ASGI stack, templates and the
store, no socket); each round requests every page once, for a few days and stories so caches of one page do
not flatter the figures. Time per request is wall time around the call. Target (issue 13): p95 < 50 ms per
page. Ends with one line of JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import statistics
import time
import zoneinfo
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from naba.config import load_settings
from naba.engine.front import front_page
from naba.engine.naba import Naba
from naba.web.app import create_app
from naba.web.pages import article_href
from naba.web.story_pages import entity_href, story_href

TARGET_P95_MS = 50.0
QUERIES = ("السعودية", "اليمن", '"مجلس الوزراء"', "النفط")


def pages_to_visit(naba: Naba, tz: dt.tzinfo, days: int) -> dict[str, list[str]]:
    span = naba.store.published_span()
    assert span is not None, "empty database"
    last = dt.datetime.fromtimestamp(span[1], tz).date()
    chosen = [
        d
        for d in (last - dt.timedelta(days=i) for i in range(days * 4))
        if naba.store.day_articles(*_bounds(d, tz))
    ][:days]
    pages: dict[str, list[str]] = {
        "home": ["/"],
        "day": [],
        "latest": ["/latest", "/latest?page=5"],
        "search": [],
        "article": [],
        "story": [],
        "entity": [],
        "sources": ["/sources"],
    }
    for day in chosen:
        pages["day"].append(f"/?day={day.isoformat()}")
        front = front_page(naba.store, day, tz)
        for card in front.stories[:3]:
            pages["story"].append(story_href(card.story.id))
            pages["article"].append(article_href(card.headline.id))
        pages["entity"].extend(entity_href(n.canonical) for n in front.names[:2])
    pages["search"] = ["/search?q=" + quote(q) for q in QUERIES]
    return {k: v for k, v in pages.items() if v}


def _bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--timezone", default="Asia/Riyadh")
    args = parser.parse_args(argv)
    tz = zoneinfo.ZoneInfo(args.timezone)
    # Rate limit off: the bench measures how fast pages are served, not the limiter (it has its own tests).
    settings = load_settings(
        {"db": str(args.db), "timezone": args.timezone, "api_rate_limit": 0.0}, environ={}
    )
    times: dict[str, list[float]] = {}
    with Naba.open(settings) as naba:
        client = TestClient(create_app(naba))
        pages = pages_to_visit(naba, tz, args.days)
        for urls in pages.values():  # warm: the index opened, templates compiled
            for url in urls:
                assert client.get(url).status_code == 200, url
        for _ in range(args.rounds):
            for kind, urls in pages.items():
                for url in urls:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, url
        articles = naba.store.count()
        understood = naba.store.understood_count()
    figures: dict[str, object] = {"articles": articles, "understood": understood, "rounds": args.rounds}
    worst = 0.0
    for kind, values in times.items():
        values.sort()
        p95 = values[max(math.ceil(len(values) * 0.95) - 1, 0)]
        worst = max(worst, p95)
        figures[kind] = {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(p95, 1),
            "n": len(values),
        }
    figures["worst_p95_ms"] = round(worst, 1)
    figures["meets_target"] = worst < TARGET_P95_MS
    print(json.dumps(figures, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
