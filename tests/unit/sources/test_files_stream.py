"""JSON dumps and JSONL files are read as streams: records as json.loads gives them, memory that follows the
largest article and not the file, a nesting limit that triggers, lines and UTF-16 across chunk boundaries."""

from __future__ import annotations

import codecs
import io
import json
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]
import pytest
from tests.conftest import CORPUS, need_shared

from naba.errors import InputError, TooLargeError
from naba.sources.files import (
    MAX_DOCUMENT_BYTES,
    MAX_JSON_DEPTH,
    _build,
    _lines,
    _Utf8Stream,
    read_inputs,
)

MAX_INPUT = 50 * 1024 * 1024


def build(data: bytes) -> Any:
    events = ijson.basic_parse(io.BytesIO(data), use_float=True)
    event, value = next(events)
    return _build(events, event, value, depth=1)


class Trickle(io.RawIOBase):
    """A stream that gives at most ``step`` bytes per read, to cut every character and line somewhere."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(self._step, size if size >= 0 else self._step))


@pytest.fixture(scope="module")
def day() -> list[dict[str, Any]]:
    with zipfile.ZipFile(need_shared(CORPUS / "2015-07-22.zip")) as archive:
        return json.loads(archive.read(archive.namelist()[0]))  # type: ignore[no-any-return]


def test_records_are_built_as_json_loads_builds_them(day: list[dict[str, Any]]) -> None:
    data = json.dumps(day, ensure_ascii=False).encode()
    assert build(data) == day
    odd = b'{"n": 1, "f": 1.5, "e": 2e3, "neg": -7, "t": true, "z": null, "a": [[], {}], "s": "\\u0000\\"x"}'
    built = build(odd)
    assert built == json.loads(odd)
    assert [type(built[k]) for k in ("n", "f", "e")] == [int, float, float]  # never Decimal


def test_the_nesting_limit_triggers_one_level_past_it() -> None:
    assert build(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(InputError, match=f"nested deeper than {MAX_JSON_DEPTH} levels"):
        build(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    with pytest.raises(InputError, match="nested deeper"):
        build(b'{"a": ' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1))


def test_a_dump_is_read_item_by_item_not_whole(tmp_path: Path, day: list[dict[str, Any]]) -> None:
    path = tmp_path / "day.json"
    path.write_text(json.dumps(day, ensure_ascii=False), encoding="utf-8")
    items = read_inputs([path], max_input_bytes=MAX_INPUT)
    first = next(items)
    assert first.location == f"{path}[0]" and len(first.articles) == 1
    with path.open("r+b") as handle:  # cut the file under the reader: only a stream notices
        handle.truncate(path.stat().st_size // 2)
    rest = list(items)
    failure = rest[-1].failure
    assert (
        failure is not None
        and "premature EOF" in failure.message
        and "stopped before byte" in failure.message
    )
    assert 0 < len(rest) - 1 < len(day) - 1


def test_memory_follows_the_largest_article_not_the_file(tmp_path: Path, day: list[dict[str, Any]]) -> None:
    records = day * 3  # ~14 MB
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    largest = max(len(json.dumps(r, ensure_ascii=False).encode()) for r in records)
    tracemalloc.start()
    try:
        count = sum(len(item.articles) for item in read_inputs([path], max_input_bytes=MAX_INPUT))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count > 2000
    # Measured: ~0.5 MB (reading buffers, allocator free lists, ~3x the largest article); json.load of the
    # same file holds all of it (~26x the input's size through ingest).
    assert peak < path.stat().st_size / 10
    assert peak < 20 * largest + 1024 * 1024


def test_the_byte_limit_holds_while_reading() -> None:
    stream = _Utf8Stream(io.BytesIO(b"[" + b" " * 100 + b"]"), limit=50)
    with pytest.raises(TooLargeError):
        while stream.read(16):
            pass


@pytest.mark.parametrize("step", [1, 3, 7, 4096])
def test_utf16_and_boms_are_read_across_any_cut(step: int) -> None:
    text = '[{"title": "عنوان الخبر 😀", "n": 1}]\n'
    for raw in (
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        codecs.BOM_UTF8 + text.encode(),
        text.encode(),
    ):
        stream = _Utf8Stream(Trickle(raw, step))  # type: ignore[arg-type]
        out = b"".join(iter(lambda s=stream: s.read(5), b""))  # type: ignore[misc]
        assert out.decode() == text
        assert not stream.blank and stream.offset == len(raw)


@pytest.mark.parametrize("step", [1, 5, 64 * 1024])
def test_lines_across_chunks_and_over_the_limit(step: int) -> None:
    data = b"one\n\n" + b"x" * 30 + b"\nthree\nlast"
    got = list(_lines(_Utf8Stream(Trickle(data, step)), limit=20))  # type: ignore[arg-type]
    assert got == [(1, b"one\n", 4), (2, b"\n", 1), (3, None, 31), (4, b"three\n", 6), (5, b"last", 4)]


def test_a_line_over_the_limit_is_never_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "one-line.jsonl"
    path.write_bytes(
        b'{"title": "' + b"x" * (30 * 1024 * 1024) + b'"}\n{"title": "t", "body_paragraphs": ["p"]}\n'
    )
    tracemalloc.start()
    try:
        items = list(read_inputs([path], max_input_bytes=MAX_INPUT))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [i.failure.location for i in items if i.failure] == [f"{path}:1"]
    assert [len(i.articles) for i in items] == [0, 1]
    assert peak < MAX_DOCUMENT_BYTES + 2 * 1024 * 1024  # up to the limit (then dropped), never 30 MB


def test_failures_name_where_the_reading_stopped_and_are_stable(tmp_path: Path) -> None:
    good = {"title": "عنوان", "body_paragraphs": ["فقرة."]}
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([good] * 3)[:-1] + ', {"title": tru}]', encoding="utf-8")
    runs = [
        [
            (i.failure.location, i.failure.error_type, i.failure.message)
            for i in read_inputs([path], max_input_bytes=MAX_INPUT)
            if i.failure
        ]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    [(location, error_type, message)] = runs[0]
    assert location == f"{path}[3]" and error_type == "IncompleteJSONError"
    assert message.startswith("invalid JSON: lexical error") and "stopped before byte" in message
    assert "\n" not in message and "0x" not in message


class PanicException(BaseException):
    """Stands for pyo3's PanicException (a Rust panic in fastwarc): a BaseException, not an Exception."""


