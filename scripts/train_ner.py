"""Train naba's CRF entity tagger on the first 90% of NewsFANE (never on the last 10%, the evaluation split).

The neural tagger (the default of :func:`naba.enrich.entities.extract_entities` when ``DEFAULT_MODEL`` is
``"neural"``) is trained by ``scripts/train_ner_neural.py``; ``scripts/train_ner.py --neural [ARGS]`` runs it.

Usage:
    .venv/bin/python scripts/train_ner.py                       # train and write src/naba/data/ner-*
    .venv/bin/python scripts/train_ner.py --cv 3 --c1 0.05 0.1 --c2 0.01 0.05   # tune by CV inside the 90%

Deterministic: the word clusters use fixed seeds and crfsuite's L-BFGS is deterministic, so the same input
file gives the same model. Word clusters are learned from the 90% training text only (SVD of a PPMI
co-occurrence matrix, then k-means at two granularities). Needs scikit-learn and scipy (training only).
Cross-validation folds are contiguous blocks of the 90%, and clusters are relearned on each fold's training
part. CV prints figures for the CRF alone (``crf_*``) and for the tagger as naba runs it (``tagger_*``: CRF,
rules and document propagation, as ``eval/ner.py`` scores the shipped model).

Measured (3-fold CV inside the 90%, c1=0.1 c2=0.01, the tagger as naba runs it): base features 0.7006;
with the given-names feature (shipped) 0.7039 (folds 0.7178 / 0.7073 / 0.6867). Name-shape features, word
frequencies, more cluster levels and a stacked second pass each scored lower on the first folds and are off
(``--features``, ``--stack``). The evaluation split (last 10%, ``eval/ner.py``): see the README.
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

from naba.enrich.entities import CrfEntityExtractor, first_pass_output  # noqa: E402
from naba.enrich.ner_features import (  # noqa: E402
    DOC_SENTENCES,
    EXTRA,
    STATS_PREFIX,
    FirstPass,
    Sentence,
    document_context,
    read_newsfane,
    sentence_features,
    set_feature_groups,
    spans,
    split_newsfane,
    stack_features,
    word_forms,
)

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "ner" / "newsfane-train-dev.txt"
DATA_DIR = ROOT / "src" / "naba" / "data"
SEED = 13
MIN_COUNT = 2
DIMS = 100
COARSE_K = 64
FINE_K = 400
EXTRA_K = (16, 1000)  # further k-means granularities (features k2=, k3= when "kmulti" is on)
# L1/L2 weights, chosen inside the 90% (train on its first 80%, score its last 20%; micro-F1 0.666 for
# c1=0.05/c2=0.01, 0.669 for 0.1/0.01, 0.669 for 0.02/0.03): differences are small, the middle one is kept.
C1 = 0.1
C2 = 0.01
ITERATIONS = 150
STACK_FOLDS = 3  # cross-fitting folds for the second-pass model's training input
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
    levels = [coarse, fine]
    for k in EXTRA_K if "kmulti" in EXTRA else ():
        levels.append(KMeans(k, random_state=SEED, n_init=1).fit_predict(emb))
    return {w: "/".join(str(lv[i]) for lv in levels) for i, w in enumerate(vocab)}


def word_stats(sentences: list[Sentence]) -> dict[str, str]:
    """STATS_PREFIX + core -> "frequency bucket/article bucket" of the core words seen at least twice:
    how often the word occurs in the text and how often with the article (names rarely take it)."""
    total: Counter[str] = Counter()
    with_article: Counter[str] = Counter()
    for s in sentences:
        for t, _ in s:
            _norm, article, core, _cl = word_forms(t)
            if len(core) >= 2 and core.isalpha():
                total[core] += 1
                with_article[core] += article.startswith("ال")
    out = {}
    for core, n in total.items():
        if n < 2:
            continue
        freq = "f2" if n < 4 else "f4" if n < 10 else "f10" if n < 50 else "f50"
        ratio = with_article[core] / n
        art = "a0" if ratio == 0 else "a1" if ratio < 0.2 else "a2" if ratio < 0.8 else "a3"
        out[STATS_PREFIX + core] = f"{freq}/{art}"
    return out


def learn_resources(sentences: list[Sentence]) -> dict[str, dict[str, str]]:
    """Everything learned from the training text besides the CRF: the word table (clusters and stats)."""
    stats = word_stats(sentences) if "stats" in EXTRA else {}
    return {"clusters": {**learn_clusters(sentences), **stats}}


def set_resources(res: dict[str, dict[str, str]]) -> None:
    """Hook for the CV harness (resources are passed explicitly everywhere else)."""


def featurized(
    sentences: list[Sentence], clusters: dict[str, str], first: list[FirstPass] | None = None
) -> list[list[list[str]]]:
    """Features of every sentence, with document context from blocks of DOC_SENTENCES sentences (and, for
    the second-pass model, the first pass's output over each block)."""
    out = []
    for start in range(0, len(sentences), DOC_SENTENCES):
        block = [[t for t, _ in s] for s in sentences[start : start + DOC_SENTENCES]]
        doc = document_context(block) if USE_DOC else None
        stacked = (
            stack_features(block, first[start : start + DOC_SENTENCES]) if first else [None] * len(block)
        )
        out.extend(
            sentence_features(tokens, clusters, doc, st) for tokens, st in zip(block, stacked, strict=True)
        )
    return out


def cross_fitted_first_pass(
    sentences: list[Sentence], clusters: dict[str, str], c1: float, c2: float, iterations: int, tmp: Path
) -> list[FirstPass]:
    """First-pass output on the training text itself, each block tagged by a model that never saw it
    (STACK_FOLDS contiguous blocks, cut at document boundaries), so the second pass learns how far to
    trust the first pass on unseen text."""
    docs = (len(sentences) + DOC_SENTENCES - 1) // DOC_SENTENCES
    per = (docs + STACK_FOLDS - 1) // STACK_FOLDS * DOC_SENTENCES
    out: list[FirstPass] = []
    for j in range(STACK_FOLDS):
        held = sentences[j * per : (j + 1) * per]
        rest = sentences[: j * per] + sentences[(j + 1) * per :]
        train(rest, clusters, c1, c2, tmp, iterations)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(tmp))
        out.extend(first_pass_output(tagger, f) for f in featurized(held, clusters))
    return out


