"""The search service: parse a reader's query, ask the index, load articles from the store, highlight.

Query syntax: free words are analyzed like the indexed text (normalized, clitics stripped, stemmed, spelling
variants folded) and ranked with BM25 over title (boosted) and body; text in double quotes ("…", or the “…”
that phone keyboards type) is a phrase that must occur as consecutive tokens after normalization, without
stemming or variant folding. Arabic quotation marks « » are ordinary punctuation: headlines use them for
quotations, and a pasted headline must not turn into a phrase filter.

Spelling as typed: readers type ه for a final ة, ي for ى and drop the hamza (ي for ئ, و for ؤ, and a final ء
after alef).
Normalization already folds ى and the alef forms; for the rest, :func:`parse_query` considers each free
word's spellings with the hamza seat or the final ة restored and keeps the one whose stem the index knows
best (document frequency), so ``السعوديه`` searches as ``السعودية`` and never as a stem or root of another
word (``الامريكيه`` does not drift to الأمير). A word as typed wins ties: real words are left alone.
Coverage and proximity evidence (``tantivy_index``) read the free words in order (:class:`QueryWord`).

Copies of one text are folded under the best-ranked one by :func:`naba.engine.views.search_view`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Protocol

from naba.search.base import ParsedQuery, QueryWord, SearchIndex
from naba.search.highlight import OffsetAnalyzer, match_ranges, snippet, to_spans
from naba.store.base import Store
from naba.text.normalize import normalize
from naba.types import SearchHit, SearchQuery, SearchResults

_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”')
# A page of results is bounded so one request cannot ask the index for everything.
MAX_LIMIT = 1000
# Body paragraphs are scanned for highlights until this many matches are found: enough to choose a snippet.
MATCHES_FOR_SNIPPET = 6

_TEH_MARBUTA, _HEH, _YEH, _WAW = "ة", "ه", "ي", "و"
_YEH_HAMZA, _WAW_HAMZA, _ALEF, _HAMZA = "ئ", "ؤ", "ا", "ء"
# Spellings of one typed word considered at most (hamza seats restored one at a time, final ة).
MAX_SPELLINGS = 8


class QueryAnalyzer(OffsetAnalyzer, Protocol):
    name: str

    def terms(self, text: str) -> list[str]: ...

    def phrase_terms(self, text: str) -> list[str]: ...


def spellings(word: str) -> list[str]:
    """The word as typed, then with a hamza restored: a seat (ي→ئ, و→ؤ after the first letter, one at a time:
    رييس→رئيس, شاطي→شاطئ) or a final hamza after alef (الوزرا→الوزراء); and/or a final ه read as ة.
    Alef forms and ى are folded by normalization already."""
    stems = [word]
    for i in range(1, len(word)):
        if word[i] == _YEH:
            stems.append(word[:i] + _YEH_HAMZA + word[i + 1 :])
        elif word[i] == _WAW:
            stems.append(word[:i] + _WAW_HAMZA + word[i + 1 :])
    if word.endswith(_ALEF) and len(word) > 2:
        stems.append(word + _HAMZA)
    found = list(stems)
    if word.endswith(_HEH) and len(word) > 2:
        found.extend(s[:-1] + _TEH_MARBUTA for s in stems)
    return found[:MAX_SPELLINGS]


DocFreq = Callable[[str, str], int]  # (field, term) -> documents holding it


def parse_query(text: str, analyzer: QueryAnalyzer, doc_freq: DocFreq | None = None) -> ParsedQuery:
    """Phrases, and the free words with their terms; ``doc_freq`` (the index's) chooses each word's spelling."""
    phrases = []
    for match in _PHRASE.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        tokens = tuple(analyzer.phrase_terms(inner))
        if tokens:
            phrases.append(tokens)
    free = _PHRASE.sub(" ", text)
    words: list[QueryWord] = []
    for token in analyzer.tokenize(free):
        word = _best_spelling(token.surface, analyzer, doc_freq)
        if word is not None:
            words.append(word)
    return ParsedQuery(
        terms=tuple(t for w in words for t in w.terms), phrases=tuple(phrases), words=tuple(words)
    )


def _best_spelling(surface: str, analyzer: QueryAnalyzer, doc_freq: DocFreq | None) -> QueryWord | None:
    """The spelling of a typed word the index knows best: by how many documents write its normalized form
    (a restored hamza seat changes it), then by how many hold its stem (a final ة changes only the stem)."""
    typed = _word(surface, analyzer)
    if typed is None or doc_freq is None:
        return typed
    best, best_key = typed, (doc_freq("body_phrase", typed.form), doc_freq("body", typed.terms[0]))
    for spelling in spellings(surface)[1:]:
        word = _word(spelling, analyzer)
        if word is None or word == typed:
            continue
        key = (doc_freq("body_phrase", word.form), doc_freq("body", word.terms[0]))
        if key > best_key:
            best, best_key = word, key
    return best


def _word(surface: str, analyzer: QueryAnalyzer) -> QueryWord | None:
    terms = tuple(analyzer.terms(surface))
    if not terms:
        return None  # a function word or a lone letter
    forms = analyzer.phrase_terms(surface)
    return QueryWord(terms=terms, form=forms[0] if len(forms) == 1 else normalize(surface))


class SearchService:
    def __init__(self, store: Store, index: SearchIndex, analyzer: QueryAnalyzer) -> None:
        self.store = store
        self.index = index
        self.analyzer = analyzer

    def parse(self, text: str) -> ParsedQuery:
        """The query as :func:`parse_query` reads it, spellings chosen by this index's document frequencies."""
        return parse_query(text, self.analyzer, self.index.doc_freq)

    def search(self, query: SearchQuery, *, highlight: bool = True) -> SearchResults:
        query = _bounded(query)
        parsed = self.parse(query.text)
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
