"""Tokenizer that keeps offsets into the ORIGINAL text.

Contract
--------
* :func:`find_tokens` yields ``(kind, surface, start, end)`` with ``text[start:end] == surface``; the text is
  never normalized before matching, so offsets are valid for highlighting the text a reader sees.
* Kinds: ``url`` (``http(s)://…`` or ``www.…``, trailing punctuation left out), ``hashtag`` (``#`` + word
  characters, ``_`` joins words), ``number`` (ASCII, Eastern Arabic or Persian digits, with one decimal part:
  ``2.3``, ``٢٫٥``), ``word`` (letters — Latin words also keep glued digits, ``MH370`` — with diacritics and tatweel inside, and zero-width/bidi
  marks only *between* letters, so a trailing LRM is not part of the word).
* :data:`TOKEN_RE` also matches normalized text, where marks are gone; the analyzer's fast path runs it on
  ``normalize(text)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final, Literal

from naba.text import chars

TokenKind = Literal["url", "hashtag", "number", "word"]

_MARKS: Final = re.escape(chars.DIACRITICS + chars.COMBINING_HAMZA_MARKS)
_INVISIBLE: Final = re.escape(chars.INVISIBLE_MARKS)
_LETTER: Final = r"[^\W\d_]"
_ALNUM: Final = r"[^\W_]"
_WORD: Final = rf"{_LETTER}(?:{_LETTER}|[{_MARKS}])*(?:[{_INVISIBLE}]+{_LETTER}(?:{_LETTER}|[{_MARKS}])*)*"
# Latin words keep glued digits (MH370, G20); Arabic words do not (و2015 is و + 2015).
_LATIN_WORD: Final = r"[A-Za-z][A-Za-z0-9]*"
_URL: Final = r"(?:https?://|www\.)[^\s<>\"«»]*[^\s<>\"«».,;:!?،؛؟)\]}'”’]"
_HASHTAG: Final = r"#(?:[^\W]|[" + _MARKS + r"])+"
_NUMBER: Final = r"\d+(?:[.\u066b]\d+)?"

TOKEN_RE: Final = re.compile(
    rf"(?P<url>{_URL})|(?P<hashtag>{_HASHTAG})|(?P<number>{_NUMBER})|(?P<latin>{_LATIN_WORD})|(?P<word>{_WORD})"
)

# The same alternation without groups, for the analyzer's fast path (findall returns plain strings).
PLAIN_TOKEN_RE: Final = re.compile(f"{_URL}|{_HASHTAG}|{_NUMBER}|{_LATIN_WORD}|{_WORD}")

_KINDS: Final[dict[str, TokenKind]] = {
    "url": "url",
    "hashtag": "hashtag",
    "number": "number",
    "latin": "word",
    "word": "word",
}


def find_tokens(text: str) -> Iterator[tuple[TokenKind, str, int, int]]:
    """Every token of ``text`` in order, as ``(kind, surface, start, end)`` into ``text``."""
    for m in TOKEN_RE.finditer(text):
        yield _KINDS[m.lastgroup or "word"], m.group(), m.start(), m.end()


def hashtag_words(normalized_hashtag: str) -> list[str]:
    """The words of a normalized hashtag: ``#السعوديه_تنتصر`` -> ``["السعوديه", "تنتصر"]``."""
    return [w for w in normalized_hashtag.lstrip("#").split("_") if w]
