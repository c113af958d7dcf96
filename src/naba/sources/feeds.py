"""Feeds: bytes in, typed entries out. RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 here.

Contract
--------
* Pure functions over bytes: nothing here fetches, and nothing reads the file system.
* What a document is comes from its bytes, never from ``Content-Type``: feeds are served as ``text/html``
  and HTML pages as ``application/rss+xml``. :func:`looks_like_feed` sniffs; :func:`parse_feed` refuses an
  HTML page with :class:`FeedError` ("not a feed: looks like an HTML page").
* Charset: BOM, then the HTTP charset, then the XML declaration (default UTF-8), read by
  :func:`naba.extract.decode.decode_bytes`; a declared charset the bytes contradict (windows-1256 bytes
  declared UTF-8, UTF-8 declared windows-1256) is overruled with a warning. feedparser is then handed the
  text re-encoded as UTF-8, so it never guesses.
* Recovery: a malformed feed (feedparser's ``bozo``) keeps the entries that were read, with a warning; a
  truncated document loses only the entry it ends inside. Duplicate keys (GUID, else link) keep the first.
  Dates feedparser cannot read are tried as Arabic datelines; a date without a zone is dropped (warning).
* Safety: feedparser drops DOCTYPE entity declarations other than plain-text ones and never fetches an
  external DTD, so there is no XXE and no entity expansion; it also sanitizes entry HTML. JSON Feed HTML is
  passed on as the feed gives it: only the text derived from it (paragraphs) is meant to be shown.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import hashlib
import html as html_lib
import io
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import urljoin, urlsplit

import feedparser  # type: ignore[import-untyped]

from naba.errors import DecodeError, FeedError, NabaError, TooLargeError
from naba.extract import boilerplate
from naba.extract import content as content_stage
from naba.extract.article import build_article
from naba.extract.dates import parse_dateline
from naba.extract.decode import declared_charset, decode_bytes
from naba.extract.generic import guess_language
from naba.extract.limits import parse_html_limited
from naba.identity import identity_text
from naba.text.normalize import fold_key
from naba.types import Article, Image, Provenance

log = logging.getLogger(__name__)

FeedKind = Literal["rss", "atom", "json"]


# Largest feed accepted. Busy Arabic news feeds with full content run to 1-3 MB (50-100 items of a few KB of
# HTML each); 20 MB is several times that, and anything bigger is a dump or an attack, refused, not cut.
MAX_FEED_BYTES: Final = 20 * 1024 * 1024
# How far sniffing looks for the root element: PHP warnings and long comments come before some feeds.
SNIFF_CHARS: Final = 64 * 1024

# A full article, not a teaser (see FeedEntry.has_full_content). Calibrated on SaudiNewsNet (first 5 days,
# 9,968 articles): the first paragraph of a multi-paragraph article - what a feed's <description> usually
# holds - is 216 characters at the median, 352 at the 75th and 559 at the 90th percentile, and a WordPress
# excerpt (55 words at ~6 characters a word) is about 330. An element the feed declares as the content
# (content:encoded, Atom content, content_html) is trusted from 400 characters; a summary alone needs 600,
# which keeps ~90% of lead-paragraph summaries out. A paragraph is a prose block of the extractor (about
# ten words); three of them are an article whatever their length. Erring towards "teaser" costs one page
# fetch; erring the other way stores a cut article.
MIN_FULL_CHARS: Final = 400
MIN_FULL_SUMMARY_CHARS: Final = 600
MIN_FULL_PARAGRAPHS: Final = 3
MIN_PARAGRAPH_CHARS: Final = content_stage.PROSE_MIN_CHARS

_FEED_ROOTS: Final[dict[str, FeedKind]] = {"rss": "rss", "rdf": "rss", "feed": "atom"}
_HTML_ROOTS: Final = frozenset({"html", "head", "body"})
_PROLOG: Final = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I)
_ELEMENT: Final = re.compile(r"\s*<(?:[\w.-]+:)?([\w.-]+)")
_JSON_FEED_VERSION: Final = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_JSON_FEED_VERSION_URL: Final = re.compile(r"https?://jsonfeed\.org/version/")
_XML_DECLARATION: Final = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_ENCODING: Final = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# Characters XML 1.0 forbids; CMS exports leak them (form feeds, vertical tabs) and a strict parser stops.
_XML_FORBIDDEN: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CDATA: Final = re.compile(r"<!\[CDATA\[.*?(?:\]\]>|\Z)", re.S)
_ENTRY_OPEN: Final = re.compile(r"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
_ENTRY_CLOSE: Final = re.compile(r"</(?:[\w.-]+:)?(?:item|entry)\s*>")
_HAS_TAG: Final = re.compile(r"<[A-Za-z!/]")
# "[…]" closes WordPress excerpts; a trailing ellipsis or "read more" link closes other teasers.
_BRACKETED_ELLIPSIS: Final = re.compile(r"[\[(]\s*(?:…|\.{3,})\s*[\])]\s*$")
_TRAILING_ELLIPSIS: Final = re.compile(r"(?:…|\.{3,})\s*$")
# Punctuation around a "read more" link, as it reads after folding (fold_key maps « » to ").
_TEASER_PUNCT: Final = ' :."|-'
_MORE_LINKS: Final = tuple(
    fold_key(x)
    for x in ("اقرأ المزيد", "المزيد", "تابع القراءة", "أكمل القراءة", "اقرأ التفاصيل", "التفاصيل",
              "read more", "continue reading", "more")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed. ``link`` is absolute (None when the feed gives none that can be made absolute);
    datetimes are aware (UTC). ``summary_html``/``content_html`` are HTML; ``images`` are absolute URLs of
    enclosures, media content and thumbnails."""

    guid: str | None
    link: str | None
    title: str
    published: dt.datetime | None
    updated: dt.datetime | None
    summary_html: str | None
    content_html: str | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    images: tuple[str, ...] = ()

    def key(self) -> str:
        """A stable key for the item: its GUID, else its link, else a hash of its folded title."""
        return (
            self.guid
            or self.link
            or "title:" + hashlib.sha256(identity_text(self.title).encode()).hexdigest()[:32]
        )

    def full_text(self) -> str:
        """The plain text of the content (else the summary), one block a line, tags and scripts dropped."""
        return "\n".join(_text_blocks(self.content_html or self.summary_html or ""))

    @property
    def has_full_content(self) -> bool:
        """True when the content (else the summary) is a whole article rather than a teaser; the thresholds
        and their calibration are at :data:`MIN_FULL_CHARS`."""
        declared = bool(self.content_html and self.content_html.strip())
        html = self.content_html if declared else self.summary_html
        return bool(html) and _is_full_text(_text_blocks(html or ""), declared_content=declared)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed as read: its kind, channel data, entries in feed order and what went wrong on the way."""

    kind: FeedKind
    title: str
    site_url: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...]


# -- sniffing ----------------------------------------------------------------------------------------------
def _sniff_text(content: bytes) -> str:
    """The head of a document as text good enough to find its markup (any ASCII-compatible charset)."""
    head = content[: SNIFF_CHARS * 2]
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, "replace")[:SNIFF_CHARS]
    return head.removeprefix(codecs.BOM_UTF8)[:SNIFF_CHARS].decode("latin-1")


def _root_name(text: str) -> str | None:
    """The local name (lower-cased) of the first element after the prolog (declaration, comments, DOCTYPE)."""
    pos = 0
    while (match := _PROLOG.match(text, pos)) and match.end() > pos:
        pos = match.end()
    element = _ELEMENT.match(text, pos)
    return element.group(1).lower() if element else None


def _feed_start(text: str) -> tuple[FeedKind, int] | None:
    """The feed's kind and where its XML starts in ``text``, or None when it is no RSS/Atom document."""
    root = _root_name(text)
    if root in _FEED_ROOTS:
        return _FEED_ROOTS[root], 0
    # PHP sites print warnings ("<br />\n<b>Warning</b>: ...") before the feed; a feed root right after a
    # later XML declaration still counts, and the junk is cut.
    declaration = text.find("<?xml")
    late = _root_name(text[declaration:]) if declaration > 0 else None
    return (_FEED_ROOTS[late], declaration) if late in _FEED_ROOTS else None


