"""Composes naba's stages: read → store → analyze → index, and search over the result.

:class:`Naba` is the one object the CLI, the reader and the evaluations use. The SQLite store is the source
of truth; the search index is derived from it and kept in step through a watermark (the store's highest
``change_seq`` that the index has committed), so a process killed at any point leaves a consistent
database and the next run brings the index up to date.

Error policy per run (setting ``error_policy``): ``raise`` stops at the first bad input, ``record`` logs
it and keeps a row for ``naba failures``, ``skip`` only logs it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from naba.engine.workers import process_pool, worker_count
from naba.errors import InputError, NabaError, SearchError
from naba.identity import identity_text
from naba.search.service import SearchService
from naba.search.tantivy_index import TantivyIndex
from naba.sources.files import read_inputs
from naba.sources.inputs import InputItem
from naba.store.base import StoredArticle
from naba.store.leases import Lease
from naba.store.sqlite import SQLiteStore
from naba.text.analyzer import get_analyzer
from naba.types import (
    AnalyzedArticle,
    Article,
    ArticleId,
    SearchQuery,
    SearchResults,
    StageFailure,
    StoreOutcome,
)

log = logging.getLogger(__name__)

_STATE_INDEX_SEQ = "search_index_seq"
_STATE_INDEX_ANALYZER = "search_index_analyzer"
# Articles indexed between two index commits when catching up or rebuilding.
_INDEX_COMMIT_EVERY = 20_000
# Batches of analysis in flight in the worker pool; two keep both cores busy without holding memory.
_MAX_PENDING_BATCHES = 3

Progress = Callable[[int], None]


@dataclass
class IngestReport:
    """What one ingest run did. ``read`` counts articles read; ``failed`` inputs (files, lines, records)."""

    read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list[StageFailure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed": self.failed,
            "seconds": round(self.seconds, 2),
            "failures": [
                {"stage": f.stage, "location": f.location, "error": f.error_type, "message": f.message}
                for f in self.failures
            ],
        }


# -- analysis (runs in worker processes) ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What the workers compute for one article: index terms, phrase tokens, and the body fingerprint."""

    title_terms: tuple[str, ...]
    body_terms: tuple[str, ...]
    title_phrase: tuple[str, ...]
    body_phrase: tuple[str, ...]
    fingerprint: str


def analyze_texts(analyzer_name: str, texts: Sequence[tuple[str, str]]) -> list[TextAnalysis]:
    """Analyze (title, body) pairs. A module-level function so worker processes can run it."""
    analyzer = get_analyzer(analyzer_name)
    results = []
    for title, body in texts:
        title_terms, title_phrase = analyzer.terms_and_phrase_terms(title)
        body_terms, body_phrase = analyzer.terms_and_phrase_terms(body)
        results.append(
            TextAnalysis(
                tuple(title_terms),
                tuple(body_terms),
                tuple(title_phrase),
                tuple(body_phrase),
                fingerprint(body),
            )
        )
    return results


def fingerprint(body: str) -> str:
    """Hash of the body with what differs between copies of one text folded away (exact duplicates)."""
    return hashlib.sha256(identity_text(body).encode()).hexdigest()


def to_analyzed(article: Article, analyzer_name: str, analysis: TextAnalysis) -> AnalyzedArticle:
    return AnalyzedArticle(
        article=article,
        analyzer=analyzer_name,
        title_terms=analysis.title_terms,
        body_terms=analysis.body_terms,
        title_phrase_terms=analysis.title_phrase,
        body_phrase_terms=analysis.body_phrase,
        fingerprint=analysis.fingerprint,
    )


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
        while len(self._pending) > _MAX_PENDING_BATCHES:
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


def _chunks(stored: Iterator[StoredArticle], batch_size: int) -> Iterator[tuple[int, list[list[Article]]]]:
    """Group the store's articles into commit chunks of batches; yields (last change_seq, batches)."""
    batches: list[list[Article]] = [[]]
    last_seq, in_chunk = 0, 0
    for item in stored:
        if len(batches[-1]) >= batch_size:
            batches.append([])
        batches[-1].append(item.article)
        last_seq, in_chunk = item.change_seq, in_chunk + 1
        if in_chunk >= _INDEX_COMMIT_EVERY:
            yield last_seq, batches
            batches, in_chunk = [[]], 0
    if in_chunk:
        yield last_seq, batches


