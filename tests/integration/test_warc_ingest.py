"""`naba ingest crawl.warc.gz` end to end: the archive's articles are stored with their URLs, a truncated
last record is one failure, re-ingesting changes nothing, and the articles are searchable."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SHARED, need_shared
from tests.unit.sources.test_warc import ENGLISH_PAGE, ENGLISH_URL, Record, http_response, write_warc

from naba.config import Settings
from naba.engine.naba import Naba
from naba.types import SearchQuery

SYNTH = SHARED / "eval" / "extraction-synth"
PAGES = {
    "https://sada-alkhaleej.net/2015/07/26/t01-wp-jannah-01/": "t01-wp-jannah-01",
    "https://bawabet-elnil.com/story/2015/07/22/t03-drupal-eg-01": "t03-drupal-eg-01",
    "https://albayader-news.ps/news.php?id=t07-br-divs-cp1256-01": "t07-br-divs-cp1256-01",
}


def crawl(path: Path) -> Path:
    records = [
        Record("response", url, http_response(need_shared(SYNTH / f"{name}.html").read_bytes()))
        for url, name in PAGES.items()
    ]
    records.append(Record("response", "https://sada-alkhaleej.net/tag/x", http_response(b"", status=404)))
    records.append(Record("response", ENGLISH_URL, http_response(ENGLISH_PAGE)))
    write_warc(path, records)
    data = path.read_bytes()
    path.write_bytes(data[:-40])  # the download stopped inside the last record
    return path


def test_ingest_a_warc_archive_stores_searches_and_is_idempotent(tmp_path: Path, settings: Settings) -> None:
    archive = crawl(tmp_path / "CC-NEWS-20240305102030-00001.warc.gz")
    with Naba.open(settings) as naba:
        report = naba.ingest([archive])
        assert (report.read, report.stored, report.failed, report.skipped) == (3, 3, 1, 1)  # 404 skipped
        assert report.failures[0].location.startswith(f"{archive}#urn:uuid:")
        assert "truncated" in report.failures[0].message
        stored = {s.article.url: s.article for s in naba.store.latest(limit=10)}
        assert set(stored) == set(PAGES)
        assert all(article.language == "ar" for article in stored.values())

        again = naba.ingest([archive])
        assert (again.stored, again.updated, again.unchanged) == (0, 0, 3)

        # a word of the t03 page's title («سكان سياتل يقاضون مجلسهم …»)
        hits = naba.search(SearchQuery("سياتل", limit=5)).hits
        assert [hit.article.url for hit in hits][:1] == [
            "https://bawabet-elnil.com/story/2015/07/22/t03-drupal-eg-01"
        ]
