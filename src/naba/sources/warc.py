"""WARC archives (``.warc``, ``.warc.gz``; Common Crawl's CC-NEWS as it is published) read as a stream of
:class:`~naba.sources.files.InputItem`, through the same extractor as HTML files.

Contract
--------
* The archive is streamed record by record with fastwarc; at most one record's payload is in memory.
* Only ``response`` records are read (``request``, ``warcinfo``, ``metadata``, ``revisit`` ... are ignored).
  Each one gives one item located at ``<archive>#<WARC-Record-ID>`` (or ``#@<offset>`` without an id):

  - an article: extracted from the HTTP payload with ``url`` = ``WARC-Target-URI`` (so canonical URL and
    publisher work), ``fetched_at`` = ``WARC-Date`` (UTC), provenance source = the target URI;
  - a failure: a payload over ``max_record_bytes``, a truncated record, an undecodable content encoding, a
    page that broke an extractor limit or crashed it;
  - *skipped* (an item with neither articles nor failure, logged at debug level): records that are not
    HTTP (``dns:`` records), not status 200, not HTML, filtered out by :class:`WarcFilter`, or HTML pages
    without article text. Most of a news crawl is section fronts, tag pages and redirects; a failure row
    for each would bury the real failures listed by ``naba failures``. A summary of skips by reason is
    logged at info level when the archive ends.
* A corrupt archive (bad gzip member, garbage between records) stops the reading: the records before it
  are kept and one failure names the archive and the offset of the last good record.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import IO, Final
from urllib.parse import urlsplit

from fastwarc.stream_io import BrotliReader, ChunkedReader, GzipReader, WarcReader
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from naba.errors import (
    ConfigError,
    DecodeError,
    ExtractError,
    InputError,
    LimitExceededError,
    NabaError,
    TooLargeError,
)
from naba.extract.decode import decode_bytes
from naba.extract.generic import extract_html
from naba.sources.files import MAX_DOCUMENT_BYTES, InputItem, _failure
from naba.types import Article

__all__ = [
    "ARABIC_SCRIPT_LANGUAGES",
    "NO_FILTER",
    "SkipReason",
    "WarcFilter",
    "read_warc",
    "read_warc_stream",
]

log = logging.getLogger(__name__)

# Languages written in Arabic script: when every language asked for is one of them, a page with (almost) no
# Arabic letters is skipped before extraction.
ARABIC_SCRIPT_LANGUAGES: Final = frozenset({"ar", "fa", "ur", "ps", "ckb", "ku", "sd", "ug"})
# Arabic letters a page must hold to be worth extracting under an Arabic-script language filter. The leanest
# of the 160 extraction-synth pages holds 1,152; 20 is far below any article (a one-line brief has more), so
# the pre-check never drops a page the exact check (``Article.language`` after extraction) would keep.
MIN_ARABIC_LETTERS: Final = 20
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06fc]")
HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
# A page published just after midnight in UTC+14 can be fetched on the previous UTC day; one day of slack
# keeps the WARC-Date pre-check on ``since`` from dropping it.
_SINCE_SLACK: Final = dt.timedelta(days=1)
_READ_CHUNK: Final = 64 * 1024


class SkipReason(StrEnum):
    """Why a response record gave no article and no failure."""

    NOT_HTTP = "not-http"
    STATUS = "status"
    NOT_HTML = "not-html"
    HOST = "host"
    LANGUAGE = "language"
    DATE = "date"
    NOT_ARTICLE = "not-article"


@dataclass(frozen=True, slots=True)
class WarcFilter:
    """Which records to keep; every empty field keeps everything.

    ``hosts``: a host keeps itself and its subdomains (``aljazeera.net`` keeps ``www.aljazeera.net``).
    ``languages``: ``Article.language`` codes (``{"ar"}``); a page whose language is unknown is dropped.
    ``since``/``until`` (inclusive): the article's published day as the page states it, else the UTC day of
    its WARC-Date.
    """

    hosts: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        # Normalized here so that every comparison below is a plain lookup.
        object.__setattr__(self, "hosts", frozenset(h.strip().strip(".").lower() for h in self.hosts))
        object.__setattr__(self, "languages", frozenset(code.strip().lower() for code in self.languages))
        if self.since and self.until and self.since > self.until:
            raise ConfigError(f"since ({self.since}) is after until ({self.until})")

    def wants_url(self, url: str) -> bool:
        if not self.hosts:
            return True
        host = (urlsplit(url).hostname or "").rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def may_want_fetch(self, fetched_at: dt.datetime | None) -> bool:
        """False when the page was fetched too long before ``since`` to have been published after it."""
        return not (self.since and fetched_at and fetched_at.date() < self.since - _SINCE_SLACK)

    def may_want_text(self, content: bytes, content_type: str | None) -> bool:
        """A pre-check before extraction: under an Arabic-script language filter, does the page hold Arabic?

        Decoding costs about a quarter of an extraction (7 extraction-real pages: 28 ms against 115 ms), and
        most pages of a world-wide news crawl are not Arabic, so this skips most of the work of such a run.
        """
        if not self.languages or not self.languages <= ARABIC_SCRIPT_LANGUAGES:
            return True
        try:
            text = decode_bytes(content, content_type).text
        except DecodeError:
            return True  # the extractor reports it
        found = sum(1 for _ in islice(_ARABIC_LETTER.finditer(text), MIN_ARABIC_LETTERS))
        return found >= MIN_ARABIC_LETTERS

    def wants_article(self, article: Article) -> SkipReason | None:
        """The exact checks, after extraction: None when the article is kept."""
        if self.languages and (article.language or "") not in self.languages:
            return SkipReason.LANGUAGE
        if self.since or self.until:
            day = _published_day(article)
            if day is None or (self.since and day < self.since) or (self.until and day > self.until):
                return SkipReason.DATE
        return None


NO_FILTER: Final = WarcFilter()


def _published_day(article: Article) -> dt.date | None:
    published = article.published
    if isinstance(published, dt.datetime):
        return published.date()  # the day in the page's own offset: the day readers saw
    if published is not None:
        return published
    fetched = article.provenance.fetched_at
    return fetched.astimezone(dt.UTC).date() if fetched else None


# -- reading ------------------------------------------------------------------------------------------------
def read_warc(
    path: Path, *, filter: WarcFilter = NO_FILTER, max_record_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[InputItem]:
    """Every response record of the WARC file at ``path`` (plain or gzipped, detected from the bytes)."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield _failure(str(path), InputError(f"cannot open the archive ({exc})"))
        return
    with stream:
        yield from read_warc_stream(
            stream, location=str(path), filter=filter, max_record_bytes=max_record_bytes
        )


