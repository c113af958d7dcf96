"""Fit search's field and evidence weights by cross-validation over outlets and days (never on dev as a whole).

Usage: ``.venv/bin/python scripts/fit_search.py --db naba.db [--grid small|full] [--json OUT]``

``--db``: a database holding the whole SaudiNewsNet corpus, ingested and understood (``naba ingest`` then
``naba understand``), so that results fold by duplicate group as a user gets them. The dev sets are the two
``eval/`` sets: same-story retrieval (``stories-dev.jsonl``: hard MRR@10, the query's own copies not
relevant) and short queries (``queries-dev.tsv``: condensed nDCG@10). The blind sets under ``eval/blind/``
are never read here.

For every weight setting of the grid, each query's figure is computed once; then:
* outlet folds: the retrieval queries split by the outlet of the query article (5 folds, outlets whole),
  the short queries split into the same number of folds by query; for each fold, the setting with the best
  mean of (hard MRR@10, condensed nDCG@10) on the other folds is scored on it;
* day folds: the retrieval queries split by the day of the query article (2 days), short queries by the day
  of their judged articles' median date (before / after 2015-07-28), same procedure.
The held-out means are the cross-validated estimate; the setting chosen most often is the one to ship.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))

from _bm25 import DEFAULT_CORPUS, SHARED, load_corpus, mean, mrr_at, ndcg_at  # noqa: E402
from retrieval import load_queries  # noqa: E402
from search import load_gold  # noqa: E402

from naba.config import load_settings  # noqa: E402
from naba.engine.naba import Naba  # noqa: E402
from naba.engine.views import search_view  # noqa: E402
from naba.search.service import SearchService  # noqa: E402
from naba.search.tantivy_index import TantivyIndex  # noqa: E402
from naba.types import SearchQuery, SearchResults  # noqa: E402

Setting = tuple[float, float, float, int]  # title boost, coverage weight, proximity weight, proximity slop
GRIDS: dict[str, list[Setting]] = {
    "small": [(t, c, p, 2) for t in (0.5, 0.75, 1.0) for c in (0.0, 0.5) for p in (0.0, 0.5)],
    "full": [
        *(
            (t, c, p, 2)
            for t in (0.5, 0.75, 1.0, 1.5)
            for c in (0.0, 0.25, 0.5, 1.0)
            for p in (0.0, 0.25, 0.5, 1.0)
        ),
        *((t, c, p, s) for t in (0.75, 1.0) for c in (0.25, 0.5) for p in (0.25, 0.5) for s in (0, 1, 5)),
    ],
}
FOLDS = 5


def folded_urls(
    naba: Naba, service: SearchService, text: str, depth: int, fold: bool = True
) -> list[list[str]]:
    """Each result's urls, the representative first, as a user gets them (``views.search_view``); with
    ``fold=False`` every copy is a result of its own."""

    def search(query: SearchQuery) -> SearchResults:
        return service.search(query, highlight=False)

    query = SearchQuery(text=text, limit=depth)
    if not fold:
        return [[h.article.url or ""] for h in search(query).hits]
    view = search_view(naba.store, search, query)
    return [[h.article.url or "", *(c.url or "" for c in h.also_from)] for h in view.hits]


def per_query(naba: Naba, setting: Setting, fold: bool = True) -> tuple[list[float], list[float]]:
    retrieval = load_queries(SHARED / "eval" / "stories-dev.jsonl")
    queries, qrels = load_gold(SHARED / "eval" / "queries-dev.tsv")
    index = naba.index
    assert isinstance(index, TantivyIndex), "the weights are the embedded engine's"
    index.title_boost, index.coverage_weight, index.proximity_weight, index.proximity_slop = setting
    service = SearchService(naba.store, index, naba.analyzer)
    hard = []
    for q in retrieval:
        if not q.hard_relevant:
            continue
        text = q.title.replace('"', " ").replace("“", " ").replace("”", " ")
        ranked = [r[0] for r in folded_urls(naba, service, text, 101, fold) if q.url not in r]
        hard.append(mrr_at(ranked, set(q.hard_relevant)))
    short = []
    for qid, text in queries.items():
        judged = qrels.get(qid, {})
        ranked = [r[0] for r in folded_urls(naba, service, text, 100, fold)]
        short.append(ndcg_at([u for u in ranked if u in judged], judged))
    return hard, short


def _stable_fold(key: str, folds: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % folds


def cross_validate(
    table: dict[Setting, tuple[list[float], list[float]]],
    hard_fold: Sequence[int],
    short_fold: Sequence[int],
    folds: int,
) -> dict[str, object]:
    """Choose on the other folds, score on the held-out one; returns held-out means and the choices."""
    held_hard: list[float] = []
    held_short: list[float] = []
    chosen: list[Setting] = []
    for k in range(folds):

        def train(setting: Setting, k: int = k) -> float:
            hard, short = table[setting]
            h = mean([v for v, f in zip(hard, hard_fold, strict=True) if f != k])
            s = mean([v for v, f in zip(short, short_fold, strict=True) if f != k])
            return h + s

        best = max(table, key=train)
        chosen.append(best)
        hard, short = table[best]
        held_hard += [v for v, f in zip(hard, hard_fold, strict=True) if f == k]
        held_short += [v for v, f in zip(short, short_fold, strict=True) if f == k]
    return {"hard_mrr10": mean(held_hard), "condensed_ndcg10": mean(held_short), "chosen": chosen}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--grid", choices=sorted(GRIDS), default="full")
    ap.add_argument("--json", type=Path, help="write every setting's per-query figures here")
    ap.add_argument(
        "--no-fold", action="store_true", help="rank every copy on its own (a database not yet understood)"
    )
    args = ap.parse_args()
    logging.getLogger("naba").setLevel(logging.ERROR)

    naba = Naba.open(load_settings({"db": args.db}, environ={}))
    table: dict[Setting, tuple[list[float], list[float]]] = {}
    for setting in GRIDS[args.grid]:
        table[setting] = per_query(naba, setting, fold=not args.no_fold)
        hard, short = table[setting]
        print(f"{setting}: hard MRR@10 {mean(hard):.4f}  condensed nDCG@10 {mean(short):.4f}", flush=True)

    retrieval = [q for q in load_queries(SHARED / "eval" / "stories-dev.jsonl") if q.hard_relevant]
    gold = {
        json.loads(line)["url"]: json.loads(line)
        for line in (SHARED / "eval" / "stories-dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    queries, qrels = load_gold(SHARED / "eval" / "queries-dev.tsv")
    outlets = sorted({gold[q.url]["source"] for q in retrieval})
    outlet_fold = {
        o: i % FOLDS for i, o in enumerate(sorted(outlets, key=lambda o: _stable_fold(o, 1 << 30)))
    }
    by_outlet = cross_validate(
        table,
        [outlet_fold[gold[q.url]["source"]] for q in retrieval],
        [i % FOLDS for i, _ in enumerate(queries)],
        FOLDS,
    )
    days = sorted({gold[q.url]["date_extracted"][:10] for q in retrieval})
    day_of = {d.url: d.date[:10] for d in load_corpus(DEFAULT_CORPUS)}
    short_days = [_median_day(qrels[qid], day_of) for qid in queries]
    by_day = cross_validate(
        table,
        [days.index(gold[q.url]["date_extracted"][:10]) for q in retrieval],
        [0 if d < "2015-07-28" else 1 for d in short_days],
        len(days),
    )
    choices = Counter([*by_outlet["chosen"], *by_day["chosen"]])  # type: ignore[list-item]
    ship = choices.most_common(1)[0][0]
    whole = max(table, key=lambda s: mean(table[s][0]) + mean(table[s][1]))
    report = {
        "settings": len(table),
        "outlet_folds": by_outlet,
        "day_folds": by_day,
        "ship": ship,
        "ship_on_dev": {"hard_mrr10": mean(table[ship][0]), "condensed_ndcg10": mean(table[ship][1])},
        "best_on_whole_dev": whole,
    }
    print(json.dumps(report, ensure_ascii=False, default=str))
    if args.json:
        args.json.write_text(json.dumps({str(k): v for k, v in table.items()}), encoding="utf-8")
    naba.close()


def _median_day(judged: dict[str, float], day_of: dict[str, str]) -> str:
    """The median crawl day of a short query's relevant articles."""
    days = sorted(day_of.get(u, "") for u, g in judged.items() if g > 0)
    return days[len(days) // 2] if days else ""


if __name__ == "__main__":
    main()
