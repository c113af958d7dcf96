"""``naba watch`` against a loopback news site with every fault switched on.

Feeds and article pages are built from real SaudiNewsNet articles (``tests/news_site.py``). After one
watch round, every article that was served correctly is stored exactly once, nothing else is stored, and
every failure is visible on its source (``naba sources``) with its reason. A second round stores nothing
new and uses conditional GET.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.conftest import CORPUS, need_shared
from tests.fixture_server import FixtureServer
from tests.news_site import SiteArticle, article_page, atom_full, load_articles, rss

from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.engine.poll import Poller, Schedule
from naba.engine.watch import WatchReport, watch
from naba.identity import url_identity
from naba.sources.http import FetchPolicy, HttpClient
from naba.store.sources import SourceRow
from naba.types import SourceSpec


def fast_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "db": str(tmp_path / "naba.db"),
        "ingest_workers": 1,
        "allow_private_addresses": True,
        "host_concurrency": 8,
        "host_delay": 0.0,
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "total_timeout": 2.0,
        "retries": 1,
        "backoff_seconds": 0.05,
        "max_backoff_seconds": 0.2,
        "max_body_bytes": 4 * 1024 * 1024,
        "watch_min_interval": 60.0,
        "watch_max_interval": 3600.0,
    }
    values.update(overrides)
    return load_settings(values, environ={})


@dataclass
class Site:
    """The fixture site: which articles are served correctly, and which feed fails how."""

    server: FixtureServer
    articles: list[SiteArticle]
    good: set[str] = field(default_factory=set)  # page URLs that must end up stored exactly once
    failing: dict[str, str] = field(default_factory=dict)  # feed URL -> expected reason in last_error
    feeds: list[str] = field(default_factory=list)
    broken: str = ""  # the one article page that always fails

    def page(self, article: SiteArticle, prefix: str, *, serve: bool = True) -> str:
        url = self.server.url(article.path(prefix))
        if serve:
            self.server.add(article.path(prefix), article_page(article, url))
        return url

    def feed(self, path: str, body: bytes, *, content_type: str = "application/rss+xml", **kw: object) -> str:
        self.server.add(path, body, content_type=content_type, **kw)  # type: ignore[arg-type]
        return self.add_feed(path)

    def add_feed(self, path: str) -> str:
        url = self.server.url(path)
        self.feeds.append(url)
        return url


def _rss_for(site: Site, prefix: str, chosen: list[SiteArticle], **kw: object) -> bytes:
    items = [(a, site.page(a, prefix)) for a in chosen]
    site.good.update(url for _, url in items)
    return rss(f"صحيفة {prefix}", site.server.url(prefix + "/"), items, **kw)  # type: ignore[arg-type]


def build_site(server: FixtureServer, articles: list[SiteArticle]) -> Site:
    site = Site(server, articles)
    a = iter(articles)

    def take(n: int) -> list[SiteArticle]:
        return [next(a) for _ in range(n)]

    # Good feeds: summaries (pages fetched), full-text Atom (no page fetch), a mirror of one article.
    good = take(5)
    site.feed("/good/rss.xml", _rss_for(site, "/good", good), headers={"ETag": '"good-v1"'})
    mirrored = good[0]
    site.feed(
        "/mirror/rss.xml", rss("مرآة", server.url("/"), [(mirrored, server.url(mirrored.path("/good")))])
    )
    full = take(3)
    items = [(x, server.url(x.path("/full"))) for x in full]  # pages NOT served: the feed has the text
    site.good.update(u for _, u in items)
    site.feed(
        "/full/atom.xml", atom_full("كاملة", server.url("/full/"), items), content_type="application/atom+xml"
    )
    # Transient failures that succeed on the retry.
    flaky = _rss_for(site, "/flaky", take(2))
    server.fault("/flaky/rss.xml", "status", status=503, retry_after=0, times=1)
    site.feed("/flaky/rss.xml", flaky)
    limited = _rss_for(site, "/limited", take(2))
    server.fault("/limited/rss.xml", "status", status=429, retry_after=0, times=1)
    site.feed("/limited/rss.xml", limited)
    # A feed served as text/html still is a feed.
    site.feed(
        "/as-html/rss.xml", _rss_for(site, "/as-html", take(2)), content_type="text/html; charset=utf-8"
    )
    # Gzip-compressed feed.
    zipped = _rss_for(site, "/zipped", take(1))
    site.feed("/zipped/rss.xml", gzip.compress(zipped), headers={"Content-Encoding": "gzip"})
    # Truncated XML: the complete items survive, the cut one is lost (its page is never linked whole).
    cut = take(3)
    body = _rss_for(site, "/cut", cut)
    site.good.discard(server.url(cut[2].path("/cut")))
    site.feed("/cut/rss.xml", body[: body.index(cut[2].title.encode()) + 10])
    # Duplicate GUIDs: the same item twice, and a broken GUID shared by two different items.
    dup = take(3)
    site.feed(
        "/dup/rss.xml",
        _rss_for(
            site, "/dup", [dup[0], dup[0], dup[1], dup[2]], guid_of={dup[1].slug: "x", dup[2].slug: "x"}
        ),
    )
    # No dates in the feed; a date in the future (Atom full text, so the entry's date is the article's).
    site.feed(
        "/nodate/rss.xml",
        _rss_for(site, "/nodate", take(2)).replace(b"<pubDate>", b"<x>").replace(b"</pubDate>", b"</x>"),
    )
    future = take(1)[0]
    future_item = [
        (
            SiteArticle(
                future.slug,
                future.title,
                future.paragraphs,
                dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
                future.source,
            ),
            server.url(future.path("/future")),
        )
    ]
    site.good.add(future_item[0][1])
    site.feed(
        "/future/atom.xml",
        atom_full("مستقبل", server.url("/"), future_item),
        content_type="application/atom+xml",
    )
    # An item whose page always fails: the others of its feed are stored, it is recorded as a failed item.
    partial = take(2)
    partial_body = _rss_for(site, "/partial", partial)
    site.broken = server.url(partial[1].path("/partial"))
    site.good.discard(site.broken)
    server.fault(partial[1].path("/partial"), "status", status=500)
    site.feed("/partial/rss.xml", partial_body)
    # Feeds that fail, and how.
    for path, kind, options, reason in (
        ("/hang/rss.xml", "hang", {}, "timeout"),
        ("/drip/rss.xml", "drip", {"interval": 0.5}, "timeout"),
        ("/unavailable/rss.xml", "status", {"status": 503, "retry_after": 0}, "503"),
        ("/gone/rss.xml", "status", {"status": 410}, "410"),
        ("/missing/rss.xml", "status", {"status": 404}, "404"),
        ("/loop/rss.xml", "redirect_loop", {}, "redirects"),
        ("/bomb/rss.xml", "gzip_bomb", {}, "too_large"),
        ("/huge/rss.xml", "huge", {"content_length": True}, "too_large"),
    ):
        server.fault(path, kind, **options)
        site.failing[site.add_feed(path)] = reason
    server.add(
        "/page/rss.xml",
        "<!DOCTYPE html><html><body><h1>ليست خلاصة</h1></body></html>",
        content_type="application/rss+xml",
    )
    site.failing[site.add_feed("/page/rss.xml")] = "not a feed"
    server.add("/private/rss.xml", _rss_for(site, "/private", []), content_type="application/rss+xml")
    server.fault("/robots.txt", "robots", text="User-agent: *\nDisallow: /private/\n")
    site.failing[site.add_feed("/private/rss.xml")] = "robots"
    # Wrong declared charset: windows-1256 bytes declared as UTF-8 (links are ASCII, pages are UTF-8).
    wrong = take(1)
    text = _rss_for(site, "/charset", wrong).decode()
    server.fault("/charset/rss.xml", "wrong_charset", text=text, declared="utf-8", actual="windows-1256")
    site.add_feed("/charset/rss.xml")
    return site


@pytest.fixture
def site() -> Iterator[Site]:
    articles = load_articles(need_shared(CORPUS / "2015-08-02.zip"), 40)
    with FixtureServer() as server:
        yield build_site(server, articles)


def run_round(settings: Settings, *, at: dt.datetime | None = None) -> WatchReport:
    async def main() -> WatchReport:
        now = (lambda: at) if at is not None else (lambda: dt.datetime.now(dt.UTC))
        with Naba.open(settings) as naba:
            async with HttpClient(FetchPolicy.from_settings(settings)) as client:
                poller = Poller(naba, client, Schedule(60.0, 3600.0), now=now)
                return await watch(poller, concurrency=16, stop=asyncio.Event(), once=True, now=now)

    return asyncio.run(main())


def follow(settings: Settings, feeds: list[str]) -> None:
    with Naba.open(settings) as naba:
        naba.store.add_sources(SourceSpec(url) for url in feeds)


def sources_by_url(settings: Settings) -> dict[str, SourceRow]:
    with Naba.open(settings) as naba:
        return {s.url: s for s in naba.store.list_sources()}


def test_every_good_article_is_stored_once_and_every_failure_is_visible(site: Site, tmp_path: Path) -> None:
    settings = fast_settings(tmp_path)
    follow(settings, site.feeds)
    report = run_round(settings)
    assert report.polls == len(site.feeds)

    with Naba.open(settings) as naba:
        stored = {s.article.url for s in naba.store.iter_articles()}
        assert stored == site.good, (sorted(site.good - stored), sorted(stored - site.good))
        assert naba.store.count() == len(site.good)  # an article served by two feeds is stored once
        for url in site.good:
            assert naba.store.get(url_identity(url)) is not None
        future = next(s.article for s in naba.store.iter_articles() if "/future/" in (s.article.url or ""))
        assert isinstance(future.published, dt.datetime) and future.published.year < 2099
        partial = naba.store.source_by_url(site.server.url("/partial/rss.xml"))
        assert partial is not None
        failed = naba.store.failed_items(partial.id)
        assert [i.link for i in failed] == [site.broken] and failed[0].error and "500" in failed[0].error

    rows = sources_by_url(settings)
    for url, reason in site.failing.items():
        row = rows[url]
        assert row.failures == 1 and not row.healthy, url
        assert row.last_error and reason in row.last_error, (url, row.last_error)
    for url in set(site.feeds) - set(site.failing):
        assert rows[url].healthy, (url, rows[url].last_error)


def test_a_second_round_stores_nothing_new_and_uses_conditional_get(site: Site, tmp_path: Path) -> None:
    settings = fast_settings(tmp_path)
    follow(settings, site.feeds)
    first = run_round(settings)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)  # every source is due again
    second = run_round(settings, at=later)
    assert first.stored == len(site.good)
    assert second.stored == 0 and second.updated == 0
    assert second.not_modified >= 1
    good_feed = site.server.hits("/good/rss.xml")
    assert good_feed[-1].headers.get("if-none-match") == '"good-v1"'
    with Naba.open(settings) as naba:
        assert naba.store.count() == len(site.good)
