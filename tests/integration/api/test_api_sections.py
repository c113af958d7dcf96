"""Sections and countries through the API and the feeds, on a real day that ``naba understand`` labeled (and
whose section model it trained from the publishers' own labels)."""

from __future__ import annotations

import json

import feedparser
from click.testing import CliRunner
from fastapi.testclient import TestClient

from naba.cli import main
from naba.config import Settings
from naba.engine.naba import Naba


def test_understand_trained_the_installations_model(day_naba: Naba) -> None:
    assert day_naba.store.model("sections") is not None
    assert sum(day_naba.store.section_counts().values()) == day_naba.store.count()


def test_a_section_lists_its_newest_articles_with_every_sections_count(
    api: TestClient, day_naba: Naba
) -> None:
    response = api.get("/api/v1/sections/sports", params={"limit": 30})
    assert response.status_code == 200 and response.headers.get("etag")
    body = response.json()
    assert body["section"] == {"key": "sports", "name_ar": "رياضة", "name_en": "Sports"}
    assert body["articles"] and all(a["section"] == "sports" for a in body["articles"])
    published = [a["published"] for a in body["articles"]]
    assert published == sorted(published, reverse=True)
    counts = {c["section"]["key"]: c["count"] for c in body["sections"]}
    assert sum(counts.values()) == day_naba.store.count() and counts["sports"] > 0


def test_country_filter(api: TestClient) -> None:
    body = api.get("/api/v1/sections", params={"country": "ye", "limit": 20}).json()
    assert body["country"] == "YE" and body["section"] is None
    assert body["articles"] and all("YE" in a["countries"] for a in body["articles"])
    both = api.get("/api/v1/sections/politics", params={"country": "YE"}).json()
    assert all(a["section"] == "politics" and "YE" in a["countries"] for a in both["articles"])


def test_bad_section_or_country_is_an_error_in_the_envelope(api: TestClient) -> None:
    missing = api.get("/api/v1/sections/weather")
    assert missing.status_code == 404 and set(missing.json()) == {"error"}
    bad = api.get("/api/v1/sections", params={"country": "1x"})
    assert bad.status_code == 400 and "ISO 3166-1" in bad.json()["error"]["message"]
    assert api.get("/api/v1/sections", params={"country": "SAU"}).status_code == 422
    assert api.get("/feeds/sections/weather.atom").status_code == 404


def test_section_feeds_in_every_format(api: TestClient) -> None:
    atom = api.get("/feeds/sections/sports.atom")
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(atom.content)
    assert not parsed.bozo and parsed.feed.title == "نبأ — رياضة" and parsed.entries
    rss = feedparser.parse(api.get("/feeds/sections/sports.rss", params={"country": "SA"}).content)
    assert rss.version == "rss20" and rss.feed.title == "نبأ — رياضة — SA"
    feed = api.get("/feeds/sections/economy.json").json()
    assert feed["language"] == "ar" and feed["items"]


def test_reader_section_page_tabs_and_country_filter(api: TestClient) -> None:
    page = api.get("/sections/sports")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'dir="rtl"' in html and "<h1" in html and "رياضة" in html
    assert '<a href="/sections/sports" aria-current="page">رياضة</a>' in html
    assert 'href="/feeds/sections/sports.atom"' in html  # autodiscovery
    # Every page carries the section tabs; the front page's current tab is not a section.
    front = api.get("/latest").text
    assert 'href="/sections/economy"' in front and 'aria-current="page">اقتصاد' not in front
    filtered = api.get("/sections/politics", params={"country": "YE"})
    assert filtered.status_code == 200 and ">YE<" in filtered.text
    assert api.get("/sections/politics", params={"country": "<b>"}).status_code == 200  # ignored, not echoed
    assert "<b>" not in api.get("/sections/politics", params={"country": "<b>"}).text.split("<main", 1)[1]
    assert api.get("/sections/weather").status_code == 404


def test_cli_prints_the_records_the_api_answers(api: TestClient, day_settings: Settings) -> None:
    args = ["--db", day_settings.db, "sections", "list", "--section", "politics", "--country", "YE"]
    result = CliRunner().invoke(main, [*args, "--limit", "10", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    api_view = api.get("/api/v1/sections/politics", params={"country": "YE", "limit": 10}).json()
    assert json.loads(result.stdout) == api_view
    text = CliRunner().invoke(main, [*args, "--limit", "3"], catch_exceptions=False)
    assert text.exit_code == 0 and "politics=" in text.stdout
    bad = CliRunner().invoke(main, ["--db", day_settings.db, "sections", "list", "--section", "weather"])
    assert bad.exit_code == 2  # click refuses a section that is not one of the keys
