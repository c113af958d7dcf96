"""Ingest: input items (from files, fetches, WARC records, polls) → new and changed articles in the store.

Contract
--------
* :func:`store_items` stores the articles of a stream of :class:`~naba.sources.inputs.InputItem` in
  transactions of ``ingest_batch`` articles (:meth:`naba.store.base.ArticleLog.put_many`: upsert by id,
  previous versions kept). Idempotent: the first copy of an identity in one run wins, later copies are
  skipped, and re-ingesting the same input changes nothing.
* Error policy per run (setting ``error_policy``): ``raise`` stops at the first bad input, ``record`` logs
  it and keeps a row for ``naba failures``, ``skip`` only logs it. Either way it is counted in the report.
* Indexing is not done here: the engine (:meth:`naba.engine.naba.Naba.ingest_items`) brings the search
  index up to the store afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from naba.engine.progress import Progress
from naba.errors import InputError
from naba.store.base import ArticleLog, FailureLog
from naba.types import Article, ArticleId, InputItem, StageFailure, StoreOutcome

log = logging.getLogger(__name__)

# Failures kept in one report (all of them are counted, and recorded under the ``record`` policy).
_REPORTED_FAILURES = 100


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


class IngestLog(ArticleLog, FailureLog, Protocol):
    """What ingest needs of a store: the article log to write and the failure log."""


def store_items(
    store: IngestLog,
    items: Iterable[InputItem],
    *,
    analyzer_name: str,
    batch_size: int,
    error_policy: str,
    progress: Progress | None = None,
) -> IngestReport:
    """Store the articles of ``items`` (see the module contract); ``seconds`` is left to the caller."""
    report = IngestReport()
    seen: dict[ArticleId, str] = {}
    batch: list[Article] = []
    for item in items:
        batch.extend(_accept(store, item, seen, report, error_policy))
        if progress:
            progress(len(item.articles) or 1)
        if len(batch) >= batch_size:
            _store_batch(store, batch, analyzer_name, report)
            batch = []
    if batch:
        _store_batch(store, batch, analyzer_name, report)
    return report


def _accept(
    store: IngestLog, item: InputItem, seen: dict[ArticleId, str], report: IngestReport, policy: str
) -> list[Article]:
    if item.failure is not None:
        _fail(store, item.failure, report, policy)
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


def _fail(store: IngestLog, failure: StageFailure, report: IngestReport, policy: str) -> None:
    report.failed += 1
    if len(report.failures) < _REPORTED_FAILURES:
        report.failures.append(failure)
    # Recorded failures are listed by `naba failures` and counted in the run's summary; only skips
    # have nowhere else to be seen, so only they are logged as warnings.
    level = logging.INFO if policy == "record" else logging.WARNING
    log.log(level, "%s: %s: %s", failure.location, failure.error_type, failure.message)
    if policy == "raise":
        raise InputError(failure.message, location=failure.location, stage=failure.stage)
    if policy == "record":
        store.record_failures([failure])


def _store_batch(store: IngestLog, batch: list[Article], analyzer_name: str, report: IngestReport) -> None:
    for outcome in store.put_many(batch, analyzer_name):
        if outcome is StoreOutcome.STORED:
            report.stored += 1
        elif outcome is StoreOutcome.UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1
