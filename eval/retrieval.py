"""Title-as-query retrieval over the whole corpus, scored on the stories-dev labels (see EVAL.md "Retrieval").

Usage: ``.venv/bin/python eval/retrieval.py [--gold stories-dev.jsonl] [--corpus DIR] [--no-system] [--db FILE|URL] [--no-analyzers]``

Queries are the titles of labeled articles whose story has >= 2 labeled articles; relevant = the other labeled
articles of the story (hard variant: minus the query's own dup group; queries left with none are dropped). The
query article is removed from its own ranking. Analyzer rows share one BM25 engine (bm25s k1=1.5 b=0.75,
document = title x2 + body). The system row is naba's own search. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bm25 import (
    DEFAULT_CORPUS,
    SHARED,
    Doc,
    Engine,
    load_corpus,
    mean,
    mrr_at,
    ndcg_at,
    open_system,
    print_table,
    recall_at,
    top_k,
)
from analyzers_baseline import baselines

KEYS = (
    "queries",
    "mrr10",
    "ndcg10",
    "recall100",
    "hard_queries",
    "hard_mrr10",
    "hard_ndcg10",
    "hard_recall100",
)


@dataclass(frozen=True, slots=True)
class Query:
    url: str
    title: str
    relevant: frozenset[str]
    hard_relevant: frozenset[str]


def load_queries(gold: Path) -> list[Query]:
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_story: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_story[r["story"]].append(r)
    queries = []
    for r in rows:
        story = by_story[r["story"]]
        if len(story) < 2:
            continue
        rel = frozenset(o["url"] for o in story if o["url"] != r["url"])
        hard = frozenset(
            o["url"] for o in story if o["url"] != r["url"] and (r["dup"] is None or o["dup"] != r["dup"])
        )
        queries.append(Query(r["url"], r["title"], rel, hard))
    return queries


def score_rankings(queries: list[Query], rankings: list[list[str]]) -> dict[str, float]:
    """The EVAL.md figures for one system, given each query's top-100 urls (query article already removed)."""
    hard = [(q, r) for q, r in zip(queries, rankings, strict=True) if q.hard_relevant]
    return {
        "queries": len(queries),
        "mrr10": mean([mrr_at(r, set(q.relevant)) for q, r in zip(queries, rankings, strict=True)]),
        "ndcg10": mean(
            [ndcg_at(r, dict.fromkeys(q.relevant, 1.0)) for q, r in zip(queries, rankings, strict=True)]
        ),
        "recall100": mean([recall_at(r, set(q.relevant)) for q, r in zip(queries, rankings, strict=True)]),
        "hard_queries": len(hard),
        "hard_mrr10": mean([mrr_at(r, set(q.hard_relevant)) for q, r in hard]),
        "hard_ndcg10": mean([ndcg_at(r, dict.fromkeys(q.hard_relevant, 1.0)) for q, r in hard]),
        "hard_recall100": mean([recall_at(r, set(q.hard_relevant)) for q, r in hard]),
    }


def engine_rankings(engine: Engine, docs: list[Doc], queries: list[Query]) -> list[list[str]]:
    index = {d.url: i for i, d in enumerate(docs)}
    return [
        [docs[i].url for i in top_k(engine.scores(q.title), 100, exclude=index.get(q.url))] for q in queries
    ]


def system_rankings(search: object, queries: list[Query], *, fold: bool = True) -> list[list[str]]:
    """One url per result; the result holding the query article (its own copies folded with it) is the
    query itself and is removed, as the query article is from the analyzer rows."""
    assert callable(search)
    return [[r[0] for r in search(q.title, fold=fold) if q.url not in r][:100] for q in queries]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "eval" / "stories-dev.jsonl")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-system", action="store_true", help="skip naba's own search (the system row)")
    ap.add_argument(
        "--db",
        help="naba database for the system row: a SQLite file or postgresql:// URL (default: a fresh file); "
        "the corpus is ingested into it and understood where not yet (a database holding it is reused)",
    )
    ap.add_argument("--no-analyzers", action="store_true", help="only the system row (no bm25s analyzer rows)")
    args = ap.parse_args()

    docs = load_corpus(args.corpus)
    queries = load_queries(args.gold)
    rows: dict[str, dict[str, float]] = {}
    for name, analyze in ({} if args.no_analyzers else baselines()).items():
        rows[name] = score_rankings(queries, engine_rankings(Engine(docs, analyze), docs, queries))
    print_table(
        f"Retrieval: {len(queries)} title queries over {len(docs)} articles (bm25s k1=1.5 b=0.75)", rows, KEYS
    )

    system: dict[str, object] = {"system": "unavailable (--no-system)"}
    if not args.no_system:
        search, note = open_system(args.corpus, args.db)
        system = {"system": note}
        if search is not None:
            system.update(score_rankings(queries, system_rankings(search, queries)))
            system["unfolded"] = score_rankings(queries, system_rankings(search, queries, fold=False))
            table = {"naba-search": system, "naba-unfolded": system["unfolded"]}
            print_table("System: naba search (copies folded; unfolded for reference)", table, KEYS)  # type: ignore[arg-type]
        else:
            print(f"\nSystem row: {note}")
    print(json.dumps({**system, "analyzers": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
