"""Sitemaps: bytes in, URLs out. XML urlsets and sitemap indexes (sitemaps.org 0.9), Google News sitemaps,
plain-text sitemaps, gzip-compressed ones, and RSS/Atom feeds (which Google also accepts as sitemaps).

Contract
--------
* Pure functions over bytes; nothing here fetches. A child sitemap of an index is the caller's to fetch.
* Size: ``max_bytes`` bounds the bytes given and, for gzip (recognized by its magic bytes, whatever the URL
  or ``Content-Type`` says), the bytes decompressed: a gzip bomb raises :class:`SitemapTooLargeError` as
  soon as the output passes the limit, without inflating the rest. The default is the protocol's own
  50 MB (uncompressed) cap.
* Malformed XML is read with libxml2's recovery; what it recovers is kept with a warning, and a document
  that stops inside a ``<url>`` loses only that one. A document with no urlset or index in it raises
  :class:`SitemapError` (an HTML page: "not a sitemap: looks like an HTML page").
* Safety: lxml parses with entity resolution, DTD loading and network access off and ``huge_tree`` off:
  no XXE, no entity expansion.
* Elements are matched by local name, so sitemaps with the old Google 0.84 namespace, none, or a misspelt
  news namespace are read like correct ones. Datetimes are aware (UTC); a W3C date without a time is
  midnight UTC, a time without an offset is read as UTC.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import urljoin, urlsplit

from lxml import etree

from naba.errors import FeedError, NabaError, SitemapError, SitemapTooLargeError
from naba.extract.decode import decode_bytes
from naba.sources.feeds import parse_feed
from naba.sources.xmlsafe import safe_parser

SitemapKind = Literal["urlset", "index"]

# The sitemaps.org protocol caps a sitemap at 50 MB uncompressed (and 50,000 URLs).
MAX_SITEMAP_BYTES: Final = 50 * 1024 * 1024
NEWS_NAMESPACE: Final = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_NAMESPACE: Final = "http://www.sitemaps.org/schemas/sitemap/0.9"

_GZIP_MAGIC: Final = b"\x1f\x8b"
_HTML_ROOTS: Final = frozenset({"html", "head", "body"})
_FEED_ROOTS: Final = frozenset({"rss", "rdf", "feed"})
_URL_CLOSE: Final = re.compile(rb"</(?:[\w.-]+:)?url\s*>")
_SITEMAP_CLOSE: Final = re.compile(rb"</(?:[\w.-]+:)?sitemap\s*>")
_SITEMAP_LINE: Final = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)
# W3C datetime granularities below a full date ("2015", "2015-08"), which fromisoformat does not read.
_YEAR_MONTH: Final = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """One ``<url>`` (or one child ``<sitemap>`` of an index); the ``news_*`` fields come from ``<news:news>``."""

    loc: str
    lastmod: dt.datetime | None = None
    news_title: str | None = None
    news_published: dt.datetime | None = None
    news_language: str | None = None
    publication_name: str | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A urlset (``urls``) or an index (``sitemaps``: child sitemap URLs; ``index_entries``: the same with
    their ``lastmod``, for :func:`recent`)."""

    kind: SitemapKind
    urls: tuple[SitemapUrl, ...] = ()
    sitemaps: tuple[str, ...] = ()
    index_entries: tuple[SitemapUrl, ...] = ()
    warnings: tuple[str, ...] = ()


