"""A first generic HTML article extractor: decoding by naba, main text and metadata by trafilatura.

trafilatura is the base because it is the best-kept open extractor with metadata (title, date, author,
tags, canonical URL) and needs no model. ``favor_precision`` is on: PLATFORM notes that it drops inline
"اقرأ أيضا" lines, which matter more to Arabic readers than the occasional lost sentence. The extraction
issue replaces this with an Arabic-aware cascade measured against peers; the function signature stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import trafilatura

from naba.errors import ExtractError, TooLargeError
from naba.extract.decode import decode_bytes
from naba.identity import article_identity
from naba.types import Article, ArticleId, Image, Provenance

# Largest page handed to the HTML parser; a bigger one is refused, not truncated (a cut page lies).
MAX_HTML_BYTES = 10 * 1024 * 1024
_PARAGRAPH_BREAK = re.compile(r"\n+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str) -> str | None:
    """'ar' when Arabic letters outnumber Latin ones, 'en' for Latin text, None for neither."""
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    if not arabic and not latin:
        return None
    return "ar" if arabic >= latin else "en"


def extract_html(
    content: bytes,
    *,
    url: str | None = None,
    source: str,
    content_type: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> Article:
    """One article from one HTML page; raises :class:`ExtractError` when the page holds no article text."""
    if len(content) > MAX_HTML_BYTES:
        raise TooLargeError(f"HTML page of {len(content)} bytes is over the {MAX_HTML_BYTES}-byte limit")
    decoded = decode_bytes(content, content_type)
    doc: Any = trafilatura.bare_extraction(
        decoded.text, url=url, with_metadata=True, favor_precision=True, include_comments=False
    )
    if doc is None or not (doc.text or "").strip():
        raise ExtractError("no article text found in the page")
    return _article_from(doc, decoded.encoding, content, url=url, source=source, fetched_at=fetched_at)


def _split_tags(raw: Any) -> tuple[str, ...]:
    """trafilatura returns meta keywords as a list of comma-joined strings; split on , and ،."""
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
    tags = (t.strip() for item in items for t in re.split("[,،]", item))
    return tuple(dict.fromkeys(t for t in tags if t))


def _article_from(
    doc: Any, encoding: str, content: bytes, *, url: str | None, source: str, fetched_at: dt.datetime | None
) -> Article:
    paragraphs = tuple(p.strip() for p in _PARAGRAPH_BREAK.split(doc.text or "") if p.strip())
    title = (doc.title or "").strip()
    canonical = doc.url if doc.url and doc.url != url else None
    published = dt.date.fromisoformat(doc.date) if doc.date else None
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    tags = _split_tags(doc.tags)
    evidence = {"text": "trafilatura", "encoding": encoding}
    if published:
        evidence["published"] = "trafilatura:htmldate"
    return Article(
        id=ArticleId(
            article_identity(canonical_url=canonical, url=url, title=title, first_paragraph=paragraphs[0])
        ),
        url=url,
        canonical_url=canonical,
        publisher=doc.sitename or doc.hostname,
        original_source=None,
        language=guess_language(" ".join(paragraphs)),
        title=title,
        lead=None,
        body_paragraphs=paragraphs,
        authors=authors,
        published=published,
        updated=None,
        tags=tags,
        images=(Image(url=doc.image),) if doc.image else (),
        related_headlines=(),
        embedded_in=None,
        provenance=Provenance(
            source=source, fetched_at=fetched_at, raw_sha256=hashlib.sha256(content).hexdigest()
        ),
        evidence=evidence,
    )