def _is_json_feed(content: bytes, text: str) -> bool:
    if _JSON_FEED_VERSION.search(text):
        return True
    if len(content) > MAX_FEED_BYTES:
        return False
    try:  # "version" may come after "items" (keys sorted), beyond the sniffed head
        data = json.loads(decode_bytes(content, "charset=utf-8").text)
    except (ValueError, NabaError):
        return False
    return _is_json_feed_object(data)


def _is_json_feed_object(data: Any) -> bool:
    version = data.get("version") if isinstance(data, dict) else None
    return isinstance(version, str) and _JSON_FEED_VERSION_URL.match(version) is not None


def looks_like_feed(content: bytes) -> bool:
    """True when the bytes are an RSS, RDF, Atom or JSON Feed document, whatever they were served as."""
    text = _sniff_text(content)
    if text.lstrip().startswith("{"):
        return _is_json_feed(content, text)
    return _feed_start(text) is not None


# -- decoding ----------------------------------------------------------------------------------------------
def _decode(content: bytes, content_type: str | None, url: str | None) -> tuple[str, list[str]]:
    """Decoded text and warnings about its charset (see the module docstring)."""
    head = content[:1024].removeprefix(codecs.BOM_UTF8).decode("latin-1")
    http = declared_charset(b"", content_type)
    in_xml = _XML_ENCODING.match(head)
    label = http[0] if http else (in_xml.group(1) if in_xml else "utf-8")
    try:
        decoded = decode_bytes(content, f"charset={label}")
    except DecodeError as exc:
        raise FeedError(f"not a feed: {exc.message}", location=url, stage="feed") from exc
    warnings = []
    if decoded.evidence not in {"bom", "http"}:
        warnings.append(f"declared charset {label} does not fit the bytes; read as {decoded.encoding}")
    return decoded.text, warnings


