"""Entities and keywords of stored articles, as the understand stage persists them.

Contract
--------
* :func:`terms_of` turns articles into store rows: every entity of ``title + "\\n" + body``
  (:func:`naba.enrich.entities.extract_entities`) folded to one :class:`~naba.store.base.EntityMention` per
  canonical name (first surface form and offset, distinct forms, mention count, majority kind), and the
  article's top keywords (:func:`naba.enrich.keywords.article_keywords`, entity mentions boosted).
* Keyword IDF comes from the articles analysed together (one chunk of :data:`TERMS_CHUNK` consecutive
  articles in publication order): a phrase every article of those hours carries ranks low. Chunks are cut
  from each understand batch at fixed sizes, so the rows do not depend on the number of worker processes.
* :class:`TermsPool` runs the chunks in worker processes (NER is most of the understand stage's per-article
  cost) while the main process clusters; with one worker it runs them inline.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from typing import Final

from naba.engine.workers import process_pool
from naba.enrich.entities import Entity, extract_entities
from naba.enrich.keywords import CounterFrequencies, article_keywords, candidates
from naba.store.base import EntityMention, KeywordRow
from naba.types import Article, ArticleId

log = logging.getLogger(__name__)

# Articles per IDF chunk and per worker task. 250 articles are a few hours of a busy day in the dev window:
# enough for "قال"/"أن"-like words to sink, small enough that chunks spread over worker processes.
TERMS_CHUNK: Final = 250
KEYWORDS_PER_ARTICLE: Final = 10

Terms = tuple[list[EntityMention], list[KeywordRow]]


# Entities and keywords are read from the title and the opening of the body: a news article states who,
# where and what at the top (the inverted pyramid), and NER cost grows with text length — whole bodies made
# the understand stage four times slower for few extra names. Cut at a paragraph end past this length.
TERMS_TEXT_CHARS: Final = 1200


def article_text(article: Article) -> str:
    """The text entities are found in (offsets point into it): the title, a line break, the body's opening
    paragraphs up to :data:`TERMS_TEXT_CHARS` characters (always at least the first paragraph)."""
    kept: list[str] = []
    size = 0
    for paragraph in article.paragraphs:
        if kept and size + len(paragraph) > TERMS_TEXT_CHARS:
            break
        kept.append(paragraph)
        size += len(paragraph) + 1
    return article.title + "\n" + "\n".join(kept)


def mentions_of(article: ArticleId, entities: Sequence[Entity]) -> list[EntityMention]:
    """One row per canonical name, in order of first mention; the kind most of its mentions carry."""
    grouped: dict[str, list[Entity]] = {}
    for e in entities:
        grouped.setdefault(e.canonical, []).append(e)
    rows = []
    for canonical, found in grouped.items():
        kinds = Counter(e.kind for e in found)
        kind = max(kinds, key=lambda k: (kinds[k], -next(i for i, e in enumerate(found) if e.kind == k)))
        names = tuple(dict.fromkeys(e.name for e in found))
        rows.append(EntityMention(article, canonical, kind, found[0].name, names, found[0].start, len(found)))
    return rows


def terms_of(items: Sequence[tuple[ArticleId, str]]) -> Terms:
    """Entity and keyword rows of ``(id, text)`` items (one IDF chunk, see the module contract)."""
    df = CounterFrequencies()
    found_candidates = [candidates(text) for _, text in items]
    for cands in found_candidates:
        df.add_candidates(cands)
    entities: list[EntityMention] = []
    keywords: list[KeywordRow] = []
    for (article, text), article_candidates in zip(items, found_candidates, strict=True):
        try:
            found = extract_entities(text)
            names = [e.name for e in found]
            ranked = article_keywords(text, df, names, top=KEYWORDS_PER_ARTICLE, found=article_candidates)
        except Exception:  # one bad text must not stop the stage: the article just has no terms
            log.exception("entities/keywords failed for article %s (stage understand)", article)
            continue
        entities.extend(mentions_of(article, found))
        keywords.extend(KeywordRow(article, k.key, k.text, k.score, k.count) for k in ranked)
    return entities, keywords


class TermsPool:
    """Computes :func:`terms_of` for batches of articles, in worker processes when ``workers > 1``."""

    def __init__(self, workers: int, executor: Executor | None = None) -> None:
        """``executor``: a pool shared with other work (the caller shuts it down); else one of ``workers``."""
        self._owned = executor is None
        self._pool: Executor | None = (
            executor if executor is not None else process_pool(workers) if workers > 1 else None
        )

    def submit(self, articles: Sequence[Article]) -> list[Future[Terms]]:
        """Start the batch (cut into :data:`TERMS_CHUNK` chunks); :func:`collect` waits for it."""
        items = [(a.id, article_text(a)) for a in articles]
        futures: list[Future[Terms]] = []
        for start in range(0, len(items), TERMS_CHUNK):
            chunk = items[start : start + TERMS_CHUNK]
            if self._pool is None:
                done: Future[Terms] = Future()
                done.set_result(terms_of(chunk))
                futures.append(done)
            else:
                futures.append(self._pool.submit(terms_of, chunk))
        return futures

    def close(self) -> None:
        if self._pool is not None and self._owned:
            self._pool.shutdown(cancel_futures=True)


def collect(jobs: Sequence[Future[Terms]]) -> tuple[tuple[EntityMention, ...], tuple[KeywordRow, ...]]:
    """The rows of submitted batches, in submission order."""
    entities: list[EntityMention] = []
    keywords: list[KeywordRow] = []
    for job in jobs:
        found, ranked = job.result()
        entities.extend(found)
        keywords.extend(ranked)
    return tuple(entities), tuple(keywords)
