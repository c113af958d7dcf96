"""Cross-validation of the story constants over days and outlets (issue 11), on the stories-dev window.

Usage: ``.venv/bin/python eval/stories_cv.py [--gold stories-dev.jsonl] [--corpus DIR] [--grid NAME]
[--cache PKL] [--blind GOLD] [--blind-cache PKL]``

The window is streamed once per setting of a small grid through the story clusterer, as ``eval/stories.py``
streams it through :class:`~naba.stories.StoryStream`; the duplicate verdicts (which no story constant changes)
are computed once and fed to every run, and thread links (which change no story) are left out, so a setting
costs only story assignment. ``--cache`` keeps the analyzed window so a rerun only streams. The labeled articles are cut into folds two ways:

* **leave-days-out**: one fold per day of ``date_extracted`` (2 on the dev window);
* **leave-outlets-out**: outlets sorted by name, dealt into 5 groups (2-3 outlets each).

For each fold of each scheme, the setting with the best mean B-cubed F1 over the *other* folds of that scheme
is chosen and scored on the held-out fold (B-cubed on a fold restricts both the predicted and the gold stories
to the fold's articles). The held-out means are the honest figures; the setting chosen by the most folds
(ties: the best mean over all folds, then the fewest constants changed) is the one that ships. The shipped defaults (the constants in
``naba.stories.clustering``) are scored on the same folds for comparison.

``--blind GOLD`` then streams the blind window once with the shipped defaults and once with the CV choice and
reports both B-cubed figures; the blind set never takes part in the choice. Per-setting lines go to stdout as
they finish; the last line is one JSON object with ``schemes`` (per fold: held-out setting, its F1, the
defaults' F1; and the mean), ``chosen``, ``chosen_counts``, ``grid`` (each setting's mean fold F1 and
whole-window F1), ``defaults``, ``fold_f1`` (every setting on every fold) and, with ``--blind``, ``blind``.
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

from _stream import DEFAULT_CORPUS, DEFAULT_GOLD, GoldRow, load_stream

from naba.dedupe import Deduper
from naba.stories import StoryClusterer, clustering
from naba.types import AnalyzedArticle, ArticleId

HOUR = dt.timedelta(hours=1)
OUTLET_GROUPS = 5
DEFAULTS = "defaults"
GRIDS: dict[str, list[dict[str, Any]]] = {
    # The per-member check and the centroid half-life: the constants the 2-day window exercises. The
    # occasion and pair-place penalties leave every labeled story unchanged on it ("wide": all values give
    # the same F1), so they are not fitted here.
    "member": [
        {"member_threshold": m, "centroid_half_life": h * HOUR}
        for m in (0.2, 0.25, 0.3, 0.35, 0.4)
        for h in (12, 24)
    ],
    "wide": [
        {
            "member_threshold": m,
            "occasion_penalty": o,
            "pair_place_penalty": pp,
            "centroid_half_life": h * HOUR,
        }
        for m in (0.2, 0.3, 0.4)
        for o in (0.3, 1.0)
        for pp in (0.5, 0.7, 1.0)
        for h in (12, 24)
    ],
    "tiny": [{"member_threshold": m} for m in (0.2, 0.4)],
}


def shipped() -> dict[str, Any]:
    """The constants a StoryStream uses when none are passed (what ships)."""
    return {
        "member_threshold": clustering.MEMBER_THRESHOLD,
        "occasion_penalty": clustering.OCCASION_PENALTY,
        "pair_place_penalty": clustering.PAIR_PLACE_PENALTY,
        "centroid_half_life": clustering.CENTROID_HALF_LIFE,
    }


def day_folds(rows: Sequence[GoldRow]) -> dict[str, list[GoldRow]]:
    folds: dict[str, list[GoldRow]] = {}
    for r in rows:
        folds.setdefault(r.day.isoformat(), []).append(r)
    return folds


def outlet_folds(rows: Sequence[GoldRow], groups: int = OUTLET_GROUPS) -> dict[str, list[GoldRow]]:
    outlets = sorted({r.source for r in rows})
    group = {o: i % groups for i, o in enumerate(outlets)}
    names = {g: "+".join(o for o in outlets if group[o] == g) for g in range(groups)}
    folds: dict[str, list[GoldRow]] = {}
    for r in rows:
        folds.setdefault(names[group[r.source]], []).append(r)
    return folds


def fold_f1(fold: Sequence[GoldRow], rows: Sequence[GoldRow], labels: dict[str, str]) -> float:
    """B-cubed F1 averaged over the fold's articles, each judged against the stories of the whole window.

    B-cubed is an average over articles, so a fold's score is that average over its own articles; their
    predicted and gold stories are not cut to the fold. (Cutting them, as a first version did, hides every
    error across folds — an article of one outlet split from or glued to another outlet's — so outlet folds
    scored precision only and favoured the strictest setting: see the README.)
    """
    gold = {r.url: r.story for r in rows}
    pred_groups: dict[str, set[str]] = {}
    gold_groups: dict[str, set[str]] = {}
    for url, story in gold.items():
        pred_groups.setdefault(labels[url], set()).add(url)
        gold_groups.setdefault(story, set()).add(url)
    ps, rs = [], []
    for r in fold:
        p_set, g_set = pred_groups[labels[r.url]], gold_groups[r.story]
        inter = len(p_set & g_set)
        ps.append(inter / len(p_set))
        rs.append(inter / len(g_set))
    p, q = sum(ps) / len(ps), sum(rs) / len(rs)
    return 2 * p * q / (p + q) if p + q else 0.0


def name_of(setting: dict[str, Any]) -> str:
    parts = []
    for k, v in sorted(setting.items()):
        value = f"{v / HOUR:g}h" if isinstance(v, dt.timedelta) else f"{v:g}"
        parts.append(f"{k}={value}")
    return ",".join(parts)


def cached_stream(
    gold: Path, corpus: Path, cache: Path | None
) -> tuple[list[GoldRow], list[AnalyzedArticle]]:
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            rows, stream = pickle.load(f)
        return rows, stream
    rows, stream = load_stream(gold, corpus)
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump((rows, stream), f, protocol=pickle.HIGHEST_PROTOCOL)
    return rows, stream


def copies_of(stream: Sequence[AnalyzedArticle]) -> list[ArticleId | None]:
    """The duplicate verdict of each article (what :class:`~naba.stories.StoryStream` passes on as ``copy_of``)."""
    deduper = Deduper()
    return [deduper.add(a).verdict.duplicate_of for a in stream]


def labels_of(
    stream: Sequence[AnalyzedArticle], copies: Sequence[ArticleId | None], setting: dict[str, Any]
) -> dict[str, str]:
    """Story of each article (by url) after streaming the window with ``setting`` and a last repair pass."""
    clusterer = StoryClusterer(**setting)
    for a, copy_of in zip(stream, copies, strict=True):
        clusterer.add(a, copy_of=copy_of)
    clusterer.repair()
    return {a.article.url or a.article.id: clusterer.story_of(a.article.id) or "" for a in stream}


def changed(setting: dict[str, Any], base: dict[str, Any]) -> int:
    """How many constants ``setting`` changes from ``base`` (the shipped ones)."""
    return sum(1 for k, v in setting.items() if base.get(k) != v)


def cross_validate(
    folds: dict[str, list[GoldRow]], scores: dict[str, dict[str, float]], distance: dict[str, int]
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Leave one fold out: choose on the others, score on it (see the module docstring). Settings whose
    training F1 ties (to 6 decimals: the grid is flat along constants the window never exercises) go to the
    one changing fewest shipped constants, then by name."""
    per_fold, chosen = [], Counter[str]()
    candidates = [n for n in scores if n != DEFAULTS]
    for fold in folds:

        def training(n: str, fold: str = fold) -> tuple[float, int, str]:
            values = [v for f, v in scores[n].items() if f != fold]
            return round(sum(values) / len(values), 6), -distance[n], n

        best = max(candidates, key=training)
        chosen[best] += 1
        per_fold.append(
            {
                "fold": fold,
                "articles": len(folds[fold]),
                "chosen": best,
                "heldout_f1": round(scores[best][fold], 4),
                "defaults_f1": round(scores[DEFAULTS][fold], 4),
            }
        )
    return per_fold, chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--grid", choices=sorted(GRIDS), default="member")
    ap.add_argument(
        "--cache", type=Path, default=None, help="pickle of the analyzed window (read or written)"
    )
    ap.add_argument("--blind", type=Path, default=None, help="a blind gold file, scored after the choice")
    ap.add_argument("--blind-cache", type=Path, default=None, help="pickle of the analyzed blind window")
    args = ap.parse_args()

    rows, stream = cached_stream(args.gold, args.corpus, args.cache)
    schemes = {"days": day_folds(rows), "outlets": outlet_folds(rows)}
    settings = {DEFAULTS: shipped(), **{name_of(s): s for s in GRIDS[args.grid]}}
    scores: dict[str, dict[str, dict[str, float]]] = {
        k: {} for k in schemes
    }  # scheme -> setting -> fold -> F1
    whole: dict[str, float] = {}
    copies = copies_of(stream)
    for name, setting in settings.items():
        labels = labels_of(stream, copies, setting)
        for scheme, folds in schemes.items():
            scores[scheme][name] = {f: fold_f1(fr, rows, labels) for f, fr in folds.items()}
        whole[name] = fold_f1(rows, rows, labels)
        print(f"{name:<100} whole-window F1 {whole[name]:.4f}", flush=True)

    distance = {n: changed(setting, settings[DEFAULTS]) for n, setting in settings.items()}
    out: dict[str, Any] = {"labeled": len(rows), "schemes": {}}
    chosen = Counter[str]()
    for scheme, folds in schemes.items():
        per_fold, counts = cross_validate(folds, scores[scheme], distance)
        chosen.update(counts)
        out["schemes"][scheme] = {
            "folds": per_fold,
            "heldout_mean_f1": round(sum(f["heldout_f1"] for f in per_fold) / len(per_fold), 4),
            "defaults_mean_f1": round(sum(f["defaults_f1"] for f in per_fold) / len(per_fold), 4),
        }

    def mean_all(name: str) -> float:
        values = [v for scheme in scores.values() for v in scheme[name].values()]
        return sum(values) / len(values)

    best = max(chosen, key=lambda n: (chosen[n], round(mean_all(n), 6), -distance[n], n))
    out["chosen"] = best
    out["chosen_counts"] = dict(chosen)
    out["defaults"] = name_of(settings[DEFAULTS])
    out["fold_f1"] = {
        n: {f"{scheme}/{f}": round(v, 4) for scheme in scores for f, v in scores[scheme][n].items()}
        for n in settings
    }
    out["grid"] = {
        n: {"mean_fold_f1": round(mean_all(n), 4), "whole_f1": round(whole[n], 4)} for n in settings
    }
    if args.blind is not None:
        blind_rows, blind_stream = cached_stream(args.blind, args.corpus, args.blind_cache)
        out["blind"] = {"labeled": len(blind_rows)}
        blind_copies = copies_of(blind_stream)
        for label, name in ((DEFAULTS, DEFAULTS), ("chosen", best)):
            labels = labels_of(blind_stream, blind_copies, settings[name])
            out["blind"][label] = round(fold_f1(blind_rows, blind_rows, labels), 4)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
