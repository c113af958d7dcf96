"""naba's generic HTML article extractor: bytes in, one :class:`~naba.types.Article` out.

Stages (each a module of its own; no second extractor runs):

1. size check and decoding (``limits.check_size``, ``decode.decode_bytes``: BOM, HTTP charset, ``<meta>``,
   detection);
2. parsing with lxml under the nesting limit (``limits.parse_html_limited``);
3. ``<head>`` data before cleaning (``metadata.read_head``: meta tags, JSON-LD, ``<title>``, ``<h1>``\\s,
   ``<time>``\\s) and the title (``metadata.find_title``);
4. cleaning and main text (``content``: blocks, furniture, container, Arabic boilerplate lexicon);
5. the rest of the metadata (``metadata.extract_metadata``: dates, authors, original source, tags, images);
6. the article id by ``naba.identity.article_identity``.

``Article.evidence`` names the rule behind each metadata value, plus ``text`` (the container chosen) and
``encoding``. A page without article text raises :class:`~naba.errors.ExtractError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from naba.errors import ExtractError
from naba.extract import content as content_stage
from naba.extract import metadata as metadata_stage
from naba.extract.article import build_article
from naba.extract.decode import decode_bytes
from naba.extract.limits import MAX_HTML_BYTES, Deadline, check_size, parse_html_limited
from naba.types import Article, Provenance

__all__ = ["MAX_HTML_BYTES", "extract_html", "guess_language"]

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str) -> str | None:
    """'ar' when Arabic letters outnumber Latin ones, 'en' for Latin text, None for neither."""
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    if not arabic and not latin:
        return None
    return "ar" if arabic >= latin else "en"


def _describe(el: object) -> str:
    tag = getattr(el, "tag", "?")
    get = getattr(el, "get", None)
    ident = (get("id") or get("class") or "") if get else ""
    return f"{tag}.{' '.join(str(ident).split())[:40]}" if ident else str(tag)


def extract_html(
    content: bytes,
    *,
    url: str | None = None,
    source: str,
    content_type: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> Article:
    """One article from one HTML page; raises :class:`ExtractError` when the page holds no article text."""
    deadline = Deadline()
    check_size(content)
    decoded = decode_bytes(content, content_type)
    root = parse_html_limited(decoded.text)
    deadline.check("parse")
    head = metadata_stage.read_head(root)
    names = metadata_stage.site_names(head, url)
    title, title_rule = metadata_stage.find_title(head, names)
    content_stage.clean_tree(root)
    main = content_stage.extract_content(root, title=title)
    deadline.check("content")
    if not main.paragraphs and not main.lead:
        raise ExtractError("no article text found in the page", location=url, stage="content")
    meta = metadata_stage.extract_metadata(
        root, head, main, title=title, title_rule=title_rule, url=url, fetched_at=fetched_at
    )
    deadline.check("metadata")
    paragraphs = main.paragraphs
    evidence = {
        **meta.evidence,
        "text": _describe(main.container),
        "encoding": decoded.encoding,
        "charset": decoded.evidence,
    }
    if meta.language is None:
        meta.language = guess_language(" ".join(paragraphs))
        evidence["language"] = "letters"
    return build_article(
        url=url,
        canonical_url=meta.canonical_url,
        publisher=meta.publisher,
        original_source=meta.original_source,
        language=meta.language,
        title=meta.title,
        lead=main.lead,
        body_paragraphs=paragraphs,
        authors=meta.authors,
        published=meta.published,
        updated=meta.updated,
        tags=meta.tags,
        images=meta.images,
        related_headlines=main.related_headlines,
        provenance=Provenance(
            source=source, fetched_at=fetched_at, raw_sha256=hashlib.sha256(content).hexdigest()
        ),
        evidence=evidence,
    )
