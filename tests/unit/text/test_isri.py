"""naba's ISRI port gives NLTK's roots, word for word, on every word type of a real day of Arabic news."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from naba.text.isri import isri_root

isri = pytest.importorskip("nltk.stem.isri", reason="NLTK (a dev dependency) is the reference")

_ARABIC_WORD = re.compile("[\u0621-\u0652]+")


def _word_types(day_zip: Path) -> set[str]:
    words: set[str] = set()
    with zipfile.ZipFile(day_zip) as archive:
        for name in archive.namelist():
            if not name.endswith(".json"):
                continue
            for record in json.loads(archive.read(name)):
                words.update(_ARABIC_WORD.findall(f"{record.get('title', '')} {record.get('content', '')}"))
    return words


def test_port_equals_nltk_on_every_word_of_a_day(one_day_zip: Path) -> None:
    reference = isri.ISRIStemmer()
    words = _word_types(one_day_zip)
    assert len(words) > 20_000
    different = {w: (isri_root(w), reference.stem(w)) for w in words if isri_root(w) != reference.stem(w)}
    assert not different, list(different.items())[:20]


@pytest.mark.parametrize(
    "word",
    [
        "",
        "و",
        "وو",
        "ووزير",
        "الاستثمارات",
        "مستشفيات",
        "تفاعيل",
        "أَمْسَى",
        "إسلام",
        "اللذين",
        "متدحرجة",
        "abc",
    ],
)
def test_edge_cases_equal_nltk(word: str) -> None:
    assert isri_root(word) == isri.ISRIStemmer().stem(word)
