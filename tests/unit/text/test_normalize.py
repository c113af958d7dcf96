"""Golden table for the search normalization and each named step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from naba.text import normalize as n
from naba.text.analyzer import get_analyzer

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"

CASES = [
    ("إقرأ أيضاً", "اقرا ايضا"),  # hamza alef + tanween
    ("الملحّة", "الملحه"),  # shadda, teh marbuta
    ("وسُلّمت", "وسلمت"),
    ("أإآٱ", "اااا"),
    ("الدورى", "الدوري"),  # alef maqsura
    ("العـــربية", "العربيه"),  # tatweel
    ("٢٠١٥ ۳٫۵ ٪", "2015 3.5 %"),  # Eastern / Persian digits
    ("نعم،لا؛ماذا؟«قال»", 'نعم,لا;ماذا?"قال"'),
    ("ترامب\u200f \u200eبوتين\u200b\u2066x\u2069\u061c", "ترامب بوتينx"),
    ("\ufefb", "لا"),  # presentation form lam-alef ligature
    ("\ufe8d\ufedf\ufecc\ufeae\ufe91", "العرب"),  # presentation forms
    ("Saudi ARAMCO", "saudi aramco"),
    ("مُهاجِراً", "مهاجرا"),
    ("ا\u0653", "ا"),  # decomposed madda composes to آ then folds
    ("القُرْآنُ", "القران"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_golden(raw: str, expected: str) -> None:
    assert n.normalize(raw) == expected


@pytest.mark.parametrize(("raw", "_expected"), CASES)
def test_stepwise_equals_fast_path(raw: str, _expected: str) -> None:
    assert n.normalize_stepwise(raw) == n.normalize(raw)


@pytest.mark.parametrize(
    ("step", "raw", "expected"),
    [
        (n.strip_diacritics, "كَتَبَ", "كتب"),
        (n.strip_diacritics, "ـعـ", "ع"),
        (n.strip_invisible, "a\u200eb\u200fc", "abc"),
        (n.fold_alef, "أحمد إلى آمن", "احمد الى امن"),
        (n.fold_alef_maqsura, "مصطفى", "مصطفي"),
        (n.fold_teh_marbuta, "مدرسة", "مدرسه"),
        (n.fold_digits, "١٢٣", "123"),
        (n.map_punctuation, "،؛؟", ",;?"),
        (n.nfkc, "\ufefb", "\u0644\u0627"),
    ],
)
def test_named_steps(step: n.Step, raw: str, expected: str) -> None:
    assert step(raw) == expected


def test_steps_are_named_and_ordered() -> None:
    names = [name for name, _ in n.STEPS]
    assert names[0] == "nfkc"
    assert {"strip_diacritics", "fold_alef", "fold_teh_marbuta", "fold_digits"} <= set(names)


def test_seed_normalization_must_fold() -> None:
    """Every pair in the seed's ``normalization_must_fold`` is one search form (normalize + variant folding)."""
    expected = json.loads((SHARED / "seed" / "seed-page.expected.json").read_text(encoding="utf-8"))
    pairs = expected["normalization_must_fold"]
    assert pairs
    analyzer = get_analyzer()
    for a, b in pairs:
        assert analyzer.terms(a) == analyzer.terms(b), (a, b)


def test_seed_orthographic_pairs_normalize_equal() -> None:
    """Pairs that differ only in diacritics/hamza/tatweel are equal under normalize() itself."""
    expected = json.loads((SHARED / "seed" / "seed-page.expected.json").read_text(encoding="utf-8"))
    for a, b in expected["normalization_must_fold"]:
        if "ير" in n.normalize(a) and "ري" in n.normalize(b):
            continue  # أميركي/أمريكي is a spelling variant: folded by the variant table, not by normalize
        assert n.normalize(a) == n.normalize(b), (a, b)
