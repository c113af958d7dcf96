"""Highlights in the ORIGINAL text: the analyzer maps every index term back to its offsets in the text the
reader sees, so a stemmed or variant-folded match (الأميركية for الأمريكية) is marked where it stands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from naba.search.base import ParsedQuery
from naba.types import TextSpan, Token

# Snippet length in characters around the densest run of matches; about two lines in the reader.
SNIPPET_CHARS = 240


class OffsetAnalyzer(Protocol):
    def tokenize(self, text: str) -> list[Token]: ...

    def terms_with_offsets(self, text: str) -> list[tuple[str, int, int]]: ...


def match_ranges(text: str, parsed: ParsedQuery, analyzer: OffsetAnalyzer) -> list[tuple[int, int]]:
    """Sorted, merged [start, end) ranges of ``text`` that match a query term or a quoted phrase."""
    wanted = set(parsed.terms)
    ranges = [(start, end) for term, start, end in analyzer.terms_with_offsets(text) if term in wanted]
    if parsed.phrases:
        ranges.extend(_phrase_ranges(analyzer.tokenize(text), parsed.phrases))
    return _merge(sorted(ranges))


def _phrase_ranges(tokens: Sequence[Token], phrases: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    normalized = [t.normalized for t in tokens]
    found = []
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(normalized) - size + 1):
            if normalized[i : i + size] == list(phrase):
                found.append((tokens[i].start, tokens[i + size - 1].end))
    return found


def _merge(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def to_spans(text: str, ranges: Sequence[tuple[int, int]]) -> tuple[TextSpan, ...]:
    """Cut ``text`` into plain and highlighted spans."""
    spans: list[TextSpan] = []
    cursor = 0
    for start, end in ranges:
        if start > cursor:
            spans.append(TextSpan(text[cursor:start], False))
        spans.append(TextSpan(text[start:end], True))
        cursor = end
    if cursor < len(text):
        spans.append(TextSpan(text[cursor:], False))
    return tuple(spans)


def snippet(text: str, ranges: Sequence[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[TextSpan, ...]:
    """The window of ``width`` characters holding the most matches, cut at spaces, marked with ellipses."""
    if len(text) <= width:
        return to_spans(text, ranges)
    start = _best_window_start(ranges, width)
    start = _word_boundary(text, start, backwards=True)
    end = _word_boundary(text, min(len(text), start + width), backwards=False)
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in ranges if e > start and s < end]
    spans = list(to_spans(text[start:end], inside))
    if start > 0:
        spans.insert(0, TextSpan("… ", False))
    if end < len(text):
        spans.append(TextSpan(" …", False))
    return tuple(spans)


def _best_window_start(ranges: Sequence[tuple[int, int]], width: int) -> int:
    """Start of the ``width``-character window that holds the most whole matches (two pointers, linear)."""
    if not ranges:
        return 0
    best_start, best_count, last = ranges[0][0], 0, 0
    for first, (start, _) in enumerate(ranges):
        last = max(last, first)
        while last + 1 < len(ranges) and ranges[last + 1][1] <= start + width:
            last += 1
        if last - first + 1 > best_count:
            best_start, best_count = start, last - first + 1
    # Show a little context before the first match.
    return max(0, best_start - width // 6)


def _word_boundary(text: str, index: int, *, backwards: bool) -> int:
    if index <= 0 or index >= len(text):
        return max(0, min(index, len(text)))
    step = -1 if backwards else 1
    probe = index
    for _ in range(30):  # look at most a word's length away
        if text[probe].isspace():
            return probe + 1 if backwards else probe
        probe += step
        if probe <= 0 or probe >= len(text):
            break
    return index
