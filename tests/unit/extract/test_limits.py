"""Extraction limits: each limit triggers, and bad inputs through ``extract_html`` end in a NabaError.

Limits are tested by checking that they trigger (CONVENTIONS 15), never by timing a test: the deadline runs
on a fake clock.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from naba.errors import (
    EmptyDocumentError,
    ExtractError,
    InputError,
    LimitExceededError,
    NabaError,
    NestingTooDeepError,
    PageTimeoutError,
    TooLargeError,
    TooManyAttributesError,
)
from naba.extract import limits
from naba.extract.generic import extract_html
from naba.extract.limits import (
    MAX_ATTRIBUTES_PER_ELEMENT,
    MAX_HTML_BYTES,
    MAX_NESTING_DEPTH,
    Deadline,
    check_attribute_count,
    check_size,
    parse_html_limited,
    tree_depth,
)
from naba.types import Article

PARAGRAPH = "<p>" + "أعلنت الحكومة اليوم عن خطة جديدة لدعم المشروعات الصغيرة في المحافظات كافة. " * 4 + "</p>"
ARTICLE = (
    f"<html><head><title>خبر</title></head><body><article><h1>خبر</h1>{PARAGRAPH * 3}</article></body></html>"
)


def _nested(depth: int, inner: str = "نص", after: str = "") -> str:
    return f"<html><body>{'<div>' * depth}{inner}{'</div>' * depth}{after}</body></html>"


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- size -----------------------------------------------------------------------------------------------


def test_size_limit_triggers_over_the_limit_only() -> None:
    check_size(b"x" * 100, limit=100)
    with pytest.raises(TooLargeError) as caught:
        check_size(b"x" * 101, limit=100)
    assert caught.value.stage == "size" and "101" in str(caught.value)


def test_default_size_limit_refuses_one_byte_over() -> None:
    check_size(b"x" * MAX_HTML_BYTES)
    with pytest.raises(TooLargeError):
        check_size(b"x" * (MAX_HTML_BYTES + 1))


# --- nesting --------------------------------------------------------------------------------------------


def test_ten_thousand_nested_divs_are_refused() -> None:
    with pytest.raises(NestingTooDeepError) as caught:
        parse_html_limited(_nested(10_000))
    assert caught.value.stage == "parse"


def test_nesting_just_over_the_limit_is_refused_by_naba_not_libxml2() -> None:
    # Deeper than MAX_NESTING_DEPTH, shallower than libxml2's 256 cap: only naba's own check can fire.
    with pytest.raises(NestingTooDeepError, match=str(MAX_NESTING_DEPTH)):
        parse_html_limited(_nested(MAX_NESTING_DEPTH))


def test_nesting_within_the_limit_keeps_all_text() -> None:
    root = parse_html_limited(_nested(MAX_NESTING_DEPTH - 5, inner="عميق", after="<p>بعد</p>"))
    text = root.text_content()
    assert "عميق" in text and "بعد" in text
    assert tree_depth(root) <= MAX_NESTING_DEPTH


def test_a_smaller_depth_limit_can_be_passed() -> None:
    with pytest.raises(NestingTooDeepError):
        parse_html_limited(_nested(20), max_depth=10)


def test_libxml2_truncates_silently_which_is_why_the_limit_exists() -> None:
    """Characterization of the measured behaviour the limit guards against (lxml 6.1 / libxml2 2.14): a
    plain parse keeps going but drops everything from the deep point on. If this starts failing, libxml2
    changed; update the docstring of naba.extract.limits (the limit itself still holds)."""
    root = lxml_html.document_fromstring(_nested(10_000, inner="عميق", after="<p>بعد</p>"))
    assert tree_depth(root) < 10_000
    assert "بعد" not in root.text_content()


def test_tree_depth_counts_levels_without_recursion() -> None:
    root = lxml_html.document_fromstring("<html><body><div><p>x</p></div></body></html>")
    assert tree_depth(root) == 4  # html > body > div > p
    assert tree_depth(root, stop_after=2) == 3


# --- attribute bombs ------------------------------------------------------------------------------------


def _tag_with_attributes(count: int, separator: str = " ") -> str:
    attributes = separator.join(f"a{i}=1" for i in range(count))
    return f"<html><body><p {attributes}>نص</p></body></html>"


@pytest.mark.parametrize("separator", [" ", " <"], ids=["spaces", "lt-separated"])
def test_attribute_bomb_is_refused_before_parsing(separator: str) -> None:
    # libxml2 takes ~16 s on 100,000 distinct attributes; the pre-scan refuses it in milliseconds.
    with pytest.raises(TooManyAttributesError):
        parse_html_limited(_tag_with_attributes(100_000, separator))


def test_attribute_count_below_the_limit_parses() -> None:
    root = parse_html_limited(_tag_with_attributes(MAX_ATTRIBUTES_PER_ELEMENT // 2))
    assert root.text_content().strip() == "نص"


def test_repeated_attribute_names_and_long_values_are_not_counted() -> None:
    # Duplicates are cheap for libxml2; a long quoted value (inline SVG path, data: URI) is one attribute.
    check_attribute_count("<p " + "a=1 " * 50_000 + ">")
    check_attribute_count('<path d="' + " ".join(f"L{i} {i}" for i in range(50_000)) + '">')


# --- empty and odd documents ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t", "<!-- nothing -->", "\ufeff"])
def test_no_document_is_an_empty_document_error(text: str) -> None:
    with pytest.raises(EmptyDocumentError):
        parse_html_limited(text)


def test_xml_declaration_with_encoding_is_accepted_on_decoded_text() -> None:
    root = parse_html_limited('<?xml version="1.0" encoding="utf-8"?><html><body><p>نص</p></body></html>')
    assert root.text_content() == "نص"


# --- time budget ----------------------------------------------------------------------------------------


def test_deadline_expires_on_a_fake_clock() -> None:
    clock = FakeClock()
    deadline = Deadline(2.0, clock=clock)
    clock.now += 1.5
    deadline.check("parse")
    assert not deadline.expired() and deadline.remaining() == pytest.approx(0.5)
    clock.now += 0.5
    assert deadline.expired()
    with pytest.raises(PageTimeoutError) as caught:
        deadline.check("content")
    assert caught.value.stage == "content" and "content" in str(caught.value)


def test_deadline_default_budget_and_validation() -> None:
    assert Deadline(clock=FakeClock()).budget_s == limits.PAGE_TIME_BUDGET_S
    with pytest.raises(ValueError):
        Deadline(0)


def test_limit_errors_belong_to_the_one_exception_tree() -> None:
    for error in (NestingTooDeepError, TooManyAttributesError, PageTimeoutError):
        assert issubclass(error, LimitExceededError) and issubclass(error, ExtractError)
    assert issubclass(EmptyDocumentError, ExtractError)
    assert issubclass(TooLargeError, InputError) and issubclass(LimitExceededError, NabaError)


# --- bad inputs through the public entry point ----------------------------------------------------------


def _outcome(content: bytes) -> Article | NabaError:
    """An Article or the NabaError raised; any other exception fails the test by propagating."""
    try:
        return extract_html(content, source="t")
    except NabaError as error:
        return error


BAD_INPUTS = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
    "gif-without-nul": b"GIF89a" + bytes(range(1, 256)) * 4,
    "truncated": ARTICLE.encode()[: len(ARTICLE.encode()) * 2 // 3],
    "truncated-mid-sequence": ARTICLE.encode()[: len(ARTICLE.encode()) // 2 + 1],
    "all-scripts": (
        "<html><head>" + "<script>var s = 'نص';</script>" * 300 + "</head><body>"
        + "<script>track();</script><noscript>فعّل جافاسكربت</noscript>" * 300 + "</body></html>"
    ).encode(),
    "invalid-utf8": ARTICLE.encode().replace("خطة".encode(), b"\xff\xfe\xc3\x28\xed\xa0\x80"),
    "empty-body": b"<html><head><title>t</title></head><body></body></html>",
    "empty-bytes": b"",
    "only-whitespace": b" \r\n\t ",
    "nested-10000": _nested(10_000).encode(),
    "attribute-bomb": _tag_with_attributes(100_000).encode(),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_a_naba_error_or_an_article(name: str) -> None:
    outcome = _outcome(BAD_INPUTS[name])
    assert isinstance(outcome, Article | NabaError)
    if isinstance(outcome, Article):
        assert outcome.body_paragraphs, "an article without text must be an error instead"


@pytest.mark.parametrize("name", ["png", "empty-body", "empty-bytes", "all-scripts", "only-whitespace"])
def test_inputs_without_article_text_are_errors(name: str) -> None:
    assert isinstance(_outcome(BAD_INPUTS[name]), NabaError)


def test_a_50_mb_page_is_refused_as_too_large() -> None:
    page = b"<html><body><p>" + "نص ".encode() * (50 * 1024 * 1024 // 5) + b"</p></body></html>"
    assert len(page) > 50_000_000
    assert isinstance(_outcome(page), TooLargeError)


def test_ten_thousand_nested_divs_through_extract_html_name_the_limit() -> None:
    assert isinstance(_outcome(BAD_INPUTS["nested-10000"]), NestingTooDeepError)


def test_article_followed_by_deep_nesting_is_not_silently_cut() -> None:
    page = _nested(10_000, inner="x", after=PARAGRAPH).replace("<body>", f"<body>{PARAGRAPH * 3}").encode()
    assert isinstance(_outcome(page), NestingTooDeepError)


def test_attribute_bomb_through_extract_html_names_the_limit() -> None:
    assert isinstance(_outcome(BAD_INPUTS["attribute-bomb"]), TooManyAttributesError)


def test_truncated_page_keeps_the_text_before_the_cut() -> None:
    outcome = _outcome(BAD_INPUTS["truncated"])
    assert isinstance(outcome, Article)
    assert "أعلنت الحكومة" in outcome.body_paragraphs[0]


def test_invalid_utf8_sequences_do_not_turn_the_page_into_mojibake() -> None:
    outcome = _outcome(BAD_INPUTS["invalid-utf8"])
    assert isinstance(outcome, Article)
    assert "أعلنت الحكومة" in " ".join(outcome.body_paragraphs)
