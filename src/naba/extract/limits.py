"""Limits on what one HTML page may cost the extractor: bytes, nesting depth, attributes per tag, time.

Every limit is checked in code and raises a :class:`naba.errors.NabaError` subclass, so one hostile or
broken page becomes one recorded failure (error policy ``record``/``skip``), never a crashed ingest run.

Contract
--------
* :func:`check_size` is called on the raw bytes *before* decoding: a page over :data:`MAX_HTML_BYTES` is
  refused (:class:`naba.errors.TooLargeError`), not truncated — a cut page would yield a cut article.
* :func:`parse_html_limited` is the one way the extractor turns decoded text into an lxml tree. It returns a
  document whose element depth is at most :data:`MAX_NESTING_DEPTH`, or raises :class:`NestingTooDeepError`;
  text that holds no document at all (empty, whitespace, a lone comment) raises :class:`EmptyDocumentError`.
  Before parsing, a linear pre-scan refuses a tag with more than :data:`MAX_ATTRIBUTES_PER_ELEMENT`
  attributes (:class:`TooManyAttributesError`), on which libxml2 would spend quadratic time. No lxml
  exception escapes.
* :class:`Deadline` is created once per page and checked between stages (and inside long loops);
  :meth:`Deadline.check` raises :class:`PageTimeoutError`. The clock is injectable so tests expire it
  without sleeping.

Measured behaviour of lxml 6.1 / libxml2 2.14 with deep nesting (``<div>`` × N, text inside, a paragraph
after): parsing is fast at any N (10,000 or 100,000 levels parse in under 20 ms, no recursion, no crash),
because libxml2's HTML parser stops at depth 256 with ``ERR_RESOURCE_LIMIT`` ("Excessive depth in
document: 256") and *silently drops the rest of the document* — the deep text and every paragraph after
it. With ``huge_tree=True`` the cap becomes 2048 with the same truncation. So the danger is not a crash or
a slowdown but a quietly truncated article; this module turns it into an explicit error by checking both
the parser's error log and the depth of the tree it built (the latter also covers libxml2 builds whose cap
differs or is absent).

The errors raised here are in :mod:`naba.errors` (``LimitExceededError`` and its subclasses,
``EmptyDocumentError``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Final

import lxml.etree
import lxml.html

from naba.errors import (
    EmptyDocumentError,
    NestingTooDeepError,
    PageTimeoutError,
    TooLargeError,
    TooManyAttributesError,
)

# Largest page handed to the decoder and parser. The 167 eval pages (7 real outlets, 160 synthetic) are at
# most 0.5 MB; real article pages with inlined JSON state and SVG reach a few MB. 10 MB is 20× the largest
# page measured, and a 9.3 MB page (the LBCI page's body repeated) still extracts in 0.5 s; a
# bigger "page" is a file dump, an archive or an attack, and is refused, not truncated.
MAX_HTML_BYTES: Final = 10 * 1024 * 1024

# Deepest element nesting accepted (the <html> element is depth 1). The eval pages are 7–28 deep; 200 is
# 7× that, leaves room for table layouts and unclosed <font>/<b> runs on legacy windows-1256 pages, and is
# below libxml2's own 256 cap, so this check — not libxml2's silent truncation — decides, on any libxml2.
# It also bounds the recursion of any tree walk downstream far below Python's default limit of 1000.
MAX_NESTING_DEPTH: Final = 200

# Most distinct attribute names accepted on one element. libxml2 checks each new attribute against the
# element's earlier ones, so parse time grows with the square of the count and cannot be interrupted by a
# Deadline: 20,000 distinct attributes take 0.4 s, 40,000 take 1.8 s, 100,000 (a 1 MB tag) 16 s. Real
# elements carry a few dozen (the 167 eval pages: at most 78, on the CNN Arabic page, counted by the same
# pre-scan); 1,000 parses in about a millisecond.
MAX_ATTRIBUTES_PER_ELEMENT: Final = 1000

# Wall-clock budget for extracting one page, all stages together. The 167 eval pages take 1–75 ms each
# (median 3 ms; the 0.5 MB LBCI page is the slowest), measured with the extractor of the extraction issue;
# 5 s is ~70× the slowest, so only a pathological page (regex blow-up, quadratic scan) reaches it, and one
# such page cannot hold an ingest worker for long. Stages check it between steps; C code (libxml2) cannot
# be interrupted, which is why size and attribute count are bounded before parsing (depth by libxml2's cap).
PAGE_TIME_BUDGET_S: Final = 5.0

_PARSER_DEPTH_MESSAGE = "Excessive depth in document"
# The shortest attribute is one letter and one separator ("<p a b c>").
_MIN_CHARS_PER_ATTRIBUTE = 2
_QUOTED_VALUE = re.compile(r"\"[^\"]*\"|'[^']*'")
_ATTRIBUTE_NAME = re.compile(r"[^\s=<>/\"']+")


def check_size(content: bytes, limit: int = MAX_HTML_BYTES) -> None:
    """Raise :class:`TooLargeError` when ``content`` is over ``limit`` bytes; O(1), call before decoding."""
    if len(content) > limit:
        raise TooLargeError(f"HTML page of {len(content)} bytes is over the {limit}-byte limit", stage="size")


def parse_html_limited(text: str, max_depth: int = MAX_NESTING_DEPTH) -> lxml.html.HtmlElement:
    """Parse decoded HTML into an ``<html>`` root element no deeper than ``max_depth``.

    Raises :class:`NestingTooDeepError` when the page is deeper (or libxml2 reported that it truncated the
    document for depth) and :class:`EmptyDocumentError` when there is nothing to parse. An XML declaration
    naming an encoding (``<?xml ... encoding="utf-8"?>``), which lxml refuses on ``str`` input, is dropped
    first: the text is already decoded. Raises :class:`TooManyAttributesError` before parsing when one
    tag holds more than :data:`MAX_ATTRIBUTES_PER_ELEMENT` distinct attribute-like names.
    """
    check_attribute_count(text)
    parser = lxml.html.HTMLParser(huge_tree=False)
    try:
        root = lxml.html.document_fromstring(_strip_xml_declaration(text), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise EmptyDocumentError(f"no HTML document in the page: {exc}", stage="parse") from exc
    if any(_PARSER_DEPTH_MESSAGE in entry.message for entry in parser.error_log):
        raise NestingTooDeepError(
            "the parser stopped at its depth cap and dropped the rest of the page", stage="parse"
        )
    depth = tree_depth(root, stop_after=max_depth)
    if depth > max_depth:
        raise NestingTooDeepError(f"elements nest deeper than the {max_depth}-level limit", stage="parse")
    return root


def check_attribute_count(text: str, limit: int = MAX_ATTRIBUTES_PER_ELEMENT) -> None:
    """Raise :class:`TooManyAttributesError` when some tag in raw ``text`` may carry over ``limit`` attributes.

    A linear pre-scan, done before libxml2 spends quadratic time on such a tag. Each stretch between two
    ``>`` is a candidate tag (libxml2 also reads ``<`` inside a tag as part of an attribute name, so ``<``
    does not end it); stretches too short to hold ``limit`` attributes are skipped; in the others, quoted
    values are removed and the distinct names after the first ``<`` are counted. Counting over-estimates
    (unquoted values count as names), never under-estimates, so a real tag near the limit may be refused
    but an attribute bomb is not missed.
    """
    for stretch in text.split(">"):
        if len(stretch) < _MIN_CHARS_PER_ATTRIBUTE * limit:
            continue
        start = stretch.find("<")
        if start == -1:
            continue
        names = set(_ATTRIBUTE_NAME.findall(_QUOTED_VALUE.sub(" ", stretch[start + 1 :])))
        if len(names) > limit:
            raise TooManyAttributesError(
                f"a tag carries about {len(names)} distinct attributes, over the {limit} limit", stage="parse"
            )


def tree_depth(root: lxml.etree._Element, stop_after: int | None = None) -> int:
    """Depth of the deepest element under ``root`` (``root`` itself is 1), without recursion.

    With ``stop_after`` the walk returns ``stop_after + 1`` as soon as an element that deep is seen.
    """
    deepest = 0
    stack: list[tuple[lxml.etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        if stop_after is not None and depth > stop_after:
            return depth
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _strip_xml_declaration(text: str) -> str:
    """Drop a leading byte-order mark (not content) and an XML declaration (its encoding is moot)."""
    text = text.lstrip("\ufeff")
    stripped = text.lstrip(" \t\r\n")
    if stripped.startswith("<?xml"):
        end = stripped.find("?>")
        return stripped[end + 2 :] if end != -1 else ""
    return text


class Deadline:
    """A per-page time budget on a monotonic clock.

    ``Deadline(budget_s, clock=fake)`` makes tests deterministic: the clock is any zero-argument callable
    returning seconds. :meth:`check` raises :class:`PageTimeoutError` naming the stage once the budget is
    spent; it is cheap (one clock read) and meant to be called between stages and every few hundred
    iterations of a long loop.
    """

    __slots__ = ("_budget_s", "_clock", "_started")

    def __init__(
        self, budget_s: float = PAGE_TIME_BUDGET_S, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if budget_s <= 0:
            raise ValueError(f"a page time budget must be positive, not {budget_s}")
        self._budget_s = budget_s
        self._clock = clock
        self._started = clock()

    @property
    def budget_s(self) -> float:
        """The budget this deadline was created with, in seconds."""
        return self._budget_s

    def elapsed(self) -> float:
        """Seconds used since the deadline was created."""
        return self._clock() - self._started

    def remaining(self) -> float:
        """Seconds left (negative once expired)."""
        return self._budget_s - self.elapsed()

    def expired(self) -> bool:
        """True once the budget is spent."""
        return self.remaining() <= 0

    def check(self, stage: str) -> None:
        """Raise :class:`PageTimeoutError` (with ``stage``) when the budget is spent; else do nothing."""
        elapsed = self.elapsed()
        if elapsed >= self._budget_s:
            raise PageTimeoutError(
                f"page time budget of {self._budget_s:g} s spent ({elapsed:.2f} s) at stage {stage!r}",
                stage=stage,
            )
