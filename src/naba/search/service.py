"""The search service: parse a reader's query, ask the index, load articles from the store, highlight.

Query syntax: free words are analyzed like the indexed text (normalized, clitics stripped, stemmed, spelling
variants folded) and ranked with BM25 over title (boosted) and body; text in double quotes ("…", or the “…”
that phone keyboards type) is a phrase that must occur as consecutive tokens after normalization, without
stemming or variant folding. Arabic quotation marks « » are ordinary punctuation: headlines use them for
quotations, and a pasted headline must not turn into a phrase filter.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Protocol

from naba.search.base import ParsedQuery, SearchIndex
from naba.search.highlight import OffsetAnalyzer, match_ranges, snippet, to_spans
from naba.store.base import Store
from naba.types import SearchHit, SearchQuery, SearchResults

_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”')
# A page of results is bounded so one request cannot ask the index for everything.
MAX_LIMIT = 1000
# Body paragraphs are scanned for highlights until this many matches are found: enough to choose a snippet.
MATCHES_FOR_SNIPPET = 6


class QueryAnalyzer(OffsetAnalyzer, Protocol):
    name: str

    def terms(self, text: str) -> list[str]: ...

    def phrase_terms(self, text: str) -> list[str]: ...


def parse_query(text: str, analyzer: QueryAnalyzer) -> ParsedQuery:
    phrases = []
    for match in _PHRASE.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        tokens = tuple(analyzer.phrase_terms(inner))
        if tokens:
            phrases.append(tokens)
    free = _PHRASE.sub(" ", text)
    return ParsedQuery(terms=tuple(analyzer.terms(free)), phrases=tuple(phrases))


class SearchService:
    def __init__(self, store: Store, index: SearchIndex, analyzer: QueryAnalyzer) -> None:
        self.store = store
        self.index = index
        self.analyzer = analyzer

    def search(self, query: SearchQuery, *, highlight: bool = True) -> SearchResults:
        query = _bounded(query)
        parsed = parse_query(query.text, self.analyzer)
        found = self.index.search(parsed, query)
        stored = self.store.get_many([hit.article_id for hit in found.hits])
        hits = []
        for hit in found.hits:
            if hit.article_id not in stored:  # index ahead of the store cannot happen; behind can
                continue
            article = stored[hit.article_id].article
            title_ranges = match_ranges(article.title, parsed, self.analyzer) if highlight else []
            body = article.body_text
            body_ranges = self._body_ranges(article.paragraphs, parsed) if highlight else []
            hits.append(
                SearchHit(
                    article=article,
                    score=hit.score,
                    title_spans=to_spans(article.title, title_ranges),
                    snippet_spans=snippet(body, body_ranges),
                )
            )
        return SearchResults(
            query=query, hits=tuple(hits), total=found.total, facets=found.outlets, day_facets=found.days
        )

    def _body_ranges(self, paragraphs: tuple[str, ...], parsed: ParsedQuery) -> list[tuple[int, int]]:
        """Match ranges in the body (paragraphs joined by newlines), scanning paragraphs only until the
        snippet has enough matches: highlighting whole long bodies was most of the search time."""
        ranges: list[tuple[int, int]] = []
        offset = 0
        for paragraph in paragraphs:
            found = match_ranges(paragraph, parsed, self.analyzer)
            ranges.extend((start + offset, end + offset) for start, end in found)
            if len(ranges) >= MATCHES_FOR_SNIPPET:
                break
            offset += len(paragraph) + 1
        return ranges


def _bounded(query: SearchQuery) -> SearchQuery:
    limit = min(max(query.limit, 1), MAX_LIMIT)
    offset = max(query.offset, 0)
    if limit == query.limit and offset == query.offset:
        return query
    return dataclasses.replace(query, offset=offset, limit=limit)