@pytest.mark.parametrize(
    "error",
    [
        MemoryError(),
        RecursionError("maximum recursion depth exceeded"),
        RuntimeError("bug at 0x7f3a2c1b9e50"),
        PanicException("unwrap on None"),
    ],
    ids=["memory", "recursion", "bug", "panic"],
)
def test_any_exception_of_one_input_is_one_failure_and_the_next_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    def explode(raw: bytes, **_: Any) -> Any:
        raise error

    monkeypatch.setattr("naba.sources.files.extract_html", explode)
    (tmp_path / "a.html").write_text("<html><body><p>نص</p></body></html>", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"title": "عنوان", "body_paragraphs": ["فقرة."]}), encoding="utf-8"
    )
    items = list(read_inputs([tmp_path], max_input_bytes=MAX_INPUT))
    assert [(i.location, len(i.articles)) for i in items] == [
        (str(tmp_path / "a.html"), 0),
        (f"{tmp_path / 'b.jsonl'}:1", 1),
    ]
    failure = items[0].failure
    assert failure is not None and failure.error_type == type(error).__name__
    assert "0x7f3a" not in failure.message and failure.message


def test_interrupts_are_not_swallowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(raw: bytes, **_: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("naba.sources.files.extract_html", interrupt)
    (tmp_path / "a.html").write_text("<html><body><p>نص</p></body></html>", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        list(read_inputs([tmp_path], max_input_bytes=MAX_INPUT))
