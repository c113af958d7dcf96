"""The sections projection on one real SaudiNewsNet day: labels, training at test time, filters, resuming."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import CORPUS, need_shared

from naba.engine.section_views import section_facets, section_view
from naba.engine.sections import MODEL_NAME, STATE_SECTIONS_SEQ, load_model, train_sections, update_sections
from naba.errors import InputError
from naba.sections import SECTION_KEYS
from naba.sources.files import read_inputs
from naba.store.sqlite import SQLiteStore
from naba.text.analyzer import DEFAULT_ANALYZER

pytestmark = pytest.mark.slow  # one real day ingested and a model trained at test time


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    day = need_shared(CORPUS / "2015-08-02.zip")
    s = SQLiteStore(Path(tmp_path_factory.mktemp("sections")) / "naba.db")
    s.put_many([a for item in read_inputs([day], max_input_bytes=1 << 30) for a in item.articles], "test")
    yield s
    s.close()


def test_labels_every_article_then_trains_on_weak_labels_only(store: SQLiteStore) -> None:
    first = update_sections(store)
    assert first.labeled == store.count()
    assert load_model(store) is None
    # Before a model exists, articles without a publisher label are "other".
    assert set(first.by_source) == {"publisher", "none"}
    report = train_sections(store, DEFAULT_ANALYZER)
    assert report.trained and report.labeled == store.count()
    model = load_model(store)
    assert model is not None and model.trained_on == report.weak_labels
    assert set(model.classes) <= set(SECTION_KEYS)
    rows = store.sections_of([a for a, _ in store.weak_labels()])
    # Publisher labels are kept as they are; the model labels the rest.
    assert {r.source for r in rows.values() if r.weak_signal != "title"} == {"publisher"}
    assert report.by_source.get("model", 0) > report.by_source.get("publisher", 0)
    assert store.model(MODEL_NAME) is not None


def test_nothing_new_means_nothing_to_label(store: SQLiteStore) -> None:
    seq = store.get_state(STATE_SECTIONS_SEQ)
    assert seq == str(store.max_change_seq())
    assert update_sections(store).labeled == 0


def test_section_and_country_filters(store: SQLiteStore) -> None:
    sports = section_view(store, section="sports", limit=30)
    assert sports.section is not None and sports.section.name_ar == "رياضة"
    assert sports.articles and all(a.section == "sports" for a in sports.articles)
    saudi = section_view(store, country="sa", limit=30)
    assert saudi.country == "SA" and all("SA" in a.countries for a in saudi.articles)
    assert sum(c.count for c in saudi.sections) == store.count()
    facets = section_facets(store, [a.id for a in saudi.articles])
    assert sum(f.count for f in facets) == len(saudi.articles)
    with pytest.raises(InputError):
        section_view(store, section="weather")
    with pytest.raises(InputError):
        section_view(store, country="Saudi")
