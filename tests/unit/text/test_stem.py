"""Golden tables for clitic stripping, stems, stopwords and the spelling-variant table."""

from __future__ import annotations

import pytest

from naba.text.analyzer import get_analyzer
from naba.text.normalize import normalize, normalize_for_stemming
from naba.text.stem import ArabicStemmer
from naba.text.stopwords import is_stopword

STEMMER = ArabicStemmer()

CHAINS = [
    ("والمساعدات", "المساعدات"),
    ("بالمدرسة", "المدرسة"),
    ("فالطلاب", "الطلاب"),
    ("وبالمدينة", "المدينة"),
    ("كالعادة", "العادة"),
    ("للطلاب", "الطلاب"),
    ("وللمرة", "المرة"),
    ("الحرب", "الحرب"),
    ("ولد", "ولد"),  # و is a root letter here
    ("بلد", "بلد"),
    ("لبنان", "لبنان"),
    ("كتب", "كتب"),
    ("الي", "الي"),
]


@pytest.mark.parametrize(("word", "expected"), CHAINS)
def test_article_chains_reduce_to_the_article(word: str, expected: str) -> None:
    assert STEMMER.reduce_article_chain(normalize_for_stemming(word)) == expected


STEMS = [
    ("والمساعدات", "مساعد"),  # Snowball alone: والمساعدا
    ("مساعدات", "مساعد"),  # Snowball alone: مساعدا
    ("المساعدات", "مساعد"),
    ("بالمستشفيات", "مستشف"),
    ("المعلمين", "معلم"),
    ("مكتبها", "مكتب"),
    ("الرياضية", "رياض"),
    ("مدرسة", "مدرس"),
    ("ولد", "ولد"),
    ("كتب", "كتب"),
    ("iphone", "iphone"),
    ("2015", "2015"),
]


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_stems(word: str, expected: str) -> None:
    assert STEMMER.stem(normalize_for_stemming(word)) == expected


def test_teh_marbuta_and_heh_spellings_share_a_stem() -> None:
    assert STEMMER.stem(normalize_for_stemming("مدرسة")) == STEMMER.stem(normalize_for_stemming("مدرسه"))


ROOTS = [
    ("استشهاد", "شهد"),
    ("المهاجرين", "هجر"),
    ("والمحاكمة", "حكم"),
]


@pytest.mark.parametrize(("word", "expected"), ROOTS)
def test_roots_of_long_words(word: str, expected: str) -> None:
    assert STEMMER.root(normalize_for_stemming(word)) == expected


@pytest.mark.parametrize("word", ["وزير", "شهيد", "2015", "Gaza"])
def test_no_root_for_short_or_foreign_words(word: str) -> None:
    assert STEMMER.root(normalize_for_stemming(word)) is None


VARIANTS = [
    ("الأمريكية", "الأميركية"),
    ("أمريكا", "أميركا"),
    ("والأمريكيون", "الأميركيون"),
    ("ألكسندر", "الكساندر"),
    ("إسرائيل", "اسرائيل"),
    ("ترامب", "ترمب"),
    ("بوتين", "بوتن"),
    ("نتنياهو", "نتانياهو"),
    ("زيلينسكي", "زيلنسكي"),
    ("ألمانيا", "المانيا"),
    ("جرمان", "جيرمان"),
    ("سروج", "سوروج"),
    ("مسئول", "مسؤول"),
    ("المسئولين", "المسؤولين"),
]


@pytest.mark.parametrize(("a", "b"), VARIANTS)
def test_variants_fold(a: str, b: str) -> None:
    analyzer = get_analyzer()
    assert analyzer.terms(a) == analyzer.terms(b)
    assert analyzer.terms(a)


def test_variants_do_not_fold_unrelated_words() -> None:
    analyzer = get_analyzer()
    assert analyzer.terms("ترامب") != analyzer.terms("بوتين")
    assert analyzer.terms("سروج") != analyzer.terms("سرور")


@pytest.mark.parametrize("word", ["في", "من", "على", "إلى", "الى", "التي", "هذه"])
def test_stopwords(word: str) -> None:
    assert is_stopword(normalize(word))
    assert get_analyzer().terms(word) == []


@pytest.mark.parametrize("word", ["السعودية", "النفط", "وزير"])
def test_content_words_are_not_stopwords(word: str) -> None:
    assert not is_stopword(normalize(word))
