"""Fit the combined-article constants of ``naba.dedupe`` by cross-validation over the days of the dev window.

Usage: ``.venv/bin/python scripts/fit_dedupe.py [--gold stories-dev.jsonl] [--corpus DIR]``

The window is streamed once per setting of the grid (``CONTAINER_RATIO`` x ``LEAD_FRACTION`` x ``LEAD_SHARE``, plus the rule switched off). Day folds: the labeled pairs whose two articles were crawled on
day d are held out; the setting with the best pairwise F1 on the pairs of the other days is scored on them.
Prints each setting's figures, then the held-out (cross-validated) P/R/F1 and the settings chosen. Last line:
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))

from _stream import DEFAULT_CORPUS, DEFAULT_GOLD, GoldRow, load_stream, pairs_of, prf  # noqa: E402
from dedupe import run_naba  # noqa: E402

Setting = tuple[float, float, float]
OFF: Setting = (1e9, 1.0, 0.0)
# First run (share 0): ratio (1.5, 2, 3) x lead (0.2, 0.3, 0.4, 0.5); the day folds chose (2, 0.3) and (1.5, 0.3).
GRID: list[Setting] = [OFF] + [(2.0, 0.3, share) for share in (0.0, 0.1, 0.15, 0.2, 0.25)]
Pair = tuple[str, str]


def pairs(rows: list[GoldRow], group_of: dict[str, str] | None) -> set[Pair]:
    groups: dict[str, list[str]] = {}
    for r in rows:
        key = group_of[r.url] if group_of is not None else r.dup
        if key is not None:
            groups.setdefault(key, []).append(r.url)
    return {(a, b) if a < b else (b, a) for a, b in pairs_of(groups.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--cache", type=Path, help="pickle of the analyzed window: read if present, else written")
    args = ap.parse_args()

    if args.cache is not None and args.cache.exists():
        rows, stream = pickle.loads(args.cache.read_bytes())
    else:
        rows, stream = load_stream(args.gold, args.corpus)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps((rows, stream)))
    day = {r.url: r.day for r in rows}
    gold = pairs(rows, None)
    predicted: dict[Setting, set[Pair]] = {}
    for ratio, lead, share in GRID:
        groups, _ = run_naba(stream, container_ratio=ratio, lead_fraction=lead, lead_share=share)
        predicted[(ratio, lead, share)] = pairs(rows, groups)
        p, r, f = prf(predicted[(ratio, lead, share)], gold)
        print(f"ratio {ratio:g} lead {lead} share {share}: P {p:.4f} R {r:.4f} F1 {f:.4f}", flush=True)

    days = sorted(set(day.values()))

    def on(ps: set[Pair], keep: set[object]) -> set[Pair]:
        return {pr for pr in ps if day[pr[0]] == day[pr[1]] and day[pr[0]] in keep}

    held_pred: set[Pair] = set()
    held_gold: set[Pair] = set()
    chosen = []
    for d in days:
        train = set(days) - {d}
        best = max(GRID, key=lambda s: (prf(on(predicted[s], train), on(gold, train))[2], s == OFF))
        chosen.append(best)
        held_pred |= on(predicted[best], {d})
        held_gold |= on(gold, {d})
    p, r, f = prf(held_pred, held_gold)
    off_p, off_r, off_f = prf(on(predicted[OFF], set(days)), on(gold, set(days)))
    ship = Counter(chosen).most_common(1)[0][0]
    print(
        f"day folds, held out: P {p:.4f} R {r:.4f} F1 {f:.4f} (rule off: {off_p:.4f} / {off_r:.4f} / {off_f:.4f})"
    )
    print(
        json.dumps(
            {
                "cv_p": round(p, 4),
                "cv_r": round(r, 4),
                "cv_f1": round(f, 4),
                "off_f1": round(off_f, 4),
                "chosen": chosen,
                "ship": ship,
            }
        )
    )


if __name__ == "__main__":
    main()
