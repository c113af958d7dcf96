"""Score naba's SHIPPED entity tagger on NewsFANE (it never trains).

Scoring follows ``../shared/docs/EVAL.md``, section "NER": coarse PER/LOC/ORG by the mapping in
``ner/PROVENANCE.md``, tokens stripped of U+200E, a ``.`` token ends a sentence; entity-level exact-span
P/R/F1 per type and micro-averaged. The gold tokenization is tagged as is, through the same entry point the
runtime uses (model, then rules: :meth:`naba.enrich.entities.CrfEntityExtractor.tag_tokens`). The gold
file has no document marks, so document context comes from blocks of ``DOC_SENTENCES`` consecutive
sentences, exactly as in training.

Usage: ``python eval/ner.py [--gold FILE] [--no-rules]``. Default: the last 10% of
``../shared/eval/ner/newsfane-train-dev.txt`` (the split the shipped model was never trained or tuned on);
with ``--gold FILE`` the whole file is scored. The last line printed is JSON:
``{"per_f1", "loc_f1", "org_f1", "micro_p", "micro_r", "micro_f1"}``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from naba.enrich.entities import CrfEntityExtractor
from naba.enrich.ner_features import (
    DOC_SENTENCES,
    Sentence,
    read_newsfane,
    spans,
    split_newsfane,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO / ".." / "shared" / "eval" / "ner" / "newsfane-train-dev.txt"
KINDS = ("PER", "LOC", "ORG")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(extractor: CrfEntityExtractor, sentences: list[Sentence]) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) per kind over exact entity spans."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    tokens = [[tok for tok, _ in sent] for sent in sentences]
    tagged: list[list[str]] = []
    for i in range(0, len(tokens), DOC_SENTENCES):
        tagged.extend(extractor.tag_document(tokens[i : i + DOC_SENTENCES]))
    for sent, tags in zip(sentences, tagged, strict=True):
        gold = spans([tag for _, tag in sent])
        pred = spans(tags)
        for kind in KINDS:
            g = {s for s in gold if s[2] == kind}
            p = {s for s in pred if s[2] == kind}
            counts[kind].update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    return {k: (c["tp"], c["fp"], c["fn"]) for k, c in counts.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--gold", type=Path, help="score this whole file (default: the last 10%% of the dev file)"
    )
    ap.add_argument("--no-rules", action="store_true", help="score the CRF alone, without the rules")
    args = ap.parse_args()
    if args.gold:
        sentences = read_newsfane(args.gold)
    else:
        _train, sentences = split_newsfane(read_newsfane(DEFAULT_GOLD))
    counts = score(CrfEntityExtractor(use_rules=not args.no_rules), sentences)
    total = tuple(sum(c[i] for c in counts.values()) for i in range(3))
    print(f"{'kind':<6}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    result: dict[str, float] = {}
    for kind, (tp, fp, fn) in [*counts.items(), ("micro", total)]:
        p, r, f = _prf(tp, fp, fn)
        print(f"{kind:<6}{tp + fn:>6}{tp + fp:>6}{p:>8.4f}{r:>8.4f}{f:>8.4f}")
        if kind == "micro":
            result.update(micro_p=round(p, 4), micro_r=round(r, 4), micro_f1=round(f, 4))
        else:
            result[f"{kind.lower()}_f1"] = round(f, 4)
    print(
        f"{len(sentences)} sentences, {total[0] + total[2]} gold entities, rules {'off' if args.no_rules else 'on'}"
    )
    print(json.dumps(result, sort_keys=False))


if __name__ == "__main__":
    main()
