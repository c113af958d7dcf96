"""Short reader queries over the whole corpus, scored on graded judgments (see EVAL.md "Short queries").

Usage: ``.venv/bin/python eval/search.py [--gold queries-dev.tsv] [--corpus DIR] [--no-system] [--db FILE|URL] [--no-analyzers]``
(qrels are read beside the queries file: ``queries-X.tsv`` -> ``qrels-X.tsv``).

Figures per system: ``ndcg10`` (unjudged = 0), ``condensed_ndcg10`` (unjudged removed before the cut, the
headline), ``p10`` (share of the top 10 with grade >= 1), ``judged10`` (share of the top 10 judged). Analyzer rows
share one BM25 engine (bm25s k1=1.5 b=0.75, document = title x2 + body). Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bm25 import DEFAULT_CORPUS, SHARED, Engine, load_corpus, mean, ndcg_at, open_system, print_table, top_k
from analyzers_baseline import baselines

KEYS = ("queries", "ndcg10", "condensed_ndcg10", "p10", "judged10")
DEPTH = 100  # ranked list depth kept per query; condensing needs more than 10


def load_gold(queries_path: Path) -> tuple[dict[str, str], dict[str, dict[str, float]]]:
    qrels_path = queries_path.with_name(queries_path.name.replace("queries-", "qrels-"))
    with queries_path.open(encoding="utf-8") as f:
        queries = {r["qid"]: r["query"] for r in csv.DictReader(f, delimiter="\t")}
    qrels: dict[str, dict[str, float]] = defaultdict(dict)
    with qrels_path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            qrels[r["qid"]][r["url"]] = float(r["grade"])
    return queries, qrels


def score_rankings(
    queries: dict[str, str], qrels: dict[str, dict[str, float]], rankings: dict[str, list[str]]
) -> dict[str, float]:
    nd, cnd, p10, j10 = [], [], [], []
    for qid in queries:
        judged = qrels.get(qid, {})
        ranked = rankings[qid]
        nd.append(ndcg_at(ranked, judged))
        cnd.append(ndcg_at([u for u in ranked if u in judged], judged))
        top = ranked[:10]
        p10.append(sum(1 for u in top if judged.get(u, 0) >= 1) / 10)
        j10.append(sum(1 for u in top if u in judged) / 10)
    return {
        "queries": len(queries),
        "ndcg10": mean(nd),
        "condensed_ndcg10": mean(cnd),
        "p10": mean(p10),
        "judged10": mean(j10),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "eval" / "queries-dev.tsv")
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
    queries, qrels = load_gold(args.gold)
    rows: dict[str, dict[str, float]] = {}
    for name, analyze in ({} if args.no_analyzers else baselines()).items():
        engine = Engine(docs, analyze)
        rankings = {qid: [docs[i].url for i in top_k(engine.scores(q), DEPTH)] for qid, q in queries.items()}
        rows[name] = score_rankings(queries, qrels, rankings)
    print_table(
        f"Search: {len(queries)} short queries over {len(docs)} articles (bm25s k1=1.5 b=0.75)", rows, KEYS
    )

    system: dict[str, object] = {"system": "unavailable (--no-system)"}
    if not args.no_system:
        search, note = open_system(args.corpus, args.db)
        system = {"system": note}
        if search is not None:
            # One url per result: copies of one text fold into one result, as the reader shows them.
            rankings = {qid: [r[0] for r in search(q)] for qid, q in queries.items()}
            system.update(score_rankings(queries, qrels, rankings))
            unfolded = {qid: [r[0] for r in search(q, fold=False)] for qid, q in queries.items()}
            system["unfolded"] = score_rankings(queries, qrels, unfolded)
            table = {"naba-search": system, "naba-unfolded": system["unfolded"]}
            print_table("System: naba search (copies folded; unfolded for reference)", table, KEYS)  # type: ignore[arg-type]
        else:
            print(f"\nSystem row: {note}")
    print(json.dumps({**system, "analyzers": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
