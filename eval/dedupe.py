"""Duplicate detection over the stories-dev window, scored on the labeled articles (EVAL.md "Duplicates").

Usage: ``.venv/bin/python eval/dedupe.py [--gold stories-dev.jsonl] [--corpus DIR] [--peers] [--pairs-out FILE]``

``--pairs-out FILE`` writes naba's predicted pairs of labeled articles, one ``url_a<TAB>url_b`` line each
(url_a < url_b, sorted), so that labels can be adjudicated and re-scored.

Every article of the window's days is fed, in ``date_extracted`` order (ties by url), through naba's
:class:`~naba.dedupe.Deduper`; predicted pairs = labeled articles in one duplicate group, gold pairs =
labeled articles with the same non-null ``dup``. ``--peers`` adds datasketch MinHash-LSH (5-word shingles
of the same normalized words, 128 permutations, threshold 0.5, union of matches). Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stream import DEFAULT_CORPUS, DEFAULT_GOLD, GoldRow, load_stream, pairs_of, prf, print_table

from naba.dedupe import Deduper
from naba.types import AnalyzedArticle

KEYS = ("labeled", "dup_p", "dup_r", "dup_f1")


def predicted_pairs(rows: Sequence[GoldRow], group_of: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of labeled articles in one predicted group, each pair sorted, the list sorted."""
    groups: dict[str, list[str]] = {}
    for url in sorted({r.url for r in rows}):
        groups.setdefault(group_of[url], []).append(url)
    return sorted(
        (a, b) for members in groups.values() for i, a in enumerate(members) for b in members[i + 1 :]
    )


def score(rows: Sequence[GoldRow], group_of: dict[str, str]) -> dict[str, float]:
    labeled = {r.url for r in rows}
    gold_groups: dict[str, list[str]] = {}
    for r in rows:
        if r.dup is not None:
            gold_groups.setdefault(r.dup, []).append(r.url)
    pred_groups: dict[str, list[str]] = {}
    for url in labeled:
        pred_groups.setdefault(group_of[url], []).append(url)
    p, r, f = prf(pairs_of(pred_groups.values()), pairs_of(gold_groups.values()))
    return {"labeled": len(rows), "dup_p": round(p, 4), "dup_r": round(r, 4), "dup_f1": round(f, 4)}


def run_naba(stream: Sequence[AnalyzedArticle], **params: float) -> tuple[dict[str, str], float]:
    deduper = Deduper(**params)  # type: ignore[arg-type]
    started = time.perf_counter()
    for a in stream:
        deduper.add(a)
    seconds = time.perf_counter() - started
    return {a.article.url or a.article.id: deduper.group_id(a.article.id) or "" for a in stream}, seconds


def run_datasketch(stream: Sequence[AnalyzedArticle]) -> tuple[dict[str, str], float]:
    """The issue's peer: MinHash-LSH on 5-word shingles, 128 perms, threshold 0.5; matches joined."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    started = time.perf_counter()
    for i, a in enumerate(stream):
        url = a.article.url or a.article.id
        parent[url] = url
        words = a.body_phrase_terms
        shingles = {" ".join(words[j : j + 5]) for j in range(max(1, len(words) - 4))} if words else set()
        if not shingles:
            continue
        m = MinHash(num_perm=128)
        m.update_batch([s.encode() for s in shingles])
        for other in lsh.query(m):
            parent[find(other)] = find(url)
        lsh.insert(url, m)
        del i
    seconds = time.perf_counter() - started
    return {u: find(u) for u in parent}, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--peers", action="store_true", help="also run datasketch MinHash-LSH")
    ap.add_argument("--pairs-out", type=Path, help="write naba's predicted pairs (url_a<TAB>url_b) here")
    args = ap.parse_args()

    rows, stream = load_stream(args.gold, args.corpus)
    groups, seconds = run_naba(stream)
    if args.pairs_out is not None:
        args.pairs_out.write_text(
            "".join(f"{a}\t{b}\n" for a, b in predicted_pairs(rows, groups)), encoding="utf-8"
        )
    naba = score(rows, groups)
    table = {"naba": {**naba, "ms_per_article": round(1000 * seconds / max(1, len(stream)), 3)}}
    out: dict[str, object] = dict(naba)
    if args.peers:
        ds_groups, ds_seconds = run_datasketch(stream)
        ds = score(rows, ds_groups)
        table["datasketch-lsh-0.5"] = {**ds, "ms_per_article": round(1000 * ds_seconds / len(stream), 3)}
        out["peers"] = {"datasketch": ds}
    print_table(
        f"Duplicates: {len(stream)} articles streamed, {len(rows)} labeled", table, (*KEYS, "ms_per_article")
    )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
