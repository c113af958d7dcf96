"""Hypothesis properties of naba.text: idempotent normalization, offsets into the original, no empty terms."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from naba.text.analyzer import get_analyzer
from naba.text.normalize import normalize

ARABIC_ALPHABET = (
    "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳٫٬٪،؛؟«»"
    "\u200e\u200f\u200b\u200c\u200d\u2066\u2069\u061c"
    "\ufefb\ufe8d\ufdfa\u0653\u0654\u0655"
    " #_.:/-abcXYZ019\n"
)
texts = st.one_of(st.text(alphabet=ARABIC_ALPHABET, max_size=80), st.text(max_size=60))


@settings(max_examples=400)
@given(texts)
def test_normalize_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300)
@given(texts)
def test_token_offsets_map_back(text: str) -> None:
    for t in get_analyzer().tokenize(text):
        assert text[t.start : t.end] == t.surface
        assert t.start < t.end


@settings(max_examples=300)
@given(texts)
def test_terms_never_empty(text: str) -> None:
    a = get_analyzer()
    assert all(a.terms(text))
    assert all(a.phrase_terms(text))
    assert all(term and s < e for term, s, e in a.terms_with_offsets(text))


@given(texts)
def test_one_pass_analysis_equals_separate_calls(text: str) -> None:
    analyzer = get_analyzer()
    assert analyzer.terms_and_phrase_terms(text) == (analyzer.terms(text), analyzer.phrase_terms(text))