def train(
    sentences: list[Sentence],
    clusters: dict[str, str],
    c1: float,
    c2: float,
    out: Path,
    iterations: int,
    first: list[FirstPass] | None = None,
) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for sent, feats in zip(sentences, featurized(sentences, clusters, first), strict=True):
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


Models = tuple[Path, Path | None]  # (first pass, stacked second pass or None)


def _predict_crf(models: Models, sentences: list[Sentence], clusters: dict[str, str]) -> list[list[str]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(models[0]))
    feats = featurized(sentences, clusters)
    if models[1] is None:
        return [list(tagger.tag(f)) for f in feats]
    first = [first_pass_output(tagger, f) for f in feats]
    second = pycrfsuite.Tagger()
    second.open(str(models[1]))
    return [list(second.tag(f)) for f in featurized(sentences, clusters, first)]


def _predict_tagger(models: Models, sentences: list[Sentence], clusters: dict[str, str]) -> list[list[str]]:
    """As naba runs it: CRF, rules and document propagation (CrfEntityExtractor.tag_document)."""
    table = models[0].with_suffix(".clusters.tsv")
    table.write_text("".join(f"{w}\t{c}\n" for w, c in sorted(clusters.items())), encoding="utf-8")
    extractor = CrfEntityExtractor(model=models[0], clusters=table, second_model=models[1])
    tokens = [[t for t, _ in s] for s in sentences]
    out: list[list[str]] = []
    for start in range(0, len(tokens), DOC_SENTENCES):
        out.extend(extractor.tag_document(tokens[start : start + DOC_SENTENCES]))
    return out


