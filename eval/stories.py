"""Online story clustering over the stories-dev window, scored on the labeled articles (EVAL.md "Stories").

Usage: ``.venv/bin/python eval/stories.py [--gold stories-dev.jsonl] [--corpus DIR] [--peers]``

Every article of the window's days goes, in ``date_extracted`` order (ties by url), through naba's stream
(:class:`naba.stories.StoryStream`: dedupe, then online story assignment with repair passes every 100
articles). The end state is scored with B-cubed over labeled articles and pairwise F1. ``--peers`` adds
offline TF-IDF (sklearn, over the same analyzer terms, title twice + body) with average-linkage
agglomerative clustering (cosine) at its best distance threshold on this window. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stream import (
    DEFAULT_CORPUS,
    DEFAULT_GOLD,
    GoldRow,
    bcubed,
    groups_of,
    load_stream,
    pairs_of,
    prf,
    print_table,
)

from naba.stories import StoryStream
from naba.types import AnalyzedArticle

KEYS = ("labeled", "bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_f1", "stories")


def score(rows: Sequence[GoldRow], story_of: dict[str, str]) -> dict[str, float]:
    gold = {r.url: r.story for r in rows}
    pred = {u: story_of[u] for u in gold}
    p, r, f = bcubed(pred, gold)
    _, _, pf = prf(pairs_of(groups_of(pred)), pairs_of(groups_of(gold)))
    return {
        "labeled": len(rows),
        "bcubed_p": round(p, 4),
        "bcubed_r": round(r, 4),
        "bcubed_f1": round(f, 4),
        "pairwise_f1": round(pf, 4),
        "stories": len(set(pred.values())),
    }


def run_naba(stream: Sequence[AnalyzedArticle], **params: object) -> tuple[StoryStream, float]:
    engine = StoryStream(**params)  # type: ignore[arg-type]
    started = time.perf_counter()
    for a in stream:
        engine.add(a)
    engine.flush()
    return engine, time.perf_counter() - started


def naba_labels(engine: StoryStream, stream: Sequence[AnalyzedArticle]) -> dict[str, str]:
    return {a.article.url or a.article.id: engine.stories.story_of(a.article.id) or "" for a in stream}


def run_agglomerative(
    stream: Sequence[AnalyzedArticle], rows: Sequence[GoldRow]
) -> tuple[dict[str, float], float]:
    """Offline peer: TF-IDF + average-linkage agglomerative clustering, best distance threshold reported."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [list(a.title_terms) * 2 + list(a.body_terms) for a in stream]
    tfidf = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True).fit_transform(docs)
    distances = 1.0 - (tfidf @ tfidf.T).toarray()  # rows are L2-normalized: cosine distance, computed once
    urls = [a.article.url or a.article.id for a in stream]
    best: tuple[dict[str, float], float] | None = None
    for i in range(8, 19):
        threshold = i * 0.05
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
        )
        labels = model.fit_predict(distances)
        result = score(rows, {u: str(lab) for u, lab in zip(urls, labels, strict=True)})
        if best is None or result["bcubed_f1"] > best[0]["bcubed_f1"]:
            best = (result, threshold)
    assert best is not None
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--peers", action="store_true", help="also run offline TF-IDF + agglomerative clustering")
    args = ap.parse_args()

    rows, stream = load_stream(args.gold, args.corpus)
    engine, seconds = run_naba(stream)
    naba = score(rows, naba_labels(engine, stream))
    table: dict[str, dict[str, float]] = {
        "naba (online)": {**naba, "ms_per_article": round(1000 * seconds / max(1, len(stream)), 3)}
    }
    out: dict[str, object] = dict(naba)
    if args.peers:
        peer, threshold = run_agglomerative(stream, rows)
        table[f"tfidf-avg-link@{threshold:.2f}"] = peer
        out["peers"] = {"agglomerative": {**peer, "distance_threshold": round(threshold, 2)}}
    print_table(
        f"Stories: {len(stream)} articles streamed, {len(rows)} labeled", table, (*KEYS, "ms_per_article")
    )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