def parse_feed(
    content: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    max_bytes: int = MAX_FEED_BYTES,
) -> ParsedFeed:
    """Parse RSS, RDF, Atom or JSON Feed bytes; raises :class:`FeedError` for anything else (an HTML page, an
    empty or unreadable document) and :class:`TooLargeError` over ``max_bytes``. ``url`` (the feed's own
    address) resolves relative links."""
    if len(content) > max_bytes:
        raise TooLargeError(f"feed of {len(content)} bytes is over the {max_bytes}-byte limit", location=url)
    if not content.strip():
        raise FeedError("not a feed: empty document", location=url, stage="feed")
    text, warnings = _decode(content, content_type, url)
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        return _parse_json_feed(text, url, warnings)
    start = _feed_start(text[:SNIFF_CHARS])
    if start is None:
        root = _root_name(text[:SNIFF_CHARS])
        if root in _HTML_ROOTS or re.search(r"<!doctype\s+html", text[:SNIFF_CHARS], re.I):
            raise FeedError("not a feed: looks like an HTML page", location=url, stage="feed")
        what = f"its root element is <{root}>" if root else "no XML element found"
        raise FeedError(f"not a feed: {what}", location=url, stage="feed")
    kind, offset = start
    if offset:
        warnings.append(f"ignored {offset} characters of junk before the XML declaration")
    return _parse_xml_feed(text[offset:], kind, url, warnings)


# -- RSS and Atom ------------------------------------------------------------------------------------------
def _as_utf8_xml(text: str) -> bytes:
    body = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + _XML_FORBIDDEN.sub("", body.lstrip()).encode()


