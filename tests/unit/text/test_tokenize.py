"""Golden table for the tokenizer: kinds, surfaces and offsets into the original text."""

from __future__ import annotations

import pytest

from naba.text.analyzer import get_analyzer
from naba.text.tokenize import find_tokens, hashtag_words

CASES = [
    ("زار ترامب الرياض", [("word", "زار"), ("word", "ترامب"), ("word", "الرياض")]),
    ("الرياضَ\u200f، اليوم", [("word", "الرياضَ"), ("word", "اليوم")]),  # trailing RLM not in the word
    ("ارتفع 2.3% و٢٫٥", [("word", "ارتفع"), ("number", "2.3"), ("word", "و"), ("number", "٢٫٥")]),
    ("عام ٢٠١٥م", [("word", "عام"), ("number", "٢٠١٥"), ("word", "م")]),
    ("رحلة MH370 Boeing", [("word", "رحلة"), ("word", "MH370"), ("word", "Boeing")]),
    ("#السعودية_تنتصر اليوم", [("hashtag", "#السعودية_تنتصر"), ("word", "اليوم")]),
    (
        "انظر https://sabq.org/a?b=1. الآن",
        [("word", "انظر"), ("url", "https://sabq.org/a?b=1"), ("word", "الآن")],
    ),
    ("(www.spa.gov.sa/123)", [("url", "www.spa.gov.sa/123")]),
    ("مُهاجِراً ـــالعـــربية", [("word", "مُهاجِراً"), ("word", "ـــالعـــربية")]),
    ("Apple's iPhone", [("word", "Apple"), ("word", "s"), ("word", "iPhone")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tokens_golden(text: str, expected: list[tuple[str, str]]) -> None:
    found = list(find_tokens(text))
    assert [(k, s) for k, s, _, _ in found] == expected
    for _, surface, start, end in found:
        assert text[start:end] == surface


def test_analyzer_tokens_keep_original_offsets() -> None:
    text = "قال وزيرُ الخارجية الأميركي، في ٢٠١٥"
    tokens = get_analyzer().tokenize(text)
    assert [text[t.start : t.end] for t in tokens] == [t.surface for t in tokens]
    assert tokens[1].surface == "وزيرُ" and tokens[1].normalized == "وزير"
    assert tokens[-1].normalized == "2015"


def test_hashtag_words() -> None:
    assert hashtag_words("#السعوديه_تنتصر") == ["السعوديه", "تنتصر"]
    assert hashtag_words("#__") == []
