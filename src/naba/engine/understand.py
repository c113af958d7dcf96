"""The understand stage: stored articles → duplicate groups, stories and threads, persisted.

Contract
--------
* :func:`understand` feeds the articles stored since its watermark (state ``understand_seq``, the store's
  ``change_seq`` it has caught up to) through a :class:`~naba.stories.StoryStream` in publication order (ties
  by id) and persists every record the events carry (:class:`~naba.store.base.UnderstandBatch`), one
  transaction per batch. An article already understood (an updated version re-ingested) keeps its earlier
  understanding and is counted as ``skipped``.
* Restarts: the engines keep time-windowed state. A run first *replays* the already-understood articles
  published within :data:`REPLAY_WINDOW` before its first new article, without persisting anything, and
  maps the ids the engines give them (story ids, group ids) to the persisted ones, so new articles join the
  stored stories and groups under their stored ids. A run with nothing new changes nothing.
* Crash safety: a batch's records are one transaction; which articles are done is the presence of their
  rows, and the watermark moves only with the last batch. A process killed mid-run leaves whole batches, and
  the next run continues with the articles that have no row yet.
* Entities and keywords: every new article's entities (title + body) and keywords
  (:mod:`naba.engine.terms`, computed in worker processes while the engines cluster) are written in the
  batch of its understanding row, and each story written gets its top entities and keywords recomputed
  from its articles. Replayed articles are not re-extracted.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Final, Protocol

from naba.dedupe import DedupeResult, DuplicateGroup
from naba.dedupe.index import DEFAULT_WINDOW as DEDUPE_WINDOW
from naba.engine.analysis import analyzed_batches
from naba.engine.progress import Progress
from naba.engine.terms import Terms, TermsPool, collect
from naba.engine.workers import process_pool, worker_count
from naba.store.base import (
    ArticleLog,
    ArticleUnderstanding,
    GroupMergeRow,
    GroupRow,
    StateRow,
    StateStore,
    StoryHead,
    StoryMergeRow,
    StoryMoveRow,
    ThreadLinkRow,
    UnderstandBatch,
    UnderstandingWriter,
)
from naba.store.sqlite import published_timestamp
from naba.stories import StoryMerge, StoryMove, StoryStream, StreamEvent, ThreadLink
from naba.stories.clustering import KEEP_WINDOW
from naba.stories.threads import THREAD_WINDOW
from naba.types import AnalyzedArticle, ArticleId, CopyRow

log = logging.getLogger(__name__)

STATE_UNDERSTAND_SEQ: Final = "understand_seq"
# The engines' longest memory: the dedupe index window, the stories kept for threads and related lists, the
# thread window. Replaying this much before the first new article rebuilds the state the new article sees.
REPLAY_WINDOW: Final = max(DEDUPE_WINDOW, KEEP_WINDOW, THREAD_WINDOW)
# Batches clustered ahead of the one being written (its entities are extracted meanwhile, in workers).
TERMS_LAG: Final = 1


class UnderstandStore(ArticleLog, StateStore, UnderstandingWriter, Protocol):
    """What :func:`understand` needs of a store: the article log (read by change), its watermark, the tables."""


# Stored articles by id → analyzed, in order, in batches (analysis.analyzed_batches, bound to one run).
_Analyze = Callable[[Sequence[ArticleId]], Iterator[list[AnalyzedArticle]]]


@dataclass
class UnderstandReport:
    """What one understand run did."""

    new: int = 0
    replayed: int = 0
    skipped: int = 0
    story_merges: int = 0
    group_merges: int = 0
    thread_links: int = 0
    batches: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    # What the sections projection did after this run (naba.engine.sections.SectionsReport.as_dict).
    sections: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "replayed": self.replayed,
            "skipped": self.skipped,
            "story_merges": self.story_merges,
            "group_merges": self.group_merges,
            "thread_links": self.thread_links,
            "batches": self.batches,
            "seconds": round(self.seconds, 2),
            **({"sections": self.sections} if self.sections else {}),
        }


class _Recorder:
    """Turns stream events into store records, translating replayed engine ids to the persisted ones."""

    def __init__(self, stream: StoryStream) -> None:
        self.stream = stream
        self._story_alias: dict[str, str] = {}
        self._group_alias: dict[str, str] = {}
        self._where: dict[ArticleId, tuple[str | None, str | None]] = {}  # article -> (outlet, url)
        self.totals = (0, 0, 0)  # story merges, group merges, thread links recorded
        self._reset()

    def _reset(self) -> None:
        self._rows: list[ArticleUnderstanding] = []
        self._group_merges: list[GroupMergeRow] = []
        self._story_merges: list[StoryMergeRow] = []
        self._story_moves: list[StoryMoveRow] = []
        self._groups: dict[str, DuplicateGroup] = {}
        self._touched: set[str] = set()
        self._links: list[ThreadLinkRow] = []

    def _story(self, engine_id: str) -> str:
        return self._story_alias.get(engine_id, engine_id)

    def _group(self, engine_id: str) -> str:
        return self._group_alias.get(engine_id, engine_id)

    def replay(self, analyzed: AnalyzedArticle, known: ArticleUnderstanding) -> None:
        article = analyzed.article
        self._where[article.id] = (article.publisher, article.url)
        event = self.stream.add(analyzed)
        self._story_alias.setdefault(event.assignment.story, known.story)
        self._group_alias.setdefault(event.dedupe.record.group, known.dup_group)

    def add(self, analyzed: AnalyzedArticle) -> StreamEvent:
        article = analyzed.article
        self._where[article.id] = (article.publisher, article.url)
        event = self.stream.add(analyzed)
        dedupe, assignment = event.dedupe, event.assignment
        verdict = dedupe.verdict
        self._rows.append(
            ArticleUnderstanding(
                article=article.id,
                dup_group=self._group(dedupe.record.group),
                duplicate_of=verdict.duplicate_of,
                similarity=verdict.similarity,
                method=verdict.method,
                story=self._story(assignment.story),
                story_similarity=assignment.similarity,
                story_method=assignment.method,
                published_ts=published_timestamp(article.published),
            )
        )
        self._record_dedupe(dedupe)
        self._touched.add(assignment.story)
        self._record_stories(event.merges, event.thread_links, event.moves)
        return event

    def _record_dedupe(self, dedupe: DedupeResult) -> None:
        s, g, t = self.totals
        self.totals = (s, g + len(dedupe.merges), t)
        for merge in dedupe.merges:
            self._group_merges.append(GroupMergeRow(self._group(merge.absorbed), self._group(merge.into)))
            self._groups.pop(merge.absorbed, None)
        self._groups[dedupe.group.id] = dedupe.group

    def _record_stories(
        self, merges: Sequence[StoryMerge], links: Sequence[ThreadLink], moves: Sequence[StoryMove] = ()
    ) -> None:
        s, g, t = self.totals
        self.totals = (s + len(merges), g, t + len(links))
        for move in moves:  # a repair split: the article's row follows it, the old link redirects
            self._story_moves.append(
                StoryMoveRow(move.article, self._story(move.from_story), self._story(move.to_story), move.at)
            )
            self._touched.update((move.from_story, move.to_story))
        for m in merges:
            self._story_merges.append(
                StoryMergeRow(self._story(m.absorbed), self._story(m.into), m.similarity, m.at)
            )
            self._touched.add(m.into)
        for link in links:
            self._links.append(ThreadLinkRow(self._story(link.story), self._story(link.to), link.similarity))

    def flush(self) -> None:
        merges, links, moves = self.stream.flush()
        self._record_stories(merges, links, moves)

    def batch(self, state: tuple[StateRow, ...] = ()) -> UnderstandBatch:
        """The records gathered since the previous batch (and resets them)."""
        clusterer = self.stream.stories
        heads = []
        for engine_id in sorted({clusterer.resolve(s) or s for s in self._touched}):
            summary = clusterer.summary(engine_id)
            if summary is not None:
                story = summary.story
                heads.append(
                    StoryHead(self._story(story.id), summary.headline, story.lead_article, story.top_terms)
                )
        groups = tuple(
            GroupRow(self._group(g.id), g.original, tuple(self._copy(m, g.original) for m in g.members))
            for g in self._groups.values()
        )
        batch = UnderstandBatch(
            articles=tuple(self._rows),
            group_merges=tuple(self._group_merges),
            story_merges=tuple(self._story_merges),
            story_moves=tuple(self._story_moves),
            groups=groups,
            stories=tuple(heads),
            thread_links=tuple(self._links),
            state=state,
        )
        self._reset()
        return batch

    def _copy(self, article: ArticleId, original: ArticleId) -> CopyRow:
        outlet, url = self._where.get(article, (None, None))
        return CopyRow(article, outlet, url, article == original)


def understand(
    store: UnderstandStore, settings: Any, analyzer_name: str, progress: Progress | None = None
) -> UnderstandReport:
    """Bring the understanding tables of ``store`` up to it (see the module contract); articles are analyzed
    with ``analyzer_name`` in batches of ``settings.ingest_batch`` by ``settings.ingest_workers`` workers."""
    started = time.monotonic()
    report = UnderstandReport()
    target = store.max_change_seq()
    since = int(store.get_state(STATE_UNDERSTAND_SEQ) or 0)
    if target <= since:
        report.seconds = time.monotonic() - started
        return report
    pending = store.pending_understanding(since)
    state = (StateRow(STATE_UNDERSTAND_SEQ, str(target)),)
    if not pending:
        report.skipped = _changed_since(store, since)
        store.put_understanding(UnderstandBatch(state=state))
        report.seconds = time.monotonic() - started
        return report
    recorder = _Recorder(StoryStream())
    workers = worker_count(settings.ingest_workers)
    # One pool for analysis and entities/keywords: one worker per core instead of a pool of each competing
    # for the cores, and each worker's analyzer cache (token -> stems) serves both kinds of task.
    executor: Executor | None = process_pool(workers) if workers > 1 else None
    terms = TermsPool(workers, executor)
    analyze: _Analyze = partial(
        analyzed_batches,
        store,
        analyzer_name=analyzer_name,
        batch_size=settings.ingest_batch,
        workers=workers,
        executor=executor,
    )
    if progress:
        progress.expect(len(pending))
    try:
        _replay(store, analyze, recorder, pending, report, progress)
        new_ids = [article_id for article_id, _ in pending]
        writer = _Writer(store)
        jobs: list[Future[Terms]] = []
        for analyzed in analyze(new_ids):
            jobs.extend(terms.submit([item.article for item in analyzed]))
            for item in analyzed:
                recorder.add(item)
            report.new += len(analyzed)
            if report.new < len(new_ids):
                writer.put(recorder.batch(), jobs)
                jobs = []
                report.batches += 1
            if progress:
                progress(len(analyzed))
        recorder.flush()
        writer.put(recorder.batch(state), jobs)
        writer.drain()
    finally:
        terms.close()
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    report.batches += 1
    report.skipped = max(0, _changed_since(store, since) - report.new)
    report.story_merges, report.group_merges, report.thread_links = recorder.totals
    report.seconds = time.monotonic() - started
    log.info("understood %d articles (%d replayed) in %.1fs", report.new, report.replayed, report.seconds)
    return report


class _Writer:
    """Writes batches in order, each with its articles' entities and keywords once the workers have them.

    Writing lags :data:`TERMS_LAG` batches behind clustering, so entity extraction of one batch overlaps the
    clustering of the next; a batch and its terms are still one transaction.
    """

    def __init__(self, store: UnderstandingWriter) -> None:
        self._store = store
        self._waiting: deque[tuple[UnderstandBatch, list[Future[Terms]]]] = deque()

    def put(self, batch: UnderstandBatch, jobs: list[Future[Terms]]) -> None:
        self._waiting.append((batch, jobs))
        while len(self._waiting) > TERMS_LAG:
            self._write()

    def drain(self) -> None:
        while self._waiting:
            self._write()

    def _write(self) -> None:
        batch, jobs = self._waiting.popleft()
        entities, keywords = collect(jobs)
        self._store.put_understanding(replace(batch, entities=entities, keywords=keywords))


def _changed_since(store: ArticleLog, since: int) -> int:
    return store.changed_count(since)


def _replay(
    store: UnderstandingWriter,
    analyze: _Analyze,
    recorder: _Recorder,
    pending: Sequence[tuple[ArticleId, float | None]],
    report: UnderstandReport,
    progress: Progress | None,
) -> None:
    """Rebuild the engines' state from the understood articles of the window before the first new one."""
    first = next((ts for _, ts in pending if ts is not None), None)
    if first is None:
        first = store.latest_understood_ts()
    if first is None:
        return
    known = store.understood_since(first - REPLAY_WINDOW.total_seconds())
    if not known:
        return
    by_id = {k.article: k for k in known}
    if progress:  # the window before the new articles is analyzed again first
        progress.expect(len(known) + len(pending))
    for analyzed in analyze([k.article for k in known]):
        for item in analyzed:
            recorder.replay(item, by_id[item.article.id])
        report.replayed += len(analyzed)
        if progress:
            progress(len(analyzed))