def _parse_xml_feed(text: str, kind: FeedKind, url: str | None, warnings: list[str]) -> ParsedFeed:
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    # Sanitizing and link resolution are feedparser module globals: pinned here, whatever else sets them.
    result = feedparser.parse(
        io.BytesIO(_as_utf8_xml(text)),
        response_headers=headers,
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    raw_entries = list(result.get("entries") or [])
    if result.get("bozo"):
        warnings.append(f"malformed feed read leniently: {result.get('bozo_exception')}")
        if _ends_inside_entry(text, len(raw_entries)):
            raw_entries.pop()
            warnings.append("dropped the last entry: the document ends inside it (truncated)")
    channel = dict(result.get("feed") or {})
    if not result.get("version") and not raw_entries and not channel.get("title"):
        raise FeedError("not a feed: nothing in it could be parsed", location=url, stage="feed")
    plain = [dict(raw) for raw in raw_entries]
    entries = [_xml_entry(raw, kind, url) for raw in plain]
    _warn_undated(
        warnings, [(raw.get("published"), entry) for raw, entry in zip(plain, entries, strict=True)]
    )
    return ParsedFeed(
        kind=kind,
        title=_plain(str(channel.get("title") or "")),
        site_url=_absolute(channel.get("link"), url),
        language=_language(channel.get("language")),
        entries=_unique(entries, warnings),
        warnings=tuple(warnings),
    )


def _ends_inside_entry(text: str, parsed: int) -> bool:
    """True when the document stops inside an item: more entries parsed than closing tags written."""
    bare = _CDATA.sub("", text)
    closed = len(_ENTRY_CLOSE.findall(bare))
    return parsed > 0 and closed < parsed and closed < len(_ENTRY_OPEN.findall(bare))


def _xml_entry(raw: dict[str, Any], kind: FeedKind, base: str | None) -> FeedEntry:
    """One feedparser entry (read as a plain dict: FeedParserDict maps a missing ``updated`` to
    ``published``, which is the confusion this avoids)."""
    published = _struct_time(raw.get("published_parsed")) or _text_date(raw.get("published"))
    updated = _struct_time(raw.get("updated_parsed")) or _text_date(raw.get("updated"))
    if published is None and kind == "rss":
        # RSS has no "updated": its dc:date (which feedparser files under updated) is the item's date.
        published = updated
    contents = [c for c in raw.get("content") or [] if str(c.get("value") or "").strip()]
    summary = str(raw.get("summary") or "").strip()
    summary_type = (raw.get("summary_detail") or {}).get("type")
    guid = str(raw.get("id") or "").strip() or None
    return FeedEntry(
        guid=guid,
        link=_absolute(raw.get("link"), base),
        title=_plain(str(raw.get("title") or "")),
        published=published,
        updated=updated,
        summary_html=_as_html(summary, summary_type) if summary else None,
        content_html=_as_html(str(contents[0]["value"]), contents[0].get("type")) if contents else None,
        authors=_names(raw),
        tags=_distinct(str(t.get("term") or t.get("label") or "") for t in raw.get("tags") or []),
        images=_xml_images(raw, base),
    )


def _as_html(value: str, kind: Any) -> str:
    """Entry text as HTML: feedparser hands over HTML, or plain text when the feed says ``text/plain``."""
    return _text_as_html(value) if kind == "text/plain" else value


def _names(raw: dict[str, Any]) -> tuple[str, ...]:
    people = raw.get("authors") or []
    names = [str(p.get("name") or p.get("email") or "") for p in people if isinstance(p, dict)]
    return _distinct(names or [str(raw.get("author") or "")])


def _xml_images(raw: dict[str, Any], base: str | None) -> tuple[str, ...]:
    urls = [
        link.get("href")
        for link in raw.get("links") or []
        if link.get("rel") == "enclosure" and str(link.get("type") or "").startswith("image/")
    ]
    urls += [
        media.get("url")
        for media in raw.get("media_content") or []
        if media.get("medium") == "image" or str(media.get("type") or "").startswith("image/")
    ]
    urls += [thumb.get("url") for thumb in raw.get("media_thumbnail") or []]
    return _distinct(u for url in urls if (u := _absolute(url, base)))


# -- JSON Feed ---------------------------------------------------------------------------------------------
def _parse_json_feed(text: str, url: str | None, warnings: list[str]) -> ParsedFeed:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FeedError(f"not a feed: invalid JSON ({exc})", location=url, stage="feed") from exc
    if not _is_json_feed_object(data):
        raise FeedError("not a feed: JSON without a JSON Feed version", location=url, stage="feed")
    base = url or _absolute(data.get("feed_url"), None)
    items = data.get("items")
    if not isinstance(items, list):
        warnings.append("JSON Feed without an items list")
        items = []
    feed_authors = _json_authors(data)
    objects = [item for item in items if isinstance(item, dict)]
    if len(objects) < len(items):
        warnings.append(f"{len(items) - len(objects)} items are not JSON objects; skipped")
    entries = [_json_entry(item, base, feed_authors) for item in objects]
    _warn_undated(
        warnings, [(item.get("date_published"), e) for item, e in zip(objects, entries, strict=True)]
    )
    return ParsedFeed(
        kind="json",
        title=_plain(str(data.get("title") or "")),
        site_url=_absolute(data.get("home_page_url"), base),
        language=_language(data.get("language")),
        entries=_unique(entries, warnings),
        warnings=tuple(warnings),
    )


def _json_authors(obj: dict[str, Any]) -> tuple[str, ...]:
    """JSON Feed 1.1 ``authors`` (a list) or 1.0 ``author`` (one object)."""
    authors = obj.get("authors")
    people: list[Any] = authors if isinstance(authors, list) else [obj.get("author")]
    return _distinct(str(p.get("name") or "") for p in people if isinstance(p, dict))


def _json_entry(item: dict[str, Any], base: str | None, feed_authors: tuple[str, ...]) -> FeedEntry:
    content_html = _str_or_none(item.get("content_html"))
    if content_html is None and (content_text := _str_or_none(item.get("content_text"))):
        content_html = _text_as_html(content_text)
    summary = _str_or_none(item.get("summary"))
    tags: list[Any] = item["tags"] if isinstance(item.get("tags"), list) else []
    images = (_absolute(item.get(key), base) for key in ("image", "banner_image"))
    return FeedEntry(
        guid=None if item.get("id") is None else str(item["id"]).strip() or None,
        link=_absolute(item.get("url"), base),
        title=_plain(str(item.get("title") or "")),
        published=_iso_date(item.get("date_published")),
        updated=_iso_date(item.get("date_modified")),
        summary_html=_text_as_html(summary) if summary else None,
        content_html=content_html,
        authors=_json_authors(item) or feed_authors,
        tags=_distinct(str(t) for t in tags),
        images=_distinct(u for u in images if u),
    )


# -- values ------------------------------------------------------------------------------------------------
def _str_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _distinct(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in (" ".join(str(x).split()) for x in values) if v))