class IndexFollower:
    """Keeps the search index up with a database other processes write to (``naba serve`` runs one).

    A thread with its own connection and index handle: every ``every`` seconds it indexes what was committed
    since the index's watermark, unless another process holds the index writer (which catches up itself).
    The reader's own :class:`Naba` reloads its searcher when the watermark moves.
    """

    def __init__(self, settings: Any, every: float = 5.0) -> None:
        self._settings = settings
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="naba-index-follower", daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        naba = Naba.open(self._settings, sync_index=False)
        try:
            while not self._stop.is_set():
                try:
                    naba.sync_index(wait=False)
                except NabaError as exc:  # logged and retried: a reader must keep serving
                    log.warning("catching up the search index failed: %s", exc)
                self._stop.wait(self._every)
        finally:
            naba.close()


class Naba:
    """The engine on one database: ingest, index, search."""

    def __init__(self, settings: Any, store: SQLiteStore, index: TantivyIndex) -> None:
        self.settings = settings
        self.store = store
        self.index = index
        self.analyzer = get_analyzer(settings.analyzer)
        self._search = SearchService(store, index, self.analyzer)
        self._index_lease = Lease(Path(str(settings.index_path) + ".lock"), "search index writer")
        self._seen_index_seq = -1

    @classmethod
    def open(cls, settings: Any, *, sync_index: bool = True, wait: bool = True) -> Self:
        """Open the store and index; ``sync_index`` catches the index up (waiting for the index writer, or
        with ``wait=False`` leaving it to the process that holds it)."""
        store = SQLiteStore(settings.db)
        index = TantivyIndex(
            settings.index_path, analyzer=settings.analyzer, title_boost=settings.title_boost
        )
        naba = cls(settings, store, index)
        if sync_index:
            naba.sync_index(wait=wait)
        return naba

    # -- index upkeep ---------------------------------------------------------------------------------
    # One process at a time writes the index (tantivy allows one writer); the others either wait for the
    # lease (ingest: its rows must be searchable when it returns) or leave the work to its holder (readers,
    # the watch loop), which catches up with everything committed before it lets go.
    def index_is_current(self) -> bool:
        return self.store.get_state(_STATE_INDEX_ANALYZER) == self.analyzer.name

    def index_seq(self) -> int:
        """The store's ``change_seq`` up to which the search index is committed."""
        return int(self.store.get_state(_STATE_INDEX_SEQ) or 0)

    def sync_index(self, progress: Progress | None = None, *, wait: bool = True) -> int:
        """Bring the index up to the store; rebuilds it when the analyzer changed. Returns articles indexed.

        ``wait=False``: when another process is writing the index, return 0 at once (it catches up).
        """
        with self._index_lease.hold(wait=wait) as held:
            if not held:
                return 0
            if not self.index_is_current():
                if self.store.count():
                    log.info(
                        "search index was built with another analyzer: rebuilding with %s", self.analyzer.name
                    )
                done = self._rebuild(progress)
            else:
                # One pass up to what is committed now: a writer that commits meanwhile waits for the lease
                # and indexes its own rows; a pass that chased every later commit might never end.
                done = self._index_since(self.index_seq(), progress)
        self._reload_if_moved()
        return done

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the database."""
        with self._index_lease.hold():
            done = self._rebuild(progress)
        self._reload_if_moved()
        return done

    def _rebuild(self, progress: Progress | None) -> int:
        self.index.clear()
        self.store.set_state(_STATE_INDEX_SEQ, "0")
        self.store.set_state(_STATE_INDEX_ANALYZER, self.analyzer.name)
        return self._index_since(0, progress)

    def _reload_if_moved(self) -> None:
        """Let this process's searcher see what another process committed to the index since it looked."""
        seq = self.index_seq()
        if seq != self._seen_index_seq:
            self.index.reload()
            self._seen_index_seq = seq

    def _index_since(self, since: int, progress: Progress | None) -> int:
        analysis = AnalysisPool(self.analyzer.name, worker_count(self.settings.ingest_workers))
        done = 0
        try:
            chunks = _chunks(self.store.iter_articles(since_seq=since), self.settings.ingest_batch)
            for last_seq, batches in chunks:
                for batch in batches:
                    done += self._index_batches(analysis.submit(batch), progress)
                done += self._index_batches(analysis.drain(), progress)
                self._commit_index_until(last_seq)
        finally:
            analysis.close()
        return done

    def _index_batches(self, batches: Iterable[list[AnalyzedArticle]], progress: Progress | None) -> int:
        count = 0
        for analyzed in batches:
            self.index.add(analyzed)
            count += len(analyzed)
            if progress:
                progress(len(analyzed))
        return count

    def _commit_index_until(self, seq: int | None) -> None:
        self.index.commit()
        if seq is not None:
            self.store.set_state(_STATE_INDEX_SEQ, str(seq))

    # -- ingest ---------------------------------------------------------------------------------------
    def ingest(
        self, paths: Iterable[str | Path], progress: Progress | None = None, *, warc_filter: Any = None
    ) -> IngestReport:
        """Read local inputs, store new and changed articles, index them. Idempotent.

        ``warc_filter`` (:class:`naba.sources.warc.WarcFilter`) selects the records of WARC archives.
        """
        items = read_inputs(paths, max_input_bytes=self.settings.max_input_bytes, warc_filter=warc_filter)
        return self.ingest_items(items, progress)

    def ingest_items(
        self, items: Iterable[InputItem], progress: Progress | None = None, *, index: bool = True
    ) -> IngestReport:
        """Store the articles of ``items`` (from files, fetches, WARC records) and index them. Idempotent.

        ``index=False`` leaves the index to a later :meth:`sync_index` (a poll loop indexes once per round).
        """
        started = time.monotonic()
        report = IngestReport()
        seen: dict[ArticleId, str] = {}
        batch: list[Article] = []
        for item in items:
            batch.extend(self._accept(item, seen, report))
            if progress:
                progress(len(item.articles) or 1)
            if len(batch) >= self.settings.ingest_batch:
                self._store_batch(batch, report)
                batch = []
        if batch:
            self._store_batch(batch, report)
        if index:
            self.sync_index()
        report.seconds = time.monotonic() - started
        return report

    def _accept(self, item: InputItem, seen: dict[ArticleId, str], report: IngestReport) -> list[Article]:
        if item.failure is not None:
            self._fail(item.failure, report)
            return []
        if not item.articles:
            report.skipped += 1  # a WARC record filtered out or without article text (logged by its reader)
            return []
        accepted = []
        for article in item.articles:
            report.read += 1
            first = seen.get(article.id)
            if first is not None:
                # The first copy of an identity in one run wins, so that re-ingesting the same input is
                # idempotent instead of flip-flopping between two versions.
                report.skipped += 1
                log.warning("%s: skipped a second copy of %s (first at %s)", item.location, article.id, first)
                continue
            seen[article.id] = item.location
            accepted.append(article)
        return accepted

    def _fail(self, failure: StageFailure, report: IngestReport) -> None:
        report.failed += 1
        if len(report.failures) < 100:
            report.failures.append(failure)
        policy = self.settings.error_policy
        # Recorded failures are listed by `naba failures` and counted in the run's summary; only skips
        # have nowhere else to be seen, so only they are logged as warnings.
        level = logging.INFO if policy == "record" else logging.WARNING
        log.log(level, "%s: %s: %s", failure.location, failure.error_type, failure.message)
        if policy == "raise":
            raise InputError(failure.message, location=failure.location, stage=failure.stage)
        if policy == "record":
            self.store.record_failures([failure])

    def _store_batch(self, batch: list[Article], report: IngestReport) -> None:
        outcomes = self.store.put_many(batch, self.analyzer.name)
        for outcome in outcomes:
            if outcome is StoreOutcome.STORED:
                report.stored += 1
            elif outcome is StoreOutcome.UPDATED:
                report.updated += 1
            else:
                report.unchanged += 1

    # -- understanding --------------------------------------------------------------------------------
    def understand(self, progress: Progress | None = None) -> Any:
        """Duplicates, stories and threads of the articles stored since the last run (``naba.understand``)."""
        from naba.engine.understand import understand

        # Two runs at once would both cluster the same new articles; the second waits, then finds little.
        with Lease(Path(self.settings.db + ".understand.lock"), "understanding run").hold():
            return understand(self, progress)

    # -- search ---------------------------------------------------------------------------------------
    def search(self, query: SearchQuery, *, highlight: bool = True) -> SearchResults:
        if not self.index_is_current() and self.store.count():
            raise SearchError("the search index is out of date; run `naba reindex`")
        self._reload_if_moved()
        return self._search.search(query, highlight=highlight)

    def stats(self) -> dict[str, Any]:
        """What the database and its projections hold, and how far each projection lags the store."""
        from naba.engine.understand import STATE_UNDERSTAND_SEQ

        counts = self.store.counts()
        understand_seq = int(self.store.get_state(STATE_UNDERSTAND_SEQ) or 0)
        return {
            "db": str(self.settings.db),
            **counts,
            "index_seq": self.index_seq(),
            "index_docs": self.index.count(),
            "index_lag": counts["change_seq"] - self.index_seq(),
            "understand_seq": understand_seq,
            "understand_lag": counts["change_seq"] - understand_seq,
            "index_analyzer": self.store.get_state(_STATE_INDEX_ANALYZER),
        }

    # -- lifecycle ------------------------------------------------------------------------------------
    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
