"""Input locations: path lists (CC-NEWS ``warc.paths.gz``) resolved against a prefix, folders as their files,
and WARC archives read over HTTP as a stream with the same items as the same file read from disk."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx
from tests.unit.sources.test_warc import Page, arabic, crawl, write_warc  # noqa: F401  (arabic: a fixture)

from naba.sources.locations import expand_locations, read_location, read_warc_url
from naba.sources.warc import WarcFilter, read_warc
from naba.types import InputItem


def _summary(items: list[InputItem]) -> list[tuple[str, tuple[str, ...], str | None]]:
    # Locations are named after the archive (path or URL): compare what follows the record anchor.
    return [
        (
            item.location.rsplit("#", 1)[-1],
            tuple(a.id for a in item.articles),
            item.failure.message if item.failure else None,
        )
        for item in items
    ]


def test_a_path_list_resolves_relative_lines_against_the_prefix(tmp_path: Path) -> None:
    listing = tmp_path / "warc.paths.gz"
    lines = [
        "crawl-data/CC-NEWS/2016/09/CC-NEWS-20160926211809-00000.warc.gz",
        "",
        "# a comment",
        "https://example.org/other.warc.gz",
        "/abs/path/x.warc.gz",
    ]
    listing.write_bytes(gzip.compress("\n".join(lines).encode()))
    found, failures = expand_locations([listing])
    assert failures == []
    assert found == [
        "https://data.commoncrawl.org/crawl-data/CC-NEWS/2016/09/CC-NEWS-20160926211809-00000.warc.gz",
        "https://example.org/other.warc.gz",
        "/abs/path/x.warc.gz",
    ]
    local, _ = expand_locations([listing], prefix=str(tmp_path / "mirror"))
    assert local[0] == str(tmp_path / "mirror" / lines[0])


def test_folders_become_their_files_and_a_broken_path_list_is_one_failure(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.jsonl").write_text("{}")
    (tmp_path / "1.zip").write_bytes(b"")
    (tmp_path / "b" / ".hidden").write_text("x")
    bad = tmp_path / "bad.paths.gz"
    bad.write_bytes(b"not gzip")
    found, failures = expand_locations([tmp_path / "b", tmp_path / "1.zip", bad])
    assert found == [str(tmp_path / "b" / "2.jsonl"), str(tmp_path / "1.zip")]
    assert [f.location for f in failures] == [str(bad)]
    assert failures[0].failure is not None and "path list" in failures[0].failure.message
    whole, _ = expand_locations([tmp_path], folders=False)
    assert whole == [str(tmp_path)]


def test_a_warc_url_is_streamed_into_the_same_items_as_the_file(tmp_path: Path, arabic: list[Page]) -> None:  # noqa: F811
    archive = write_warc(tmp_path / "crawl.warc.gz", crawl(arabic))
    data = archive.read_bytes()
    url = "https://data.example/crawl-data/CC-NEWS/crawl.warc.gz"

    def serve(request: httpx.Request) -> httpx.Response:
        if request.url == httpx.URL(url):
            return httpx.Response(200, stream=httpx.ByteStream(data))
        return httpx.Response(404)

    transport = httpx.MockTransport(serve)
    arabic_only = WarcFilter(languages=frozenset({"ar"}))
    remote = list(read_warc_url(url, transport=transport, warc_filter=arabic_only))
    local = list(read_warc(archive, filter=arabic_only))
    assert _summary(remote) == _summary(local)
    assert sum(len(item.articles) for item in remote) == 3
    assert all(item.location.startswith(url + "#") for item in remote)
    missing = list(read_warc_url(url + ".gone", transport=transport))
    assert [item.failure.message for item in missing if item.failure] == ["HTTP 404 for the archive"]


def test_read_location_reads_a_local_path_as_ingest_does(tmp_path: Path, arabic: list[Page]) -> None:  # noqa: F811
    archive = write_warc(tmp_path / "crawl.warc.gz", crawl(arabic))
    items = list(read_location(str(archive), max_input_bytes=1 << 20))
    assert _summary(items) == _summary(list(read_warc(archive)))
