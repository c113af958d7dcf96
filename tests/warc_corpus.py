"""WARC archives made of real SaudiNewsNet articles rendered as HTML pages (for the batch tests and bench).

Each article becomes a ``response`` record at its own URL with its SaudiNewsNet time as the page's
``article:published_time`` (Saudi time, +03:00) and as the WARC-Date (UTC); records are written gzipped one
member per record, as CC-NEWS publishes them. Nothing is copied into the repo: the articles are read from
``../shared`` when a test or bench runs.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from tests.news_site import SAUDI, SiteArticle, article_page


def saudinewsnet_records(zips: Iterable[Path]) -> Iterator[dict[str, str]]:
    """Every record of the daily zips, in zip and member order."""
    for day_zip in zips:
        with zipfile.ZipFile(day_zip) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".json"):
                    yield from json.loads(archive.read(name))


def _site_article(record: dict[str, str], number: int) -> SiteArticle | None:
    paragraphs = tuple(p.strip() for p in (record.get("content") or "").split("\n") if p.strip())
    title = (record.get("title") or "").strip()
    if not title or not paragraphs:
        return None
    when = dt.datetime.strptime(record["date_extracted"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SAUDI)
    return SiteArticle(f"a{number:06d}", title, paragraphs, when, record.get("source") or "")


def _record(number: int, url: str, page: bytes, when: dt.datetime) -> bytes:
    http = (
        f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(page)}\r\n\r\n"
    ).encode() + page
    date = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
        f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + http + b"\r\n\r\n", compresslevel=1)


def write_corpus_warcs(
    records: Iterable[dict[str, str]], folder: Path, *, files: int = 1, stem: str = "CC-NEWS-20150802000000"
) -> list[Path]:
    """The records as ``files`` WARC archives (round robin) in ``folder``; returns their paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}-{n:05d}.warc.gz" for n in range(files)]
    outs = [p.open("wb") for p in paths]
    try:
        number = 0
        for record in records:
            article = _site_article(record, number)
            url = record.get("url") or ""
            if article is None or not url or article.published is None:
                continue
            number += 1
            outs[number % files].write(_record(number, url, article_page(article, url), article.published))
    finally:
        for out in outs:
            out.close()
    return paths


def gold_urls(gold: Path) -> set[str]:
    return {json.loads(line)["url"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()}


def select(records: Iterable[dict[str, str]], urls: Sequence[str] | set[str]) -> list[dict[str, str]]:
    wanted = set(urls)
    return [r for r in records if r.get("url") in wanted]