def read_warc_stream(
    stream: IO[bytes],
    *,
    location: str,
    filter: WarcFilter = NO_FILTER,
    max_record_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[InputItem]:
    """Like :func:`read_warc` on an open binary stream (a file, a zip member); ``location`` names it."""
    skipped: Counter[SkipReason] = Counter()
    articles = failures = 0
    last_good = "the start"
    records = ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except OSError as exc:  # fastwarc reports corrupt gzip and broken WARC headers as OSError
            failures += 1
            yield _failure(location, InputError(f"unreadable archive after {last_good}: {exc}"))
            break
        item_location, last_good = _record_location(location, record)
        outcome = _record_item(record, item_location, filter, max_record_bytes)
        if isinstance(outcome, SkipReason):
            skipped[outcome] += 1
            outcome = InputItem(item_location)
        elif outcome.failure is not None:
            failures += 1
        else:
            articles += 1
        yield outcome
    reasons = ", ".join(f"{reason}={count}" for reason, count in sorted(skipped.items())) or "none"
    log.info("%s: %d articles, %d failures, skipped: %s", location, articles, failures, reasons)


def _record_location(location: str, record: WarcRecord) -> tuple[str, str]:
    """The item's location, and how a failure after this record names it."""
    record_id = (record.record_id or "").strip("<> ")
    anchor = record_id or f"@{record.stream_pos}"
    return f"{location}#{anchor}", f"record {anchor} (at byte {record.stream_pos})"


def _record_item(
    record: WarcRecord, location: str, filter: WarcFilter, max_bytes: int
) -> InputItem | SkipReason:
    """The record's article, a failure, or why it was skipped."""
    url = record.headers.get("WARC-Target-URI") or ""
    fetched_at = _warc_date(record)
    skip = _skip_before_reading(record, url, fetched_at, filter)
    if skip is not None:
        return _skipped(location, skip, url)
    try:
        content = _payload(record, max_bytes)
    except NabaError as exc:
        return _failure(location, exc)
    content_type = record.http_headers.get("Content-Type")
    if not filter.may_want_text(content, content_type):
        return _skipped(location, SkipReason.LANGUAGE, url)
    try:
        article = extract_html(
            content, url=url or None, source=url or location, content_type=content_type, fetched_at=fetched_at
        )
    except (LimitExceededError, InputError) as exc:  # a possible article the extractor could not take
        return _failure(location, exc, stage="extract")
    except ExtractError as exc:  # no article text, or no document at all: a front page, a tag page
        return _skipped(location, SkipReason.NOT_ARTICLE, url, exc)
    except Exception as exc:  # an extractor bug on one page must not end a run over a whole crawl
        log.exception("%s: extract failed on %s", location, url)
        return _failure(location, exc, stage="extract")
    skip = filter.wants_article(article)
    return _skipped(location, skip, url) if skip else InputItem(location, (article,))


def _skip_before_reading(
    record: WarcRecord, url: str, fetched_at: dt.datetime | None, filter: WarcFilter
) -> SkipReason | None:
    """The checks that need only headers, cheapest first."""
    if not record.is_http:
        return SkipReason.NOT_HTTP
    if not filter.wants_url(url):
        return SkipReason.HOST
    if not filter.may_want_fetch(fetched_at):
        return SkipReason.DATE
    headers = record.http_headers
    if headers is None:  # HTTP headers cut off: reported as truncated by _payload
        return None
    if headers.status_code != 200:
        return SkipReason.STATUS
    return None if _is_html(record) else SkipReason.NOT_HTML


def _is_html(record: WarcRecord) -> bool:
    # The server's Content-Type first; CC-NEWS also records the type it identified from the bytes, which is
    # all there is when the server sent none.
    declared = record.http_content_type or record.headers.get("WARC-Identified-Payload-Type") or ""
    return declared.split(";")[0].strip().lower() in HTML_TYPES


def _warc_date(record: WarcRecord) -> dt.datetime | None:
    try:
        when = record.record_date
    except (ValueError, OSError):
        return None
    if when is None:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _skipped(location: str, reason: SkipReason, url: str, why: Exception | None = None) -> SkipReason:
    log.debug("%s: skipped %s (%s)%s", location, url, reason, f": {why}" if why else "")
    return reason


# -- payloads -----------------------------------------------------------------------------------------------
def _payload(record: WarcRecord, max_bytes: int) -> bytes:
    """The HTTP body with its transfer and content encodings undone; raises InputError when it is cut short.

    fastwarc is asked for the raw body (no ``auto_decode``): only then does its length, compared with the
    record's, tell a truncated record, which fastwarc itself reads without complaint.
    """
    if record.http_headers is None:
        raise InputError("truncated record: its HTTP headers are cut off")
    expected = record.content_length
    if expected > max_bytes:
        raise TooLargeError(f"payload of {expected} bytes is over the {max_bytes}-byte limit")
    try:
        raw = _read_up_to(record.reader, max_bytes)
    except OSError as exc:  # a gzip member that breaks inside the record
        raise InputError(f"unreadable record: {exc}") from exc
    if len(raw) < expected:
        raise InputError(f"truncated record: {len(raw)} of {expected} payload bytes")
    return _decode_body(raw, record, max_bytes)


def _read_up_to(reader: WarcReader, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes, so that a caller can tell "over the limit" from "exactly at it"."""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = reader.read(min(_READ_CHUNK, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


# Readers that undo one HTTP content coding; CC-NEWS stores bodies already decoded, other crawlers
# (wget, warcprox, Browsertrix) store them as the server sent them.
_CONTENT_DECODERS: dict[str, Callable[[bytes], WarcReader]] = {
    "gzip": lambda raw: GzipReader(io.BytesIO(raw)),
    "x-gzip": lambda raw: GzipReader(io.BytesIO(raw)),
    "deflate": lambda raw: GzipReader(io.BytesIO(raw), zlib=True),
    "br": lambda raw: BrotliReader(io.BytesIO(raw)),
}
_GZIP_CODINGS = frozenset({"gzip", "x-gzip"})
_GZIP_MAGIC = b"\x1f\x8b"


def _decode_body(raw: bytes, record: WarcRecord, max_bytes: int) -> bytes:
    headers = record.http_headers
    body = raw
    try:
        if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
            body = _read_up_to(ChunkedReader(io.BytesIO(body)), max_bytes)
        for coding in reversed(
            [c.strip().lower() for c in (headers.get("Content-Encoding") or "").split(",")]
        ):
            if coding in ("", "identity"):
                continue
            if coding in _GZIP_CODINGS and not body.startswith(_GZIP_MAGIC):
                continue  # stored decoded under the server's header, as some crawlers do
            decoder = _CONTENT_DECODERS.get(coding)
            if decoder is None:
                raise InputError(f"unsupported content encoding {coding!r}")
            body = _read_up_to(decoder(body), max_bytes)
    except OSError as exc:
        raise InputError(f"cannot decode the HTTP body: {exc}") from exc
    if len(body) > max_bytes:
        raise TooLargeError(f"decoded payload is over the {max_bytes}-byte limit")
    return body
