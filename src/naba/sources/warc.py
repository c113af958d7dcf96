"""WARC archives (``.warc``, ``.warc.gz``; Common Crawl's CC-NEWS as it is published) read as a stream of
:class:`~naba.sources.inputs.InputItem`, through the same extractor as HTML files.

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
* A record of any type cut off by the end of the archive (in its WARC headers, its HTTP headers or its
  payload) is a failure at its location, never a skip: only the last record of an archive can be cut off.
* A corrupt archive (bad gzip member, garbage between records) stops the reading: the records before it
  are kept and one failure names the archive and the offset of the last good record. Every gzip member is
  checked as it passes (:class:`_GzipCheck`): one cut short, which fastwarc reads without a word, is one
  failure naming the member's byte offset, after the records before it.
* An archive of zero bytes is one failure ("empty file").
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import IO, Any, Final
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
from naba.sources.inputs import MAX_DOCUMENT_BYTES, failure_item
from naba.types import Article, InputItem

__all__ = [
    "ARABIC_SCRIPT_LANGUAGES",
    "NO_FILTER",
    "SkipReason",
    "WarcFilter",
    "published_day",
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
_GZIP_MAGIC: Final = b"\x1f\x8b"
# Largest piece of a gzip member inflated at once by the member check (and dropped): bounds its memory.
_CHECK_OUTPUT: Final = 1024 * 1024
_CUT_OFF: Final = "truncated record"
_START: Final = "the start"


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
            day = published_day(article)
            if day is None or (self.since and day < self.since) or (self.until and day > self.until):
                return SkipReason.DATE
        return None


NO_FILTER: Final = WarcFilter()


def published_day(article: Article) -> dt.date | None:
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
        yield failure_item(str(path), InputError(f"cannot open the archive ({exc})"))
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
    last_good = _START
    last_cut = False  # the last record was reported as cut off
    checked = _GzipCheck(stream)
    stopped = False  # by a failure that says it all
    # Every record type, not only responses: a cut-off request or metadata record is a truncated archive too.
    records = ArchiveIterator(checked, parse_http=True)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except OSError as exc:  # fastwarc reports corrupt gzip and broken WARC headers as OSError
            failures += 1
            yield failure_item(location, InputError(f"unreadable archive after {last_good}: {exc}"))
            stopped = True
            break
        item_location, anchor = _record_location(location, record)
        outcome = _record_item(record, item_location, filter, max_record_bytes)
        last_cut = isinstance(outcome, InputItem) and _is_cut(outcome)
        if outcome is None:
            continue
        last_good = anchor
        if isinstance(outcome, SkipReason):
            skipped[outcome] += 1
            outcome = InputItem(item_location)
        elif outcome.failure is not None:
            failures += 1
        else:
            articles += 1
        yield outcome
    problem = None if stopped else checked.problem(last_cut)
    if problem:
        failures += 1
        after = f", after {last_good}" if last_good != _START else ""
        yield failure_item(location, InputError(problem + after))
    reasons = ", ".join(f"{reason}={count}" for reason, count in sorted(skipped.items())) or "none"
    log.info("%s: %d articles, %d failures, skipped: %s", location, articles, failures, reasons)


class _GzipCheck:
    """The archive's bytes, passed on to fastwarc unchanged, with every gzip member checked on the way.

    fastwarc reads a gzip member that is cut short (a download that stopped) as if it ended there: a record
    cut inside the member's first bytes vanished without a word. Inflating each member a second time here
    (output dropped, at most :data:`_CHECK_OUTPUT` bytes at a time) tells a member cut short, with its
    offset in the archive. It never raises: fastwarc stops by itself on undecodable data or a bad CRC (an
    OSError, reported as such), and the records before a bad member are kept.
    Cost: a 100 MB .warc.gz (292 MB of pages) went through fastwarc in 1.0 s alone, 2.8 s checked; its
    extraction takes minutes.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.offset = 0
        self._gzip: bool | None = None  # decided by the first bytes
        self._member: Any = None  # the zlib decompressor of the member being read
        self._member_start = 0
        self._member_head = b""  # its first two bytes
        self._problem: str | None = None
        self._cut_short = False

    def tell(self) -> int:  # fastwarc asks once, at the start
        return self.offset

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) in ((self.offset, 0), (0, 1)):
            return self.offset
        raise io.UnsupportedOperation("the archive is read as a stream")

    def close(self) -> None:
        """The stream belongs to the caller, who closes it."""

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._gzip is None and data:
            self._gzip = data.startswith(_GZIP_MAGIC)
        if self._gzip and self._problem is None:
            self._check(data)
        self.offset += len(data)
        return data

    def _check(self, data: bytes) -> None:
        if not data:
            # a line end after the last member (fastwarc takes it too) is not a member
            if self._member is not None and self._member_head.strip():
                self._cut_short = True
                self._problem = f"the gzip member at byte {self._member_start} is cut short"
            return
        position = 0
        while position < len(data):
            if self._member is None:
                self._member = zlib.decompressobj(wbits=31)
                self._member_start = self.offset + position
                self._member_head = b""
            chunk = data[position:]
            self._member_head += chunk[: 2 - len(self._member_head)]
            try:
                self._member.decompress(chunk, _CHECK_OUTPUT)
                while self._member.unconsumed_tail and not self._member.eof:
                    self._member.decompress(self._member.unconsumed_tail, _CHECK_OUTPUT)
            except zlib.error as exc:
                self._problem = f"the gzip member at byte {self._member_start} is corrupt ({exc})"
                return
            if not self._member.eof:
                return
            position += len(chunk) - len(self._member.unused_data)
            self._member = None

    def problem(self, last_record_cut: bool) -> str | None:
        """What is wrong with the archive as a whole, once fastwarc is done with it."""
        if self.offset == 0:
            return "empty file"
        if self._cut_short and last_record_cut:
            return None  # already reported, at the record it cut
        return self._problem


