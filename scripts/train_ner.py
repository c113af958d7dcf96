"""Train naba's CRF entity tagger on the first 90% of NewsFANE (never on the last 10%, the evaluation split).

Usage:
    .venv/bin/python scripts/train_ner.py                       # train and write src/naba/data/ner-*
    .venv/bin/python scripts/train_ner.py --cv 3 --c1 0.05 0.1 --c2 0.01 0.05   # tune by CV inside the 90%

Deterministic: the word clusters use fixed seeds and crfsuite's L-BFGS is deterministic, so the same input
file gives the same model. Word clusters are learned from the 90% training text only (SVD of a PPMI
co-occurrence matrix, then k-means at two granularities). Needs scikit-learn and scipy (training only).
Cross-validation folds are contiguous blocks of the 90%, and clusters are relearned on each fold's training
part. CV prints figures for the CRF alone (``crf_*``) and for the tagger as naba runs it (``tagger_*``: CRF,
rules and document propagation, as ``eval/ner.py`` scores the shipped model).

Measured (3-fold CV inside the 90%, c1=0.1 c2=0.01): CRF alone micro-F1 0.694 (PER 0.633, LOC 0.830,
ORG 0.555); the tagger as naba runs it 0.701 (PER 0.652, LOC 0.832, ORG 0.557). The evaluation split (last
10%, ``eval/ner.py``): see the README.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pycrfsuite
from scipy.sparse import csr_matrix
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from naba.enrich.entities import CrfEntityExtractor  # noqa: E402
from naba.enrich.ner_features import (  # noqa: E402
    DOC_SENTENCES,
    Sentence,
    document_context,
    read_newsfane,
    sentence_features,
    spans,
    split_newsfane,
    word_forms,
)

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "ner" / "newsfane-train-dev.txt"
DATA_DIR = ROOT / "src" / "naba" / "data"
SEED = 13
MIN_COUNT = 2
DIMS = 100
COARSE_K = 64
FINE_K = 400
# L1/L2 weights, chosen inside the 90% (train on its first 80%, score its last 20%; micro-F1 0.666 for
# c1=0.05/c2=0.01, 0.669 for 0.1/0.01, 0.669 for 0.02/0.03): differences are small, the middle one is kept.
C1 = 0.1
C2 = 0.01
ITERATIONS = 150
USE_DOC = True  # document-context features (ner_features.document_context); False only for ablations


def learn_clusters(sentences: list[Sentence]) -> dict[str, str]:
    """word -> "coarse/fine" cluster ids from a PPMI (window 2) co-occurrence SVD of the given text."""
    words = [[word_forms(t)[0] for t, _ in s] for s in sentences]
    counts = Counter(w for s in words for w in s)
    vocab = sorted(w for w, c in counts.items() if c >= MIN_COUNT)
    index = {w: i for i, w in enumerate(vocab)}
    pairs: Counter[tuple[int, int]] = Counter()
    for s in words:
        ids = [index.get(w, -1) for w in s]
        for i, a in enumerate(ids):
            for j in range(max(0, i - 2), min(len(ids), i + 3)):
                if j != i and a >= 0 and ids[j] >= 0:
                    pairs[(a, ids[j])] += 1
    rows, cols = zip(*pairs.keys(), strict=True)
    vals = np.array(list(pairs.values()), dtype=np.float64)
    total = vals.sum()
    row_sum = np.bincount(rows, weights=vals, minlength=len(vocab))
    col_sum = np.bincount(cols, weights=vals, minlength=len(vocab)) ** 0.75
    col_sum = col_sum / col_sum.sum()
    pmi = np.log(vals * 1.0 / total / (row_sum[list(rows)] / total) / col_sum[list(cols)])
    mat = csr_matrix((np.maximum(pmi, 0), (rows, cols)), shape=(len(vocab), len(vocab)))
    emb = TruncatedSVD(DIMS, random_state=SEED).fit_transform(mat)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    coarse = KMeans(COARSE_K, random_state=SEED, n_init=3).fit_predict(emb)
    fine = KMeans(FINE_K, random_state=SEED, n_init=1).fit_predict(emb)
    return {w: f"{coarse[i]}/{fine[i]}" for i, w in enumerate(vocab)}


def featurized(sentences: list[Sentence], clusters: dict[str, str]) -> list[list[list[str]]]:
    """Features of every sentence, with document context from blocks of DOC_SENTENCES sentences."""
    out = []
    for start in range(0, len(sentences), DOC_SENTENCES):
        block = [[t for t, _ in s] for s in sentences[start : start + DOC_SENTENCES]]
        doc = document_context(block) if USE_DOC else None
        out.extend(sentence_features(tokens, clusters, doc) for tokens in block)
    return out


def train(
    sentences: list[Sentence], clusters: dict[str, str], c1: float, c2: float, out: Path, iterations: int
) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for sent, feats in zip(sentences, featurized(sentences, clusters), strict=True):
        trainer.append(feats, [tag for _, tag in sent])
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": 1,
        }
    )
    trainer.train(str(out))


def _predict_crf(model: Path, sentences: list[Sentence], clusters: dict[str, str]) -> list[list[str]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return [list(tagger.tag(feats)) for feats in featurized(sentences, clusters)]


def _predict_tagger(model: Path, sentences: list[Sentence], clusters: dict[str, str]) -> list[list[str]]:
    """As naba runs it: CRF, rules and document propagation (CrfEntityExtractor.tag_document)."""
    table = model.with_suffix(".clusters.tsv")
    table.write_text("".join(f"{w}\t{c}\n" for w, c in sorted(clusters.items())), encoding="utf-8")
    extractor = CrfEntityExtractor(model=model, clusters=table)
    tokens = [[t for t, _ in s] for s in sentences]
    out: list[list[str]] = []
    for start in range(0, len(tokens), DOC_SENTENCES):
        out.extend(extractor.tag_document(tokens[start : start + DOC_SENTENCES]))
    return out


def score(model: Path, sentences: list[Sentence], clusters: dict[str, str]) -> dict[str, float]:
    """Entity-level exact-span F1 per kind and micro, for the CRF alone and for the whole tagger."""
    out = {}
    for name, predict in (("crf", _predict_crf), ("tagger", _predict_tagger)):
        tp: Counter[str] = Counter()
        fp: Counter[str] = Counter()
        fn: Counter[str] = Counter()
        for sent, tags in zip(sentences, predict(model, sentences, clusters), strict=True):
            gold, pred = spans([tag for _, tag in sent]), spans(tags)
            for kind in ("PER", "LOC", "ORG"):
                g = {s for s in gold if s[2] == kind}
                p = {s for s in pred if s[2] == kind}
                tp[kind] += len(g & p)
                fp[kind] += len(p - g)
                fn[kind] += len(g - p)
        for kind in ("PER", "LOC", "ORG", "micro"):
            t = sum(tp.values()) if kind == "micro" else tp[kind]
            f_p = sum(fp.values()) if kind == "micro" else fp[kind]
            f_n = sum(fn.values()) if kind == "micro" else fn[kind]
            out[f"{name}_{kind}"] = 2 * t / (2 * t + f_p + f_n) if t else 0.0
    return out


def cross_validate(
    train_part: list[Sentence], folds: int, c1s: list[float], c2s: list[float], iterations: int, tmp: Path
) -> None:
    size = len(train_part) // folds
    for c1, c2 in itertools.product(c1s, c2s):
        results = []
        for k in range(folds):
            held = train_part[k * size : (k + 1) * size]
            rest = train_part[: k * size] + train_part[(k + 1) * size :]
            clusters = learn_clusters(rest)
            train(rest, clusters, c1, c2, tmp, iterations)
            results.append(score(tmp, held, clusters))
        mean = {key: float(np.mean([r[key] for r in results])) for key in results[0]}
        print(f"c1={c1} c2={c2} " + " ".join(f"{k}={v:.4f}" for k, v in mean.items()), flush=True)
        print(json.dumps({"c1": c1, "c2": c2, "folds": folds, **{k: round(v, 4) for k, v in mean.items()}}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--cv", type=int, default=0, help="run K-fold CV inside the 90%% instead of training")
    ap.add_argument("--c1", type=float, nargs="+", default=[C1])
    ap.add_argument("--c2", type=float, nargs="+", default=[C2])
    ap.add_argument("--iterations", type=int, default=ITERATIONS)
    args = ap.parse_args()
    train_part, _evaluation_split_never_used = split_newsfane(read_newsfane(args.data))
    started = time.time()
    if args.cv:
        cross_validate(
            train_part, args.cv, args.c1, args.c2, args.iterations, Path("/tmp/naba-ner-cv.crfsuite")
        )
    else:
        clusters = learn_clusters(train_part)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        lines = (f"{w}\t{c}\n" for w, c in sorted(clusters.items()))
        (args.out_dir / "ner-clusters.tsv").write_text("".join(lines), encoding="utf-8")
        train(
            train_part, clusters, args.c1[0], args.c2[0], args.out_dir / "ner-crf.crfsuite", args.iterations
        )
    print(f"done in {time.time() - started:.0f}s", flush=True)


if __name__ == "__main__":
    main()
