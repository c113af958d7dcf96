"""Source flows against the loopback server: edited items, news sitemaps, `sources check`, OPML, fetch/extract."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import CORPUS, need_shared
from tests.fixture_server import FixtureServer
from tests.integration.test_watch_faults import fast_settings, run_round
from tests.news_site import SiteArticle, article_page, load_articles, rss

from naba.cli import main
from naba.config import Settings
from naba.engine.naba import Naba
from naba.engine.sources import check_sources
from naba.types import SourceSpec


@pytest.fixture
def articles() -> list[SiteArticle]:
    return load_articles(need_shared(CORPUS / "2015-08-03.zip"), 8)


def _page(server: FixtureServer, article: SiteArticle, path: str) -> str:
    url = server.url(path)
    server.add(path, article_page(article, url))
    return url


def _env(settings: Settings) -> dict[str, str]:
    return {
        "NABA_ALLOW_PRIVATE_ADDRESSES": "1",
        "NABA_HOST_DELAY": "0",
        "NABA_RETRIES": "0",
        "NABA_INGEST_WORKERS": "1",
        "NABA_DB": settings.db,
    }


def test_an_edited_headline_with_a_new_slug_stays_one_article(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    first = articles[0]
    old_url = _page(server, first, "/news/old-slug.html")
    server.add("/rss.xml", rss("ص", server.url("/"), [(first, old_url)], guid_of={first.slug: "item-42"}))
    with Naba.open(settings) as naba:
        naba.store.add_sources([SourceSpec(server.url("/rss.xml"))])
    assert run_round(settings).stored == 1

    edited = dataclasses.replace(first, title="عنوان معدل: " + first.title)
    new_url = _page(server, edited, "/news/new-slug.html")
    server.add("/rss.xml", rss("ص", server.url("/"), [(edited, new_url)], guid_of={first.slug: "item-42"}))
    later = run_round(settings, at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert later.stored == 0 and later.updated == 1
    with Naba.open(settings) as naba:
        (only,) = list(naba.store.iter_articles())
        assert only.article.title == edited.title and only.article.url == new_url
        assert len(naba.store.versions(only.article.id)) >= 1  # the first headline is kept as a version


def test_a_news_sitemap_index_with_a_gzip_child(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    urls = [_page(server, a, f"/news/{a.slug}.html") for a in articles[:3]]
    old = _page(server, articles[3], "/news/old.html")
    entries = [(u, a.title, now) for u, a in zip(urls, articles, strict=False)] + [
        (old, articles[3].title, now - dt.timedelta(days=30))
    ]
    urlset = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        + "".join(
            f"<url><loc>{u}</loc><news:news><news:publication><news:name>ص</news:name><news:language>ar"
            f"</news:language></news:publication><news:publication_date>{when.isoformat()}"
            f"</news:publication_date><news:title>{title}</news:title></news:news></url>"
            for u, title, when in entries
        )
        + "</urlset>"
    )
    server.add("/news-sitemap.xml.gz", gzip.compress(urlset.encode()), content_type="application/gzip")
    index = (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/news-sitemap.xml.gz')}</loc><lastmod>{now.isoformat()}</lastmod></sitemap>"
        "</sitemapindex>"
    )
    server.add("/sitemap-index.xml", index, content_type="application/xml")
    with Naba.open(settings) as naba:
        naba.store.add_sources([SourceSpec(server.url("/sitemap-index.xml"), kind="sitemap")])
    report = run_round(settings)
    assert report.ok == 1 and report.stored == 3  # the month-old URL is not followed
    with Naba.open(settings) as naba:
        assert sorted(s.article.url for s in naba.store.iter_articles()) == sorted(urls)


def test_sources_check_verifies_or_switches_to_a_discovered_feed(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    url = _page(server, articles[0], "/news/a.html")
    server.add(
        "/feed.xml", rss("ص", server.url("/"), [(articles[0], url)]), content_type="application/rss+xml"
    )
    home = '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>الرئيسية</body></html>'
    server.add("/", home)
    with Naba.open(settings) as naba:
        naba.store.add_sources([SourceSpec(server.url("/rss-moved.xml"), site_url=server.url("/"))])  # a 404
    (moved,) = asyncio.run(check_sources(settings))
    assert moved["verified"] and moved["new_url"] == server.url("/feed.xml")
    with Naba.open(settings) as naba:
        naba.store.add_sources(
            [SourceSpec(server.url("/old-feed.xml"), site_url=server.url("/"))]
        )  # also a 404
    results = asyncio.run(check_sources(settings))
    assert [(r["verified"], r.get("disabled")) for r in results] == [(True, None), (False, "duplicate of 1")]
    with Naba.open(settings) as naba:
        first, second = naba.store.list_sources()
        assert first.url == server.url("/feed.xml") and first.verified
        assert not second.enabled and not second.verified


def test_opml_import_export_round_trip_from_the_cli(tmp_path: Path, settings: Settings) -> None:
    runner = CliRunner()
    env = {"NABA_DB": settings.db}
    assert runner.invoke(main, ["sources", "import", "--default"], env=env).exit_code == 0
    exported = tmp_path / "out.opml"
    assert runner.invoke(main, ["sources", "export", "-o", str(exported)], env=env).exit_code == 0
    other = tmp_path / "other.db"
    result = runner.invoke(main, ["--db", str(other), "sources", "import", str(exported)])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(main, ["--db", str(other), "sources", "--json"]).output)
    assert len(listed) >= 40 and all(not s["verified"] for s in listed)
    assert any(s["title"] and any("\u0600" <= c <= "\u06ff" for c in s["title"]) for s in listed)


def test_fetch_and_extract_urls_from_the_cli(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    url = _page(server, articles[1], "/news/b.html")
    runner = CliRunner()
    extracted = runner.invoke(main, ["extract", url, "--json"], env=_env(settings))
    assert extracted.exit_code == 0, extracted.output
    assert json.loads(extracted.output)["title"] == articles[1].title
    fetched = runner.invoke(main, ["fetch", url, server.url("/missing.html"), "--json"], env=_env(settings))
    data = json.loads(fetched.stdout)
    assert data["stored"] == 1 and list(data["errors"]) == [server.url("/missing.html")]
    again = json.loads(runner.invoke(main, ["fetch", url, "--json"], env=_env(settings)).stdout)
    assert again["stored"] == 0 and again["unchanged"] == 1


def test_the_ssrf_guard_refuses_loopback_unless_allowed(
    server: FixtureServer, articles: list[SiteArticle], tmp_path: Path
) -> None:
    url = _page(server, articles[2], "/news/c.html")
    runner = CliRunner()
    refused = runner.invoke(
        main, ["--db", str(tmp_path / "x.db"), "extract", url], env={"NABA_ALLOW_PRIVATE_ADDRESSES": "0"}
    )
    assert refused.exit_code == 1
    assert "blocked_address" in refused.output


def test_demo_with_no_reachable_source_says_so_in_one_line(tmp_path: Path) -> None:
    from tests.fixture_server import closed_port

    settings = fast_settings(tmp_path)
    with Naba.open(settings) as naba:
        naba.store.add_sources(SourceSpec(f"http://127.0.0.1:{closed_port()}/feed{i}.xml") for i in range(3))
    result = CliRunner().invoke(main, ["demo", "--no-serve"], env=_env(settings))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "reachable" in line]
    assert len(lines) == 1 and "3 tried" in lines[0] and "SOURCE=" in lines[0]


def test_discover_finds_the_feeds_of_a_page_and_the_sitemaps_of_robots(
    server: FixtureServer, tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    server.add(
        "/", '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>'
    )
    robots = f"User-agent: *\nDisallow:\nSitemap: {server.url('/sitemap.xml')}\nSitemap: {server.url('/news-sitemap.xml')}\n"
    server.fault("/robots.txt", "robots", text=robots)
    result = CliRunner().invoke(
        main, ["sources", "discover", server.url("/"), "--add", "--json"], env=_env(settings)
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["feeds"] == [server.url("/rss.xml")]
    assert found["sitemaps"] == [server.url("/news-sitemap.xml"), server.url("/sitemap.xml")]
    assert found["added"] == 2
    with Naba.open(settings) as naba:
        kinds = {s.url: s.kind for s in naba.store.list_sources()}
    assert kinds == {server.url("/rss.xml"): "feed", server.url("/news-sitemap.xml"): "sitemap"}