def _language(value: Any) -> str | None:
    return str(value).strip().lower() or None if value else None


def _absolute(link: Any, base: str | None) -> str | None:
    """An absolute http(s) URL, resolving ``link`` against ``base``; None when that is impossible."""
    if not isinstance(link, str) or not link.strip():
        return None
    resolved = urljoin(base, link.strip()) if base else link.strip()
    parts = urlsplit(resolved)
    return resolved if parts.scheme in {"http", "https"} and parts.netloc else None


def _plain(text: str) -> str:
    """Text with markup stripped and entities unescaped ("&lt;b&gt;عاجل&lt;/b&gt;" and "<b>عاجل</b>" → "عاجل")."""
    text = html_lib.unescape(text)
    if _HAS_TAG.search(text):
        text = " ".join(_text_blocks(text))
    return " ".join(text.split())


def _text_as_html(text: str, *, escaped: bool = False) -> str:
    """Text as HTML paragraphs, one a line (plain-text feeds break paragraphs with newlines); ``escaped``
    text is HTML already (entities, no tags) and is not escaped again."""
    lines = (line.strip() for line in text.splitlines())
    return "".join(f"<p>{line if escaped else html_lib.escape(line)}</p>" for line in lines if line)


def _struct_time(value: Any) -> dt.datetime | None:
    """feedparser's parsed dates are UTC ``struct_time``\\s."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.UTC)
    except ValueError:
        return None


def _text_date(value: Any) -> dt.datetime | None:
    """A date feedparser could not read, as an Arabic (or English) dateline; only an instant is kept."""
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = parse_dateline(value)
    when = parsed.as_published() if parsed is not None else None
    return when.astimezone(dt.UTC) if isinstance(when, dt.datetime) else None


def _warn_undated(warnings: list[str], dated: list[tuple[Any, FeedEntry]]) -> None:
    """One warning for entries whose stated date was not read (unparseable, or a day without a zone)."""
    lost = sum(1 for stated, entry in dated if stated and entry.published is None)
    if lost:
        warnings.append(f"{lost} entries state a date that could not be read as an instant; left undated")


def _iso_date(value: Any) -> dt.datetime | None:
    """An RFC 3339 date-time (JSON Feed); a missing offset is read as UTC, as feedparser reads RSS dates."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return _text_date(value)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _unique(entries: list[FeedEntry], warnings: list[str]) -> tuple[FeedEntry, ...]:
    """Entries with distinct keys, the first of each kept (feeds repeat items when a CMS republishes).

    A GUID shared by entries with *different* links is a broken GUID (some CMSs emit the site URL or "0"
    for every item), not one item: those entries are keyed by their links instead, so none of them is lost.
    """
    links_of: dict[str, set[str | None]] = {}
    for entry in entries:
        if entry.guid:
            links_of.setdefault(entry.guid, set()).add(entry.link)
    broken = {guid for guid, links in links_of.items() if len(links) > 1}
    if broken:
        warnings.append(
            f"{len(broken)} GUID(s) shared by items with different links; those items are keyed by link"
        )
        entries = [dataclasses.replace(e, guid=None) if e.guid in broken and e.link else e for e in entries]
    kept: dict[str, FeedEntry] = {}
    links: set[str] = set()
    for entry in entries:
        if entry.key() in kept or (entry.link and entry.link in links):
            continue
        kept[entry.key()] = entry
        if entry.link:
            links.add(entry.link)
    if len(kept) < len(entries):
        warnings.append(
            f"{len(entries) - len(kept)} entries repeat an earlier GUID or link; the first was kept"
        )
    return tuple(kept.values())


