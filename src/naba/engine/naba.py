"""The engine on one database: :class:`Naba` composes the stages with the store.

:class:`Naba` is the one object the CLI, the reader and the evaluations open (:meth:`Naba.open`). The SQLite
store is the source of truth and the log; the search index (:mod:`naba.engine.index`) and the understanding
tables (:mod:`naba.engine.understand`) are projections of it, each with a watermark (the store's highest
``change_seq`` it has caught up to), so a process killed at any point leaves a consistent database and the
next run brings each projection up to date.

Error policy per run (setting ``error_policy``): see :mod:`naba.engine.ingest`.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from naba.engine.index import SearchIndexProjection
from naba.engine.ingest import IngestReport, store_items
from naba.engine.progress import Progress
from naba.engine.sections import SectionsReport, sections_after_understand, train_sections, update_sections
from naba.engine.understand import STATE_UNDERSTAND_SEQ, UnderstandReport, understand
from naba.errors import ConfigError, NabaError, ReadOnlyError, SearchError
from naba.search.base import SearchIndex
from naba.search.service import SearchService
from naba.sources.locations import expand_locations, read_locations
from naba.store.access import AccessHandle, AccessStore
from naba.store.backends import display, is_postgres, lease_for, open_store
from naba.store.base import Store
from naba.store.leases import ExclusiveLease
from naba.store.sqlite import SQLiteStore
from naba.text.analyzer import get_analyzer
from naba.types import InputItem, SearchQuery, SearchResults

log = logging.getLogger(__name__)


class Naba:
    """The engine on one database: ingest, index, understand, search."""

    def __init__(
        self,
        settings: Any,
        store: Store,
        index: SearchIndex | None = None,
        *,
        index_lease: ExclusiveLease | None = None,
        access: AccessStore | Callable[[], AccessHandle] | None = None,
    ) -> None:
        """``index``: an open search index, else the tantivy folder of ``settings``, opened on first use;
        ``index_lease``: who may write it (else a lease file beside the folder); ``access``: the API's tables
        (tokens, saved searches, webhooks), or how to open them on first use, when the store keeps them."""
        self.settings = settings
        self.store = store
        # Either the API's tables themselves, or how to open a writable connection to them on first use.
        self._access: AccessStore | None = None if callable(access) else access
        self._open_access = access if callable(access) else None
        self._opened_access: AccessHandle | None = None
        self._access_lock = threading.Lock()
        self.analyzer = get_analyzer(settings.analyzer)
        self.search_index = SearchIndexProjection(
            settings, store, self.analyzer.name, index, lease=index_lease
        )

    @classmethod
    def open(
        cls, settings: Any, *, sync_index: bool = True, wait: bool = True, read_only: bool = False
    ) -> Self:
        """Open the database of ``settings`` (the one way to open it); ``sync_index`` catches the index up
        (waiting for the index writer, or with ``wait=False`` leaving it to the process that holds it).
        ``read_only``: a reader's connection (the reader's pages, read commands), which never takes the
        write lock, so it neither waits for writers nor makes them wait (SQLite in WAL mode), and never
        migrates.

        ``settings.db`` is a SQLite file or a ``postgresql://`` URL (:mod:`naba.store.backends`). On
        PostgreSQL the search projection lives in the same database (:mod:`naba.search.postgres`) and its
        writer lease is an advisory lock; a read-only handle's sessions are read-only transactions. Both
        stores keep the API's tables (:attr:`access`)."""
        store = open_store(settings.db, read_only=read_only)
        if is_postgres(settings.db):
            from naba.search.postgres import PostgresSearchIndex
            from naba.store.postgres import PostgresStore

            assert isinstance(store, PostgresStore)
            index = PostgresSearchIndex(
                store.db, analyzer=settings.analyzer, title_boost=settings.title_boost
            )
            # As on SQLite: a reader's sessions stay read-only; the API's rare writes get a small pool of
            # their own on first use (on a read replica the server refuses them: a ReadOnlyError, 503).
            naba = cls(
                settings,
                store,
                index,
                index_lease=lease_for(settings.db, "index", "search index writer"),
                access=(lambda: PostgresStore(settings.db, pool_size=2)) if read_only else store,
            )
        elif read_only:
            # The reader's connection stays read-only; the API's rare writes (a saved search, a token) get
            # their own writable connection, opened on first use.
            naba = cls(settings, store, access=lambda: SQLiteStore(settings.db))
        else:
            assert isinstance(store, SQLiteStore)
            naba = cls(settings, store, access=store)
        if sync_index:
            naba.sync_index(wait=wait)
        return naba

    @property
    def access(self) -> AccessStore:
        """The API's tables: tokens, saved searches, webhooks and their deliveries."""
        with self._access_lock:  # request handlers run on several threads: one handle, opened once
            if self._access is None and self._open_access is not None:
                self._opened_access = self._open_access()
                self._access = self._opened_access
        if self._access is None:
            raise ConfigError("this store keeps no API tables (tokens, saved searches, webhooks) yet")
        return self._access

    @property
    def index(self) -> SearchIndex:
        """The search index (opened on first use: commands that only read the store never create it)."""
        return self.search_index.index

    # -- index upkeep (naba.engine.index) ---------------------------------------------------------------
    def index_is_current(self) -> bool:
        return self.search_index.is_current()

    def index_seq(self) -> int:
        """The store's ``change_seq`` up to which the search index is committed."""
        return self.search_index.seq()

    def sync_index(self, progress: Progress | None = None, *, wait: bool = True) -> int:
        """Bring the index up to the store; rebuilds it when the analyzer changed. Returns articles indexed.

        ``wait=False``: when another process is writing the index, return 0 at once (it catches up).
        """
        return self.search_index.sync(progress, wait=wait)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the database."""
        return self.search_index.rebuild(progress)

    # -- ingest (naba.engine.ingest) ----------------------------------------------------------------------
    def ingest(
        self, paths: Iterable[str | Path], progress: Progress | None = None, *, warc_filter: Any = None
    ) -> IngestReport:
        """Read inputs (local paths, WARC URLs, path lists: :mod:`naba.sources.locations`), store new and
        changed articles, index them. Idempotent.

        ``warc_filter`` (:class:`naba.sources.warc.WarcFilter`) selects the records of WARC archives.
        """
        locations, failures = expand_locations(paths, folders=False)
        items = read_locations(
            locations, max_input_bytes=self.settings.max_input_bytes, warc_filter=warc_filter
        )
        return self.ingest_items(itertools.chain(failures, items), progress)

    def ingest_items(
        self, items: Iterable[InputItem], progress: Progress | None = None, *, index: bool = True
    ) -> IngestReport:
        """Store the articles of ``items`` (from files, fetches, WARC records) and index them. Idempotent.

        ``index=False`` leaves the index to a later :meth:`sync_index` (a poll loop indexes once per round).
        """
        started = time.monotonic()
        report = store_items(
            self.store,
            items,
            analyzer_name=self.analyzer.name,
            batch_size=self.settings.ingest_batch,
            error_policy=self.settings.error_policy,
            progress=progress,
        )
        if index:
            try:
                self.sync_index(progress)
            except SearchError as exc:
                # The rows are committed: the index follows them by its watermark on the next sync.
                log.warning("stored; the search index will catch up on the next run: %s", exc)
        report.seconds = time.monotonic() - started
        return report

    # -- understanding (naba.engine.understand) -------------------------------------------------------------
    def understand(self, progress: Progress | None = None) -> UnderstandReport:
        """Duplicates, stories, threads, entities and keywords of the articles stored since the last run."""
        # Two runs at once would both cluster the same new articles; the second waits, then finds little.
        with lease_for(self.settings.db, "understand", "understanding run").hold():
            report = understand(self.store, self.settings, self.analyzer.name, progress)
            # Sections and countries of the new articles; the first model is trained (or retrained) when the
            # publishers' weak labels call for it (naba.engine.sections).
            report.sections = sections_after_understand(self.store, self.analyzer.name).as_dict()
            return report

    def train_sections(self, progress: Progress | None = None) -> SectionsReport:
        """Fit the installation's section classifier on the weak labels and relabel every article."""
        with lease_for(self.settings.db, "understand", "understanding run").hold():
            return train_sections(self.store, self.analyzer.name, progress=progress)

    def update_sections(self, progress: Progress | None = None) -> SectionsReport:
        """Label the articles stored since the sections watermark (with the trained model, if any)."""
        with lease_for(self.settings.db, "understand", "understanding run").hold():
            return update_sections(self.store, progress=progress)

    # -- search ---------------------------------------------------------------------------------------
    def search(self, query: SearchQuery, *, highlight: bool = True) -> SearchResults:
        if not self.index_is_current() and self.store.count():
            raise SearchError("the search index is out of date; run `naba reindex`")
        self.search_index.reload_if_moved()
        return SearchService(self.store, self.index, self.analyzer).search(query, highlight=highlight)

    def stats(self) -> dict[str, Any]:
        """What the database and its projections hold, and how far each projection lags the store."""
        counts = self.store.counts()
        understand_seq = int(self.store.get_state(STATE_UNDERSTAND_SEQ) or 0)
        return {
            "db": display(self.settings.db),
            **counts,
            "index_seq": self.index_seq(),
            "index_docs": self.index.count(),
            "index_lag": counts["change_seq"] - self.index_seq(),
            "understand_seq": understand_seq,
            "understand_lag": counts["change_seq"] - understand_seq,
            "index_analyzer": self.search_index.analyzer_state(),
        }

    # -- lifecycle ------------------------------------------------------------------------------------
    def close(self) -> None:
        self.search_index.close()
        self.store.close()
        if self._opened_access is not None:
            self._opened_access.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class IndexFollower:
    """Keeps the search index up with a database other processes write to (``naba serve`` runs one).

    A thread with its own connection and index handle: every ``every`` seconds it indexes what was committed
    since the index's watermark, unless another process holds the index writer (which catches up itself).
    The reader's own :class:`Naba` reloads its searcher when the watermark moves. ``naba serve`` starts none
    on a database that refuses writes (:meth:`naba.store.base.Store.write_refusal`); one that starts refusing
    while it runs (a failover) stops it, with one line in the log.
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

    def join(self) -> None:
        """Wait for the thread to end by itself (it does when the database refuses its writes)."""
        self._thread.join()

    def _run(self) -> None:
        try:
            naba = Naba.open(self._settings, sync_index=False)
        except NabaError as exc:  # e.g. a writer's handle refused (a replica): said once, the reader serves on
            log.warning("the search index is not followed here: %s", exc)
            return
        try:
            while not self._stop.is_set():
                try:
                    naba.sync_index(wait=False)
                except ReadOnlyError as exc:  # the database turned read-only (a failover): said once, then left
                    log.warning("the search index is no longer followed here: %s", exc)
                    return
                except NabaError as exc:  # logged and retried: a reader must keep serving
                    log.warning("catching up the search index failed: %s", exc)
                self._stop.wait(self._every)
        finally:
            naba.close()
