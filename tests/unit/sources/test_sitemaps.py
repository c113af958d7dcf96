"""Sitemaps built in the test from real SaudiNewsNet URLs and titles: urlsets, Google News sitemaps, indexes,
gzip (and a gzip bomb), plain text, robots.txt lines, truncation, and no XXE."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from html import escape
from pathlib import Path

import pytest
from tests.conftest import CORPUS, need_shared

from naba.errors import InputError, SitemapError, SitemapTooLargeError, TooLargeError
from naba.sources.sitemaps import (
    SitemapUrl,
    parse_sitemap,
    recent,
    robots_sitemap_lines,
    w3c_datetime,
)

SAUDI = dt.timezone(dt.timedelta(hours=3))
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    """Six SaudiNewsNet records of 2015-08-02 with a title and a URL."""
    with zipfile.ZipFile(need_shared(CORPUS / "2015-08-02.zip")) as archive:
        data = json.loads(archive.read(archive.namelist()[0]))
    return [r for r in data if r["title"].strip() and r["url"].strip()][:6]


def published(record: dict[str, str]) -> dt.datetime:
    return dt.datetime.fromisoformat(record["date_extracted"]).replace(tzinfo=SAUDI)


def urlset(records: list[dict[str, str]], *, news: bool = False) -> bytes:
    urls = []
    for r in records:
        extra = ""
        if news:
            extra = (
                "<news:news><news:publication><news:name>سبق</news:name><news:language>ar</news:language>"
                f"</news:publication><news:publication_date>{published(r).isoformat()}</news:publication_date>"
                f"<news:title>{escape(r['title'])}</news:title></news:news>"
            )
        urls.append(
            f"<url><loc>{escape(r['url'])}</loc><lastmod>{published(r).date()}</lastmod>{extra}</url>\n"
        )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{URLSET}\n{"".join(urls)}</urlset>\n'.encode()


def test_urlset(records: list[dict[str, str]]) -> None:
    sitemap = parse_sitemap(urlset(records))
    assert sitemap.kind == "urlset" and sitemap.warnings == ()
    assert [u.loc for u in sitemap.urls] == [r["url"] for r in records]
    assert sitemap.urls[0].lastmod == dt.datetime(2015, 8, 2, tzinfo=dt.UTC)
    assert sitemap.urls[0].news_title is None


def test_news_sitemap_with_arabic_titles(records: list[dict[str, str]]) -> None:
    sitemap = parse_sitemap(urlset(records, news=True))
    assert [u.news_title for u in sitemap.urls] == [r["title"].strip() for r in records]
    first = sitemap.urls[0]
    assert first.news_published == published(records[0])
    assert first.news_published is not None and first.news_published.tzinfo == dt.UTC
    assert (first.news_language, first.publication_name) == ("ar", "سبق")


def test_sitemap_index_and_recent_children() -> None:
    content = b"""<?xml version="1.0" encoding="UTF-8"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://sabq.org/sitemap-2015-08.xml</loc><lastmod>2015-08-02T10:00:00+03:00</lastmod></sitemap>
      <sitemap><loc>https://sabq.org/sitemap-2015-07.xml.gz</loc><lastmod>2015-07-31</lastmod></sitemap>
      <sitemap><loc>/sitemap-pages.xml</loc></sitemap>
      <sitemap><lastmod>2015-07-31</lastmod></sitemap>
    </sitemapindex>"""
    sitemap = parse_sitemap(content, url="https://sabq.org/sitemap.xml")
    assert sitemap.kind == "index" and sitemap.urls == ()
    assert sitemap.sitemaps == (
        "https://sabq.org/sitemap-2015-08.xml",
        "https://sabq.org/sitemap-2015-07.xml.gz",
        "https://sabq.org/sitemap-pages.xml",
    )
    assert any("without a usable <loc>" in w for w in sitemap.warnings)
    since = dt.datetime(2015, 8, 1, tzinfo=dt.UTC)
    assert [u.loc for u in recent(sitemap.index_entries, since)] == [
        "https://sabq.org/sitemap-2015-08.xml",
        "https://sabq.org/sitemap-pages.xml",  # undated: kept
    ]


def test_gzip_sitemap(records: list[dict[str, str]]) -> None:
    sitemap = parse_sitemap(gzip.compress(urlset(records, news=True)), url="https://sabq.org/news.xml.gz")
    assert [u.news_title for u in sitemap.urls] == [r["title"].strip() for r in records]


def test_gzip_bomb_is_refused_without_inflating_it() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (8 * 1024 * 1024) + b"</urlset>")
    assert len(bomb) < 20 * 1024
    with pytest.raises(SitemapTooLargeError, match="gzip bomb") as caught:
        parse_sitemap(bomb, max_bytes=1024 * 1024)
    assert isinstance(caught.value, TooLargeError) and isinstance(caught.value, SitemapError)
    with pytest.raises(SitemapTooLargeError):
        parse_sitemap(b"<urlset>" + b" " * 2048 + b"</urlset>", max_bytes=1024)


def test_broken_gzip_is_an_input_error() -> None:
    with pytest.raises(SitemapError):
        parse_sitemap(b"\x1f\x8b\x08\x00garbage-not-deflate")
    cut = gzip.compress(
        urlset([{"url": "https://sabq.org/1", "date_extracted": "2015-08-02 10:00:00", "title": "x"}])
    )
    sitemap = parse_sitemap(cut[: len(cut) - 12])  # the stream loses its end (and the CRC trailer)
    assert any("truncated" in w for w in sitemap.warnings)


def test_text_sitemap(records: list[dict[str, str]]) -> None:
    lines = "\n".join(r["url"] for r in records)
    sitemap = parse_sitemap(f"\ufeff{lines}\n\nnot a url\n{records[0]['url']}\n".encode())
    assert [u.loc for u in sitemap.urls] == [r["url"] for r in records]
    assert any("not absolute" in w for w in sitemap.warnings)
    with pytest.raises(SitemapError):
        parse_sitemap("لا شيء هنا\nولا هنا".encode())


def test_truncated_sitemap_keeps_the_complete_urls(records: list[dict[str, str]]) -> None:
    content = urlset(records, news=True)
    third = content.index(b"<url>", content.index(b"</url>", content.index(b"</url>") + 1))
    sitemap = parse_sitemap(content[: third + 40])  # cut inside the third <loc>
    assert [u.loc for u in sitemap.urls] == [r["url"] for r in records[:2]]
    assert any("truncated" in w for w in sitemap.warnings)


def test_relative_and_odd_namespace_locs() -> None:
    content = b"""<urlset xmlns="http://www.google.com/schemas/sitemap/0.84"><url><loc> /a/1 </loc>
    <lastmod>2015-08</lastmod></url><url><loc>https://x.sa/a/1</loc></url><url><loc>ftp://x.sa/f</loc></url></urlset>"""
    sitemap = parse_sitemap(content, url="https://x.sa/sitemap.xml")
    assert [u.loc for u in sitemap.urls] == ["https://x.sa/a/1"]  # resolved, then deduplicated
    assert sitemap.urls[0].lastmod == dt.datetime(2015, 8, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "content",
    [b"", b"<!DOCTYPE html><html><body><p>404</p></body></html>", b"<note/>", b"<<<>>>"],
)
def test_non_sitemaps_raise(content: bytes) -> None:
    with pytest.raises(SitemapError) as caught:
        parse_sitemap(content)
    assert isinstance(caught.value, InputError)


