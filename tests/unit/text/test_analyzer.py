"""The analyzer API the rest of naba calls."""

from __future__ import annotations

import pytest

from naba.text.analyzer import DEFAULT_ANALYZER, PRESETS, get_analyzer


def test_default_preset() -> None:
    assert DEFAULT_ANALYZER == "ar-search-v1"
    a = get_analyzer(DEFAULT_ANALYZER)
    assert a.name == "ar-search-v1"
    assert get_analyzer() is a
    assert DEFAULT_ANALYZER in PRESETS


def test_unknown_preset() -> None:
    with pytest.raises(KeyError, match="ar-search-v1"):
        get_analyzer("nope")


def test_terms() -> None:
    a = get_analyzer()
    # Stopwords dropped; long words give their stem and their root; Eastern digits folded.
    assert a.terms("أكد المساعدات إلى المستشفيات في ٢٠١٥") == [
        "اكد",
        "مساعد",
        "√سعد",
        "مستشف",
        "√شفي",
        "2015",
    ]
    assert a.terms("#السعودية_تنتصر") == ["سعود", "√سعد", "تنتصر", "√نصر"]
    assert a.terms("") == []


def test_search_form_matches_index_form() -> None:
    a = get_analyzer()
    assert set(a.terms("الأمريكية")) <= set(a.terms("قالت الخارجية الأميركية"))


def test_phrase_terms_keep_stopwords_and_positions() -> None:
    a = get_analyzer()
    assert a.phrase_terms("وصل وزير الصحة إلى الرياض") == ["وصل", "وزير", "الصحه", "الي", "الرياض"]
    assert a.phrase_terms("#عاجل_الآن") == ["عاجل", "الان"]


def test_terms_with_offsets_point_into_original() -> None:
    a = get_analyzer()
    text = "أكد الأميركيُّ في www.spa.gov.sa"
    out = a.terms_with_offsets(text)
    assert [term for term, _, _ in out] == a.terms(text)
    assert [text[s:e] for _, s, e in out] == ["أكد", "الأميركيُّ", "www.spa.gov.sa"]


def test_cache_gives_same_result() -> None:
    a = get_analyzer()
    text = "والمساعدات الإنسانية " * 3
    assert a.terms(text) == a.terms(text)
