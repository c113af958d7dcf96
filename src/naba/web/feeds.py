"""Feeds out: Atom 1.0, RSS 2.0 and JSON Feed 1.1 of a list of articles, from one :class:`FeedDoc`.

What a feed holds is ingested text, so every string is made safe for its format here: XML is built with
:mod:`xml.etree.ElementTree` (which escapes text and attributes), characters XML 1.0 forbids (C0 controls,
lone surrogates, U+FFFE/FFFF) are dropped, bidi embedding/override/isolate controls are removed from titles
and names (:func:`naba.web.format.strip_bidi_controls`), and only http(s) URLs become links. No HTML from a
publisher is kept: the ``content`` of an entry is built here, one ``<p>`` per escaped paragraph, so there is
nothing to sanitize. Entry ids are stable (``urn:uuid:`` of the article id, UUIDv5), links point to the
reader's page of the article and, separately, to the publisher's original. Feeds declare ``xml:lang="ar"``
(Atom), ``<language>ar</language>`` (RSS) and ``"language": "ar"`` (JSON Feed).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from naba.store.base import StoredArticle
from naba.types import Article, PublishedTime
from naba.web.format import strip_bidi_controls

FeedFormat = Literal["atom", "rss", "json"]
MEDIA_TYPES: Final[dict[FeedFormat, str]] = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
ATOM_NS: Final = "http://www.w3.org/2005/Atom"
DC_NS: Final = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION: Final = "https://jsonfeed.org/version/1.1"
SUMMARY_CHARS: Final = 300
# Any date a feed needs when an article has none: the Unix epoch (never "now", which would change the feed).
EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SAFE_SCHEMES: Final = ("http://", "https://")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry, line breaks as LF (an XML parser turns a raw CR
    into LF anyway, so every format says the same)."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean(text: str) -> str:
    """A title or a name: XML-safe, without bidi controls, surrounding space trimmed."""
    return strip_bidi_controls(xml_text(text)).strip()


def safe_url(url: str | None) -> str | None:
    """An absolute http(s) URL, XML-safe and without whitespace inside, or None (never ``javascript:``)."""
    if not url:
        return None
    candidate = xml_text(url).strip()
    if not candidate.lower().startswith(_SAFE_SCHEMES) or re.search(r"\s", candidate):
        return None
    return strip_bidi_controls(candidate)


def aware(value: PublishedTime | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class FeedItem:
    id: str  # urn:uuid:… (stable per article id)
    title: str
    link: str  # the reader's page of the article (absolute)
    original: str | None  # the publisher's URL, http(s) only
    published: dt.datetime
    updated: dt.datetime
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    publisher: str | None
    summary: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeedDoc:
    """One feed, whatever its format: what it lists, where it lives and where its page is."""

    title: str
    id: str  # urn:uuid:… of the feed's own path and filters
    self_url: str  # the feed's absolute URL (without format-specific parts kept apart)
    page_url: str  # the reader page it follows (absolute)
    updated: dt.datetime
    items: tuple[FeedItem, ...]


def stable_id(kind: str, key: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"naba:{kind}:{key}").urn


def feed_item(stored: StoredArticle, link: str) -> FeedItem:
    article: Article = stored.article
    published = aware(article.published) or aware(stored.ingested_at) or EPOCH
    updated = max(aware(article.updated) or published, published)
    paragraphs = tuple(xml_text(p) for p in article.paragraphs if p.strip())
    first = paragraphs[0] if paragraphs else ""
    summary = first if len(first) <= SUMMARY_CHARS else first[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    return FeedItem(
        id=stable_id("article", article.id),
        title=clean(article.title) or "(بلا عنوان)",
        link=link,
        original=safe_url(article.canonical_url) or safe_url(article.url),
        published=published,
        updated=updated,
        authors=tuple(a for a in (clean(x) for x in article.authors) if a),
        tags=tuple(t for t in (clean(x) for x in article.tags) if t),
        publisher=clean(article.publisher) if article.publisher else None,
        summary=strip_bidi_controls(summary),
        paragraphs=paragraphs,
    )


def html_content(item: FeedItem) -> str:
    """The entry's text as HTML built here: each paragraph escaped inside its own ``<p>``."""
    return "".join(f"<p>{html.escape(p)}</p>" for p in item.paragraphs)


