"""Cross-validation of the story constants over days and outlets (issue 11), on the stories-dev window.

Usage: ``.venv/bin/python eval/stories_cv.py [--gold stories-dev.jsonl] [--corpus DIR] [--grid NAME]``

The window is streamed once per setting of a small grid (as ``eval/stories.py`` does). The labeled articles are
cut into folds by (day of ``date_extracted``, outlet pair): 2 days x 5 pairs of outlets. For each fold, the
setting with the best mean B-cubed F1 over the *other* folds is chosen and scored on the held-out fold; the
held-out mean is the honest figure, and the setting chosen most often is the one that ships. B-cubed on a fold
restricts both the predicted and the gold stories to the fold's articles. Last line: one JSON object with
``folds, heldout_bcubed_f1, chosen`` (the setting chosen most often) and ``grid`` (each setting's mean F1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stream import DEFAULT_CORPUS, DEFAULT_GOLD, GoldRow, bcubed, load_stream
from stories import naba_labels, run_naba

HOUR = dt.timedelta(hours=1)
GRIDS: dict[str, list[dict[str, Any]]] = {
    # The per-member check and the per-occasion penalty (issue 11), with the centroid half-life.
    "member": [
        {"member_threshold": m, "occasion_penalty": o, "centroid_half_life": h * HOUR}
        for m in (0.2, 0.25, 0.3, 0.35)
        for o in (0.3, 1.0)
        for h in (12, 24, 48)
    ],
    "small": [
        {"member_threshold": m, "pair_place_penalty": pp} for m in (0.0, 0.25, 0.3, 0.35) for pp in (0.5, 0.7)
    ],
}


def folds_of(rows: Sequence[GoldRow]) -> dict[str, list[GoldRow]]:
    outlets = sorted({r.source for r in rows})
    pair = {o: i // 2 for i, o in enumerate(outlets)}
    folds: dict[str, list[GoldRow]] = {}
    for r in rows:
        folds.setdefault(f"{r.day.isoformat()}/{pair[r.source]}", []).append(r)
    return folds


def fold_f1(rows: Sequence[GoldRow], labels: dict[str, str]) -> float:
    gold = {r.url: r.story for r in rows}
    return bcubed({u: labels[u] for u in gold}, gold)[2]


def _name(setting: dict[str, Any]) -> str:
    parts = []
    for k, v in sorted(setting.items()):
        value = f"{v / HOUR:g}h" if isinstance(v, dt.timedelta) else f"{v:g}"
        parts.append(f"{k}={value}")
    return ",".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--grid", choices=sorted(GRIDS), default="member")
    ap.add_argument(
        "--cache", type=Path, default=None, help="pickle of the analyzed window (read or written)"
    )
    args = ap.parse_args()

    if args.cache is not None and args.cache.exists():
        with args.cache.open("rb") as f:
            rows, stream = pickle.load(f)
    else:
        rows, stream = load_stream(args.gold, args.corpus)
        if args.cache is not None:
            with args.cache.open("wb") as f:
                pickle.dump((rows, stream), f, protocol=pickle.HIGHEST_PROTOCOL)
    folds = folds_of(rows)
    scores: dict[str, dict[str, float]] = {}  # setting -> fold -> F1
    whole: dict[str, float] = {}
    for setting in GRIDS[args.grid]:
        engine, _ = run_naba(stream, **setting)
        labels = naba_labels(engine, stream)
        name = _name(setting)
        scores[name] = {f: fold_f1(fr, labels) for f, fr in folds.items()}
        whole[name] = fold_f1(rows, labels)
        print(f"{name:<70} whole-window F1 {whole[name]:.4f}", flush=True)
    heldout, chosen = [], Counter()
    for fold in folds:
        best = max(scores, key=lambda n: (sum(v for f, v in scores[n].items() if f != fold), n))
        chosen[best] += 1
        heldout.append(scores[best][fold])
    out = {
        "folds": len(folds),
        "heldout_bcubed_f1": round(sum(heldout) / len(heldout), 4),
        "chosen": chosen.most_common(1)[0][0],
        "chosen_counts": dict(chosen),
        "grid": {n: round(sum(v.values()) / len(v), 4) for n, v in scores.items()},
        "grid_whole_window": {n: round(v, 4) for n, v in whole.items()},
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
