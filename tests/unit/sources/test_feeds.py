"""Feeds built in the test from real Arabic articles (SaudiNewsNet, extraction-synth gold): every format, the
charset traps, broken documents, discovery, full-content detection and feed entries as articles."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from pathlib import Path

import pytest
from tests.conftest import CORPUS, SHARED, need_shared

from naba.errors import FeedError, InputError, TooLargeError
from naba.identity import article_identity
from naba.sources.feeds import (
    FeedEntry,
    discover_feeds,
    entry_article,
    looks_like_feed,
    parse_feed,
)

SAUDI = dt.timezone(dt.timedelta(hours=3))
FEED_URL = "https://sabq.org/feed/"
FETCHED = dt.datetime(2015, 8, 3, 12, 0, tzinfo=dt.UTC)
SYNTH = SHARED / "eval" / "extraction-synth"


@dataclass(frozen=True)
class Story:
    """One real article as the feeds in these tests carry it."""

    title: str
    url: str
    paragraphs: tuple[str, ...]
    published: dt.datetime | None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def html(self) -> str:
        return "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)


@pytest.fixture(scope="module")
def snn() -> list[Story]:
    """Four SaudiNewsNet articles of 2015-08-02 from different outlets, each of three paragraphs or more."""
    with zipfile.ZipFile(need_shared(CORPUS / "2015-08-02.zip")) as archive:
        records = json.loads(archive.read(archive.namelist()[0]))
    stories: dict[str, Story] = {}
    for record in records:
        paragraphs = tuple(p.strip() for p in record["content"].splitlines() if p.strip())
        if record["source"] in stories or len(paragraphs) < 3 or not record["title"].strip():
            continue
        published = dt.datetime.fromisoformat(record["date_extracted"]).replace(tzinfo=SAUDI)
        author = record["author"].strip()
        stories[record["source"]] = Story(
            record["title"].strip(), record["url"], paragraphs, published, (author,) if author else ()
        )
    return list(stories.values())[:4]


@pytest.fixture(scope="module")
def synth() -> list[Story]:
    """Three extraction-synth gold articles (title, paragraphs, date, authors, tags)."""
    stories = []
    for name in ("t01-wp-jannah-01", "t04-panarab-custom-02", "t06-maghreb-portal-03"):
        gold = json.loads((need_shared(SYNTH) / f"{name}.gold.json").read_text(encoding="utf-8"))
        published = dt.datetime.fromisoformat(gold["published"]) if "T" in gold["published"] else None
        stories.append(
            Story(
                gold["title"],
                gold["url"],
                tuple(gold["body_paragraphs"]),
                published,
                tuple(gold["authors"]),
                tuple(gold["tags"]),
            )
        )
    return stories


# -- feed builders -----------------------------------------------------------------------------------------
def rss20(stories: list[Story], *, encoding: str = "utf-8", declared: str | None = None) -> bytes:
    items = []
    for s in stories:
        parts = [
            f"<title>{escape(s.title)}</title>",
            f"<link>{escape(s.url)}</link>",
            f"<guid>{escape(s.url)}</guid>",
        ]
        if s.published:
            parts.append(f"<pubDate>{format_datetime(s.published)}</pubDate>")
        parts += [f"<dc:creator>{escape(a)}</dc:creator>" for a in s.authors]
        parts += [f"<category>{escape(t)}</category>" for t in s.tags]
        parts.append(f"<description>{escape(s.paragraphs[0])}</description>")
        parts.append(f"<content:encoded><![CDATA[{s.html}]]></content:encoded>")
        items.append("<item>" + "".join(parts) + "</item>\n")
    doc = (
        f'<?xml version="1.0" encoding="{declared or encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel><title>صحيفة سبق الإلكترونية</title>'
        "<link>https://sabq.org/</link><language>ar</language>\n" + "".join(items) + "</channel></rss>\n"
    )
    return doc.encode(encoding, "xmlcharrefreplace")


def rss10(stories: list[Story]) -> bytes:
    items = "".join(
        f'<item rdf:about="{escape(s.url)}"><title>{escape(s.title)}</title><link>{escape(s.url)}</link>'
        + (f"<dc:date>{s.published.isoformat()}</dc:date>" if s.published else "")
        + f"<description>{escape(s.paragraphs[0])}</description>"
        f"<content:encoded>{escape(s.html)}</content:encoded></item>\n"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        '<channel rdf:about="https://www.alriyadh.com/"><title>جريدة الرياض</title>'
        "<link>https://www.alriyadh.com/</link><dc:language>ar</dc:language></channel>\n"
        + items
        + "</rdf:RDF>\n"
    ).encode()


def atom(stories: list[Story]) -> bytes:
    entries = []
    for s in stories:
        when = (s.published or FETCHED).isoformat()
        entries.append(
            f"<entry><id>{escape(s.url)}</id><title>{escape(s.title)}</title>"
            f'<link rel="alternate" href="{escape(s.url)}"/><updated>{when}</updated>'
            + (f"<published>{when}</published>" if s.published else "")
            + "".join(f"<author><name>{escape(a)}</name></author>" for a in s.authors)
            + "".join(f'<category term="{escape(t)}"/>' for t in s.tags)
            + f"<summary>{escape(s.paragraphs[0])}</summary>"
            f'<content type="html">{escape(s.html)}</content></entry>\n'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">'
        '<title>صدى الخليج</title><link rel="alternate" href="https://sada-alkhaleej.net/"/>'
        f"<id>https://sada-alkhaleej.net/</id><updated>{FETCHED.isoformat()}</updated>\n"
        + "".join(entries)
        + "</feed>\n"
    ).encode()


def json_feed(stories: list[Story], *, version: str = "1.1", sort_keys: bool = False) -> bytes:
    items = []
    for s in stories:
        item: dict[str, object] = {"id": s.url, "url": s.url, "title": s.title, "content_html": s.html}
        if s.published:
            item["date_published"] = s.published.isoformat()
        if s.authors:
            item["authors"] = [{"name": a} for a in s.authors]
        if s.tags:
            item["tags"] = list(s.tags)
        items.append(item)
    feed = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": "آفاق نت",
        "home_page_url": "https://afaqnet.net/",
        "language": "ar",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, sort_keys=sort_keys).encode()


def rss_items(*items: str, encoding: str = "utf-8") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>عكاظ</title>'
        f"<link>https://www.okaz.com.sa/</link>{body}</channel></rss>"
    ).encode(encoding)


def assert_entries_match(entries: tuple[FeedEntry, ...], stories: list[Story]) -> None:
    assert [e.title for e in entries] == [s.title for s in stories]
    assert [e.link for e in entries] == [s.url for s in stories]
    for entry, story in zip(entries, stories, strict=True):
        if story.published:
            assert entry.published == story.published
            assert entry.published.tzinfo is not None
        assert entry.authors == story.authors
        assert entry.full_text().splitlines() == list(story.paragraphs)


# -- formats -----------------------------------------------------------------------------------------------
def test_rss20_keeps_arabic_titles_dates_authors_and_content(snn: list[Story]) -> None:
    feed = parse_feed(rss20(snn), url=FEED_URL)
    assert (feed.kind, feed.title, feed.site_url, feed.language) == (
        "rss",
        "صحيفة سبق الإلكترونية",
        "https://sabq.org/",
        "ar",
    )
    assert feed.warnings == ()
    assert_entries_match(feed.entries, snn)
    assert all(e.guid == s.url for e, s in zip(feed.entries, snn, strict=True))


def test_rss10_rdf(snn: list[Story]) -> None:
    feed = parse_feed(rss10(snn))
    assert (feed.kind, feed.title, feed.language) == ("rss", "جريدة الرياض", "ar")
    assert_entries_match(feed.entries, [Story(s.title, s.url, s.paragraphs, s.published) for s in snn])


def test_atom_with_tags_and_authors(synth: list[Story]) -> None:
    feed = parse_feed(atom(synth))
    assert (feed.kind, feed.title, feed.site_url, feed.language) == (
        "atom",
        "صدى الخليج",
        "https://sada-alkhaleej.net/",
        "ar",
    )
    assert_entries_match(feed.entries, synth)
    assert [e.tags for e in feed.entries] == [s.tags for s in synth]


@pytest.mark.parametrize("version", ["1", "1.1"])
def test_json_feed(synth: list[Story], version: str) -> None:
    feed = parse_feed(json_feed(synth, version=version), url="https://afaqnet.net/feed.json")
    assert (feed.kind, feed.title, feed.site_url, feed.language) == (
        "json",
        "آفاق نت",
        "https://afaqnet.net/",
        "ar",
    )
    assert_entries_match(feed.entries, synth)
    assert [e.tags for e in feed.entries] == [s.tags for s in synth]


def test_json_feed_is_sniffed_even_with_version_after_a_long_items_list(synth: list[Story]) -> None:
    long = synth * 30  # "items" sorts before "version": the version key comes after ~100 KB of items
    content = json_feed(
        [Story(f"{s.title} {i}", f"{s.url}?n={i}", s.paragraphs, None) for i, s in enumerate(long)],
        sort_keys=True,
    )
    assert content.index(b'"version"') > 64 * 1024
    assert looks_like_feed(content)
    assert len(parse_feed(content).entries) == len(long)
    assert not looks_like_feed(b'{"version": "2", "items": []}')
    with pytest.raises(FeedError, match="JSON Feed version"):
        parse_feed(b'{"title": "x", "items": []}')


def test_json_feed_text_content_and_1_0_author() -> None:
    content = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "ت",
            "author": {"name": "هيئة التحرير"},
            "items": [
                {"id": 7, "url": "/news/7", "title": "خبر", "content_text": "السطر الأول\nالسطر الثاني"}
            ],
        },
        ensure_ascii=False,
    ).encode()
    (entry,) = parse_feed(content, url="https://example.sa/feed.json").entries
    assert (entry.guid, entry.link, entry.authors) == ("7", "https://example.sa/news/7", ("هيئة التحرير",))
    assert entry.full_text() == "السطر الأول\nالسطر الثاني"


# -- charsets ----------------------------------------------------------------------------------------------
def test_windows_1256_feed(snn: list[Story]) -> None:
    content = rss20(snn, encoding="windows-1256")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    feed = parse_feed(content)
    assert feed.warnings == ()
    assert_entries_match(feed.entries, snn)


@pytest.mark.parametrize(
    ("encoding", "declared", "content_type"),
    [
        ("windows-1256", "utf-8", None),  # legacy bytes behind a UTF-8 declaration
        ("utf-8", "windows-1256", None),  # UTF-8 bytes declared as the legacy code page
        ("utf-8", "iso-8859-1", None),  # a Latin label on Arabic bytes
        ("windows-1256", "windows-1256", "application/rss+xml; charset=iso-8859-1"),  # a wrong HTTP header
    ],
)
def test_wrong_declared_charset_is_overruled(
    snn: list[Story], encoding: str, declared: str, content_type: str | None
) -> None:
    feed = parse_feed(rss20(snn, encoding=encoding, declared=declared), content_type=content_type)
    assert_entries_match(feed.entries, snn)
    assert any("charset" in w for w in feed.warnings)


# -- broken documents --------------------------------------------------------------------------------------
def test_truncated_feed_keeps_the_complete_items(snn: list[Story]) -> None:
    content = rss20(snn)
    cut = content.index(b"<item>", content.index(b"</item>") + 1)  # start of the second item
    cut = content.index(b"</title>", cut) + 40  # inside the second item's link
    feed = parse_feed(content[:cut])
    assert_entries_match(feed.entries, snn[:1])
    assert any("truncated" in w for w in feed.warnings)

    cut_in_third = content.index(b"<content:encoded>", content.index(escape(snn[2].title).encode())) + 30
    feed = parse_feed(content[:cut_in_third])
    assert_entries_match(feed.entries, snn[:2])


def test_control_characters_and_junk_before_the_declaration_are_survived(snn: list[Story]) -> None:
    php_warning = (
        b"<br />\n<b>Warning</b>:  session_start(): headers already sent in <b>/var/www/rss.php</b><br />\n"
    )
    content = php_warning + rss20(snn).replace(b"</title>", b"\x0b</title>", 1)
    assert looks_like_feed(content)
    feed = parse_feed(content)
    assert_entries_match(feed.entries, snn)
    assert any("junk" in w for w in feed.warnings)


def test_html_page_is_refused_and_not_sniffed_as_a_feed() -> None:
    for name in ("t01-wp-jannah-01.html", "t05-saudi-hijri-cp1256-01.html", "t08-amp-01.html"):
        page = (need_shared(SYNTH) / name).read_bytes()
        assert not looks_like_feed(page)
        with pytest.raises(FeedError, match="looks like an HTML page") as caught:
            parse_feed(page, url="https://example.sa/rss", content_type="application/rss+xml")
        assert isinstance(caught.value, InputError)


def test_feed_served_as_text_html_is_accepted(snn: list[Story]) -> None:
    content = rss20(snn)
    assert looks_like_feed(content)
    feed = parse_feed(content, content_type="text/html; charset=utf-8")
    assert_entries_match(feed.entries, snn)


@pytest.mark.parametrize("content", [b"", b"   \n", b"plain words", b"<note><to>x</to></note>", b"{not json"])
def test_non_feeds_raise_feed_error(content: bytes) -> None:
    assert not looks_like_feed(content)
    with pytest.raises(FeedError):
        parse_feed(content)


def test_size_limit_triggers(snn: list[Story]) -> None:
    content = rss20(snn)
    with pytest.raises(TooLargeError):
        parse_feed(content, max_bytes=len(content) - 1)
    assert parse_feed(content, max_bytes=len(content)).entries


# -- entries -----------------------------------------------------------------------------------------------
def test_duplicate_items_keep_the_first(snn: list[Story]) -> None:
    a, b = snn[0], snn[1]
    content = rss_items(
        f"<title>{a.title}</title><guid>g-1</guid><link>{a.url}</link>",
        f"<title>{a.title}</title><guid>g-1</guid><link>{a.url}</link>",
        f"<title>{b.title}</title><guid>g-2</guid><link>{b.url}</link>",
        f"<title>{b.title}</title><guid>g-3</guid><link>{b.url}</link>",
    )
    feed = parse_feed(content)
    assert [(e.guid, e.title) for e in feed.entries] == [("g-1", a.title), ("g-2", b.title)]
    assert any("repeat" in w for w in feed.warnings)


def test_a_guid_shared_by_different_links_is_not_one_item(snn: list[Story]) -> None:
    a, b = snn[0], snn[1]
    content = rss_items(
        f"<title>{a.title}</title><guid>https://example.com/</guid><link>{a.url}</link>",
        f"<title>{b.title}</title><guid>https://example.com/</guid><link>{b.url}</link>",
    )
    feed = parse_feed(content)
    assert [(e.key(), e.title) for e in feed.entries] == [(a.url, a.title), (b.url, b.title)]
    assert any("keyed by link" in w for w in feed.warnings)


def test_items_without_dates_and_with_future_dates(snn: list[Story]) -> None:
    future = dt.datetime(2031, 1, 1, 9, 30, tzinfo=dt.UTC)
    content = rss_items(
        f"<title>{snn[0].title}</title><link>{snn[0].url}</link>",
        f"<title>{snn[1].title}</title><link>{snn[1].url}</link><pubDate>{format_datetime(future)}</pubDate>",
    )
    undated, ahead = parse_feed(content).entries
    assert (undated.published, undated.updated) == (None, None)
    assert ahead.published == future  # kept: the caller decides what a future date means


def test_arabic_pubdate_is_read_when_feedparser_cannot() -> None:
    content = rss_items(
        "<title>أ</title><link>https://www.okaz.com.sa/1</link>"
        "<pubDate>الأحد 2 أغسطس 2015 - 10:15 ص بتوقيت مكة المكرمة</pubDate>",
        "<title>ب</title><link>https://www.okaz.com.sa/2</link><pubDate>الأحد 2 أغسطس 2015</pubDate>",
    )
    feed = parse_feed(content)
    zoned, day_only = feed.entries
    assert zoned.published == dt.datetime(2015, 8, 2, 7, 15, tzinfo=dt.UTC)
    assert day_only.published is None  # a day without a zone is not an instant
    assert any("undated" in w for w in feed.warnings)


def test_relative_links_resolve_against_the_feed_url_and_titles_lose_their_markup() -> None:
    content = rss_items(
        "<title>&lt;b&gt;عاجل:&lt;/b&gt; أمير الرياض &amp;amp; الوفد</title><link>/news/1</link>",
        "<title><![CDATA[<span class='red'>فيديو</span> | افتتاح المعرض]]></title><link>news/2?a=1&amp;b=2</link>",
    )
    first, second = parse_feed(content, url="https://www.okaz.com.sa/rss/local").entries
    assert first.link == "https://www.okaz.com.sa/news/1"
    assert second.link == "https://www.okaz.com.sa/rss/news/2?a=1&b=2"
    assert first.title == "عاجل: أمير الرياض & الوفد"
    assert second.title == "فيديو | افتتاح المعرض"
    without_base = parse_feed(content).entries[0]
    assert without_base.link is None  # a relative link with nothing to resolve it against
    assert without_base.key() != parse_feed(content).entries[1].key()


def test_plain_text_descriptions_keep_their_lines_and_entities() -> None:
    content = rss_items(
        "<title>أ</title><link>https://x.sa/1</link><description>الرياض &amp;amp; جدة\nسطر ثان</description>"
    )
    (entry,) = parse_feed(content).entries
    assert entry.full_text() == "الرياض & جدة\nسطر ثان"


def test_entry_key_prefers_guid_then_link_then_title() -> None:
    entry = FeedEntry("g", "https://a/1", "عنوان", None, None, None, None, (), ())
    assert entry.key() == "g"
    assert FeedEntry(None, "https://a/1", "عنوان", None, None, None, None, (), ()).key() == "https://a/1"
    by_title = FeedEntry(None, None, "عنوانٌ", None, None, None, None, (), ()).key()
    assert (
        by_title == FeedEntry(None, None, "عنوان", None, None, None, None, (), ()).key()
    )  # diacritics folded
    assert by_title.startswith("title:")


def test_images_from_enclosures_and_media() -> None:
    content = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        "<title>x</title><item><title>خبر</title><link>https://x.sa/1</link>"
        '<enclosure url="/img/1.jpg" type="image/jpeg" length="1"/>'
        '<media:content url="https://cdn.x.sa/2.jpg" medium="image"/><media:thumbnail url="https://cdn.x.sa/t.jpg"/>'
        "</item></channel></rss>"
    ).encode()
    (entry,) = parse_feed(content, url="https://x.sa/feed").entries
    assert entry.images == ("https://x.sa/img/1.jpg", "https://cdn.x.sa/2.jpg", "https://cdn.x.sa/t.jpg")


# -- full content and articles -----------------------------------------------------------------------------
def test_has_full_content_on_full_article_vs_one_line_summary(snn: list[Story]) -> None:
    full = parse_feed(rss20(snn)).entries
    assert all(e.has_full_content for e in full)
    teasers = rss_items(
        *(
            f"<title>{s.title}</title><link>{s.url}</link><description>{escape(s.paragraphs[0][:200])}</description>"
            for s in snn
        )
    )
    assert not any(e.has_full_content for e in parse_feed(teasers).entries)


def test_teasers_of_article_length_are_not_full(snn: list[Story]) -> None:
    long_paragraph = " ".join(snn[0].paragraphs)[:700]
    assert len(long_paragraph) > 600
    wordpress_excerpt = f"<p>{long_paragraph[:350]} [&#8230;]</p><p>ظهرت المقالة أولاً على سبق.</p>"
    read_more = f"<p>{long_paragraph[:500]}</p><p><a href='/1'>اقرأ المزيد</a></p>"
    assert not entry_with(summary=wordpress_excerpt).has_full_content
    assert not entry_with(summary=read_more).has_full_content
    assert not entry_with(summary=f"<p>{long_paragraph[:500]}</p>").has_full_content  # a lead-length summary
    assert entry_with(summary=f"<p>{long_paragraph}</p>").has_full_content
    assert entry_with(
        content=f"<p>{long_paragraph[:450]}</p>"
    ).has_full_content  # declared content trusts less text
    assert not entry_with().has_full_content


def entry_with(*, summary: str | None = None, content: str | None = None) -> FeedEntry:
    return FeedEntry("g", "https://sabq.org/1", "عنوان", None, None, summary, content, (), ())


def test_entry_article_paragraphs_and_stable_id(snn: list[Story]) -> None:
    entries = parse_feed(rss20(snn), url=FEED_URL).entries
    for entry, story in zip(entries, snn, strict=True):
        article = entry_article(entry, feed_url=FEED_URL, publisher="sabq", fetched_at=FETCHED)
        assert article is not None
        assert article.paragraphs == story.paragraphs
        assert (article.title, article.url, article.canonical_url) == (story.title, story.url, story.url)
        assert article.published == story.published
        assert (article.publisher, article.language, article.authors) == ("sabq", "ar", story.authors)
        assert article.provenance.source == FEED_URL and article.provenance.fetched_at == FETCHED
        assert article.id == article_identity(canonical_url=story.url, url=None, title="", first_paragraph="")
    again = parse_feed(rss20(snn), url=FEED_URL).entries[0]
    first = entry_article(entries[0], feed_url=FEED_URL, publisher="sabq", fetched_at=FETCHED)
    later = entry_article(
        again, feed_url=FEED_URL, publisher="sabq", fetched_at=FETCHED + dt.timedelta(hours=1)
    )
    assert first is not None and later is not None and first.id == later.id


def test_entry_article_drops_read_also_blocks_and_refuses_teasers(synth: list[Story]) -> None:
    story = synth[0]
    related = "<p>اقرأ أيضاً:</p><ul><li><a href='/x'>أمير منطقة الرياض يدشن مشروعات تنموية جديدة في المحافظات</a></li></ul>"
    middle = len(story.paragraphs) // 2
    html = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[:middle]) + related
    html += "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[middle:])
    entry = FeedEntry(None, story.url, story.title, story.published, None, None, html, story.authors, ())
    article = entry_article(entry, feed_url=FEED_URL, publisher=None, fetched_at=FETCHED)
    assert article is not None and article.paragraphs == story.paragraphs
    assert article.related_headlines == ("أمير منطقة الرياض يدشن مشروعات تنموية جديدة في المحافظات",)
    teaser = FeedEntry(
        None, story.url, story.title, None, None, f"<p>{story.paragraphs[0][:150]}</p>", None, (), ()
    )
    assert entry_article(teaser, feed_url=FEED_URL, publisher=None, fetched_at=FETCHED) is None


# -- discovery ---------------------------------------------------------------------------------------------
def test_discover_from_an_arabic_page_with_link_alternate() -> None:
    page = (need_shared(SYNTH) / "t04-panarab-custom-01.html").read_bytes()
    assert discover_feeds(page, "https://afaqnet.net/news/2015/7/21/x") == ["https://afaqnet.net/rss"]


def test_discover_orders_dedupes_resolves_and_skips_non_feeds() -> None:
    page = """<!DOCTYPE html><html dir="rtl" lang="ar"><head><meta charset="utf-8"><title>الوطن</title>
    <link rel="alternate" type="application/rss+xml" title="الوطن » خلاصة التعليقات" href="/comments/feed/">
    <link rel="alternate" type="application/rss+xml" title="الوطن » الخلاصة" href="/feed/">
    <link rel="alternate" type="application/json" href="https://alwatan.com.sa/wp-json/wp/v2/posts/1">
    <link rel="alternate" type="application/atom+xml" href="https://alwatan.com.sa/feed/atom/">
    <link rel="alternate" type="application/feed+json" href="feed.json">
    <link rel="alternate" hreflang="en" href="https://alwatan.com.sa/en/">
    <link rel="alternate" type="application/rss+xml" href="https://alwatan.com.sa/feed/">
    </head><body><a href="/rss">RSS</a></body></html>""".encode()
    assert discover_feeds(page, "https://alwatan.com.sa/local/") == [
        "https://alwatan.com.sa/feed/",
        "https://alwatan.com.sa/feed/atom/",
        "https://alwatan.com.sa/local/feed.json",
        "https://alwatan.com.sa/comments/feed/",
    ]


def test_discover_falls_back_to_anchors_to_feed_paths() -> None:
    page = (need_shared(SYNTH) / "t03-drupal-eg-01.html").read_bytes()
    assert discover_feeds(page, "https://example.eg/news/1") == ["https://example.eg/rss"]
    links = """<html><body><base href="https://www.hespress.com/"><a href="/politique">سياسة</a>
    <a href="rss/economie.xml">اقتصاد</a><a href="https://feeds.feedburner.com/hespress">x</a>
    <a href="/comments/feed">c</a><a href="mailto:a@b">m</a></body></html>""".encode()
    assert discover_feeds(links, "https://www.hespress.com/a/1.html") == [
        "https://www.hespress.com/rss/economie.xml",
        "https://feeds.feedburner.com/hespress",
    ]
    assert discover_feeds(b"", "https://x/") == []


# -- safety ------------------------------------------------------------------------------------------------
def test_no_xxe_in_feeds(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    for doctype in (
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{secret}"> %p; <!ENTITY xxe "&#x26;p;">]>',
        '<!DOCTYPE rss [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY xxe "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    ):
        content = (
            f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>t &xxe;</title>'
            "<item><title>خبر &xxe;</title><link>https://x.sa/1</link><description>&xxe;</description></item>"
            "</channel></rss>"
        ).encode()
        feed = parse_feed(content)  # read leniently: the DOCTYPE is dropped, the entries are kept
        assert [e.link for e in feed.entries] == ["https://x.sa/1"]
        text = repr(feed)
        assert "TOP-SECRET" not in text
        assert "AAAAAAAAAA" * 10 not in text  # no entity expansion either
