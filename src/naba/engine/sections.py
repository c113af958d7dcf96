"""The sections projection: every article's section and countries, and the installation's own classifier.

Contract
--------
* :func:`update_sections` labels the articles stored since its watermark (``state`` key ``sections_seq``) with
  :func:`naba.sections.label_article` and writes them in batches of :data:`BATCH`, each with the watermark in
  the same transaction, so a killed run resumes where it stopped.
* :func:`train_sections` (``naba sections train``) fits the classifier on the stored weak labels only (the
  publishers' own signals), keeps it in the store (``section_models``: the installation's model; naba ships
  none), and relabels every article with it (the watermark goes back to 0).
* :func:`sections_after_understand` is what ``naba understand`` runs: label what is new, train the first model
  once :data:`MIN_WEAK_LABELS` weak labels exist, and retrain when they have grown by :data:`RETRAIN_GROWTH`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Protocol

from naba.engine.progress import Progress
from naba.errors import TrainingUnavailable
from naba.sections import label_article
from naba.sections.model import SectionModel, section_terms, train
from naba.store.base import ArticleLog, SectionRow, SectionStore, StateRow, StateStore, StoredModel
from naba.store.sqlite import published_timestamp
from naba.types import ArticleId

log = logging.getLogger(__name__)

STATE_SECTIONS_SEQ: Final = "sections_seq"
MODEL_NAME: Final = "sections"
# Articles labeled per transaction.
BATCH: Final = 2000
# Weak labels needed before the first model is trained: below a few hundred, several sections have a handful
# of examples and the model mostly repeats the outlets that have labels.
MIN_WEAK_LABELS: Final = 300
# Retrain once the weak labels have grown by this factor since the model was trained.
RETRAIN_GROWTH: Final = 1.5


class SectionsLog(ArticleLog, StateStore, SectionStore, Protocol):
    """What the sections projection reads and writes."""


@dataclass
class SectionsReport:
    """What a run did: articles labeled (by where their section came from), weak labels, training."""

    labeled: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    weak_labels: int = 0
    trained_on: int = 0
    trained: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["seconds"] = round(self.seconds, 2)
        return out


def load_model(store: SectionStore) -> SectionModel | None:
    """The installation's trained section model, if it has one."""
    stored = store.model(MODEL_NAME)
    return SectionModel.from_bytes(stored.body) if stored is not None else None


def update_sections(
    store: SectionsLog, *, model: SectionModel | None = None, progress: Progress | None = None
) -> SectionsReport:
    """Label the articles stored since the watermark (see the module contract)."""
    started = time.monotonic()
    report = SectionsReport()
    model = model if model is not None else load_model(store)
    since = int(store.get_state(STATE_SECTIONS_SEQ) or 0)
    if progress:
        progress.expect(store.changed_count(since))
    rows: list[SectionRow] = []
    last = since
    for stored in store.iter_articles(since_seq=since):
        labeled = label_article(stored.article, model)
        rows.append(
            SectionRow(
                article=stored.article.id,
                section=labeled.section,
                source=labeled.source,
                confidence=labeled.confidence,
                weak=labeled.weak.section if labeled.weak else None,
                weak_signal=labeled.weak.signal if labeled.weak else None,
                countries=labeled.countries,
                published_ts=published_timestamp(stored.article.published),
            )
        )
        report.by_source[labeled.source] = report.by_source.get(labeled.source, 0) + 1
        last = stored.change_seq
        if len(rows) >= BATCH:
            store.put_sections(rows, (StateRow(STATE_SECTIONS_SEQ, str(last)),))
            report.labeled += len(rows)
            if progress:
                progress(len(rows))
            rows = []
    if rows or last != since:
        store.put_sections(rows, (StateRow(STATE_SECTIONS_SEQ, str(last)),))
        report.labeled += len(rows)
        if progress:
            progress(len(rows))
    report.weak_labels = len(store.weak_labels())
    report.trained_on = model.trained_on if model is not None else 0
    report.seconds = time.monotonic() - started
    return report


def train_sections(
    store: SectionsLog,
    analyzer_name: str,
    *,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> SectionsReport:
    """Fit the classifier on the stored weak labels, keep it, and relabel every article with it."""
    started = time.monotonic()
    # Weak labels are written by the labeling pass: bring it up to date first.
    update_sections(store)
    weak = store.weak_labels()
    if len(weak) < MIN_WEAK_LABELS:
        raise TrainingUnavailable(
            f"{len(weak)} articles carry a publisher's section label; training needs {MIN_WEAK_LABELS}"
        )
    docs: list[list[str]] = []
    labels: list[str] = []
    for start in range(0, len(weak), BATCH):
        chunk = weak[start : start + BATCH]
        articles = store.get_many([ArticleId(a) for a, _ in chunk])
        for article_id, label in chunk:
            stored = articles.get(article_id)
            if stored is not None:
                docs.append(section_terms(stored.article, analyzer_name))
                labels.append(label)
    model = train(docs, labels, analyzer_name)
    store.put_model(
        StoredModel(MODEL_NAME, model.to_bytes(), model.trained_on, now or dt.datetime.now(dt.UTC))
    )
    store.set_state(STATE_SECTIONS_SEQ, "0")
    report = update_sections(store, model=model, progress=progress)
    report.trained = True
    report.seconds = time.monotonic() - started
    log.info("section model trained on %d weak labels", model.trained_on)
    return report


def sections_after_understand(store: SectionsLog, analyzer_name: str) -> SectionsReport:
    """Label new articles; train the first model, or retrain, when the weak labels call for it."""
    report = update_sections(store)
    model = store.model(MODEL_NAME)
    due = (model is None and report.weak_labels >= MIN_WEAK_LABELS) or (
        model is not None and report.weak_labels >= RETRAIN_GROWTH * model.trained_on
    )
    if not due:
        return report
    try:
        return train_sections(store, analyzer_name)
    except TrainingUnavailable as exc:
        log.warning("sections: not trained: %s", exc)
        return report