# -- entry text --------------------------------------------------------------------------------------------
def _fragment_root(html: str) -> Any:
    if not _HAS_TAG.search(html):
        html = _text_as_html(html, escaped=True)
    root = parse_html_limited(f"<html><body><div>{html}</div></body></html>")
    content_stage.clean_tree(root)
    return root


def _text_blocks(html: str) -> list[str]:
    """The text blocks of an HTML fragment (split at block tags and ``<br>``), in order."""
    if not html.strip():
        return []
    try:
        root = _fragment_root(html)
    except NabaError as exc:  # a hostile fragment (nesting, attributes) holds no text worth reading
        log.info("feed entry HTML not read: %s", exc)
        return []
    body = root.find(".//body")
    blocks, _strong = content_stage.walk_blocks(body if body is not None else root)
    return [block.text for block in blocks]


def _is_full_text(blocks: list[str], *, declared_content: bool) -> bool:
    paragraphs = [b for b in blocks if len(b) >= MIN_PARAGRAPH_CHARS and not boilerplate.is_ui_line(b)]
    if len(paragraphs) >= MIN_FULL_PARAGRAPHS:
        return True
    if not blocks or any(_BRACKETED_ELLIPSIS.search(b) for b in blocks) or _ends_as_teaser(blocks[-1]):
        return False
    chars = sum(len(p) for p in paragraphs)
    return chars >= (MIN_FULL_CHARS if declared_content else MIN_FULL_SUMMARY_CHARS)


def _ends_as_teaser(last: str) -> bool:
    folded = fold_key(last).strip(_TEASER_PUNCT)
    more = any(folded == phrase or folded.endswith(" " + phrase) for phrase in _MORE_LINKS)
    return more or bool(_TRAILING_ELLIPSIS.search(last))


