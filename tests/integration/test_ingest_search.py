"""End to end on real Arabic news (one SaudiNewsNet day): ingest, idempotence, search, highlights, filters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.types import SearchQuery


@pytest.fixture(scope="module")
def naba(tmp_path_factory: pytest.TempPathFactory, one_day_zip: Path) -> Iterator[Naba]:
    db = tmp_path_factory.mktemp("ingest") / "naba.db"
    settings = load_settings({"db": str(db), "ingest_workers": 2}, environ={})
    with Naba.open(settings) as engine:
        report = engine.ingest([one_day_zip])
        assert report.stored == report.read > 1200
        yield engine


def test_reingest_changes_nothing(naba: Naba, one_day_zip: Path) -> None:
    before = naba.store.max_change_seq()
    report = naba.ingest([one_day_zip])
    assert report.stored == report.updated == 0
    assert report.unchanged == report.read
    assert naba.store.max_change_seq() == before
    assert naba.index.count() == naba.store.count()


def test_spelling_variants_match_and_highlights_show_the_original(naba: Naba) -> None:
    results = naba.search(SearchQuery("الأمريكية", limit=50))
    highlighted = {
        s.text for hit in results.hits for s in (*hit.title_spans, *hit.snippet_spans) if s.highlighted
    }
    assert "الأميركية" in highlighted or "الأميركي" in highlighted
    assert any(h.startswith("الأمريكي") for h in highlighted)
    for hit in results.hits:
        title = "".join(s.text for s in hit.title_spans)
        assert title == hit.article.title  # spans are cut from the original text, nothing rewritten


def test_quoted_phrase_needs_consecutive_tokens(naba: Naba) -> None:
    phrase = naba.search(SearchQuery('"خادم الحرمين الشريفين"', limit=100))
    assert phrase.total > 0
    for hit in phrase.hits[:20]:
        assert any(s.highlighted for s in (*hit.title_spans, *hit.snippet_spans))
    reversed_words = naba.search(SearchQuery('"الشريفين الحرمين خادم"', limit=10))
    assert reversed_words.total < phrase.total


def test_phrase_is_not_stemmed(naba: Naba) -> None:
    loose = naba.search(SearchQuery("المملكة", limit=1)).total
    exact = naba.search(SearchQuery('"المملكة"', limit=1)).total
    assert 0 < exact <= loose


def test_filters_by_source_and_date(naba: Naba) -> None:
    everything = naba.search(SearchQuery("الرياض", limit=10))
    sabq = naba.search(SearchQuery("الرياض", sources=("sabq",), limit=50))
    assert 0 < sabq.total < everything.total
    assert {h.article.publisher for h in sabq.hits} == {"sabq"}
    day = dt.date(2015, 8, 2)
    none = naba.search(SearchQuery("الرياض", date_from=day + dt.timedelta(days=5), limit=5))
    assert none.total == 0
    dated = naba.search(SearchQuery("الرياض", date_from=day, date_to=day, limit=50))
    assert dated.total > 0


def test_pagination_is_disjoint_and_ordered(naba: Naba) -> None:
    page1 = naba.search(SearchQuery("وزير", limit=10, offset=0))
    page2 = naba.search(SearchQuery("وزير", limit=10, offset=10))
    ids1, ids2 = {h.article.id for h in page1.hits}, {h.article.id for h in page2.hits}
    assert len(ids1) == len(ids2) == 10 and not ids1 & ids2
    assert page1.hits[-1].score >= page2.hits[0].score
    assert page1.total == page2.total


def test_title_matches_rank_first(naba: Naba) -> None:
    results = naba.search(SearchQuery("هزازي", limit=3))
    assert "هزازي" in results.hits[0].article.title


def test_changed_article_is_updated_and_previous_version_kept(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.jsonl"
    record = {"url": "https://ex.sa/1", "title": "عنوان أول", "body_paragraphs": ["نص قديم عن الميزانية."]}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    with Naba.open(settings) as engine:
        engine.ingest([path])
        path.write_text(
            json.dumps(dict(record, body_paragraphs=["نص جديد عن الميزانية."]), ensure_ascii=False)
        )
        report = engine.ingest([path])
        assert report.updated == 1
        [old] = engine.store.versions(engine.store.latest(limit=1)[0].article.id)
        assert old.body_paragraphs == ("نص قديم عن الميزانية.",)
        assert engine.search(SearchQuery('"نص جديد"')).total == 1
        assert engine.search(SearchQuery('"نص قديم"')).total == 0


def test_analyzer_change_rebuilds_the_index(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"url": "https://ex.sa/1", "title": "الأمطار", "body_paragraphs": ["نص"]}))
    with Naba.open(settings) as engine:
        engine.ingest([path])
        engine.store.set_state("search_index_analyzer", "ar-search-v0")
    with Naba.open(dataclasses.replace(settings)) as engine:
        assert engine.index_is_current()
        assert engine.index.count() == 1
