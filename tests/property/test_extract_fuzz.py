"""Fuzzing the public HTML entry point: whatever the bytes, ``extract_html`` returns an article or raises a
:class:`naba.errors.NabaError` subclass — any other exception would crash an ingest run.

Inputs found to break that contract are kept, minimized, in ``tests/golden/crashers/`` and replayed by
:func:`test_known_crashers_stay_fixed` (one file per crasher; the file name says what it exercises).
Set ``NABA_FUZZ_EXAMPLES`` to fuzz longer locally; CI uses the bounded default.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naba.errors import NabaError
from naba.extract.generic import extract_html
from naba.types import Article

CRASHERS = Path(__file__).resolve().parents[1] / "golden" / "crashers"
EXAMPLES = int(os.environ.get("NABA_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

_TAGS = (
    "html",
    "head",
    "body",
    "div",
    "p",
    "article",
    "main",
    "span",
    "a",
    "h1",
    "h2",
    "table",
    "tr",
    "td",
    "ul",
    "li",
    "figure",
    "figcaption",
    "time",
    "font",
    "b",
    "script",
    "style",
    "noscript",
    "title",
    "iframe",
    "svg",
    "template",
    "textarea",
    "nav",
    "footer",
)
_FRAGMENTS = (
    "<!DOCTYPE html>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?xml version='1.0' encoding='utf-8'?>",
    "<meta charset='windows-1256'>",
    "<meta charset='utf-8'>",
    "<meta charset='x-unknown'>",
    '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">',
    '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"',
    '"}</script>',
    '<meta property="article:published_time" content="',
    '">',
    "<br>",
    "<br/>",
    "<img src=x>",
    "<",
    ">",
    "</",
    "/>",
    "&",
    "&#",
    "&#x",
    "&#0;",
    "&#xD800;",
    "&#99999999;",
    "&amp",
    "&nbsp;",
    "&rlm;",
    "\u200f",
    "\ufeff",
    "\x00",
    "\r\n",
    '="',
    "'",
)
_ARABIC = st.text(alphabet="ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي \u064b\u0651٠١٢٣٤٥٦٧٨٩،؛؟«»", max_size=40)


def _tag() -> st.SearchStrategy[str]:
    names = st.sampled_from(_TAGS)
    attrs = st.sampled_from(
        ("", ' class="content"', " dir=rtl", ' id="article-body"', ' datetime="2023-13-45"')
    )
    return st.one_of(
        st.builds(lambda n, a: f"<{n}{a}>", names, attrs),
        st.builds(lambda n: f"</{n}>", names),
    )


_PIECES = st.one_of(_tag(), st.sampled_from(_FRAGMENTS), _ARABIC, st.text(max_size=8))
HTMLISH = st.lists(_PIECES, max_size=60).map("".join)
ENCODINGS = st.sampled_from(("utf-8", "windows-1256", "iso-8859-6", "utf-16", "latin-1"))
CONTENT_TYPES = st.sampled_from(
    (
        None,
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=windows-1256",
        "text/html; charset=bogus",
    )
)


def _extract_or_naba_error(content: bytes, content_type: str | None = None) -> None:
    """The contract under test: an Article, or a NabaError; anything else propagates and fails the test."""
    try:
        article = extract_html(content, source="t", content_type=content_type)
    except NabaError:
        return
    assert isinstance(article, Article)


@FUZZ
@given(st.binary(max_size=2048), CONTENT_TYPES)
def test_random_bytes_never_crash(content: bytes, content_type: str | None) -> None:
    _extract_or_naba_error(content, content_type)


@FUZZ
@given(HTMLISH, ENCODINGS, CONTENT_TYPES)
def test_htmlish_text_never_crashes(text: str, encoding: str, content_type: str | None) -> None:
    _extract_or_naba_error(text.encode(encoding, errors="replace"), content_type)


@FUZZ
@given(HTMLISH, st.binary(max_size=64), st.integers(min_value=0, max_value=4096))
def test_spliced_bytes_never_crash(text: str, noise: bytes, at: int) -> None:
    """Invalid byte sequences spliced into otherwise valid UTF-8 markup."""
    raw = text.encode("utf-8")
    at = min(at, len(raw))
    _extract_or_naba_error(raw[:at] + noise + raw[at:])


def _crasher_files() -> list[Path]:
    return sorted(p for p in CRASHERS.iterdir() if p.is_file() and p.name != "README.md")


@pytest.mark.parametrize("path", _crasher_files(), ids=lambda p: p.name)
def test_known_crashers_stay_fixed(path: Path) -> None:
    _extract_or_naba_error(path.read_bytes())
