"""The one builder of :class:`naba.types.Article`: HTML extraction, feed entries, text pages, dumps and naba's
own JSON all build their articles here, so identity, defaults and the shape of each field are decided once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from naba.extract.headlines import clean_title
from naba.identity import article_identity
from naba.types import Article, ArticleId, Image, Provenance, PublishedTime


def build_article(
    *,
    title: str,
    provenance: Provenance,
    article_id: str | None = None,
    url: str | None = None,
    canonical_url: str | None = None,
    publisher: str | None = None,
    original_source: str | None = None,
    language: str | None = None,
    lead: str | None = None,
    body_paragraphs: Iterable[str] = (),
    authors: Iterable[str] = (),
    published: PublishedTime | None = None,
    updated: PublishedTime | None = None,
    tags: Iterable[str] = (),
    images: Iterable[Image] = (),
    related_headlines: Iterable[str] = (),
    embedded_in: str | None = None,
    evidence: Mapping[str, str] | None = None,
    section: str | None = None,
) -> Article:
    """An article from what a reader found; fields not given take their empty default.

    The id is ``article_id`` when the input states one, else :func:`naba.identity.article_identity` of the
    canonical URL, else the URL, else the title and first paragraph (the lead, else the first body paragraph),
    so the same article read from a feed, its page or a dump gets the same id. Sequences become tuples.

    The title loses its wire labels (:func:`naba.extract.headlines.clean_title`): a desk prefix becomes the
    ``section`` (unless one is given), a part marker is recorded in ``evidence["title_part"]``.
    """
    cleaned = clean_title(title)
    title = cleaned.title
    section = section or cleaned.section
    if cleaned.part:
        evidence = {**(evidence or {}), "title_part": cleaned.part}
    body = tuple(body_paragraphs)
    if article_id is None:
        first = lead or (body[0] if body else "")
        article_id = article_identity(
            canonical_url=canonical_url, url=url, title=title, first_paragraph=first
        )
    return Article(
        id=ArticleId(article_id),
        url=url,
        canonical_url=canonical_url,
        publisher=publisher,
        original_source=original_source,
        language=language,
        title=title,
        lead=lead,
        body_paragraphs=body,
        authors=tuple(authors),
        published=published,
        updated=updated,
        tags=tuple(tags),
        images=tuple(images),
        related_headlines=tuple(related_headlines),
        embedded_in=ArticleId(embedded_in) if embedded_in else None,
        provenance=provenance,
        evidence=dict(evidence) if evidence else {},
        section=section,
    )