def score(model: Models, sentences: list[Sentence], clusters: dict[str, str]) -> dict[str, float]:
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


def fit(
    sentences: list[Sentence],
    clusters: dict[str, str],
    c1: float,
    c2: float,
    iterations: int,
    first_out: Path,
    second_out: Path | None,
) -> Models:
    """The first-pass CRF, and (if ``second_out``) the stacked second pass trained on cross-fitted
    first-pass output."""
    train(sentences, clusters, c1, c2, first_out, iterations)
    if second_out is None:
        return first_out, None
    inner = second_out.with_suffix(".inner.crfsuite")
    first = cross_fitted_first_pass(sentences, clusters, c1, c2, iterations, inner)
    inner.unlink(missing_ok=True)
    train(sentences, clusters, c1, c2, second_out, iterations, first)
    return first_out, second_out


def cross_validate(
    train_part: list[Sentence],
    folds: int,
    c1s: list[float],
    c2s: list[float],
    iterations: int,
    tmp: Path,
    stack: bool,
) -> None:
    size = len(train_part) // folds
    for c1, c2 in itertools.product(c1s, c2s):
        results = []
        for k in range(folds):
            held = train_part[k * size : (k + 1) * size]
            rest = train_part[: k * size] + train_part[(k + 1) * size :]
            clusters = learn_resources(rest)["clusters"]
            second = tmp.with_suffix(".second.crfsuite") if stack else None
            models = fit(rest, clusters, c1, c2, iterations, tmp, second)
            results.append(score(models, held, clusters))
        mean = {key: float(np.mean([r[key] for r in results])) for key in results[0]}
        print(f"c1={c1} c2={c2} " + " ".join(f"{k}={v:.4f}" for k, v in mean.items()), flush=True)
        print(json.dumps({"c1": c1, "c2": c2, "folds": folds, **{k: round(v, 4) for k, v in mean.items()}}))


def main() -> None:
    if "--neural" in sys.argv:
        sys.argv.remove("--neural")
        sys.path.insert(0, str(ROOT / "scripts"))
        import train_ner_neural  # needs torch, a training-time extra

        train_ner_neural.main()
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--cv", type=int, default=0, help="run K-fold CV inside the 90%% instead of training")
    ap.add_argument("--c1", type=float, nargs="+", default=[C1])
    ap.add_argument("--c2", type=float, nargs="+", default=[C2])
    ap.add_argument("--iterations", type=int, default=ITERATIONS)
    ap.add_argument("--stack", action="store_true", help="also train the stacked second pass (not shipped)")
    ap.add_argument(
        "--features",
        nargs="*",
        default=None,
        help=f"optional feature groups (ner_features.EXTRA; default: {sorted(EXTRA)})",
    )
    args = ap.parse_args()
    if args.features is not None:
        set_feature_groups(set(args.features))
    train_part, _evaluation_split_never_used = split_newsfane(read_newsfane(args.data))
    started = time.time()
    if args.cv:
        cross_validate(
            train_part,
            args.cv,
            args.c1,
            args.c2,
            args.iterations,
            Path("/tmp/naba-ner-cv.crfsuite"),
            stack=args.stack,
        )
    else:
        clusters = learn_resources(train_part)["clusters"]
        args.out_dir.mkdir(parents=True, exist_ok=True)
        lines = (f"{w}\t{c}\n" for w, c in sorted(clusters.items()))
        (args.out_dir / "ner-clusters.tsv").write_text("".join(lines), encoding="utf-8")
        second = None if not args.stack else args.out_dir / "ner-crf2.crfsuite"
        if second is None:
            (args.out_dir / "ner-crf2.crfsuite").unlink(missing_ok=True)
        fit(
            train_part,
            clusters,
            args.c1[0],
            args.c2[0],
            args.iterations,
            args.out_dir / "ner-crf.crfsuite",
            second,
        )
    print(f"done in {time.time() - started:.0f}s", flush=True)


if __name__ == "__main__":
    main()
