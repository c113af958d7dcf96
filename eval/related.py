"""Related articles over the stories-dev window, scored on the labeled articles (EVAL.md "Related").

Usage: ``.venv/bin/python eval/related.py [--gold stories-dev.jsonl] [--corpus DIR]``

What is scored is what the reader, the API and ``naba related`` show: the window's articles are stored in a
temporary SQLite database in the order ``eval/stories.py`` streams them, ``naba understand`` runs over it, and
each list is :func:`naba.engine.views.stored_related` read from the stored stories and threads. Each labeled
article whose story or thread has another labeled article is a query. Its related list, restricted to labeled articles (unjudged ones are
skipped) and cut at 5, scores ``right / min(5, labeled articles sharing its story or thread)``; an empty list
scores 0. ``first_right``: share of lists whose first labeled item is right. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stream import DEFAULT_CORPUS, DEFAULT_GOLD, GoldRow, load_gold, load_window, print_table

from naba.config import load_settings
from naba.engine.understand import understand
from naba.engine.views import stored_related
from naba.store.sqlite import SQLiteStore
from naba.text.analyzer import DEFAULT_ANALYZER
from naba.types import Article, ArticleId

KEYS = ("queries", "p_at_5", "first_right")
CUT = 5


def _relevant(row: GoldRow, rows: Sequence[GoldRow]) -> set[str]:
    return {
        o.url
        for o in rows
        if o.url != row.url and (o.story == row.story or (row.thread is not None and o.thread == row.thread))
    }


def score(rows: Sequence[GoldRow], lists: dict[str, list[str]]) -> dict[str, float]:
    labeled = {r.url for r in rows}
    p_sum, first_sum, queries = 0.0, 0.0, 0
    for row in rows:
        relevant = _relevant(row, rows)
        if not relevant:
            continue
        queries += 1
        judged = [u for u in lists.get(row.url, []) if u in labeled and u != row.url][:CUT]
        p_sum += sum(u in relevant for u in judged) / min(CUT, len(relevant))
        first_sum += 1.0 if judged and judged[0] in relevant else 0.0
    return {
        "queries": queries,
        "p_at_5": round(p_sum / max(1, queries), 4),
        "first_right": round(first_sum / max(1, queries), 4),
    }


def run_naba(articles: Sequence[Article], rows: Sequence[GoldRow]) -> dict[str, list[str]]:
    """Each labeled article's related list as the reader shows it, after ``naba understand`` over the window."""
    with tempfile.TemporaryDirectory(prefix="naba-related-") as tmp:
        db = Path(tmp) / "window.db"
        settings = load_settings({"db": str(db), "ingest_workers": 1}, environ={})
        store = SQLiteStore(db)
        store.put_many(articles, "eval")  # analyzed once, by naba understand
        understand(store, settings, DEFAULT_ANALYZER)
        url_of: dict[ArticleId, str] = {a.id: a.url or a.id for a in articles}
        id_of = {v: k for k, v in url_of.items()}
        # Lists are cut generously: unlabeled items are skipped before the cut at 5.
        lists = {
            r.url: [url_of.get(i.article.id, i.article.id) for i in stored_related(store, id_of[r.url], 100)]
            for r in rows
        }
        store.close()
    return lists


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument(
        "--peers", action="store_true", help="no peer is defined for related lists (accepted, ignored)"
    )
    args = ap.parse_args()

    rows = load_gold(args.gold)
    articles = load_window(args.corpus, {r.day for r in rows})
    naba = score(rows, run_naba(articles, rows))
    print_table(f"Related: {len(articles)} articles streamed, {len(rows)} labeled", {"naba": naba}, KEYS)
    print(json.dumps(naba, ensure_ascii=False))


if __name__ == "__main__":
    main()
