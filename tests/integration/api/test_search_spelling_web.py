"""Spelling as typed through the API and the reader's search page, on the understood real day of this folder's
fixtures (2015-08-02): «وزاره الصحه», «مستشفي», «هييه» find what «وزارة الصحة», «مستشفى», «هيئة» find, folded
and counted alike (issue 13; the engine and the CLI: ``tests/integration/test_search_spelling.py``)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

PAIRS = [
    ("وزاره الصحه", "وزارة الصحة"),
    ("مستشفي", "مستشفى"),
    ("هييه", "هيئة"),
    ("رييس الوزرا", "رئيس الوزراء"),
]
_HIT_LINK = re.compile(r'<article class="card card--hit">\s*<h3 class="card__title"><a href="([^"]+)"')


@pytest.mark.parametrize(("typed", "correct"), PAIRS, ids=[c for _, c in PAIRS])
def test_api_search_reads_a_typed_query_as_the_correct_spelling(
    api: TestClient, typed: str, correct: str
) -> None:
    def found(q: str) -> tuple[int, list[str], list[list[str]], object]:
        body = api.get("/api/v1/search", params={"q": q, "limit": 20}).json()
        hits = [h["article"]["id"] for h in body["hits"]]
        also = [[a["id"] for a in h["also_from"]] for h in body["hits"]]
        return body["total"], hits, also, body["facets_outlets"]

    right = found(correct)
    assert right[0] > 0 and right[1]
    assert found(typed) == right


@pytest.mark.parametrize(("typed", "correct"), PAIRS, ids=[c for _, c in PAIRS])
def test_reader_search_page_lists_the_same_results(api: TestClient, typed: str, correct: str) -> None:
    def links(q: str) -> list[str]:
        page = api.get("/search", params={"q": q})
        assert page.status_code == 200
        return _HIT_LINK.findall(page.text)

    right = links(correct)
    assert right
    assert links(typed) == right