def _gunzip(content: bytes, max_bytes: int, url: str | None) -> tuple[bytes, list[str]]:
    """Inflate gzip bytes, refusing more than ``max_bytes`` of output; a cut stream keeps what it holds."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        # max_length stops inflation at the limit: a bomb never reaches memory.
        data = inflater.decompress(content, max_bytes + 1)
    except zlib.error as exc:
        raise SitemapError(f"not a readable gzip stream ({exc})", location=url, stage="sitemap") from exc
    if len(data) > max_bytes or inflater.unconsumed_tail:
        raise SitemapTooLargeError(
            f"gzip sitemap inflates past the {max_bytes}-byte limit (a gzip bomb?)",
            location=url,
            stage="sitemap",
        )
    warnings = [] if inflater.eof else ["gzip stream is truncated; read what it holds"]
    return data, warnings


def parse_sitemap(content: bytes, *, url: str | None = None, max_bytes: int = MAX_SITEMAP_BYTES) -> Sitemap:
    """Parse a sitemap (XML, Google News, index, plain text, gzip, or an RSS/Atom feed); raises
    :class:`SitemapError` for anything else and :class:`SitemapTooLargeError` over ``max_bytes``. ``url``
    (the sitemap's own address) resolves relative ``<loc>``\\s, which the protocol forbids but sites write."""
    if len(content) > max_bytes:
        raise SitemapTooLargeError(
            f"sitemap of {len(content)} bytes is over the {max_bytes}-byte limit",
            location=url,
            stage="sitemap",
        )
    warnings: list[str] = []
    if content.startswith(_GZIP_MAGIC):
        content, warnings = _gunzip(content, max_bytes, url)
    head = content[:4096].removeprefix(codecs.BOM_UTF8).lstrip()
    if not head:
        raise SitemapError("not a sitemap: empty document", location=url, stage="sitemap")
    if not head.startswith(b"<"):
        return _text_sitemap(content, url, warnings)
    return _xml_sitemap(content, url, warnings)


def _text_sitemap(content: bytes, url: str | None, warnings: list[str]) -> Sitemap:
    """One absolute URL a line (the protocol's text format); other lines are skipped with a warning."""
    try:
        text = decode_bytes(content, "charset=utf-8").text
    except NabaError as exc:
        raise SitemapError(f"not a sitemap: {exc}", location=url, stage="sitemap") from exc
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    locs = [loc for line in lines if (loc := _absolute(line, None))]
    if not locs:
        raise SitemapError("not a sitemap: no XML and no URL lines", location=url, stage="sitemap")
    if len(locs) < len(lines):
        warnings.append(f"{len(lines) - len(locs)} lines are not absolute http(s) URLs; skipped")
    urls = tuple(SitemapUrl(loc) for loc in dict.fromkeys(locs))
    return Sitemap(kind="urlset", urls=urls, warnings=tuple(warnings))


def _xml_parser() -> Any:
    return safe_parser(recover=True)


def _local(element: Any) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _xml_sitemap(content: bytes, url: str | None, warnings: list[str]) -> Sitemap:
    parser = _xml_parser()
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not a sitemap: {exc}", location=url, stage="sitemap") from exc
    if root is None:
        raise SitemapError("not a sitemap: no XML element could be read", location=url, stage="sitemap")
    if parser.error_log:
        warnings.append(f"malformed XML read leniently: {parser.error_log[0].message}")
    name = _local(root)
    if name == "urlset":
        return _urlset(root, content, url, warnings, bool(parser.error_log))
    if name == "sitemapindex":
        return _index(root, content, url, warnings, bool(parser.error_log))
    if name in _FEED_ROOTS:
        return _feed_sitemap(content, url, warnings)
    if name in _HTML_ROOTS:
        raise SitemapError("not a sitemap: looks like an HTML page", location=url, stage="sitemap")
    raise SitemapError(f"not a sitemap: its root element is <{name}>", location=url, stage="sitemap")


def _complete(
    elements: list[Any], content: bytes, closing: re.Pattern[bytes], recovered: bool, warnings: list[str]
) -> list[Any]:
    """Without the element a truncated document stops inside (its <loc> may be cut mid-URL)."""
    closed = len(closing.findall(content)) if recovered else len(elements)
    if closed < len(elements):
        warnings.append(f"dropped {len(elements) - closed} unclosed entry at the end (document truncated)")
        return elements[:closed]
    return elements


def _children(element: Any) -> dict[str, Any]:
    """Child elements by local name (the first of each)."""
    found: dict[str, Any] = {}
    for child in element:
        found.setdefault(_local(child), child)
    return found


def _text(element: Any | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _urlset(root: Any, content: bytes, url: str | None, warnings: list[str], recovered: bool) -> Sitemap:
    elements = _complete([el for el in root if _local(el) == "url"], content, _URL_CLOSE, recovered, warnings)
    urls: dict[str, SitemapUrl] = {}
    for element in elements:
        item = _url_entry(element, url)
        if item is not None:
            urls.setdefault(item.loc, item)
    if len(urls) < len(elements):
        warnings.append(
            f"{len(elements) - len(urls)} <url> entries without a usable <loc> or repeated; skipped"
        )
    return Sitemap(kind="urlset", urls=tuple(urls.values()), warnings=tuple(warnings))


def _url_entry(element: Any, base: str | None) -> SitemapUrl | None:
    parts = _children(element)
    loc = _absolute(_text(parts.get("loc")), base)
    if loc is None:
        return None
    news = _children(parts["news"]) if "news" in parts else {}
    publication = _children(news["publication"]) if "publication" in news else {}
    return SitemapUrl(
        loc=loc,
        lastmod=w3c_datetime(_text(parts.get("lastmod"))),
        news_title=_text(news.get("title")),
        news_published=w3c_datetime(_text(news.get("publication_date"))),
        news_language=_text(publication.get("language")) or _text(news.get("language")),
        publication_name=_text(publication.get("name")),
    )


def _index(root: Any, content: bytes, url: str | None, warnings: list[str], recovered: bool) -> Sitemap:
    elements = _complete(
        [el for el in root if _local(el) == "sitemap"], content, _SITEMAP_CLOSE, recovered, warnings
    )
    entries: dict[str, SitemapUrl] = {}
    for element in elements:
        parts = _children(element)
        if loc := _absolute(_text(parts.get("loc")), url):
            entries.setdefault(loc, SitemapUrl(loc, lastmod=w3c_datetime(_text(parts.get("lastmod")))))
    if len(entries) < len(elements):
        warnings.append(f"{len(elements) - len(entries)} <sitemap> entries without a usable <loc>; skipped")
    return Sitemap(
        kind="index",
        sitemaps=tuple(entries),
        index_entries=tuple(entries.values()),
        warnings=tuple(warnings),
    )


def _feed_sitemap(content: bytes, url: str | None, warnings: list[str]) -> Sitemap:
    """An RSS or Atom feed given as a sitemap (Google accepts them): its entry links, dated."""
    try:
        feed = parse_feed(content, url=url)
    except FeedError as exc:
        raise SitemapError(f"not a sitemap: {exc.message}", location=url, stage="sitemap") from exc
    urls = tuple(
        SitemapUrl(
            e.link, lastmod=e.updated or e.published, news_title=e.title or None, news_published=e.published
        )
        for e in feed.entries
        if e.link
    )
    return Sitemap(kind="urlset", urls=urls, warnings=(*warnings, *feed.warnings))


def _absolute(loc: str | None, base: str | None) -> str | None:
    if not loc:
        return None
    resolved = urljoin(base, loc) if base else loc
    parts = urlsplit(resolved)
    return resolved if parts.scheme in {"http", "https"} and parts.netloc else None


def w3c_datetime(value: str | None) -> dt.datetime | None:
    """A W3C datetime ("2015-08-02", "2015-08-02T10:00:00+03:00", "2015-08") as an aware UTC datetime; a
    missing time is midnight and a missing offset is UTC. None for anything unreadable."""
    if not value:
        return None
    text = value.strip()
    if match := _YEAR_MONTH.match(text):
        try:
            return dt.datetime(int(match.group(1)), int(match.group(2) or 1), 1, tzinfo=dt.UTC)
        except ValueError:
            return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def robots_sitemap_lines(robots_txt: str) -> list[str]:
    """The URLs of the ``Sitemap:`` lines of a robots.txt (any case, anywhere in the file), deduplicated in
    file order. A ``#`` comment after the URL is dropped."""
    found = (m.group(1).split("#", 1)[0] for m in _SITEMAP_LINE.finditer(robots_txt))
    return list(dict.fromkeys(u for u in found if u))


def recent(urls: Iterable[SitemapUrl], since: dt.datetime) -> list[SitemapUrl]:
    """The URLs published (news date, else ``lastmod``) on or after ``since``, in order; undated URLs are
    kept, since a sitemap's dates are optional and a missing one says nothing about age. A naive ``since``
    is read as UTC."""
    since = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    kept = []
    for item in urls:
        when = item.news_published or item.lastmod
        if when is None or when >= since:
            kept.append(item)
    return kept
