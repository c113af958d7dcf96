"""Fake Arabic news sites for fetch tests and benchmarks, built from real SaudiNewsNet articles.

Each article becomes an HTML page (headline, dateline, paragraphs, a canonical link) and feeds list them:
RSS 2.0 items with a one-line summary (the page must be fetched) or Atom entries with the full text.
Nothing is copied into the repo: the articles are read from ``../shared`` at test time.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAUDI = dt.timezone(dt.timedelta(hours=3))


@dataclass(frozen=True, slots=True)
class SiteArticle:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: dt.datetime | None
    source: str

    def path(self, prefix: str) -> str:
        return f"{prefix}/news/{self.slug}.html"


def load_articles(day_zip: Path, limit: int, *, offset: int = 0) -> list[SiteArticle]:
    """Real articles with a title and at least two paragraphs of text, from one SaudiNewsNet daily zip."""
    out: list[SiteArticle] = []
    with zipfile.ZipFile(day_zip) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".json"):
                continue
            for record in json.loads(archive.read(name)):
                paragraphs = tuple(
                    p.strip() for p in (record.get("content") or "").split("\n") if len(p.strip()) > 40
                )
                if not record.get("title") or len(paragraphs) < 2:
                    continue
                when = dt.datetime.strptime(record["date_extracted"], "%Y-%m-%d %H:%M:%S").replace(
                    tzinfo=SAUDI
                )
                out.append(
                    SiteArticle(
                        f"a{len(out):05d}", record["title"].strip(), paragraphs, when, record["source"]
                    )
                )
    return out[offset : offset + limit]


def article_page(article: SiteArticle, url: str) -> bytes:
    when = article.published.isoformat() if article.published else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{html.escape(article.title)} | صحيفة الاختبار</title>
<link rel="canonical" href="{html.escape(url)}">
<meta property="og:title" content="{html.escape(article.title)}">
<meta property="article:published_time" content="{when}">
</head><body>
<nav><a href="/">الرئيسية</a> | <a href="/local">محليات</a> | <a href="/sport">رياضة</a></nav>
<article><h1>{html.escape(article.title)}</h1>
<time datetime="{when}">{when}</time>
{body}
</article>
<footer>جميع الحقوق محفوظة لصحيفة الاختبار ٢٠١٥</footer>
</body></html>"""
    return page.encode("utf-8")


def _rfc822(when: dt.datetime | None) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S %z") if when else ""


def rss(
    title: str, site: str, items: Sequence[tuple[SiteArticle, str]], *, guid_of: dict[str, str] | None = None
) -> bytes:
    """RSS 2.0 with one-line summaries: readers must fetch each page. ``items``: (article, page URL)."""
    entries = []
    for article, url in items:
        guid = (guid_of or {}).get(article.slug, url)
        date = f"<pubDate>{_rfc822(article.published)}</pubDate>" if article.published else ""
        entries.append(
            f"<item><title>{html.escape(article.title)}</title><link>{html.escape(url)}</link>"
            f'<guid isPermaLink="false">{html.escape(guid)}</guid>{date}'
            f"<description>{html.escape(article.paragraphs[0][:120])}</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(title)}</title>'
        f"<link>{html.escape(site)}</link><language>ar</language>{''.join(entries)}</channel></rss>"
    ).encode()


def atom_full(title: str, site: str, items: Sequence[tuple[SiteArticle, str]]) -> bytes:
    """Atom with the full text of each article in <content type="html">."""
    entries = []
    for article, url in items:
        content = html.escape("".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs))
        updated = (article.published or dt.datetime(2015, 8, 2, tzinfo=SAUDI)).isoformat()
        entries.append(
            f'<entry><title>{html.escape(article.title)}</title><link href="{html.escape(url)}"/>'
            f"<id>{html.escape(url)}</id><updated>{updated}</updated>"
            f'<content type="html">{content}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{html.escape(title)}</title><link href="{html.escape(site)}"/><id>{html.escape(site)}</id>'
        f"<updated>2015-08-02T12:00:00+03:00</updated>{''.join(entries)}</feed>"
    ).encode()