def _article_text(html: str, title: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """Lead, paragraphs and inline read-also headlines of an entry's HTML, by the extractor's content stage
    (read-also blocks, captions, UI lines and bylines dropped); every text block when it finds no prose."""
    try:
        root = _fragment_root(html)
    except NabaError:
        return None, (), ()
    main = content_stage.extract_content(root, title=title)
    if main.paragraphs or main.lead:
        return main.lead, main.paragraphs, main.related_headlines
    body = root.find(".//body")
    blocks, _strong = content_stage.walk_blocks(body if body is not None else root)
    return None, tuple(b.text for b in blocks if not b.furniture and not boilerplate.is_ui_line(b.text)), ()


def entry_article(
    entry: FeedEntry, *, feed_url: str, publisher: str | None, fetched_at: dt.datetime
) -> Article | None:
    """The article a full-content entry carries; None for a teaser (fetch ``entry.link`` instead).

    The id is :func:`naba.identity.article_identity` of the entry's link (else its title and first
    paragraph), so the same item read twice, or read from its page, gets the same id.
    """
    if not entry.has_full_content:
        return None
    html = entry.content_html or entry.summary_html or ""
    lead, paragraphs, related = _article_text(html, entry.title)
    if not paragraphs and not lead:
        return None
    raw = "\n".join((entry.key(), entry.title, html)).encode()
    evidence = {"text": "feed:content" if entry.content_html else "feed:summary"}
    # Atom requires <updated> and makes <published> optional: an entry with only the former was first
    # published then, as far as the feed says.
    published = entry.published or entry.updated
    if entry.published is not None:
        evidence["published"] = "feed"
    elif published is not None:
        evidence["published"] = "feed:updated"
    return build_article(
        url=entry.link,
        canonical_url=entry.link,
        publisher=publisher,
        language=guess_language(" ".join((entry.title, *paragraphs))),
        title=entry.title,
        lead=lead,
        body_paragraphs=paragraphs,
        authors=entry.authors,
        published=published,
        updated=entry.updated,
        tags=entry.tags,
        images=(Image(url) for url in entry.images),
        related_headlines=related,
        provenance=Provenance(
            source=feed_url, fetched_at=fetched_at, raw_sha256=hashlib.sha256(raw).hexdigest()
        ),
        evidence=evidence,
    )


# -- discovery ---------------------------------------------------------------------------------------------
# Older Arabic CMSs announce their RSS as plain XML (text/xml, application/xml).
_FEED_TYPES: Final = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
     "application/json", "text/xml", "application/xml"}
)  # fmt: skip
# WordPress announces its REST API on every page as <link rel="alternate" type="application/json">: not a feed.
_NOT_FEED_PATH: Final = re.compile(r"/wp-json/|/oembed", re.I)
_COMMENTS_FEED: Final = re.compile(r"/comments/feed|comments-rss|[?&]feed=comments", re.I)
_FEED_PATH_ENDINGS: Final = (
    "/feed", "/rss", "/atom", "/rss2", "/feeds", "/rss.xml", "/atom.xml", "/feed.xml", "/index.rss", ".rss",
)  # fmt: skip


def _is_feed_path(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.lower().rstrip("/")
    if _COMMENTS_FEED.search(url):
        return False
    return (
        path.endswith(_FEED_PATH_ENDINGS)
        or (path.endswith(".xml") and "rss" in path)
        or parts.netloc.lower().startswith("feeds.")
    )


def discover_feeds(html: bytes, base_url: str) -> list[str]:
    """Feed URLs a page announces, absolute, deduplicated, in page order.

    ``<link rel="alternate">`` of a feed type first (comment feeds last); when there is none, ``<a href>``\\s
    to obvious feed paths (``/feed``, ``/rss``, ``.xml`` with "rss" in the path, ``feeds.`` hosts).
    A ``<base href>`` is honoured. The URLs are candidates: check them with :func:`looks_like_feed`.
    """
    try:
        root = parse_html_limited(decode_bytes(html).text)
    except NabaError as exc:
        log.info("feed discovery: page not parsed: %s", exc)
        return []
    base_el = root.find(".//base[@href]")
    base = urljoin(base_url, base_el.get("href").strip()) if base_el is not None else base_url
    announced: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = _absolute(link.get("href"), base)
        if "alternate" in rel and kind in _FEED_TYPES and href and not _NOT_FEED_PATH.search(href):
            announced.append(href)
    if announced:
        ordered = [u for u in announced if not _COMMENTS_FEED.search(u)]
        ordered += [u for u in announced if _COMMENTS_FEED.search(u)]
        return list(dict.fromkeys(ordered))
    anchors = (_absolute(a.get("href"), base) for a in root.iter("a"))
    return list(dict.fromkeys(u for u in anchors if u and _is_feed_path(u)))
