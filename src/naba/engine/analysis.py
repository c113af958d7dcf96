"""Text analysis of stored articles for the projections (search index, understanding), in worker processes.

Contract
--------
* :func:`naba.text.analysis.analyze_texts` turns ``(title, body)`` pairs into index terms, phrase tokens and
  the body fingerprint (it lives in ``text/`` so the Spark batch stages run the very same function).
* :class:`AnalysisPool` analyzes batches inline (one worker) or in a process pool, and hands the batches back
  in the order they were submitted, with at most :data:`MAX_PENDING_BATCHES` in flight.
* :func:`analyzed_batches` reads articles from the store by id and yields them analyzed, in order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future

from naba.engine.workers import process_pool
from naba.store.base import ArticleLog
from naba.text.analysis import TextAnalysis, analyze_texts, fingerprint, to_analyzed
from naba.types import AnalyzedArticle, Article, ArticleId

__all__ = [
    "MAX_PENDING_BATCHES",
    "AnalysisPool",
    "TextAnalysis",
    "analyze_texts",
    "analyzed_batches",
    "fingerprint",
    "to_analyzed",
]

# Batches of analysis in flight in the worker pool; two keep both cores busy without holding memory.
MAX_PENDING_BATCHES = 3


class AnalysisPool:
    """Analyzes batches inline or in a process pool, keeping the order of batches."""

    def __init__(self, analyzer_name: str, workers: int, executor: Executor | None = None) -> None:
        """``executor``: a pool shared with other work (the caller shuts it down); else one of ``workers``."""
        self.analyzer_name = analyzer_name
        self._owned = executor is None
        self._pool: Executor | None = (
            executor if executor is not None else process_pool(workers) if workers > 1 else None
        )
        self._pending: list[tuple[list[Article], Future[list[TextAnalysis]]]] = []

    def submit(self, articles: list[Article]) -> Iterator[list[AnalyzedArticle]]:
        """Queue a batch; yields the batches that are done (in order) once too many are pending."""
        texts = [(a.title, a.body_text) for a in articles]
        if self._pool is None:
            terms = analyze_texts(self.analyzer_name, texts)
            yield [to_analyzed(a, self.analyzer_name, t) for a, t in zip(articles, terms, strict=True)]
            return
        self._pending.append((articles, self._pool.submit(analyze_texts, self.analyzer_name, texts)))
        while len(self._pending) > MAX_PENDING_BATCHES:
            yield self._pop()

    def drain(self) -> Iterator[list[AnalyzedArticle]]:
        while self._pending:
            yield self._pop()

    def _pop(self) -> list[AnalyzedArticle]:
        articles, future = self._pending.pop(0)
        return [to_analyzed(a, self.analyzer_name, t) for a, t in zip(articles, future.result(), strict=True)]

    def close(self) -> None:
        if self._pool is not None and self._owned:
            self._pool.shutdown(cancel_futures=True)


def analyzed_batches(
    store: ArticleLog,
    ids: Sequence[ArticleId],
    *,
    analyzer_name: str,
    batch_size: int,
    workers: int,
    executor: Executor | None = None,
) -> Iterator[list[AnalyzedArticle]]:
    """The stored articles of ``ids`` analyzed, in order, in batches of ``batch_size`` (in ``executor``, else
    in a process pool of ``workers`` of its own when there is more than one)."""
    analysis = AnalysisPool(analyzer_name, workers, executor)
    try:
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            found = store.get_many(chunk)
            articles: list[Article] = [found[i].article for i in chunk if i in found]
            yield from analysis.submit(articles)
        yield from analysis.drain()
    finally:
        analysis.close()
