"""Spelling as typed, on one real SaudiNewsNet day (2015-08-02, 1,314 articles) ingested: a query typed the
way readers type it — ه for a final ة, ي for ى, the hamza dropped — finds the same articles as the correct
spelling, in the engine, in ``naba search --json`` (issue 13); the API and the reader's page are checked on
the same day in ``tests/integration/api/test_search_spelling_web.py``."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import SHARED, need_shared

from naba.cli import main
from naba.config import load_settings
from naba.engine.naba import Naba
from naba.types import SearchQuery

# (typed, correct): each pair finds articles on 2015-08-02.
TYPED = [
    ("الرياضه", "الرياضة"),  # ه for ة
    ("وزاره الصحه", "وزارة الصحة"),
    ("المملكه العربيه السعوديه", "المملكة العربية السعودية"),
    ("الامريكيه", "الأمريكية"),  # ه for ة, no hamza on the alef
    ("مستشفي", "مستشفى"),  # ي for ى
    ("الشوري", "الشورى"),
    ("هييه", "هيئة"),  # no hamza seat, ه for ة
    ("مسوول", "مسؤول"),
    ("الطايره", "الطائرة"),
    ("رييس الوزرا", "رئيس الوزراء"),  # no seat, no final hamza
    ("شاطي", "شاطئ"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, one_day_zip: Path) -> str:
    path = str(tmp_path_factory.mktemp("spelling") / "naba.db")
    with Naba.open(load_settings({"db": path, "ingest_workers": 1}, environ={})) as engine:
        engine.ingest([one_day_zip])
    return path


@pytest.fixture(scope="module")
def naba(db: str) -> Iterator[Naba]:
    with Naba.open(load_settings({"db": db}, environ={})) as engine:
        yield engine


def ids(naba: Naba, text: str, limit: int = 10) -> tuple[list[str], int]:
    found = naba.search(SearchQuery(text, limit=limit), highlight=False)
    return [h.article.id for h in found.hits], found.total


@pytest.mark.parametrize(("typed", "correct"), TYPED, ids=[c for _, c in TYPED])
def test_a_word_typed_as_readers_type_it_finds_what_the_correct_spelling_finds(
    naba: Naba, typed: str, correct: str
) -> None:
    right, right_total = ids(naba, correct)
    assert right_total > 0
    assert ids(naba, typed) == (right, right_total)


def test_the_correct_spelling_is_highlighted_in_what_a_typed_query_finds(naba: Naba) -> None:
    hits = naba.search(SearchQuery("الرياضه", limit=5)).hits
    marked = [s.text for h in hits for s in (*h.title_spans, *h.snippet_spans) if s.highlighted]
    assert any("رياضة" in m for m in marked), marked


def typed(query: str, *, hamza: bool) -> str:
    """The query as readers type it: ه for ة, ي for ى, and (``hamza``) the hamza seats dropped."""
    out = query.replace("ة", "ه").replace("ى", "ي")
    if hamza:
        out = re.sub("[أإآ]", "ا", out).replace("ئ", "ي").replace("ؤ", "و")
    return out


def overlap(a: list[str], b: list[str]) -> float:
    return len(set(a) & set(b)) / max(len(a), len(b)) if a or b else 1.0


@pytest.mark.parametrize("hamza", [False, True], ids=["teh-marbuta-and-yeh", "also-without-hamza"])
def test_dev_queries_typed_as_readers_type_rank_like_the_correct_spelling(naba: Naba, hamza: bool) -> None:
    path = need_shared(SHARED / "eval" / "queries-dev.tsv")
    with path.open(encoding="utf-8") as f:
        queries = [row["query"] for row in csv.DictReader(f, delimiter="\t")]
    for query in queries:
        variant = typed(query, hamza=hamza)
        assert overlap(ids(naba, query)[0], ids(naba, variant)[0]) >= 0.9, (query, variant)


def test_teh_marbuta_typed_as_heh_does_not_drift_to_other_roots(naba: Naba) -> None:
    # Issue 13: «الامريكيه» filled its page with الأمير / الإمارات articles.
    hits = naba.search(SearchQuery("الامريكيه", limit=10)).hits
    assert hits
    for hit in hits:
        marked = " ".join(s.text for s in (*hit.title_spans, *hit.snippet_spans) if s.highlighted)
        assert re.search("[اأ]م[ي]?ري?ك", marked), marked


def test_cli_search_reads_a_typed_query_as_the_correct_spelling(db: str) -> None:
    def hits(text: str) -> tuple[int, list[str]]:
        result = CliRunner().invoke(
            main, ["--db", db, "search", text, "--json", "--limit", "10"], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return data["total"], [h["article"]["id"] for h in data["hits"]]

    assert hits("وزاره الصحه") == hits("وزارة الصحة")
    assert hits("وزارة الصحة")[0] > 0
