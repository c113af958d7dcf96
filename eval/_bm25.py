"""Shared machinery of the retrieval evaluations: corpus loading, one BM25 engine, metrics, naba's system row.

Every analyzer row is scored with the same engine: bm25s with its defaults (Lucene BM25, k1=1.5, b=0.75),
document = title twice + body, query = the query text through the same analyzer. Not part of the product.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
DEFAULT_CORPUS = SHARED / "data" / "saudinewsnet" / "dataset"

Analyze = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class Doc:
    url: str
    title: str
    content: str
    date: str


def load_corpus(path: Path) -> list[Doc]:
    """All articles of the SaudiNewsNet zips under ``path`` (or one zip), in file order."""
    zips = sorted(path.glob("*.zip")) if path.is_dir() else [path]
    docs: list[Doc] = []
    for zp in zips:
        with zipfile.ZipFile(zp) as zf:
            for name in zf.namelist():
                for rec in json.loads(zf.read(name)):
                    docs.append(
                        Doc(
                            rec["url"],
                            rec.get("title") or "",
                            rec.get("content") or "",
                            rec.get("date_extracted") or "",
                        )
                    )
    return docs


class Engine:
    """A bm25s index over ``docs`` analyzed by one analyzer."""

    def __init__(self, docs: Sequence[Doc], analyze: Analyze) -> None:
        self.analyze = analyze
        t0 = time.perf_counter()
        corpus = [(t := analyze(d.title)) + t + analyze(d.content) for d in docs]
        self.analyze_s = time.perf_counter() - t0
        self.model = bm25s.BM25(k1=1.5, b=0.75)
        self.model.index(corpus, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self.analyze(query) if t in self.model.vocab_dict]
        if not tokens:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self.model.get_scores(tokens))


def top_k(scores: np.ndarray, k: int, exclude: int | None = None) -> list[int]:
    """Indices of the k best scores (ties by index), skipping ``exclude`` and zero scores."""
    if exclude is not None:
        scores = scores.copy()
        scores[exclude] = -1.0
    n = min(k, len(scores))
    idx = np.argpartition(-scores, n - 1)[:n]
    idx = idx[np.lexsort((idx, -scores[idx]))]
    return [int(i) for i in idx if scores[i] > 0]


# --- metrics -----------------------------------------------------------------------------------------------
def mrr_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    for i, u in enumerate(ranked[:k]):
        if u in relevant:
            return 1.0 / (i + 1)
    return 0.0


def dcg(gains: Iterable[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: Sequence[str], gains: dict[str, float], k: int = 10) -> float:
    ideal = dcg(sorted((g for g in gains.values() if g > 0), reverse=True)[:k])
    return dcg(gains.get(u, 0.0) for u in ranked[:k]) / ideal if ideal > 0 else 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int = 100) -> float:
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


# --- naba's own search (the system row) --------------------------------------------------------------------
# One query's results as a user gets them: each result's urls, the representative first, then the copies
# folded under it (``also``). ``fold=False`` lists every copy as its own result.
SystemSearch = Callable[..., list[list[str]]]


def open_system(corpus: Path, db: str | None = None) -> tuple[SystemSearch | None, str]:
    """Ingest and understand the corpus in a fresh naba store (or in ``db``: a SQLite file or a ``postgresql://``
    URL, where what is already there stays unchanged and only what is not understood yet is understood);
    return (search(query, fold=True) -> results' urls, note). None when unavailable."""
    try:
        from naba.config import load_settings
        from naba.engine.naba import Naba
        from naba.engine.views import search_view
        from naba.store.backends import display
        from naba.types import SearchQuery
    except Exception as exc:  # naba.engine is being built in parallel: report, do not fail the analyzer rows
        return None, f"unavailable ({type(exc).__name__}: {exc})"
    # Empty SaudiNewsNet records are reported by ingest; their warnings are not figures.
    logging.getLogger("naba").setLevel(logging.ERROR)
    tmp = Path(tempfile.mkdtemp(prefix="naba-eval-"))
    try:
        naba = Naba.open(load_settings({"db": db or str(tmp / "naba.db")}, environ={}))
        t0 = time.perf_counter()
        naba.ingest([corpus])
        t1 = time.perf_counter()
        # Copies fold by the duplicate groups of `naba understand`, as in a reader's database.
        naba.understand()
        note = f"ingest {t1 - t0:.1f}s, understand {time.perf_counter() - t1:.1f}s" + (
            f" in {display(db)}" if db else ""
        )
    except Exception as exc:
        return None, f"unavailable ({type(exc).__name__}: {exc})"

    def search(q: str, fold: bool = True) -> list[list[str]]:
        # The query is the headline as plain words: its quotation marks are not naba's phrase operator.
        q = q.replace('"', " ").replace("“", " ").replace("”", " ")
        # 101: the query article itself may be among the hits and is removed by the caller.
        query = SearchQuery(text=q, limit=101)
        if not fold:
            return [[h.article.url or ""] for h in naba.search(query, highlight=False).hits]
        # Folded as `naba search`, the API and the reader show results (views.search_view).
        view = search_view(naba.store, naba.search, query)
        return [[h.article.url or "", *(c.url or "" for c in h.also_from)] for h in view.hits]

    return search, note


def print_table(title: str, rows: dict[str, dict[str, float]], keys: Sequence[str]) -> None:
    print(f"\n{title}")
    print(f"{'analyzer':<12}" + "".join(f"{k:>18}" for k in keys))
    for name, row in rows.items():
        cells = "".join(
            f"{row[k]:>18.4f}" if isinstance(row.get(k), float) else f"{row.get(k, '-')!s:>18}" for k in keys
        )
        print(f"{name:<12}{cells}")
    sys.stdout.flush()


WORD_RE = re.compile(r"\w+")
