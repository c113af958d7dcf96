"""Feeds out on a real day, parsed back with feedparser: Atom 1.0, RSS 2.0 and JSON Feed 1.1 of the latest
articles, one outlet, a search with filters, a story and an entity; stable ids across requests and formats;
autodiscovery links on the reader's pages; conditional requests."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import quote, unquote

import feedparser
import pytest
from fastapi.testclient import TestClient

from naba.engine.naba import Naba

BASE = "http://testserver"


@pytest.fixture(scope="module")
def targets(day_naba: Naba) -> dict[str, dict[str, str]]:
    story = day_naba.store.stories(1)[0]
    entity = day_naba.store.top_entities(1)[0]
    return {
        "latest": {},
        "source": {"source": "alyaum"},
        "search": {"q": "خادم الحرمين الشريفين", "source": "alriyadh", "from": "2015-08-02"},
        "story": {"id": story.id},
        "entity": {"name": entity.canonical},
    }


def parsed(api: TestClient, kind: str, fmt: str, params: dict[str, str]) -> tuple[Any, Any]:
    response = api.get(f"/feeds/{kind}.{fmt}", params=params)
    assert response.status_code == 200, response.text[:300]
    return response, feedparser.parse(response.content)


def article_ids(links: list[str]) -> list[str]:
    return [unquote(link.removeprefix(BASE + "/article/")) for link in links]


@pytest.mark.parametrize("kind", ["latest", "source", "search", "story", "entity"])
def test_every_feed_parses_in_every_format_with_the_same_stable_ids(
    api: TestClient, day_naba: Naba, targets: dict[str, dict[str, str]], kind: str
) -> None:
    params = targets[kind]
    atom_response, atom = parsed(api, kind, "atom", params)
    assert atom_response.headers["content-type"].startswith("application/atom+xml")
    assert not atom.bozo, atom.bozo_exception
    assert atom.version == "atom10" and atom.feed.title.startswith("نبأ") and atom.entries
    assert b'xml:lang="ar"' in atom_response.content
    assert atom.feed.links and any(link.rel == "self" for link in atom.feed.links)
    _, rss = parsed(api, kind, "rss", params)
    assert not rss.bozo and rss.version == "rss20" and rss.feed.language == "ar"
    json_response, _ = parsed(api, kind, "json", params)
    assert json_response.headers["content-type"].startswith("application/feed+json")
    jf = json_response.json()
    assert jf["version"] == "https://jsonfeed.org/version/1.1" and jf["language"] == "ar" and jf["title"]
    assert all({"id", "url", "title", "content_text", "date_published"} <= set(item) for item in jf["items"])
    atom_ids = [e.id for e in atom.entries]
    assert atom_ids == [e.id for e in rss.entries] == [i["id"] for i in jf["items"]]
    assert all(i.startswith("urn:uuid:") for i in atom_ids) and len(set(atom_ids)) == len(atom_ids)
    assert atom_ids == [e.id for e in parsed(api, kind, "atom", params)[1].entries]  # stable
    ids = article_ids([e.link for e in atom.entries])
    stored = day_naba.store.get_many(ids)
    assert set(ids) == set(stored)
    for entry, article_id in zip(atom.entries, ids, strict=True):
        article = stored[article_id].article
        assert entry.title == article.title.strip() and entry.published_parsed
        original = [link.href for link in entry.links if link.rel == "related"]
        assert original in ([article.canonical_url or article.url], [])
    if kind == "source":
        assert {stored[i].article.publisher for i in ids} == {"alyaum"}
    if kind == "search":
        assert {stored[i].article.publisher for i in ids} == {"alriyadh"}
        times = [e.published_parsed for e in atom.entries]
        assert times == sorted(times, reverse=True)


def test_reader_pages_link_their_feeds(api: TestClient, targets: dict[str, dict[str, str]]) -> None:
    pages = {
        "/": "/feeds/latest.atom",
        "/latest": "/feeds/latest.atom",
        "/latest?source=alyaum": "/feeds/source.atom?source=alyaum",
        "/search?q=" + quote("المملكة"): "/feeds/search.atom?q=" + quote("المملكة"),
        "/story/" + quote(targets["story"]["id"], safe=""): "/feeds/story.atom?id=",
        "/entity/" + quote(targets["entity"]["name"], safe=""): "/feeds/entity.atom?name=",
    }
    for page, feed in pages.items():
        html = api.get(page).text
        found = [
            unescape(h)
            for h in re.findall(r'<link rel="alternate" type="[^"]+" title="[^"]*" href="([^"]+)"', html)
        ]
        assert len(found) == 3 and found[0].startswith(feed), (page, found)
        for href in found:
            assert api.get(href).status_code == 200, href
    assert 'rel="alternate"' not in api.get("/sources").text


def test_feeds_answer_conditional_requests_and_errors_in_the_envelope(api: TestClient) -> None:
    first = api.get("/feeds/latest.atom")
    assert first.headers["etag"] and first.headers["last-modified"]
    assert api.get("/feeds/latest.atom", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    since = {"If-Modified-Since": first.headers["last-modified"]}
    assert api.get("/feeds/latest.atom", headers=since).status_code == 304
    assert (
        api.get(
            "/feeds/latest.atom", headers={"If-Modified-Since": "Sat, 01 Aug 2015 00:00:00 GMT"}
        ).status_code
        == 200
    )
    for path, status in (
        ("/feeds/story.atom?id=nope", 404),
        ("/feeds/latest.html", 422),
        ("/feeds/search.rss", 422),
        ("/feeds/source.json?source=nope", 404),
    ):
        response = api.get(path)
        assert response.status_code == status and set(json.loads(response.content)["error"]) == {
            "code",
            "message",
            "detail",
        }, path
    assert "frame-ancestors 'none'" in first.headers["content-security-policy"]
