"""The read endpoints of /api/v1 on a real day: the same records as the CLI's --json, cursor pagination
that visits every article once, search with folded copies and facets, conditional requests and gzip."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import quote

from click.testing import CliRunner
from fastapi.testclient import TestClient

from naba.cli import main
from naba.config import Settings
from naba.engine.naba import Naba
from naba.engine.records import to_json
from naba.engine.views import article_detail


def cli(settings: Settings, *args: str) -> object:
    result = CliRunner().invoke(main, ["--db", settings.db, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_api_answers_the_records_the_cli_prints(api: TestClient, day_settings: Settings) -> None:
    stories = api.get("/api/v1/stories", params={"limit": 5}).json()
    assert stories == cli(day_settings, "stories", "--limit", "5")
    top = stories["stories"][0]
    story = api.get("/api/v1/stories/" + quote(top["id"], safe="")).json()
    assert story == cli(day_settings, "story", top["id"])
    assert story["articles"] and sum(1 + len(a["also_from"]) for a in story["articles"]) == story["size"]
    entities = api.get("/api/v1/entities", params={"limit": 5, "kind": "LOC"}).json()
    assert entities == cli(day_settings, "entities", "--limit", "5", "--kind", "LOC")
    name = entities["entities"][0]["canonical"]
    assert api.get("/api/v1/entities/" + quote(name, safe="")).json() == cli(day_settings, "entities", name)
    found = api.get("/api/v1/search", params={"q": "الملك سلمان", "limit": 7}).json()
    assert found == cli(day_settings, "search", "الملك سلمان", "--limit", "7")
    related = api.get("/api/v1/related", params={"article": top["lead"], "limit": 5}).json()
    assert related == cli(day_settings, "related", top["lead"], "--limit", "5")


def test_the_cursor_visits_every_article_of_an_outlet_once_newest_first(
    api: TestClient, day_naba: Naba
) -> None:
    outlet = "alriyadh"
    seen: list[dict[str, str]] = []
    params: dict[str, str | int] = {"source": outlet, "limit": 37}
    while True:
        page = api.get("/api/v1/articles", params=params).json()
        seen += page["articles"]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    expected = {s.article.id for s in day_naba.store.latest(limit=10_000, publisher=outlet)}
    assert len(seen) == len(expected) == len({a["id"] for a in seen}) and {a["id"] for a in seen} == expected
    assert {a["publisher"] for a in seen} == {outlet}
    times = [a["published"] for a in seen if a["published"]]
    assert times == sorted(times, reverse=True)
    other_day = api.get("/api/v1/articles", params={"from": "2015-08-05", "to": "2015-08-09"}).json()
    assert other_day == {"articles": [], "next_cursor": None}


def test_one_article_carries_its_story_copies_related_and_entities(api: TestClient, day_naba: Naba) -> None:
    store = day_naba.store
    copied = next(
        s.article.id for s in store.latest(limit=2000) if len(store.also_published_by(s.article.id)) >= 2
    )
    body = api.get("/api/v1/articles/" + quote(copied, safe="")).json()
    assert body == to_json(article_detail(store, copied))
    assert body["article"]["id"] == copied and body["article"]["body_paragraphs"]
    assert body["story"]["id"] and len(body["copies"]) >= 2
    assert {"article", "outlet", "url", "original"} == set(body["copies"][0])
    reasons = [r["reason"] for r in body["related"]]
    assert any(r.startswith("same text, also published by") for r in reasons), reasons


def test_search_folds_copies_and_counts_every_match_by_outlet_and_day(api: TestClient) -> None:
    found = api.get("/api/v1/search", params={"q": "خادم الحرمين الشريفين", "limit": 50}).json()
    assert found["total"] > 50
    assert sum(f["count"] for f in found["facets_outlets"]) == found["total"]
    assert {f["value"] for f in found["facets_days"]} <= {"2015-08-01", "2015-08-02"}
    assert sum(f["count"] for f in found["facets_days"]) == found["total"]
    shown = [h["article"]["id"] for h in found["hits"]] + [
        a["id"] for h in found["hits"] for a in h["also_from"]
    ]
    assert len(shown) == len(set(shown)) == 50 and any(h["also_from"] for h in found["hits"])
    by_outlet = api.get(
        "/api/v1/search", params={"q": "خادم الحرمين الشريفين", "source": ["alyaum", "aawsat"]}
    ).json()
    counts = Counter({f["value"]: f["count"] for f in found["facets_outlets"]})
    assert by_outlet["total"] == counts["alyaum"] + counts["aawsat"]
    newest = api.get("/api/v1/search", params={"q": "السعودية", "sort": "date", "limit": 30}).json()
    times = [h["article"]["published"] for h in newest["hits"]]
    assert newest["sort"] == "date" and times == sorted(times, reverse=True)


def test_conditional_requests_gzip_and_headers(api: TestClient) -> None:
    first = api.get("/api/v1/stories", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip" and first.headers["etag"]
    again = api.get("/api/v1/stories", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other = api.get("/api/v1/stories", params={"limit": 3}, headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200
    raw = api.get("/api/v1/stats", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip" and raw.json()["articles"] == 1314  # decoded by httpx
    for response in (first, again, raw):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
    assert (
        "access-control-allow-origin"
        not in api.get("/api/v1/stats", headers={"Origin": "https://x.example"}).headers
    )


def test_docs_are_served_from_the_package_without_inline_script(api: TestClient) -> None:
    page = api.get("/docs")
    assert page.status_code == 200 and "script-src" not in page.headers["content-security-policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts == [(' src="/static/api-docs.js" defer', "")]
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', page.text))  # nothing from elsewhere
    script = api.get("/static/api-docs.js")
    assert script.status_code == 200 and "/openapi.json" in script.text and "innerHTML" not in script.text
    spec = api.get("/openapi.json").json()
    assert spec["openapi"] == "3.1.0" and not [
        p for p in spec["paths"] if not p.startswith(("/api/v1/", "/feeds/"))
    ]
