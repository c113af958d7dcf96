"""The section classifier: a linear model over naba's Arabic analyzer terms, trained on weak labels only.

Contract
--------
* Features (:func:`section_terms`): the analyzer's terms (stems and roots, :mod:`naba.text.analyzer`) of the
  title, marked ``t:``, and of the first :data:`BODY_CHARS` characters of the text. Weighted as TF-IDF
  (sublinear tf, smoothed idf, l2-normalized); terms seen in fewer than :data:`MIN_DF` training articles are
  dropped.
* :func:`train` fits a multinomial logistic regression (scikit-learn, the ``naba[sections]`` extra: only
  training needs it) on ``(terms, section)`` pairs that came from publishers' own signals
  (:mod:`naba.sections.weak`); prediction (:meth:`SectionModel.predict`) is numpy only.
* A model is the installation's own: :meth:`SectionModel.to_bytes` / :meth:`SectionModel.from_bytes` give a
  portable ``.npz`` (no pickle) that the store keeps. naba ships no trained section model.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from naba.errors import TrainingUnavailable
from naba.text.analyzer import get_analyzer
from naba.types import Article

# Characters of body text read for features: the lead paragraphs say what an article is about; more text adds
# little and costs analysis time. Set a priori; the cross-validation of other lengths (scripts/fit_sections.py
# BODY_GRID) was not run on the loaded machine.
BODY_CHARS: Final = 1500
# Terms in fewer training articles than this are dropped (rare stems mostly memorize one outlet's names).
MIN_DF: Final = 3
# Inverse regularization strength of the logistic regression. Outlet-fold cross-validation on the 10,704 weak
# labels (scripts/fit_sections.py; never on the labeled dev articles), macro-F1 of held-out outlets: C=2 0.7843,
# C=8 0.7914, C=32 0.7919 — 8 and 32 tie within noise; the smaller C is kept (a smoother model).
C: Final = 8.0
TITLE_MARK: Final = "t:"


def section_terms(article: Article, analyzer_name: str) -> list[str]:
    """The classifier's features of ``article``: marked title terms, then terms of the opening text."""
    analyzer = get_analyzer(analyzer_name)
    title = [TITLE_MARK + t for t in analyzer.terms(article.title)]
    return title + analyzer.terms(article.body_text[:BODY_CHARS])


@dataclass(frozen=True, slots=True, eq=False)
class SectionModel:
    """A trained classifier: its classes, vocabulary, idf weights and linear coefficients."""

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray[Any, np.dtype[np.float32]]
    coef: np.ndarray[Any, np.dtype[np.float32]]  # (classes, features)
    intercept: np.ndarray[Any, np.dtype[np.float32]]
    analyzer: str
    trained_on: int

    def vector(self, terms: Sequence[str]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """The TF-IDF vector of ``terms`` as (feature indexes, weights), l2-normalized."""
        counts = Counter(i for i in (self.vocabulary.get(t) for t in terms) if i is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts))
        w = tf * self.idf[idx]
        return idx, w / np.float32(np.linalg.norm(w))

    def probabilities(self, terms: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The probability of each of :attr:`classes` for an article with these features."""
        idx, w = self.vector(terms)
        scores = self.intercept.astype(np.float64) + (self.coef[:, idx] @ w if len(idx) else 0.0)
        scores -= scores.max()
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(), dtype=np.float64)

    def predict(self, terms: Sequence[str]) -> tuple[str, float]:
        """The most probable section and its probability."""
        p = self.probabilities(terms)
        best = int(np.argmax(p))
        return self.classes[best], float(p[best])

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            out,
            classes=np.array(self.classes),
            terms=np.array(terms),
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
            meta=np.array([self.analyzer, str(self.trained_on)]),
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SectionModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            terms = [str(t) for t in z["terms"]]
            meta = [str(m) for m in z["meta"]]
            return cls(
                classes=tuple(str(c) for c in z["classes"]),
                vocabulary={t: i for i, t in enumerate(terms)},
                idf=z["idf"].astype(np.float32),
                coef=z["coef"].astype(np.float32),
                intercept=z["intercept"].astype(np.float32),
                analyzer=meta[0],
                trained_on=int(meta[1]),
            )


def _vocabulary(docs: Sequence[Sequence[str]], min_df: int) -> tuple[dict[str, int], np.ndarray[Any, Any]]:
    df = Counter(t for doc in docs for t in set(doc))
    terms = sorted(t for t, n in df.items() if n >= min_df)
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)
    return {t: i for i, t in enumerate(terms)}, idf


def train(
    docs: Sequence[Sequence[str]],
    labels: Sequence[str],
    analyzer_name: str,
    *,
    c: float = C,
    min_df: int = MIN_DF,
) -> SectionModel:
    """A model fitted on ``docs`` (each :func:`section_terms`) with their weak ``labels``."""
    if len(set(labels)) < 2:
        raise TrainingUnavailable("training needs weak labels of at least two sections")
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # an optional extra: training only
        raise TrainingUnavailable(
            "training the section classifier needs scikit-learn: pip install 'naba[sections]'"
        ) from exc
    vocabulary, idf = _vocabulary(docs, min_df)
    shell = SectionModel((), vocabulary, idf, np.zeros((0, 0), np.float32), np.zeros(0, np.float32), "", 0)
    rows, cols, vals = [], [], []
    for r, doc in enumerate(docs):
        idx, w = shell.vector(doc)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(w.tolist())
    x = csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocabulary)), dtype=np.float32)
    clf = LogisticRegression(C=c, max_iter=1000)
    clf.fit(x, list(labels))
    coef, intercept = clf.coef_, clf.intercept_
    if coef.shape[0] == 1:  # two classes: one logit; as softmax scores it is [0, z]
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros_like(intercept), intercept])
    return SectionModel(
        classes=tuple(str(k) for k in clf.classes_),
        vocabulary=vocabulary,
        idf=idf,
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        analyzer=analyzer_name,
        trained_on=len(docs),
    )