def _is_cut(item: InputItem) -> bool:
    return item.failure is not None and item.failure.message.startswith(_CUT_OFF)


def _record_location(location: str, record: WarcRecord) -> tuple[str, str]:
    """The item's location, and how a failure after this record names it."""
    record_id = (record.record_id or "").strip("<> ")
    anchor = record_id or f"@{record.stream_pos}"
    return f"{location}#{anchor}", f"record {anchor} (at byte {record.stream_pos})"


def _record_item(
    record: WarcRecord, location: str, filter: WarcFilter, max_bytes: int
) -> InputItem | SkipReason | None:
    """The record's article, a failure, why it was skipped, or None for a record that is not a response."""
    cut = _cut_off(record, consume=record.record_type != WarcRecordType.response)
    if cut is not None:
        return failure_item(location, InputError(cut))
    if record.record_type != WarcRecordType.response:
        return None  # request, warcinfo, metadata, revisit ...: ignored
    url = record.headers.get("WARC-Target-URI") or ""
    fetched_at = _warc_date(record)
    skip = _skip_before_reading(record, url, fetched_at, filter)
    if skip is not None:
        cut = _cut_off(record, consume=True)  # a record cut in its HTTP headers looks like one to skip
        return failure_item(location, InputError(cut)) if cut else _skipped(location, skip, url)
    try:
        content = _payload(record, max_bytes)
    except NabaError as exc:
        return failure_item(location, exc)
    content_type = record.http_headers.get("Content-Type")
    if not filter.may_want_text(content, content_type):
        return _skipped(location, SkipReason.LANGUAGE, url)
    try:
        article = extract_html(
            content, url=url or None, source=url or location, content_type=content_type, fetched_at=fetched_at
        )
    except (LimitExceededError, InputError) as exc:  # a possible article the extractor could not take
        return failure_item(location, exc, stage="extract")
    except ExtractError as exc:  # no article text, or no document at all: a front page, a tag page
        return _skipped(location, SkipReason.NOT_ARTICLE, url, exc)
    except Exception as exc:  # an extractor bug on one page must not end a run over a whole crawl
        log.exception("%s: extract failed on %s", location, url)
        return failure_item(location, exc, stage="extract")
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
        raise InputError(f"{_CUT_OFF}: {len(raw)} of {expected} payload bytes")
    return _decode_body(raw, record, max_bytes)


def _cut_off(record: WarcRecord, *, consume: bool) -> str | None:
    """Why the record is cut off by the end of the archive, or None; ``consume`` reads the rest of its block
    (without keeping it) to see whether it is all there.

    A record cut in its WARC headers comes without a Content-Length (or with part of one, which the rest
    of the block then falls short of); one cut in its HTTP headers falls short of its Content-Length.
    """
    if not (record.headers.get("Content-Length") or "").strip().isdigit():
        return f"{_CUT_OFF}: its WARC headers are cut off (at byte {record.stream_pos})"
    if consume:
        expected = record.content_length
        read = record.consume()
        if read < expected:
            return f"{_CUT_OFF}: {read} of {expected} bytes after its headers (at byte {record.stream_pos})"
    return None


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
