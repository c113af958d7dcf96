"""Local inputs: files, folders and zip archives holding naba JSONL, SaudiNewsNet-style JSON dumps, glued
text pages, HTML files and WARC archives (``.warc``, ``.warc.gz``: :mod:`naba.sources.warc`).

Every input is read as a stream of :class:`InputItem`: the articles it holds, or a failure that says which
file (and zip member, and line) went wrong and why. A bad input never stops the others. Size limits are
enforced before anything is parsed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from naba.article_json import article_from_json
from naba.errors import InputError, NabaError, TooLargeError
from naba.extract.decode import decode_bytes
from naba.extract.generic import extract_html
from naba.identity import article_identity
from naba.types import Article, Provenance, StageFailure

log = logging.getLogger(__name__)

# SaudiNewsNet's date_extracted is Saudi local time (Arabia Standard Time, no daylight saving).
SAUDI_OFFSET = dt.timezone(dt.timedelta(hours=3))
# Largest JSON line (one article) and largest single text page or HTML page.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
SAUDINEWSNET_KEYS = frozenset({"source", "url", "date_extracted", "title", "content"})


@dataclass(frozen=True, slots=True)
class InputItem:
    """What one unit of input (a line, a record, a page) gave: articles, or a failure."""

    location: str
    articles: tuple[Article, ...] = ()
    failure: StageFailure | None = None


@dataclass(frozen=True, slots=True)
class _Opened:
    """A readable input: a file on disk or a zip member."""

    location: str
    suffix: str
    size: int
    open: Callable[[], IO[bytes]]


def _failure(location: str, error: Exception, stage: str = "read") -> InputItem:
    message = error.message if isinstance(error, NabaError) else str(error) or type(error).__name__
    return InputItem(
        location=location,
        failure=StageFailure(
            stage=stage,
            location=location,
            error_type=type(error).__name__,
            message=message,
            when=dt.datetime.now(dt.UTC),
        ),
    )


# -- walking paths ----------------------------------------------------------------------------------------
def _walk(path: Path) -> Iterator[_Opened | InputItem]:
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
            yield from _walk(child)
    elif not path.exists():
        yield _failure(str(path), InputError("no such file or folder"))
    elif path.suffix.lower() == ".zip":
        yield from _zip_members(path)
    else:
        yield _Opened(str(path), _kind(path.name), path.stat().st_size, partial(_open_file, path))


def _kind(name: str) -> str:
    """The suffix that picks a reader: ``.warc.gz`` is a WARC archive, not any ``.gz``."""
    name = name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix


def _open_file(path: Path) -> IO[bytes]:
    return path.open("rb")


def _zip_members(path: Path) -> Iterator[_Opened | InputItem]:
    try:
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        yield _failure(str(path), InputError(f"not a readable zip archive ({exc})"))
        return
    for member in sorted(members, key=lambda m: m.filename):
        suffix = _kind(member.filename)
        yield _Opened(f"{path}!{member.filename}", suffix, member.file_size, partial(archive.open, member))


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


def _read_jsonl(opened: _Opened, max_input_bytes: int) -> Iterator[InputItem]:
    with opened.open() as stream:
        for number, line in enumerate(stream, start=1):
            location = f"{opened.location}:{number}"
            if not line.strip():
                continue
            if len(line) > MAX_DOCUMENT_BYTES:
                yield _failure(location, TooLargeError(f"line of {len(line)} bytes is over the limit"))
                continue
            yield _json_item(line, location)


def _json_item(line: bytes, location: str) -> InputItem:
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise InputError("a JSON line must hold one object")
        return InputItem(location, (_record_to_article(data, location, line),))
    except (ValueError, NabaError, KeyError, TypeError) as exc:
        error = exc if isinstance(exc, NabaError) else InputError(f"invalid JSON: {exc}")
        return _failure(location, error)


def _read_json(opened: _Opened, max_input_bytes: int) -> Iterator[InputItem]:
    data = json.loads(_read_all(opened, max_input_bytes))
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        location = f"{opened.location}[{index}]"
        if not isinstance(record, dict):
            yield _failure(location, InputError("expected a JSON object"))
            continue
        raw = json.dumps(record, ensure_ascii=False, sort_keys=True).encode()
        try:
            yield InputItem(location, (_record_to_article(record, location, raw),))
        except (NabaError, KeyError, TypeError, ValueError) as exc:
            yield _failure(location, exc if isinstance(exc, NabaError) else InputError(str(exc)))


def _record_to_article(record: dict[str, Any], location: str, raw: bytes) -> Article:
    digest = hashlib.sha256(raw).hexdigest()
    if record.keys() >= SAUDINEWSNET_KEYS:
        return saudinewsnet_article(record, source=location, raw_sha256=digest)
    article = article_from_json(record, default_provenance=Provenance(location, None, digest))
    return _require_text(article)


def _require_text(article: Article) -> Article:
    if not article.paragraphs and not article.title:
        raise InputError("article has neither a title nor body text")
    return article


def saudinewsnet_article(record: dict[str, Any], *, source: str, raw_sha256: str) -> Article:
    """A SaudiNewsNet record; its ``date_extracted`` (Saudi time) is the publication time naba records."""
    paragraphs = tuple(p.strip() for p in str(record.get("content") or "").splitlines() if p.strip())
    title = str(record.get("title") or "").strip()
    if not paragraphs and not title:
        raise InputError("article has neither a title nor body text")
    if not paragraphs:
        log.info("%s: article has a title but no body text; stored as a headline", source)
    published = _saudi_time(record.get("date_extracted"))
    author = str(record.get("author") or "").strip()
    url = str(record.get("url") or "").strip() or None
    return Article(
        id=article_identity(
            canonical_url=None, url=url, title=title, first_paragraph="".join(paragraphs[:1])
        ),
        url=url,
        canonical_url=None,
        publisher=str(record.get("source") or "").strip() or None,
        original_source=None,
        language="ar",
        title=title,
        lead=None,
        body_paragraphs=paragraphs,
        authors=(author,) if author else (),
        published=published,
        updated=None,
        tags=(),
        images=(),
        related_headlines=(),
        embedded_in=None,
        provenance=Provenance(source=source, fetched_at=published, raw_sha256=raw_sha256),
        evidence={"published": "saudinewsnet:date_extracted"} if published else {},
    )


def _saudi_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=SAUDI_OFFSET)
    except ValueError as exc:
        raise InputError(f"date_extracted is not a date-time: {value!r}") from exc


def _read_text_page(opened: _Opened, max_input_bytes: int) -> Iterator[InputItem]:
    from naba.extract.text_pages import parse_text_page

    raw = _read_all(opened, MAX_DOCUMENT_BYTES)
    text = decode_bytes(raw).text
    page = parse_text_page(text, source=opened.location, raw_sha256=hashlib.sha256(raw).hexdigest())
    if not page.articles:
        raise InputError("no article found in the text page")
    yield InputItem(opened.location, tuple(_require_text(a) for a in page.articles))


def _read_html(opened: _Opened, max_input_bytes: int) -> Iterator[InputItem]:
    raw = _read_all(opened, MAX_DOCUMENT_BYTES)
    yield InputItem(opened.location, (extract_html(raw, source=opened.location),))


def _read_warc(opened: _Opened, max_input_bytes: int, warc_filter: Any = None) -> Iterator[InputItem]:
    # Streamed record by record, so the archive's size is not limited (a CC-NEWS file is ~1 GB); each
    # record is. Imported here because naba.sources.warc imports this module.
    from naba.sources.warc import NO_FILTER, read_warc_stream

    with opened.open() as stream:
        yield from read_warc_stream(stream, location=opened.location, filter=warc_filter or NO_FILTER)


_Reader = Callable[[_Opened, int], Iterator[InputItem]]
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
    """Every item of every input, in order; unreadable inputs become failure items.

    ``warc_filter`` (a :class:`naba.sources.warc.WarcFilter`) selects the records of WARC archives.
    """
    for path in paths:
        for entry in _walk(Path(path)):
            if isinstance(entry, InputItem):
                yield entry
                continue
            yield from _read_one(entry, max_input_bytes, warc_filter)


def _read_one(opened: _Opened, max_input_bytes: int, warc_filter: Any = None) -> Iterator[InputItem]:
    reader: _Reader | None = READERS.get(opened.suffix)
    if reader is _read_warc and warc_filter is not None:
        reader = partial(_read_warc, warc_filter=warc_filter)
    if reader is None:
        yield _failure(
            opened.location, InputError(f"unsupported kind of file {opened.suffix or '(no suffix)'!r}")
        )
        return
    try:
        yield from reader(opened, max_input_bytes)
    except (NabaError, ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors; a truncated zip member raises
        # BadZipFile or EOFError while it is being read.
        error = exc if isinstance(exc, NabaError) else InputError(f"{type(exc).__name__}: {exc}")
        yield _failure(opened.location, error)
