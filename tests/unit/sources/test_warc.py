"""WARC archives: response records become articles with their URL and WARC-Date; everything else is skipped
or, when it is broken, one failure; filters by host, language and date; plain and gzipped; streamed."""

from __future__ import annotations

import datetime as dt
import gzip as gzip_module
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SHARED, need_shared

from naba.errors import ConfigError
from naba.sources.files import read_inputs
from naba.sources.warc import WarcFilter, read_warc, read_warc_stream
from naba.types import InputItem

SYNTH = SHARED / "eval" / "extraction-synth"
CRAWLED = "2024-03-05T10:20:30Z"
CRAWLED_AT = dt.datetime(2024, 3, 5, 10, 20, 30, tzinfo=dt.UTC)

ENGLISH_PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour reopens after storm - Coast Daily</title></head><body><article>
<h1>Harbour reopens after storm</h1>
<p>The main harbour reopened on Tuesday after three days of closure caused by the storm that hit the coast
at the weekend, the port authority said in a statement.</p>
<p>Fishing boats returned to sea in the morning, and the ferry service to the islands resumed at noon with
extra crossings planned for the rest of the week to clear the backlog of passengers.</p>
<p>Officials said damage to the breakwater was lighter than feared and repairs would not disrupt traffic.</p>
</article></body></html>"""
FRONT_PAGE = b"""<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>\xd8\xa7\xd9\x84\xd8\xb1\xd8\xa6\xd9\x8a\xd8\xb3\xd9\x8a\xd8\xa9</title></head>
<body><nav><a href="/a">\xd8\xa3</a> <a href="/b">\xd8\xa8</a></nav></body></html>"""


# -- writing WARC files ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Record:
    """One WARC record: its type, target, date and block (for responses, an HTTP message)."""

    type: str
    uri: str
    block: bytes
    date: str = CRAWLED
    record_id: str | None = None
    content_type: str = "application/http; msgtype=response"

    def to_bytes(self, number: int) -> bytes:
        record_id = self.record_id or f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>"
        head = (
            f"WARC/1.0\r\nWARC-Type: {self.type}\r\nWARC-Record-ID: {record_id}\r\nWARC-Date: {self.date}\r\n"
            f"WARC-Target-URI: {self.uri}\r\nContent-Type: {self.content_type}\r\n"
            f"Content-Length: {len(self.block)}\r\n\r\n"
        )
        return head.encode() + self.block + b"\r\n\r\n"


def http_response(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> bytes:
    reason = {200: "OK", 404: "Not Found", 301: "Moved Permanently"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def response(uri: str, body: bytes, **http: Any) -> Record:
    return Record("response", uri, http_response(body, **http))


def write_warc(path: Path, records: Iterable[Record], gzip: bool = True) -> Path:
    """A WARC/1.0 file; gzipped one member per record, as CC-NEWS and every crawler write them."""
    with path.open("wb") as out:
        for number, record in enumerate(records, start=1):
            data = record.to_bytes(number)
            out.write(gzip_module.compress(data) if gzip else data)
    return path


# -- the pages ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    name: str
    url: str
    body: bytes


def synth_page(name: str, url: str) -> Page:
    return Page(name, url, need_shared(SYNTH / f"{name}.html").read_bytes())


@pytest.fixture(scope="module")
def arabic() -> list[Page]:
    return [
        synth_page("t01-wp-jannah-01", "https://www.sada-alkhaleej.net/2015/07/26/t01-wp-jannah-01/"),
        synth_page("t03-drupal-eg-01", "https://bawabet-elnil.com/story/2015/07/22/t03-drupal-eg-01"),
        # windows-1256, declared only in <meta http-equiv>; the HTTP header names no charset either
        synth_page("t05-saudi-hijri-cp1256-01", "https://aldeerah-news.com.sa/articles.php?id=t05-01"),
    ]


ENGLISH_URL = "https://coastdaily.example/news/harbour-reopens"


def crawl(arabic: Sequence[Page]) -> list[Record]:
    """A small news crawl: Arabic articles, an English one, and the records that must give nothing."""
    return [
        Record("warcinfo", "", b"software: test\r\nformat: WARC File Format 1.0\r\n", content_type="application/warc-fields"),
        Record("request", arabic[0].url, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", content_type="application/http; msgtype=request"),
        response(arabic[0].url, arabic[0].body),
        response(arabic[1].url, arabic[1].body, content_type="text/html"),
        response("https://bawabet-elnil.com/missing", b"<html><body>not found</body></html>", status=404),
        response("https://bawabet-elnil.com/logo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, content_type="image/jpeg"),
        response(arabic[2].url, arabic[2].body, content_type="text/html"),
        response("https://bawabet-elnil.com/", FRONT_PAGE),
        Record("response", "dns:bawabet-elnil.com", b"20240305102030\nbawabet-elnil.com. 300 IN A 1.2.3.4\n", content_type="text/dns"),
        response(ENGLISH_URL, ENGLISH_PAGE),
    ]  # fmt: skip


def articles_of(items: Iterable[InputItem]) -> dict[str, Any]:
    return {a.url: a for item in items for a in item.articles if a.url}


def failures_of(items: Iterable[InputItem]) -> list[str]:
    return [item.failure.message for item in items if item.failure is not None]


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def archive(request: pytest.FixtureRequest, tmp_path: Path, arabic: list[Page]) -> Path:
    gzip = request.param
    return write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), crawl(arabic), gzip=gzip)


# -- reading ---------------------------------------------------------------------------------------------------
def test_articles_come_out_with_their_url_and_warc_date(archive: Path, arabic: list[Page]) -> None:
    items = list(read_warc(archive))
    assert failures_of(items) == []
    found = articles_of(items)
    assert set(found) == {page.url for page in arabic} | {ENGLISH_URL}
    for page in arabic:
        article = found[page.url]
        assert article.language == "ar"
        assert article.provenance.source == page.url
        assert article.provenance.fetched_at == CRAWLED_AT
        assert article.body_paragraphs
    gold_title = "رصاصة تخترق رأس طفلة سعودية في عُمان"
    assert found[arabic[2].url].title == gold_title  # windows-1256 decoded from the page's <meta>
    # the page's canonical URL is read as usual; the record's URL stays the article's URL
    assert found[arabic[0].url].canonical_url == "https://sada-alkhaleej.net/2015/07/26/t01-wp-jannah-01/"
    assert found[ENGLISH_URL].language == "en"


def test_each_response_record_is_one_item_located_by_its_record_id(archive: Path) -> None:
    items = list(read_warc(archive))
    # 8 response records (the dns: one included); warcinfo and request records give nothing
    assert len(items) == 8
    assert all(item.location.startswith(f"{archive}#urn:uuid:") for item in items)
    with_articles = [item for item in items if item.articles]
    assert [item.location.rsplit("-", 1)[1] for item in with_articles] == [
        "000000000003",
        "000000000004",
        "000000000007",
        "000000000010",
    ]
    # the 404, the image, the front page without article text and the dns record are skipped, not failures
    assert sum(1 for item in items if not item.articles and item.failure is None) == 4


def test_read_inputs_dispatches_warc_files_and_zip_members(tmp_path: Path, arabic: list[Page]) -> None:
    write_warc(tmp_path / "a.warc.gz", crawl(arabic)[:3])
    write_warc(tmp_path / "b.warc", crawl(arabic)[3:4], gzip=False)
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as archive:
        archive.write(write_warc(tmp_path / "member.warc.gz", crawl(arabic)[6:7]), "in/member.warc.gz")
    (tmp_path / "member.warc.gz").unlink()
    items = list(read_inputs([tmp_path], max_input_bytes=1000))  # the archive limit does not apply to WARC
    assert failures_of(items) == []
    assert set(articles_of(items)) == {arabic[0].url, arabic[1].url, arabic[2].url}
    assert any(item.location.startswith(f"{tmp_path / 'c.zip'}!in/member.warc.gz#") for item in items)


# -- filters ---------------------------------------------------------------------------------------------------
def test_host_filter_keeps_the_host_and_its_subdomains(archive: Path, arabic: list[Page]) -> None:
    only = WarcFilter(hosts=frozenset({"SADA-alkhaleej.net", "aldeerah-news.com.sa."}))
    assert set(articles_of(read_warc(archive, filter=only))) == {arabic[0].url, arabic[2].url}
    assert not articles_of(read_warc(archive, filter=WarcFilter(hosts=frozenset({"alkhaleej.net"}))))


def test_language_filter(archive: Path, arabic: list[Page]) -> None:
    items = list(read_warc(archive, filter=WarcFilter(languages=frozenset({"ar"}))))
    assert set(articles_of(items)) == {page.url for page in arabic}
    assert len(items) == 8  # the English page is skipped like any other record: one empty item
    assert set(articles_of(read_warc(archive, filter=WarcFilter(languages=frozenset({"en"}))))) == {
        ENGLISH_URL
    }


def test_date_filter_uses_the_published_date_else_the_warc_date(archive: Path, arabic: list[Page]) -> None:
    # published: t01 2015-07-26 (+03:00), t03 2015-07-22, t05 2015-07-27 (a day); the English page states
    # none, so its WARC-Date (2024-03-05) counts
    july_26_27 = WarcFilter(since=dt.date(2015, 7, 26), until=dt.date(2015, 7, 27))
    assert set(articles_of(read_warc(archive, filter=july_26_27))) == {arabic[0].url, arabic[2].url}
    crawl_day = WarcFilter(since=dt.date(2024, 3, 5))
    assert set(articles_of(read_warc(archive, filter=crawl_day))) == {ENGLISH_URL}
    before = WarcFilter(until=dt.date(2015, 7, 22))
    assert set(articles_of(read_warc(archive, filter=before))) == {arabic[1].url}


def test_since_skips_pages_fetched_before_it_without_extracting(tmp_path: Path, arabic: list[Page]) -> None:
    # crawled in 2015, so published no later than that: not wanted since 2016, whatever the page says
    old = Record("response", arabic[0].url, http_response(arabic[0].body), date="2015-07-27T00:00:00Z")
    path = write_warc(tmp_path / "old.warc.gz", [old])
    [item] = list(read_warc(path, filter=WarcFilter(since=dt.date(2016, 1, 1))))
    assert item.articles == () and item.failure is None


def test_a_filter_with_since_after_until_is_refused() -> None:
    with pytest.raises(ConfigError):
        WarcFilter(since=dt.date(2024, 2, 1), until=dt.date(2024, 1, 1))


# -- broken archives and limits ----------------------------------------------------------------------------------
@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_archive_gives_the_good_records_and_one_failure(
    tmp_path: Path, arabic: list[Page], gzip: bool
) -> None:
    path = write_warc(tmp_path / "cut.warc", crawl(arabic), gzip=gzip)
    data = path.read_bytes()
    last = gzip_module.compress(crawl(arabic)[-1].to_bytes(10)) if gzip else crawl(arabic)[-1].to_bytes(10)
    path.write_bytes(data[: len(data) - len(last) // 2])  # the English page is cut in half
    items = list(read_warc(path))
    assert set(articles_of(items)) == {page.url for page in arabic}
    [failure] = [item.failure for item in items if item.failure is not None]
    assert failure.location.endswith("000000000010")
    assert "truncated" in failure.message


def test_a_corrupt_gzip_member_stops_the_archive_with_one_failure(tmp_path: Path, arabic: list[Page]) -> None:
    good = gzip_module.compress(response(arabic[0].url, arabic[0].body).to_bytes(1))
    bad = bytearray(gzip_module.compress(response(arabic[1].url, arabic[1].body).to_bytes(2)))
    bad[40:60] = b"\x00" * 20
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(good + bytes(bad) + good)
    items = list(read_warc(path))
    assert set(articles_of(items)) == {arabic[0].url}
    assert len(failures_of(items)) == 1


def test_a_file_that_is_not_a_warc_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("these are notes, not an archive\n" * 20)
    [item] = list(read_warc(path))
    assert item.failure is not None and item.location == str(path)
    assert "unreadable archive after the start" in item.failure.message


def test_a_record_over_the_limit_is_a_failure_and_the_next_is_read(tmp_path: Path) -> None:
    big = response("https://big.example/page", b"<html><body><p>" + b"x" * 5000 + b"</p></body></html>")
    path = write_warc(tmp_path / "big.warc.gz", [big, response(ENGLISH_URL, ENGLISH_PAGE)])
    items = list(read_warc(path, max_record_bytes=2048))
    assert set(articles_of(items)) == {ENGLISH_URL}
    assert failures_of(items) == ["payload of 5033 bytes is over the 2048-byte limit"]
    assert items[0].failure is not None and items[0].failure.error_type == "TooLargeError"


def test_content_encodings_are_undone(tmp_path: Path, arabic: list[Page]) -> None:
    # wget and warcprox keep the body as the server sent it: gzip inside chunked transfer encoding
    compressed = gzip_module.compress(arabic[0].body)
    chunked = b"".join(
        b"%x\r\n%s\r\n" % (len(compressed[i : i + 4000]), compressed[i : i + 4000])
        for i in range(0, len(compressed), 4000)
    )
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
    path = write_warc(
        tmp_path / "raw.warc.gz", [Record("response", arabic[0].url, head + chunked + b"0\r\n\r\n")]
    )
    items = list(read_warc(path))
    assert failures_of(items) == []
    assert set(articles_of(items)) == {arabic[0].url}


# -- streaming -------------------------------------------------------------------------------------------------
class CountingReader:
    """A binary file that counts the bytes handed out, to show the reader does not slurp the archive."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.bytes_read += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def close(self) -> None:
        self._file.close()


def test_the_first_article_comes_before_the_archive_is_read(tmp_path: Path, arabic: list[Page]) -> None:
    filler = [
        response(f"https://x.example/{n}", b"<html>" + b"." * 20_000 + b"</html>", status=404)
        for n in range(200)
    ]
    path = write_warc(tmp_path / "long.warc", [response(arabic[0].url, arabic[0].body), *filler], gzip=False)
    stream = CountingReader(path)
    items = read_warc_stream(stream, location=str(path))
    first = next(items)
    assert first.articles and first.articles[0].url == arabic[0].url
    assert stream.bytes_read < path.stat().st_size / 4
    assert sum(1 for _ in items) == 200
    stream.close()