def feed_updated(items: Sequence[FeedItem]) -> dt.datetime:
    return max((i.updated for i in items), default=EPOCH)


# -- the three formats ------------------------------------------------------------------------------------
def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def atom(doc: FeedDoc) -> bytes:
    a = f"{{{ATOM_NS}}}"
    feed = ET.Element(f"{a}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ar"})
    _sub(feed, f"{a}title", doc.title)
    _sub(feed, f"{a}id", doc.id)
    _sub(feed, f"{a}updated", doc.updated.isoformat())
    _sub(feed, f"{a}link", rel="self", type=MEDIA_TYPES["atom"].split(";")[0], href=doc.self_url)
    _sub(feed, f"{a}link", rel="alternate", type="text/html", href=doc.page_url)
    _sub(_sub(feed, f"{a}author"), f"{a}name", "naba")
    _sub(feed, f"{a}generator", "naba")
    for item in doc.items:
        entry = _sub(feed, f"{a}entry")
        _sub(entry, f"{a}id", item.id)
        _sub(entry, f"{a}title", item.title)
        _sub(entry, f"{a}updated", item.updated.isoformat())
        _sub(entry, f"{a}published", item.published.isoformat())
        _sub(entry, f"{a}link", rel="alternate", type="text/html", href=item.link)
        if item.original:
            _sub(entry, f"{a}link", rel="related", type="text/html", href=item.original)
        for name in item.authors or ((item.publisher,) if item.publisher else ()):
            _sub(_sub(entry, f"{a}author"), f"{a}name", name)
        for tag in item.tags:
            _sub(entry, f"{a}category", term=tag)
        _sub(entry, f"{a}summary", item.summary, type="text")
        _sub(entry, f"{a}content", html_content(item), type="html")
    ET.register_namespace("", ATOM_NS)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def rss(doc: FeedDoc) -> bytes:
    root = ET.Element("rss", {"version": "2.0"})
    channel = _sub(root, "channel")
    _sub(channel, "title", doc.title)
    _sub(channel, "link", doc.page_url)
    _sub(channel, "description", doc.title)
    _sub(channel, "language", "ar")
    _sub(channel, "lastBuildDate", email.utils.format_datetime(doc.updated))
    _sub(channel, "generator", "naba")
    _sub(channel, f"{{{ATOM_NS}}}link", rel="self", type="application/rss+xml", href=doc.self_url)
    for item in doc.items:
        node = _sub(channel, "item")
        _sub(node, "title", item.title)
        _sub(node, "link", item.link)
        _sub(node, "guid", item.id, isPermaLink="false")
        _sub(node, "pubDate", email.utils.format_datetime(item.published))
        _sub(node, "description", html_content(item) or item.summary)
        for name in item.authors:
            _sub(node, f"{{{DC_NS}}}creator", name)
        for tag in item.tags:
            _sub(node, "category", tag)
        if item.original:
            _sub(node, "source", item.publisher or item.original, url=item.original)
    ET.register_namespace("atom", ATOM_NS)
    ET.register_namespace("dc", DC_NS)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def json_feed(doc: FeedDoc) -> bytes:
    items: list[dict[str, Any]] = []
    for item in doc.items:
        entry: dict[str, Any] = {
            "id": item.id,
            "url": item.link,
            "title": item.title,
            "summary": item.summary,
            "content_text": "\n\n".join(item.paragraphs),
            "date_published": item.published.isoformat(),
            "date_modified": item.updated.isoformat(),
            "language": "ar",
        }
        if item.original:
            entry["external_url"] = item.original
        if item.authors:
            entry["authors"] = [{"name": a} for a in item.authors]
        if item.tags:
            entry["tags"] = list(item.tags)
        items.append(entry)
    body = {
        "version": JSON_FEED_VERSION,
        "title": doc.title,
        "home_page_url": doc.page_url,
        "feed_url": doc.self_url,
        "language": "ar",
        "authors": [{"name": "naba"}],
        "items": items,
    }
    return json.dumps(body, ensure_ascii=False).encode()


RENDERERS: Final = {"atom": atom, "rss": rss, "json": json_feed}


def render_feed(doc: FeedDoc, fmt: FeedFormat) -> bytes:
    return RENDERERS[fmt](doc)
