"""A WARC archive cut at any byte gives the records before the cut and exactly one failure: never a record
that silently vanishes, never a cut record counted as skipped."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from tests.unit.sources.test_warc import ENGLISH_PAGE, ENGLISH_URL, Record, response

from naba.sources.warc import read_warc
from naba.types import InputItem

REQUEST = Record(
    "request",
    ENGLISH_URL,
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    content_type="application/http; msgtype=request",
)


def outcome(items: list[InputItem]) -> tuple[int, int, int]:
    """(articles, failures, skipped)."""
    return (
        sum(len(i.articles) for i in items),
        sum(i.failure is not None for i in items),
        sum(not i.articles and i.failure is None for i in items),
    )


def blocks(last: Record) -> list[bytes]:
    return [response(f"{ENGLISH_URL}/1", ENGLISH_PAGE).to_bytes(1), last.to_bytes(2)]


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("last", ["response", "request"])
def test_a_cut_at_any_byte_is_one_failure_after_the_good_records(
    tmp_path: Path, gzipped: bool, last: str
) -> None:
    record = response(f"{ENGLISH_URL}/2", ENGLISH_PAGE) if last == "response" else REQUEST
    first, second = (gzip.compress(b) if gzipped else b for b in blocks(record))
    path = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    whole = 2 if last == "response" else 1  # articles when nothing is lost
    for cut in range(1, len(second), 3):
        path.write_bytes(first + second[:cut])
        items = list(read_warc(path))
        articles, failures, skipped = outcome(items)
        if not gzipped and cut >= len(second) - 4:  # only the record's trailing CRLFs are gone
            assert (articles, failures, skipped) == (whole, 0, 0), (cut, items)
            continue
        # A gzip member cut in its last bytes may have given all of its record: still a failure.
        assert articles in {1, whole} and (failures, skipped) == (1, 0), (cut, items)
        [failure] = [i.failure for i in items if i.failure is not None]
        assert failure.location.startswith(str(path))
        if "#" not in failure.location:  # named by the archive: the message says where
            assert f"byte {len(first)}" in failure.message or "after record" in failure.message, failure


def test_a_gzip_member_failing_its_crc_is_one_failure_after_the_good_records(tmp_path: Path) -> None:
    good = gzip.compress(response(f"{ENGLISH_URL}/1", ENGLISH_PAGE).to_bytes(1))
    bad = bytearray(gzip.compress(response(f"{ENGLISH_URL}/2", ENGLISH_PAGE).to_bytes(2)))
    bad[-8] ^= 0xFF  # the CRC in the trailer: the deflate data itself is intact
    path = tmp_path / "crc.warc.gz"
    path.write_bytes(good + bytes(bad))
    items = list(read_warc(path))
    assert sum(len(i.articles) for i in items) == 1
    [failure] = [i.failure for i in items if i.failure is not None]
    assert failure.location == str(path)
    assert "after record urn:uuid:00000000-0000-0000-0000-000000000001" in failure.message


def test_an_empty_archive_is_one_failure(tmp_path: Path) -> None:
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    [item] = list(read_warc(tmp_path / "empty.warc.gz"))
    assert item.failure is not None and item.failure.message == "empty file"
