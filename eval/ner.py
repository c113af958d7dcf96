"""Score naba's SHIPPED entity taggers on NewsFANE and on the blind SaudiNewsNet sentences (it never trains).

Scoring follows ``../shared/docs/EVAL.md``, section "NER": coarse PER/LOC/ORG by the mapping in
``ner/PROVENANCE.md``, tokens stripped of U+200E, a ``.`` token ends a sentence; entity-level exact-span
P/R/F1 per type and micro-averaged. The gold tokenization is tagged as is, through the same entry point the
runtime uses (model, then rules, then document propagation: ``tag_document`` of
:class:`naba.enrich.entities.NeuralEntityExtractor` / :class:`~naba.enrich.entities.CrfEntityExtractor`).
The NewsFANE file has no document marks, so document context comes from blocks of ``DOC_SENTENCES``
consecutive sentences, exactly as in training.

Usage: ``python eval/ner.py [--gold FILE ...] [--blind] [--model neural|crf|ensemble] [--peers] [--no-rules]``.
Default: the last 10% of ``../shared/eval/ner/newsfane-train-dev.txt`` (the split the shipped models were
never trained or tuned on); with ``--gold FILE`` the whole file is scored: a NewsFANE-format file (token TAB
tag), or a bracketed file like ``eval/ner-blind/saudinewsnet-blind.txt`` (``# `` header line, then one text
with ``[[KIND words]]`` marks; each text is one document, tokenized as the runtime tokenizes). ``--blind``
adds that blind file as a second set next to the default split. ``--peers`` also scores the other models
(figures under ``"peers"``). With several sets, each set's figures go under ``"sets"`` and the top level is
the micro-average over all of them. The last line printed is JSON with ``per_f1, loc_f1, org_f1, micro_p,
micro_r, micro_f1`` (and ``sentences_per_s``, tagging speed of the whole pass, not a quality figure).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from naba.enrich.entities import DEFAULT_MODEL, MODELS, make_extractor, sentence_tokens
from naba.enrich.ner_features import (
    DOC_SENTENCES,
    Sentence,
    read_newsfane,
    spans,
    split_newsfane,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO / ".." / "shared" / "eval" / "ner" / "newsfane-train-dev.txt"
BLIND_GOLD = REPO / "eval" / "ner-blind" / "saudinewsnet-blind.txt"
KINDS = ("PER", "LOC", "ORG")
_MARK = re.compile(r"\[\[(PER|LOC|ORG) ([^\]]+)\]\]")

Documents = list[list[Sentence]]  # documents -> sentences -> (token, BIO tag)


def read_bracketed(path: Path) -> Documents:
    """Documents of a bracketed file: each non-header line is one text with ``[[KIND words]]`` marks,
    tokenized into sentences as the runtime does; a token inside a mark gets its BIO tag."""
    docs: Documents = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        text, marks, pos = "", [], 0
        for m in _MARK.finditer(line):
            text += line[pos : m.start()]
            marks.append((len(text), len(text) + len(m.group(2)), m.group(1)))
            text += m.group(2)
            pos = m.end()
        text += line[pos:]
        doc: list[Sentence] = []
        for sentence in sentence_tokens(text):
            tags = []
            for _surface, start, end in sentence:
                inside = [(a, k) for a, b, k in marks if a <= start and end <= b]
                if not inside:
                    tags.append("O")
                    continue
                a, kind = inside[0]
                tags.append(("B-" if start == a else "I-") + kind)
            doc.append([(surface, tag) for (surface, _, _), tag in zip(sentence, tags, strict=True)])
        docs.append(doc)
    return docs


def newsfane_documents(sentences: list[Sentence]) -> Documents:
    return [sentences[i : i + DOC_SENTENCES] for i in range(0, len(sentences), DOC_SENTENCES)]


def load_gold(path: Path) -> Documents:
    first = path.read_text(encoding="utf-8").lstrip("\ufeff").split("\n", 1)[0]
    if first.startswith("# "):
        return read_bracketed(path)
    return newsfane_documents(read_newsfane(path))


def score(extractor: Any, docs: Documents) -> tuple[dict[str, tuple[int, int, int]], float]:
    """(tp, fp, fn) per kind over exact entity spans, and sentences tagged per second."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    started = time.perf_counter()
    tagged = [extractor.tag_document([[tok for tok, _ in sent] for sent in doc]) for doc in docs]
    seconds = time.perf_counter() - started
    n = 0
    for doc, doc_tags in zip(docs, tagged, strict=True):
        for sent, tags in zip(doc, doc_tags, strict=True):
            n += 1
            gold = spans([tag for _, tag in sent])
            pred = spans(tags)
            for kind in KINDS:
                g = {s for s in gold if s[2] == kind}
                p = {s for s in pred if s[2] == kind}
                counts[kind].update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    return {k: (c["tp"], c["fp"], c["fn"]) for k, c in counts.items()}, n / seconds if seconds else 0.0


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def figures(counts: dict[str, tuple[int, int, int]], title: str) -> dict[str, float]:
    """Print one table and return its figures (the EVAL.md keys)."""
    total = tuple(sum(c[i] for c in counts.values()) for i in range(3))
    print(f"== {title}")
    print(f"{'kind':<6}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    result: dict[str, float] = {}
    for kind, (tp, fp, fn) in [*counts.items(), ("micro", total)]:
        p, r, f = _prf(tp, fp, fn)
        print(f"{kind:<6}{tp + fn:>6}{tp + fp:>6}{p:>8.4f}{r:>8.4f}{f:>8.4f}")
        if kind == "micro":
            result.update(micro_p=round(p, 4), micro_r=round(r, 4), micro_f1=round(f, 4))
        else:
            result[f"{kind.lower()}_f1"] = round(f, 4)
    return result


def _sum(
    a: dict[str, tuple[int, int, int]], b: dict[str, tuple[int, int, int]]
) -> dict[str, tuple[int, int, int]]:
    return {k: (a[k][0] + b[k][0], a[k][1] + b[k][1], a[k][2] + b[k][2]) for k in KINDS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--gold",
        type=Path,
        action="append",
        help="score this whole file (default: the last 10%% of the dev file)",
    )
    ap.add_argument("--blind", action="store_true", help=f"add {BLIND_GOLD.relative_to(REPO)} as a set")
    ap.add_argument(
        "--model", choices=MODELS, default=DEFAULT_MODEL, help="the tagger scored (default: shipped)"
    )
    ap.add_argument("--peers", action="store_true", help="also score the other model, under 'peers'")
    ap.add_argument("--no-rules", action="store_true", help="score the model alone, without rules")
    args = ap.parse_args()
    sets: dict[str, Documents] = {}
    if args.gold:
        for path in args.gold:
            sets[path.stem] = load_gold(path)
    else:
        _train, evaluation = split_newsfane(read_newsfane(DEFAULT_GOLD))
        sets["newsfane-dev"] = newsfane_documents(evaluation)
    if args.blind:
        sets["blind"] = load_gold(BLIND_GOLD)
    models = [args.model, *([m for m in MODELS if m != args.model] if args.peers else [])]
    out: dict[str, Any] = {}
    for model in models:
        extractor = make_extractor(model, use_rules=not args.no_rules)
        total: dict[str, tuple[int, int, int]] = {k: (0, 0, 0) for k in KINDS}
        per_set: dict[str, dict[str, float]] = {}
        for name, docs in sets.items():
            counts, speed = score(extractor, docs)
            n_sent = sum(len(d) for d in docs)
            per_set[name] = figures(
                counts, f"{model} on {name} ({n_sent} sentences, rules {'off' if args.no_rules else 'on'})"
            )
            per_set[name]["sentences_per_s"] = round(speed, 1)
            total = _sum(total, counts)
        result = figures(total, f"{model}, all sets") if len(sets) > 1 else dict(next(iter(per_set.values())))
        if len(sets) > 1:
            result["sets"] = per_set  # type: ignore[assignment]
        if model == args.model:
            out.update(result)
        else:
            out.setdefault("peers", {})[model] = result
    if len(sets) > 1 and "peers" in out:
        for name in sets:
            out["sets"][name]["peers"] = {m: r["sets"][name] for m, r in out["peers"].items()}
    print(json.dumps(out, sort_keys=False))


if __name__ == "__main__":
    main()
