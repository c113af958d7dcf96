"""Bad input is one failure, never the end of the run.

A matrix of broken inputs, each built here from real SaudiNewsNet text (read from ../shared, never copied
in): every kind gives exactly the failures it documents, located at its file (and zip member, line or JSON
item, WARC record), and a good input read after it is read in full. Then the same through the real CLI:
exit status 0, a JSON report, no traceback.
"""

from __future__ import annotations

import codecs
import gzip
import html
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import CORPUS, need_shared
from tests.unit.sources.test_warc import Record, http_response, write_warc

from naba.sources.files import MAX_DOCUMENT_BYTES, MAX_JSON_DEPTH, read_inputs

MAX_INPUT = 50 * 1024 * 1024  # the max_input_bytes setting's default
DEEP = 200_000  # nesting of the JSON bombs: 400 KB, RecursionError for json.loads


# -- real text --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real() -> list[dict[str, str]]:
    """30 SaudiNewsNet records of one real day with a title and at least three long paragraphs."""
    day = need_shared(CORPUS / "2015-08-02.zip")
    with zipfile.ZipFile(day) as archive:
        records = json.loads(archive.read(archive.namelist()[0]))
    chosen = [
        r for r in records if r["title"].strip() and sum(len(p) > 80 for p in r["content"].splitlines()) >= 3
    ]
    return chosen[:30]


