"""The search index as a projection of the store, kept in step through a watermark.

Contract
--------
* The store is the log: every stored or updated article gets the next ``change_seq``, allocated inside its
  write transaction (:mod:`naba.store.sqlite`). The index records in the store's state table the
  ``change_seq`` up to which it is committed (``search_index_seq``) and the analyzer it was built with
  (``search_index_analyzer``).
* :meth:`SearchIndexProjection.sync` indexes what was committed after the watermark, in chunks of
  :data:`_INDEX_COMMIT_EVERY` articles, moving the watermark with each index commit; a process killed at any
  point leaves an index that the next sync brings up to date. A changed analyzer rebuilds the whole index.
* One process at a time writes the index (tantivy allows one writer): the writer holds a crash-safe lease
  (:class:`naba.store.leases.Lease`). The others either wait for it (ingest: its rows must be searchable
  when it returns) or leave the work to its holder (readers, the watch loop).
* The index itself (a folder next to the database) is opened on first use, so commands that only read the
  store never create it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from naba.engine.analysis import AnalysisPool
from naba.engine.progress import Progress
from naba.engine.workers import worker_count
from naba.search.base import SearchIndex
from naba.search.tantivy_index import TantivyIndex
from naba.store.base import ArticleLog, StateStore, StoredArticle
from naba.store.leases import ExclusiveLease, Lease
from naba.types import AnalyzedArticle, Article

log = logging.getLogger(__name__)

_STATE_INDEX_SEQ = "search_index_seq"
_STATE_INDEX_ANALYZER = "search_index_analyzer"
# Articles indexed between two index commits when catching up or rebuilding.
_INDEX_COMMIT_EVERY = 20_000


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


class IndexedLog(ArticleLog, StateStore, Protocol):
    """What the index projection needs of a store: the article log read by change, and its watermark."""


class SearchIndexProjection:
    """The search index of one database, with its watermark and its writer lease (see the module contract)."""

    def __init__(
        self,
        settings: Any,
        store: IndexedLog,
        analyzer_name: str,
        index: SearchIndex | None = None,
        *,
        lease: ExclusiveLease | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self.analyzer_name = analyzer_name
        self._index = index
        self._opening = threading.Lock()
        self._lease: ExclusiveLease = lease or Lease(
            Path(str(settings.index_path) + ".lock"), "search index writer"
        )
        self._seen_seq = -1

    @property
    def index(self) -> SearchIndex:
        """The index, opened (and created) on first use."""
        with self._opening:
            if self._index is None:
                self._index = TantivyIndex(
                    self._settings.index_path,
                    analyzer=self._settings.analyzer,
                    title_boost=self._settings.title_boost,
                )
            return self._index

    def is_current(self) -> bool:
        """Whether the index was built with this projection's analyzer."""
        return self._store.get_state(_STATE_INDEX_ANALYZER) == self.analyzer_name

    def seq(self) -> int:
        """The store's ``change_seq`` up to which the search index is committed."""
        return int(self._store.get_state(_STATE_INDEX_SEQ) or 0)

    def analyzer_state(self) -> str | None:
        """The analyzer the index was built with, as the store records it."""
        return self._store.get_state(_STATE_INDEX_ANALYZER)

    def sync(self, progress: Progress | None = None, *, wait: bool = True) -> int:
        """Bring the index up to the store; rebuilds it when the analyzer changed. Returns articles indexed.

        ``wait=False``: when another process is writing the index, return 0 at once (it catches up).
        """
        with self._lease.hold(wait=wait) as held:
            if not held:
                return 0
            if not self.is_current():
                if self._store.count():
                    log.info(
                        "search index was built with another analyzer: rebuilding with %s", self.analyzer_name
                    )
                done = self._rebuild(progress)
            else:
                # One pass up to what is committed now: a writer that commits meanwhile waits for the lease
                # and indexes its own rows; a pass that chased every later commit might never end.
                done = self._index_since(self.seq(), progress)
        self.reload_if_moved()
        return done

    def rebuild(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the database (waits for the writer lease)."""
        with self._lease.hold():
            done = self._rebuild(progress)
        self.reload_if_moved()
        return done

    def reload_if_moved(self) -> None:
        """Let this process's searcher see what another process committed to the index since it looked."""
        seq = self.seq()
        if seq != self._seen_seq:
            self.index.reload()
            self._seen_seq = seq

    def close(self) -> None:
        if self._index is not None:
            self._index.close()

    def _rebuild(self, progress: Progress | None) -> int:
        self.index.clear()
        self._store.set_state(_STATE_INDEX_SEQ, "0")
        self._store.set_state(_STATE_INDEX_ANALYZER, self.analyzer_name)
        return self._index_since(0, progress)

    def _index_since(self, since: int, progress: Progress | None) -> int:
        if progress:
            progress.expect(self._store.changed_count(since))
        analysis = AnalysisPool(self.analyzer_name, worker_count(self._settings.ingest_workers))
        done = 0
        try:
            chunks = _chunks(self._store.iter_articles(since_seq=since), self._settings.ingest_batch)
            for last_seq, batches in chunks:
                for batch in batches:
                    done += self._index_batches(analysis.submit(batch), progress)
                done += self._index_batches(analysis.drain(), progress)
                self._commit_until(last_seq)
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

    def _commit_until(self, seq: int | None) -> None:
        self.index.commit()
        if seq is not None:
            self._store.set_state(_STATE_INDEX_SEQ, str(seq))
