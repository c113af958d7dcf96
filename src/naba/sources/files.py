"""Local inputs: files, folders and zip archives holding naba JSONL, SaudiNewsNet-style JSON dumps, glued
text pages, HTML files and WARC archives (``.warc``, ``.warc.gz``: :mod:`naba.sources.warc`).

Every input is read as a stream of :class:`InputItem`: the articles it holds, or a failure that says which
file (and zip member, and line or item) went wrong and why.

Contract
--------
* A bad input is one failure, never the end of the run. Any exception raised while one input (a file, a zip
  member, a zip archive's listing) is read, expected or not (``RecursionError``, ``MemoryError``, a broken
  deflate stream, an extractor bug), becomes one failure item located at that input, plus the line
  (``:7``) or JSON item (``[12]``) it stopped at, with the byte it had read up to when that is known. The
  items read before it are kept; the next input is read as usual. That catch-all is :func:`_contained`.
* A bad record (a JSON line or item that is not an article) is one failure located at its line or item,
  and the reading goes on with the next one.
* Locations and messages are the same on every run over the same bytes (no times, no memory addresses).
* Size limits are enforced before anything is parsed, and again while reading (a zip member may lie).
* JSON dumps are parsed as a stream (ijson), JSONL files line by line: memory follows the largest article
  (or line), not the file. Both may be UTF-8 (a BOM is dropped) or UTF-16 with its BOM. A JSON dump holds an
  array of article objects, or one article object (located ``[0]``); numbers are read as json.loads reads
  them (int, float), except integers beyond 64 bits, which yajl refuses ("integer overflow").
* Folders are walked in path order; hidden files and folders are left out, and so are symbolic links to
  folders (one pointing up the tree would never end). A link loop, a dangling link, a device or pipe, a
  folder that cannot be listed: each is one failure.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import itertools
import json
import logging
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]

from naba.article_json import article_from_json
from naba.errors import InputError, NabaError, TooLargeError
from naba.extract.article import build_article
from naba.extract.decode import decode_bytes
from naba.extract.generic import extract_html
from naba.extract.text_pages import parse_text_page
from naba.sources.inputs import MAX_DOCUMENT_BYTES, failure_item
from naba.sources.warc import NO_FILTER, read_warc_stream
from naba.types import Article, InputItem, Provenance

log = logging.getLogger(__name__)

# SaudiNewsNet's date_extracted is Saudi local time (Arabia Standard Time, no daylight saving).
SAUDI_OFFSET = dt.timezone(dt.timedelta(hours=3))
SAUDINEWSNET_KEYS = frozenset({"source", "url", "date_extracted", "title", "content"})
# Checked in this order, so that a record with two bad fields is refused with the same message every run.
_SAUDINEWSNET_FIELDS = ("source", "url", "date_extracted", "title", "author", "content")
# Deepest nesting of a JSON value in a dump. A dump of naba's article JSON is 4 levels deep (array > article >
# images > image); 64 leaves room for any real record and stops a nesting bomb at once. Records are built
# here from ijson's basic_parse events, which yajl produces without recursion (its own stack: 200,000 levels
# took 0.2 s): ijson's own builder (ijson.items) keeps the dotted prefix of every value, quadratic in the
# depth (400 KB nested 200,000 deep ran out of 2 GB), and json.loads recurses (RecursionError at ~1,000
# levels: the limit of a JSONL line, where that error is the line's failure).
MAX_JSON_DEPTH = 64
# Bytes read from an input at a time (and ijson's buffer): the precision of "before byte N" in a failure.
_CHUNK = 64 * 1024
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
_OPENERS = frozenset({"start_map", "start_array"})
_CLOSERS = frozenset({"end_map", "end_array"})
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class _Opened:
    """A readable input: a file on disk or a zip member."""

    location: str
    suffix: str
    size: int
    open: Callable[[], IO[bytes]]


@dataclass(frozen=True, slots=True)
class _Archive:
    """A zip archive: its listing is read (and may fail) like any other input."""

    path: Path


@dataclass(slots=True)
class _Cursor:
    """How far a reader got in its input, for the failure that says where the reading stopped."""

    part: str = ""  # the unit being read, as a location suffix: ":7" (a line), "[12]" (a JSON item)
    stream: _Utf8Stream | None = None  # counts the bytes read, when the reader streams them


# -- the catch-all ----------------------------------------------------------------------------------------
def _contained(location: str, cursor: _Cursor, items: Iterator[InputItem]) -> Iterator[InputItem]:
    """The items of one input; whatever it raises ends that input only, as one failure saying where."""
    try:
        yield from items
    except BaseException as exc:  # one input's bug or bomb must not end a run over thousands of inputs
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # KeyboardInterrupt, SystemExit, GeneratorExit: not the input's doing
        # (A Rust reader, fastwarc, panics as pyo3's PanicException, a BaseException: on one input's bytes
        # it is that input's failure.)
        where = location + cursor.part
        if not isinstance(exc, NabaError | OSError | ValueError | ijson.JSONError | zipfile.BadZipFile):
            log.debug("%s: reading (stage read) stopped by %s", where, type(exc).__name__, exc_info=True)
        message = _describe(exc)
        if cursor.stream is not None and (cursor.part or not isinstance(exc, NabaError)):
            # stopped inside the input, or by a parser or a reader: say how far it got
            message += f" (stopped before byte {cursor.stream.offset})"
        yield failure_item(where, exc, message=message)


def _describe(error: BaseException) -> str:
    """One line saying what went wrong, the same on every run (no addresses; yajl's context lines cut).

    The error's type is not repeated: a failure carries it as ``error_type``.
    """
    if isinstance(error, NabaError):
        return error.message
    text = str(error)
    if text.startswith(("b'", 'b"')):  # yajl's messages come as the repr of bytes
        text = text[2:-1].replace("\\n", "\n")
    text = _ADDRESS.sub("0x…", text.strip().split("\n")[0].strip())
    if isinstance(error, ijson.JSONError):
        return f"invalid JSON: {text}"
    if isinstance(error, MemoryError):
        return "out of memory while reading this input"
    return text or type(error).__name__


# -- walking paths ----------------------------------------------------------------------------------------
def _walk(path: Path) -> Iterator[_Opened | _Archive | InputItem]:
    """Files under ``path`` in path order, as the module's contract says; what cannot be read is a failure."""
    try:
        info = path.stat()
    except OSError as exc:
        yield failure_item(str(path), InputError(_os_reason(path, exc)))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk_folder(path)
    elif not stat.S_ISREG(info.st_mode):
        yield failure_item(str(path), InputError("not a regular file (a device, socket or pipe)"))
    elif path.suffix.lower() == ".zip":
        yield _Archive(path)
    else:
        yield _Opened(str(path), _kind(path.name), info.st_size, partial(_open_file, path))


def _walk_folder(folder: Path) -> Iterator[_Opened | _Archive | InputItem]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield failure_item(str(folder), InputError(f"cannot list the folder ({_os_reason(folder, exc)})"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and _is_folder(entry):
            log.info("%s: a symbolic link to a folder is not followed", entry.path)
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_folder(Path(entry.path))
        else:
            yield from _walk(Path(entry.path))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False  # a link loop: reported by _walk


def _os_reason(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if error.errno == errno.ENOENT:
        return "a symbolic link to nothing" if path.is_symlink() else "no such file or folder"
    return (error.strerror or type(error).__name__).lower()


def _kind(name: str) -> str:
    """The suffix that picks a reader: ``.warc.gz`` is a WARC archive, not any ``.gz``."""
    name = name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix


def _open_file(path: Path) -> IO[bytes]:
    return path.open("rb")


def _read_archive(path: Path, max_input_bytes: int, warc_filter: Any) -> Iterator[InputItem]:
    try:
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"not a readable zip archive ({_describe(exc)})") from exc
    with archive:
        for member in sorted(members, key=lambda m: m.filename):
            opened = _Opened(
                f"{path}!{member.filename}",
                _kind(member.filename),
                member.file_size,
                partial(archive.open, member),
            )
            yield from _read_one(opened, max_input_bytes, warc_filter)


# -- streams ------------------------------------------------------------------------------------------------
class _Utf8Stream:
    """The bytes of an input as UTF-8, counted: a UTF-8 BOM is dropped, UTF-16 with its BOM is re-encoded,
    and reading more than ``limit`` bytes of the input raises :class:`TooLargeError` (a zip member can hold
    more than its header says until zipfile's CRC check; a file can grow while it is read)."""

    def __init__(self, raw: IO[bytes], limit: int | None = None) -> None:
        self._raw = raw
        self._limit = limit
        self.offset = 0  # bytes of the input read so far
        self.blank = True  # nothing but white space so far
        head = b""
        while len(head) < 4 and (more := self._read_raw(4 - len(head))):
            head += more
        self._decoder: codecs.IncrementalDecoder | None = None
        for bom, encoding in _UTF16_BOMS:
            if head.startswith(bom):
                self._decoder = codecs.getincrementaldecoder(encoding)()
                head = head[len(bom) :]
        self._head = head.removeprefix(codecs.BOM_UTF8)

    def _read_raw(self, size: int) -> bytes:
        data = self._raw.read(size)
        self.offset += len(data)
        if self._limit is not None and self.offset > self._limit:
            raise TooLargeError(f"more than {self._limit} bytes (over the limit for this kind of input)")
        return data

    def read(self, size: int = -1) -> bytes:
        """About ``size`` bytes of UTF-8 (``-1``: a chunk); ``b""`` only at the end of the input."""
        if size == 0:
            return b""  # ijson asks for nothing once, to learn that this stream gives bytes
        size = _CHUNK if size < 0 else size
        while True:
            raw, self._head = self._head + self._read_raw(size), b""
            data = raw if self._decoder is None else self._decoder.decode(raw, final=not raw).encode()
            if self.blank and data.strip():
                self.blank = False
            if data or not raw:  # a UTF-16 read that ends inside a character gives nothing yet: read on
                return data


def _lines(stream: _Utf8Stream, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(number, line, size) of each line; a line over ``limit`` bytes comes as None, never held whole."""
    number = size = 0
    parts: list[bytes] = []
    while chunk := stream.read(_CHUNK):
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            piece = chunk[start : end + 1]
            size += len(piece)
            number += 1
            yield number, (b"".join([*parts, piece]) if size <= limit else None), size
            parts.clear()
            size, start = 0, end + 1
        rest = chunk[start:]
        size += len(rest)
        if size <= limit:
            parts.append(rest)
        else:
            parts.clear()  # over the limit: only its size is counted from here on
    if size:
        yield number + 1, (b"".join(parts) if size <= limit else None), size


# -- readers by kind ---------------------------------------------------------------------------------------
def _read_all(opened: _Opened, limit: int) -> bytes:
    if opened.size > limit:
        raise TooLargeError(f"{opened.size} bytes is over the {limit}-byte limit for this kind of input")
    with opened.open() as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(f"more than {limit} bytes (over the limit for this kind of input)")
    if not data.strip():
        raise InputError("empty file")
    return data


def _read_jsonl(opened: _Opened, max_input_bytes: int, cursor: _Cursor) -> Iterator[InputItem]:
    with opened.open() as raw:
        stream = cursor.stream = _Utf8Stream(raw)
        for number, line, size in _lines(stream, MAX_DOCUMENT_BYTES):
            cursor.part = f":{number}"
            location = f"{opened.location}:{number}"
            if line is None:
                yield failure_item(location, TooLargeError(f"line of {size} bytes is over the limit"))
            elif line.strip():
                yield _json_item(line, location)
        cursor.part = ""
        if stream.blank:
            raise InputError("empty file")


def _json_item(line: bytes, location: str) -> InputItem:
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise InputError("a JSON line must hold one object")
        return InputItem(location, (_record_to_article(data, location, _sha256(line)),))
    except (ValueError, NabaError, KeyError, TypeError, RecursionError) as exc:
        # json.loads recurses: a line nested ~1,000 deep raises RecursionError (a bad line, not a bad file).
        error = exc if isinstance(exc, NabaError) else InputError(f"invalid JSON: {_describe(exc)}")
        return failure_item(location, error)


def _read_json(opened: _Opened, max_input_bytes: int, cursor: _Cursor) -> Iterator[InputItem]:
    """A JSON dump, streamed: an array of article objects (or one article object), item by item."""
    if opened.size > max_input_bytes:
        raise TooLargeError(
            f"{opened.size} bytes is over the {max_input_bytes}-byte limit for this kind of input"
        )
    with opened.open() as raw:
        stream = cursor.stream = _Utf8Stream(raw, max_input_bytes)
        # use_float: numbers come as int and float, as json.loads gives them (never Decimal).
        events: Iterator[tuple[str, Any]] = ijson.basic_parse(stream, buf_size=_CHUNK, use_float=True)
        try:
            first = next(events, None)
        except ijson.JSONError:
            if not stream.blank:
                raise
            first = None  # yajl calls an empty text a premature end
        if first is None:
            raise InputError("empty file")
        event, value = first
        if event == "start_array":
            for index in itertools.count():
                cursor.part = f"[{index}]"
                event, value = _next_event(events)
                if event == "end_array":
                    break
                yield _record_item(_build(events, event, value, depth=2), f"{opened.location}[{index}]")
        elif event == "start_map":
            cursor.part = "[0]"
            yield _record_item(_build(events, event, value, depth=1), f"{opened.location}[0]")
        else:
            raise InputError("a JSON dump must hold an array of article objects")
        cursor.part = ""
        for _ in events:  # the parser checks that nothing but white space follows
            pass


def _next_event(events: Iterator[tuple[str, Any]]) -> tuple[str, Any]:
    try:
        return next(events)
    except StopIteration:  # yajl reports a premature end itself; this keeps a generator from turning it
        raise InputError("the JSON ends in the middle of a value") from None  # into RuntimeError


def _build(events: Iterator[tuple[str, Any]], event: str, value: Any, *, depth: int) -> Any:
    """The value that starts with ``event``, built from the events that follow it, without recursion.

    ``depth`` is the nesting level of that value (1 for the top level); deeper than :data:`MAX_JSON_DEPTH`
    raises :class:`InputError` as soon as it is seen.
    """
    if event not in _OPENERS:
        return value
    stack: list[Any] = [{} if event == "start_map" else []]
    keys: list[str] = [""]
    for event, value in events:  # one pass per event of a whole dump: kept plain on purpose
        if event == "map_key":
            keys[-1] = value
            continue
        if event in _OPENERS:
            if depth + len(stack) > MAX_JSON_DEPTH:
                raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            stack.append({} if event == "start_map" else [])
            keys.append("")
            continue
        if event in _CLOSERS:
            value = stack.pop()
            keys.pop()
            if not stack:
                return value
        parent = stack[-1]
        if type(parent) is dict:
            parent[keys[-1]] = value
        else:
            parent.append(value)
    raise InputError("the JSON ends in the middle of a value")


def _record_item(record: Any, location: str) -> InputItem:
    if not isinstance(record, dict):
        return failure_item(location, InputError("expected a JSON object"))
    # The digest of the record's canonical JSON (a dump's bytes are not one record's), computed before the
    # article is built so that the serialized copy is freed first.
    digest = _sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode())
    try:
        return InputItem(location, (_record_to_article(record, location, digest),))
    except (NabaError, KeyError, TypeError, ValueError) as exc:
        return failure_item(location, exc if isinstance(exc, NabaError) else InputError(str(exc)))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record_to_article(record: dict[str, Any], location: str, digest: str) -> Article:
    if record.keys() >= SAUDINEWSNET_KEYS:
        return saudinewsnet_article(record, source=location, raw_sha256=digest)
    article = article_from_json(record, default_provenance=Provenance(location, None, digest))
    return _require_text(article)


def _require_text(article: Article) -> Article:
    if not article.paragraphs and not article.title:
        raise InputError("article has neither a title nor body text")
    return article


def saudinewsnet_article(record: dict[str, Any], *, source: str, raw_sha256: str) -> Article:
    """A SaudiNewsNet record; its ``date_extracted`` (Saudi time) is the publication time naba records.

    Every field is a string (or null); any other type is an :class:`InputError` naming the field.
    """
    fields = {key: _text_field(record, key) for key in _SAUDINEWSNET_FIELDS}
    paragraphs = tuple(p.strip() for p in fields["content"].splitlines() if p.strip())
    title = fields["title"].strip()
    if not paragraphs and not title:
        raise InputError("article has neither a title nor body text")
    if not paragraphs:
        log.info("%s: article has a title but no body text; stored as a headline", source)
    published = _saudi_time(fields["date_extracted"])
    author = fields["author"].strip()
    url = fields["url"].strip() or None
    return build_article(
        url=url,
        publisher=fields["source"].strip() or None,
        language="ar",
        title=title,
        body_paragraphs=paragraphs,
        authors=(author,) if author else (),
        published=published,
        provenance=Provenance(source=source, fetched_at=published, raw_sha256=raw_sha256),
        evidence={"published": "saudinewsnet:date_extracted"} if published else {},
    )


def _text_field(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"field {key!r} must be a string, not {type(value).__name__}")
    return value


def _saudi_time(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=SAUDI_OFFSET)
    except ValueError as exc:
        raise InputError(f"date_extracted is not a date-time: {value!r}") from exc


def _read_text_page(opened: _Opened, max_input_bytes: int, cursor: _Cursor) -> Iterator[InputItem]:
    raw = _read_all(opened, MAX_DOCUMENT_BYTES)
    text = decode_bytes(raw).text
    page = parse_text_page(text, source=opened.location, raw_sha256=hashlib.sha256(raw).hexdigest())
    if not page.articles:
        raise InputError("no article found in the text page")
    yield InputItem(opened.location, tuple(_require_text(a) for a in page.articles))


def _read_html(opened: _Opened, max_input_bytes: int, cursor: _Cursor) -> Iterator[InputItem]:
    raw = _read_all(opened, MAX_DOCUMENT_BYTES)
    yield InputItem(opened.location, (extract_html(raw, source=opened.location),))


def _read_warc(
    opened: _Opened, max_input_bytes: int, cursor: _Cursor, warc_filter: Any = None
) -> Iterator[InputItem]:
    # Streamed record by record, so the archive's size is not limited (a CC-NEWS file is ~1 GB); each
    # record is.
    with opened.open() as stream:
        yield from read_warc_stream(stream, location=opened.location, filter=warc_filter or NO_FILTER)


_Reader = Callable[[_Opened, int, _Cursor], Iterator[InputItem]]
READERS: dict[str, _Reader] = {
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".json": _read_json,
    ".txt": _read_text_page,
    ".text": _read_text_page,
    ".html": _read_html,
    ".htm": _read_html,
    ".warc": _read_warc,
    ".warc.gz": _read_warc,
}


def read_inputs(
    paths: Iterable[str | Path], *, max_input_bytes: int, warc_filter: Any = None
) -> Iterator[InputItem]:
    """Every item of every input, in order; unreadable inputs become failure items, and nothing one input
    holds ends the reading of the others (see the module's contract).

    ``warc_filter`` (a :class:`naba.sources.warc.WarcFilter`) selects the records of WARC archives.
    """
    for path in paths:
        # The walk handles what it expects (a missing file, a link loop, a folder it may not list); this
        # catches the rest, so that even then the next path is read.
        yield from _contained(str(path), _Cursor(), _read_path(Path(path), max_input_bytes, warc_filter))


def _read_path(path: Path, max_input_bytes: int, warc_filter: Any) -> Iterator[InputItem]:
    for entry in _walk(path):
        if isinstance(entry, InputItem):
            yield entry
        elif isinstance(entry, _Archive):
            archive = _read_archive(entry.path, max_input_bytes, warc_filter)
            yield from _contained(str(entry.path), _Cursor(), archive)
        else:
            yield from _read_one(entry, max_input_bytes, warc_filter)


def _read_one(opened: _Opened, max_input_bytes: int, warc_filter: Any = None) -> Iterator[InputItem]:
    reader: _Reader | None = READERS.get(opened.suffix)
    if reader is _read_warc and warc_filter is not None:
        reader = partial(_read_warc, warc_filter=warc_filter)
    if reader is None:
        yield failure_item(
            opened.location, InputError(f"unsupported kind of file {opened.suffix or '(no suffix)'!r}")
        )
        return
    cursor = _Cursor()
    yield from _contained(opened.location, cursor, reader(opened, max_input_bytes, cursor))