def jsonl(records: list[dict[str, str]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def page(record: dict[str, str]) -> bytes:
    """The record as the HTML page of a news site."""
    title = html.escape(record["title"])
    body = "".join(f"<p>{html.escape(p)}</p>" for p in record["content"].splitlines() if p.strip())
    return (
        f'<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def warc_records(records: list[dict[str, str]]) -> list[Record]:
    return [Record("response", r["url"], http_response(page(r))) for r in records]


def gzip_members(records: list[Record], level: int = 9) -> list[bytes]:
    return [gzip.compress(record.to_bytes(n), level) for n, record in enumerate(records, start=1)]


def nested(depth: int = DEEP) -> bytes:
    return b"[" * depth + b"]" * depth


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# -- the matrix ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """Bad inputs and what reading them gives: the failures (location relative to the test's folder, words
    of the message) in order, and the articles the bad inputs still hold."""

    inputs: list[Path]
    failures: list[tuple[str, str]]
    articles: int = 0


Build = Callable[[Path, list[dict[str, str]]], Case]
KINDS: dict[str, Build] = {}


def kind(build: Build) -> Build:
    KINDS[build.__name__] = build
    return build


@kind
def nested_json_file(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "nested.json").write_bytes(nested())
    return Case([d / "nested.json"], [("bad/nested.json[0]", f"nested deeper than {MAX_JSON_DEPTH} levels")])


@kind
def nested_json_zip_member(d: Path, real: list[dict[str, str]]) -> Case:
    # the bomb first, then a good member of the same archive
    zip_of(d / "day.zip", {"a-nested.json": nested(), "b-day.json": json.dumps(real[:5]).encode()})
    return Case([d / "day.zip"], [("bad/day.zip!a-nested.json[0]", "nested deeper than")], articles=5)


@kind
def nested_item_after_good_items(d: Path, real: list[dict[str, str]]) -> Case:
    good = json.dumps(real[:3], ensure_ascii=False).encode()
    (d / "dump.json").write_bytes(good[:-1] + b"," + nested() + b"]")
    return Case([d / "dump.json"], [("bad/dump.json[3]", "nested deeper than")], articles=3)


@kind
def truncated_json_array(d: Path, real: list[dict[str, str]]) -> Case:
    data = json.dumps(real[:10], ensure_ascii=False).encode()
    cut = len(json.dumps(real[:6], ensure_ascii=False).encode()) + 40  # inside the 7th article
    (d / "cut.json").write_bytes(data[:cut])
    return Case([d / "cut.json"], [("bad/cut.json[6]", "premature EOF")], articles=6)


@kind
def json_wrong_types(d: Path, real: list[dict[str, str]]) -> Case:
    records = [
        dict(real[0], title=2015, content=None),  # a number for the title: refused, naming the field
        dict(real[1], content=None),  # no body: kept as a headline (documented)
        {
            "title": "عنوان",
            "body_paragraphs": "فقرة",
            "url": "https://ex.sa/x",
        },  # naba shape, a str not a list
        {"title": "عنوان", "body_paragraphs": ["فقرة"], "provenance": ["not", "an", "object"]},
        real[2],
    ]
    (d / "types.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return Case(
        [d / "types.json"],
        [
            ("bad/types.json[0]", "field 'title' must be a string"),
            ("bad/types.json[2]", "field 'body_paragraphs' must be a list of strings"),
            ("bad/types.json[3]", "field 'provenance' must be an object"),
        ],
        articles=2,
    )


@kind
def jsonl_one_bad_line(d: Path, real: list[dict[str, str]]) -> Case:
    lines = jsonl(real[:4]).splitlines(keepends=True)
    lines.insert(2, b'{"title": "\xd8\xb9\xd9\x86\xd9\x88\xd8\xa7\xd9\x86", "body_paragraphs": [\n')
    (d / "lines.jsonl").write_bytes(b"".join(lines))
    return Case([d / "lines.jsonl"], [("bad/lines.jsonl:3", "invalid JSON")], articles=4)


@kind
def jsonl_deeply_nested_line(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "deep.jsonl").write_bytes(jsonl(real[:1]) + nested(50_000) + b"\n" + jsonl(real[1:2]))
    return Case([d / "deep.jsonl"], [("bad/deep.jsonl:2", "recursion")], articles=2)


@kind
def invalid_utf8_line(d: Path, real: list[dict[str, str]]) -> Case:
    broken = json.dumps(real[1], ensure_ascii=False).encode().replace(b"\xd8", b"\xff", 3) + b"\n"
    (d / "utf8.jsonl").write_bytes(jsonl(real[:1]) + broken + jsonl(real[2:3]))
    return Case([d / "utf8.jsonl"], [("bad/utf8.jsonl:2", "invalid JSON")], articles=2)


@kind
def invalid_utf8_in_json_dump(d: Path, real: list[dict[str, str]]) -> Case:
    # A dump is one JSON text: it stops at the bad item; the items before it are kept.
    data = json.dumps(real[:3], ensure_ascii=False).encode()
    start = len(json.dumps(real[:2], ensure_ascii=False).encode())
    (d / "utf8.json").write_bytes(data[:start] + data[start:].replace(b"\xd8", b"\xff", 1))
    return Case([d / "utf8.json"], [("bad/utf8.json[2]", "invalid bytes in UTF8")], articles=2)


@kind
def utf16_with_bom(d: Path, real: list[dict[str, str]]) -> Case:
    # Documented outcome: UTF-16 with its BOM is read (JSON dump, JSONL and text page alike).
    (d / "utf16.json").write_bytes(
        codecs.BOM_UTF16_LE + json.dumps(real[:3], ensure_ascii=False).encode("utf-16-le")
    )
    (d / "utf16.jsonl").write_bytes(codecs.BOM_UTF16_BE + jsonl(real[3:5]).decode().encode("utf-16-be"))
    (d / "utf16.txt").write_bytes((real[5]["title"] + "\n" + real[5]["content"]).encode("utf-16"))
    return Case([d], [], articles=6)


@kind
def windows_1256_text_page(d: Path, real: list[dict[str, str]]) -> Case:
    # Documented outcome: a legacy Arabic code page is detected and read.
    text = real[0]["title"] + "\n" + real[0]["content"]
    (d / "old.txt").write_bytes(text.encode("windows-1256", errors="replace"))
    return Case([d / "old.txt"], [], articles=1)


@kind
def empty_file(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "empty.json").write_bytes(b"")
    (d / "blank.jsonl").write_bytes(b"\n \n")
    return Case([d], [("bad/blank.jsonl", "empty file"), ("bad/empty.json", "empty file")])


@kind
def zero_byte_zip_member(d: Path, real: list[dict[str, str]]) -> Case:
    zip_of(d / "day.zip", {"a-empty.json": b"", "b-day.json": json.dumps(real[:4]).encode()})
    return Case([d / "day.zip"], [("bad/day.zip!a-empty.json", "empty file")], articles=4)


@kind
def corrupt_zip(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "corrupt.zip").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    return Case([d / "corrupt.zip"], [("bad/corrupt.zip", "not a readable zip archive")])


@kind
def corrupt_zip_member_data(d: Path, real: list[dict[str, str]]) -> Case:
    path = zip_of(
        d / "pages.zip", {"a-page.html": page(real[0]) * 3, "b-day.json": json.dumps(real[1:4]).encode()}
    )
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("a-page.html")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    data = bytearray(path.read_bytes())
    middle = start + member.compress_size // 2
    data[middle : middle + 64] = bytes(64)  # the central directory is intact; the deflate stream is not
    path.write_bytes(bytes(data))
    return Case([path], [("bad/pages.zip!a-page.html", "")], articles=3)


@kind
def zip_member_over_the_limit(d: Path, real: list[dict[str, str]]) -> Case:
    # 51 MB of spaces deflate to ~50 KB: refused from the member's header, before anything is inflated
    zip_of(
        d / "bomb.zip",
        {"a-bomb.json": b" " * (MAX_INPUT + 1024 * 1024), "b-day.json": json.dumps(real[:2]).encode()},
    )
    return Case([d / "bomb.zip"], [("bad/bomb.zip!a-bomb.json", "over the 52428800-byte limit")], articles=2)


@kind
def file_over_the_cap(d: Path, real: list[dict[str, str]]) -> Case:
    with (d / "big.json").open("wb") as handle:
        handle.truncate(MAX_INPUT + 1)  # sparse: refused from its size, never read
    return Case([d / "big.json"], [("bad/big.json", "over the 52428800-byte limit")])


@kind
def huge_single_line(d: Path, real: list[dict[str, str]]) -> Case:
    line = b'{"title": "' + "نص ".encode() * (MAX_DOCUMENT_BYTES // 5) + b'"}'  # no newline at all
    (d / "one-line.jsonl").write_bytes(line)
    return Case([d / "one-line.jsonl"], [("bad/one-line.jsonl:1", "over the limit")])


@kind
def truncated_warc_gz_in_gzip_header(d: Path, real: list[dict[str, str]]) -> Case:
    members = gzip_members(warc_records(real[:3]))
    (d / "cut.warc.gz").write_bytes(members[0] + members[1] + members[2][:20])  # 20 bytes of the last member
    at = len(members[0]) + len(members[1])
    return Case(
        [d / "cut.warc.gz"], [("bad/cut.warc.gz", f"gzip member at byte {at} is cut short")], articles=2
    )


@kind
def truncated_warc_gz_in_http_headers(d: Path, real: list[dict[str, str]]) -> Case:
    # Stored deflate blocks (level 0): a cut at a known byte of the record. Before: counted as skipped.
    records = warc_records(real[:3])
    members = gzip_members(records, level=0)
    block = records[2].to_bytes(3)
    into_http = block.index(b"\r\n\r\n") + 4 + 20  # 20 bytes into the HTTP headers
    (d / "cut.warc.gz").write_bytes(members[0] + members[1] + members[2][: 10 + 5 + into_http])
    return Case(
        [d / "cut.warc.gz"],
        [("bad/cut.warc.gz#urn:uuid:00000000-0000-0000-0000-000000000003", "truncated record")],
        articles=2,
    )


@kind
def truncated_warc_gz_in_payload(d: Path, real: list[dict[str, str]]) -> Case:
    members = gzip_members(warc_records(real[:3]))
    (d / "cut.warc.gz").write_bytes(b"".join(members)[: -len(members[2]) // 2])
    return Case(
        [d / "cut.warc.gz"],
        [("bad/cut.warc.gz#urn:uuid:00000000-0000-0000-0000-000000000003", "truncated record")],
        articles=2,
    )


@kind
def warc_gz_that_is_not_gzip(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "notes.warc.gz").write_bytes(("\n".join(r["title"] for r in real)).encode())
    # Documented outcome: a plain WARC under a .warc.gz name is read (the compression is read from the bytes).
    write_warc(d / "plain.warc.gz", warc_records(real[:2]), gzip=False)
    return Case([d], [("bad/notes.warc.gz", "unreadable archive")], articles=2)


@kind
def html_with_broken_markup(d: Path, real: list[dict[str, str]]) -> Case:
    # Documented outcome: the HTML parser recovers, the article is read.
    broken = page(real[0]).replace(b"</p>", b"").replace(b"</article>", b"</div></span>")[:-14]
    (d / "broken.html").write_bytes(broken + b"<p>unclosed <b>bold")
    return Case([d / "broken.html"], [], articles=1)


@kind
def html_without_body_text(d: Path, real: list[dict[str, str]]) -> Case:
    title = html.escape(real[0]["title"])
    (d / "empty.html").write_text(
        f"<html><head><title>{title}</title></head><body></body></html>", encoding="utf-8"
    )
    return Case([d / "empty.html"], [("bad/empty.html", "no article text")])


@kind
def binary_file_with_json_name(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "photo.json").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    return Case([d / "photo.json"], [("bad/photo.json", "invalid JSON")])


@kind
def folder_with_unreadable_file(d: Path, real: list[dict[str, str]]) -> Case:
    if os.geteuid() == 0:
        pytest.skip("running as root: root reads any file, so 'permission denied' cannot be produced")
    (d / "secret.jsonl").write_bytes(jsonl(real[:1]))
    (d / "secret.jsonl").chmod(0)
    (d / "open.jsonl").write_bytes(jsonl(real[1:3]))
    return Case([d], [("bad/secret.jsonl", "permission denied")], articles=2)


@kind
def symlink_loop(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "loop.json").symlink_to(d / "loop.json")
    (d / "up").symlink_to(d)  # a link to a folder above: not followed (documented), so no endless walk
    (d / "open.jsonl").write_bytes(jsonl(real[:2]))
    return Case([d], [("bad/loop.json", "a loop of symbolic links")], articles=2)


@kind
def dangling_symlink_and_a_fifo(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "gone.json").symlink_to(d / "nowhere.json")
    os.mkfifo(d / "pipe.jsonl")  # reading it would block forever
    return Case(
        [d], [("bad/gone.json", "a symbolic link to nothing"), ("bad/pipe.jsonl", "not a regular file")]
    )


@kind
def json_object_instead_of_array(d: Path, real: list[dict[str, str]]) -> Case:
    # Documented outcome: one article object is one article; an object that is not an article is a failure.
    (d / "one.json").write_text(json.dumps(real[0], ensure_ascii=False), encoding="utf-8")
    (d / "wrapped.json").write_text(json.dumps({"articles": real[1:3]}, ensure_ascii=False), encoding="utf-8")
    (d / "number.json").write_text("2015", encoding="utf-8")
    return Case(
        [d],
        [
            ("bad/number.json", "must hold an array of article objects"),
            ("bad/wrapped.json[0]", "neither a title nor body text"),
        ],
        articles=1,
    )


@kind
def json_with_trailing_garbage(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "tail.json").write_bytes(json.dumps(real[:2]).encode() + b"\n<!-- end -->")
    return Case([d / "tail.json"], [("bad/tail.json", "trailing garbage")], articles=2)


@kind
def duplicate_ids(d: Path, real: list[dict[str, str]]) -> Case:
    # Documented outcome: both copies are read; ingest keeps the first and counts the second as skipped.
    (d / "twice.jsonl").write_bytes(jsonl([real[0], real[1], real[0]]))
    return Case([d / "twice.jsonl"], [], articles=3)


@kind
def nul_bytes_in_text(d: Path, real: list[dict[str, str]]) -> Case:
    (d / "nul.txt").write_bytes((real[0]["title"] + "\n\x00" + real[0]["content"]).encode())
    raw_nul = json.dumps(real[1], ensure_ascii=False).encode().replace(b"\\n", b"\x00", 1) + b"\n"
    # An escaped NUL is JSON text like any other character (kept); a raw NUL byte in a string is not JSON.
    escaped = json.dumps(dict(real[2], title=real[2]["title"] + "\x00"), ensure_ascii=False).encode() + b"\n"
    (d / "nul.jsonl").write_bytes(raw_nul + escaped)
    return Case(
        [d],
        [("bad/nul.jsonl:1", "invalid JSON"), ("bad/nul.txt", "binary content (NUL bytes)")],
        articles=1,
    )


@kind
def missing_path(d: Path, real: list[dict[str, str]]) -> Case:
    return Case([d / "nowhere.jsonl"], [("bad/nowhere.jsonl", "no such file or folder")])


def test_the_matrix_has_at_least_twenty_kinds() -> None:
    assert len(KINDS) >= 20


@pytest.fixture
def good(tmp_path: Path, real: list[dict[str, str]]) -> Path:
    path = tmp_path / "good.jsonl"
    path.write_bytes(jsonl(real))
    return path


def failures(items: list, root: Path) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [
        (item.failure.location.removeprefix(f"{root}/"), item.failure.message)
        for item in items
        if item.failure is not None
    ]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_bad_input_is_one_failure_and_the_good_input_is_still_read(
    name: str, tmp_path: Path, real: list[dict[str, str]], good: Path
) -> None:
    (tmp_path / "bad").mkdir()
    case = KINDS[name](tmp_path / "bad", real)
    items = list(read_inputs([*case.inputs, good], max_input_bytes=MAX_INPUT))

    found = failures(items, tmp_path)
    assert [location for location, _ in found] == [location for location, _ in case.failures], found
    for (_, message), (_, words) in zip(found, case.failures, strict=True):
        assert words.lower() in message.lower(), message
    from_bad = [a for item in items if not item.location.startswith(str(good)) for a in item.articles]
    assert len(from_bad) == case.articles
    from_good = [item for item in items if item.location.startswith(str(good))]
    assert [len(item.articles) for item in from_good] == [1] * len(real)

    # the same bytes give the same failures, word for word, on every run
    again = list(read_inputs([*case.inputs, good], max_input_bytes=MAX_INPUT))
    assert failures(again, tmp_path) == found
    assert [i.failure.error_type for i in again if i.failure] == [
        i.failure.error_type for i in items if i.failure
    ]


def test_a_bomb_inside_a_real_day_zip_leaves_the_rest_of_the_day(tmp_path: Path, one_day_zip: Path) -> None:
    with zipfile.ZipFile(one_day_zip) as archive:
        [name] = archive.namelist()
        day = archive.read(name)
    mixed = zip_of(tmp_path / "mixed.zip", {"0-nested.json": nested(), name: day})
    alone = list(read_inputs([one_day_zip], max_input_bytes=MAX_INPUT))
    items = list(read_inputs([mixed], max_input_bytes=MAX_INPUT))
    failed = [i.failure.location for i in items if i.failure]
    assert failed[0] == f"{mixed}!0-nested.json[0]"
    assert len(failed) == 1 + sum(1 for i in alone if i.failure)  # the day's own refusals, no more
    assert sum(len(i.articles) for i in items) == sum(len(i.articles) for i in alone) > 1200


# -- through the real CLI --------------------------------------------------------------------------------------
def naba(tmp_path: Path, *args: str | Path) -> tuple[int, str, str]:
    script = Path(sys.executable).parent / "naba"
    command = (
        [str(script)] if script.exists() else [sys.executable, "-c", "from naba.cli import main; main()"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NABA_")}
    done = subprocess.run(
        [*command, "--db", str(tmp_path / "x.db"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no naba.toml there
        env=env,
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_cli_a_nesting_bomb_before_a_good_warc(tmp_path: Path, real: list[dict[str, str]]) -> None:
    (tmp_path / "nested.json").write_bytes(nested())
    zip_of(tmp_path / "day.zip", {"a-nested.json": nested(), "b-day.json": json.dumps(real[:5]).encode()})
    write_warc(tmp_path / "good.warc.gz", warc_records(real[10:14]))
    status, out, err = naba(tmp_path, "ingest", "nested.json", "day.zip", "good.warc.gz", "--json")
    assert status == 0, err
    assert "Traceback" not in out + err
    report = json.loads(out)
    assert (report["failed"], report["stored"]) == (2, 5 + 4)
    assert [f["location"] for f in report["failures"]] == ["nested.json[0]", "day.zip!a-nested.json[0]"]


def test_cli_a_folder_of_every_bad_kind_then_a_good_file(
    tmp_path: Path, real: list[dict[str, str]], good: Path
) -> None:
    expected_failures = expected_articles = 0
    for name, build in sorted(KINDS.items()):
        folder = tmp_path / "bad" / name
        folder.mkdir(parents=True)
        try:
            case = build(folder, real)
        except pytest.skip.Exception:
            continue
        if any(not path.is_relative_to(folder) for path in case.inputs) or not any(folder.iterdir()):
            continue  # a path that does not exist is not in the folder
        expected_failures += len(case.failures)
        expected_articles += case.articles
    status, out, err = naba(tmp_path, "ingest", tmp_path / "bad", good, "--json")
    assert status == 0, err
    assert "Traceback" not in out + err
    report = json.loads(out)
    assert report["failed"] == expected_failures
    assert report["read"] == expected_articles + len(real)
