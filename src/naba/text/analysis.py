"""Per-article text analysis: index terms, phrase tokens and the body fingerprint of (title, body) pairs.

One function for every pipeline that analyzes articles: the engine's projections (search index,
understanding, in worker processes through :mod:`naba.engine.analysis`) and the Spark batch stages
(:mod:`naba.batch`, in Spark's Python workers). A module-level function, so any worker process can run it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from naba.identity import identity_text
from naba.text.analyzer import get_analyzer
from naba.types import AnalyzedArticle, Article


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What the workers compute for one article: index terms, phrase tokens, and the body fingerprint."""

    title_terms: tuple[str, ...]
    body_terms: tuple[str, ...]
    title_phrase: tuple[str, ...]
    body_phrase: tuple[str, ...]
    fingerprint: str


def analyze_texts(analyzer_name: str, texts: Sequence[tuple[str, str]]) -> list[TextAnalysis]:
    """Analyze (title, body) pairs. A module-level function so worker processes can run it."""
    analyzer = get_analyzer(analyzer_name)
    results = []
    for title, body in texts:
        title_terms, title_phrase = analyzer.terms_and_phrase_terms(title)
        body_terms, body_phrase = analyzer.terms_and_phrase_terms(body)
        results.append(
            TextAnalysis(
                tuple(title_terms),
                tuple(body_terms),
                tuple(title_phrase),
                tuple(body_phrase),
                fingerprint(body),
            )
        )
    return results


def fingerprint(body: str) -> str:
    """Hash of the body with what differs between copies of one text folded away (exact duplicates)."""
    return hashlib.sha256(identity_text(body).encode()).hexdigest()


def to_analyzed(article: Article, analyzer_name: str, analysis: TextAnalysis) -> AnalyzedArticle:
    return AnalyzedArticle(
        article=article,
        analyzer=analyzer_name,
        title_terms=analysis.title_terms,
        body_terms=analysis.body_terms,
        title_phrase_terms=analysis.title_phrase,
        body_phrase_terms=analysis.body_phrase,
        fingerprint=analysis.fingerprint,
    )