def test_feed_given_as_a_sitemap() -> None:
    content = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>سبق</title><item><title>خبر عاجل</title>'
        "<link>https://sabq.org/1</link><pubDate>Sun, 02 Aug 2015 10:00:00 +0300</pubDate></item>"
        "</channel></rss>"
    ).encode()
    (url,) = parse_sitemap(content).urls
    assert (url.loc, url.news_title) == ("https://sabq.org/1", "خبر عاجل")
    assert url.news_published == dt.datetime(2015, 8, 2, 7, tzinfo=dt.UTC)


def test_robots_sitemap_lines() -> None:
    robots = """User-agent: *
Disallow: /search
sitemap: https://sabq.org/sitemap.xml
  SITEMAP :https://sabq.org/news-sitemap.xml # Google News
Sitemap: https://sabq.org/sitemap.xml
# Sitemap: https://sabq.org/old.xml
Allow: /sitemap-like-path
"""
    assert robots_sitemap_lines(robots) == [
        "https://sabq.org/sitemap.xml",
        "https://sabq.org/news-sitemap.xml",
    ]
    assert robots_sitemap_lines("") == []


def test_recent_prefers_the_news_date_and_keeps_undated() -> None:
    since = dt.datetime(2015, 8, 2, 12, tzinfo=dt.UTC)
    urls = [
        SitemapUrl("https://x/old-news", lastmod=since, news_published=since - dt.timedelta(days=1)),
        SitemapUrl("https://x/new", lastmod=since),
        SitemapUrl("https://x/old", lastmod=since - dt.timedelta(seconds=1)),
        SitemapUrl("https://x/undated"),
    ]
    assert [u.loc for u in recent(urls, since)] == ["https://x/new", "https://x/undated"]
    naive = since.replace(tzinfo=None)
    assert [u.loc for u in recent(urls, naive)] == ["https://x/new", "https://x/undated"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-08-02", dt.datetime(2015, 8, 2, tzinfo=dt.UTC)),
        ("2015-08-02T10:00:00+03:00", dt.datetime(2015, 8, 2, 7, tzinfo=dt.UTC)),
        ("2015-08-02T10:00:00Z", dt.datetime(2015, 8, 2, 10, tzinfo=dt.UTC)),
        ("2015-08-02T10:00:00", dt.datetime(2015, 8, 2, 10, tzinfo=dt.UTC)),
        ("2015", dt.datetime(2015, 1, 1, tzinfo=dt.UTC)),
        ("2015-13", None),
        ("أمس", None),
        (None, None),
    ],
)
def test_w3c_datetime(text: str | None, expected: dt.datetime | None) -> None:
    assert w3c_datetime(text) == expected


def test_no_xxe_in_sitemaps(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    content = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">'
        '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"{URLSET}<url><loc>https://x.sa/&xxe;</loc></url><url><loc>https://x.sa/&b;</loc></url>"
        "<url><loc>https://x.sa/ok</loc><news:news><news:title>&xxe;</news:title></news:news></url></urlset>"
    ).encode()
    sitemap = parse_sitemap(content)
    assert "https://x.sa/ok" in [u.loc for u in sitemap.urls]
    assert "TOP-SECRET" not in repr(sitemap)
    assert "AAAAAAAAAA" not in repr(sitemap)
