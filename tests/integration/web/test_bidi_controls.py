"""No page of the reader carries a bidi embedding, override or isolate control, whatever the ingested text held.

One real database is built for the module the way naba fills it: hand-written Arabic articles go through
``ingest`` (JSONL) and ``understand`` (duplicate group, story, entities, related), and a followed source gets a
failing poll and failed items through the store. Titles, bodies, publishers, URLs, authors, tags, source titles,
poll errors and item links all carry the nine controls (U+202A–U+202E, U+2066–U+2069) plus an XSS payload.
Every HTML route of the app is requested (a guard test fails when a route is added without being listed here)
and each response must hold none of the controls, keep its visible Arabic text, stay escaped and keep the
legitimate marks LRM, RLM and ALM.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

import pytest
from fastapi.testclient import TestClient
from tests.integration.web.test_reader import make_article

from naba.article_json import article_to_json
from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.store.sources import ITEM_FAILED, PollRecord, SourceItem
from naba.types import Article, SourceSpec
from naba.web.app import create_app
from naba.web.pages import article_href
from naba.web.story_pages import entity_href, story_href

UTC = dt.UTC
# LRE RLE PDF LRO RLO, LRI RLI FSI PDI: written as escapes so that this file shows what it tests.
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
C = CONTROLS
CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
RLM, ALM = "\u200f", "\u061c"
OWN_SCRIPT = re.compile(r'<script src="/static/[\w.-]+\.js"(?: defer)?></script>')
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'

TITLE = f"{C}وفد حماس{C} يصل إلى القاهرة{RLM} {XSS}{C}"
SEEN_TITLE = f"وفد حماس يصل إلى القاهرة{RLM}"
PUBLISHERS = [f"صحيفة{C} الأفق", f"{C}جريدة النهار", f"موقع الخبر{C}"]
SEEN_PUBLISHERS = ["صحيفة الأفق", "جريدة النهار", "موقع الخبر"]
BODY = (
    f"وصل وفد من حركة المقاومة الإسلامية (حماس) إلى القاهرة{C} لبحث التهدئة في قطاع غزة. {XSS}",
    f"{C}وقال متحدث باسم حماس إن الوفد سيلتقي مسؤولين مصريين في القاهرة{ALM}.{C}",
)
SEEN_BODY = ["لبحث التهدئة في قطاع غزة", f"سيلتقي مسؤولين مصريين في القاهرة{ALM}."]
URLS = [f"https://example.org/news/{i}/{C}خبر" for i in range(3)]

SOURCE_URL = f"https://evil.example/feed/{C}rss"
SOURCE_TITLE = f"{C}خلاصة{C} الأفق {XSS}"
SOURCE_ERROR = f"{C}خطأ{C} في تحليل الخلاصة {XSS}"
ITEM_LINK = f"https://evil.example/a/{C}1"
ITEM_ERROR = f"{C}تعذّر{C} استخراج المقال {XSS}"


def hostile_articles() -> list[Article]:
    """Three copies of one wire story from three outlets (one duplicate group, one story)."""
    return [
        make_article(
            URLS[i],
            TITLE,
            publisher=PUBLISHERS[i],
            published=dt.datetime(2015, 8, 2, 8 + i, tzinfo=UTC),
            lead=BODY[0],
            paragraphs=BODY,
            url=URLS[i],
            original_source=f"{C}وكالة{C} الأنباء {XSS}",
            authors=(f"{C}محمد{C} عبد الله",),
            tags=(f"{C}غزة{C}", f"التهدئة {XSS}"),
            related=(f"{C}مصر{C} تدعو إلى التهدئة {XSS}",),
        )
        for i in range(3)
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("bidi")
    source = folder / "articles.jsonl"
    lines = [json.dumps(article_to_json(a), ensure_ascii=False) for a in hostile_articles()]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load_settings(
        {"db": str(folder / "naba.db"), "ingest_workers": 1, "page_size": 2},
        toml_path=Path("/nonexistent/naba.toml"),
        environ={},
    )
    with Naba.open(settings) as naba:
        assert naba.ingest([source]).stored == len(URLS)
        naba.understand()
        store = naba.store
        store.add_sources(
            [
                SourceSpec(
                    SOURCE_URL,
                    title=SOURCE_TITLE,
                    site_url=f"https://evil.example/{C}",
                    publisher=PUBLISHERS[0],
                    country=f"Q{C}A",
                )
            ]
        )
        (row,) = store.list_sources()
        now = dt.datetime.now(UTC)
        items = [SourceItem(row.id, f"{C}item-1", ITEM_LINK, None, "h1", ITEM_FAILED, ITEM_ERROR, 2)]
        store.record_poll(
            PollRecord(row.id, now, False, now + dt.timedelta(hours=1), 3600.0, error=SOURCE_ERROR), items
        )
    return settings


@pytest.fixture(scope="module")
def naba(built: Settings) -> Iterator[Naba]:
    with Naba.open(built) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(naba: Naba) -> TestClient:
    return TestClient(create_app(naba))


@pytest.fixture(scope="module")
def pages(naba: Naba) -> dict[str, str]:
    """Every page the reader serves over this database, by name: path and query."""
    store = naba.store
    (story,) = store.stories(10)
    (source,) = store.list_sources()
    entity = next(e.canonical for e in store.top_entities(20) if "حماس" in e.canonical)
    return {
        "home": "/",
        "home, page 2": "/?page=2",
        "home by outlet": "/?" + urlencode({"source": PUBLISHERS[0]}),
        "latest": "/latest",
        "latest by outlet": "/latest?" + urlencode({"source": PUBLISHERS[0], "page": 2}),
        "home, a day": "/?day=2015-08-03",
        "search form": "/search",
        "search": "/search?" + urlencode({"q": "حماس"}),
        "search, page 2": "/search?" + urlencode({"q": "حماس", "page": 2}),
        "search with controls": "/search?" + urlencode({"q": f"{C}حماس{C} {XSS}"}),
        "search by outlet": "/search?" + urlencode({"q": "حماس", "source": PUBLISHERS[1]}),
        "malformed search": "/search?" + urlencode({"q": f'"{C}حماس'}),
        **{f"article {i}": article_href(url) for i, url in enumerate(URLS)},
        "stories": "/stories",
        "story": story_href(story.id),
        "entity": entity_href(entity),
        "sources": "/sources",
        "source": f"/sources?source={source.id}",
        "section": "/sections/politics",
        "section by country": "/sections/politics?" + urlencode({"country": f"{C}SA{C}"}),
        "saved": "/saved?" + urlencode({"q": f"{C}حماس{C}", "source": f"{C}{PUBLISHERS[0]}"}),
        "not found": "/article/" + quote(f"{C}لا-يوجد{C}", safe=""),
    }


def visible(html: str) -> str:
    """The page's text with tags dropped and entities decoded (what a reader sees, roughly)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_every_html_route_is_covered(naba: Naba, pages: dict[str, str]) -> None:
    # The OpenAPI description is FastAPI's public list of routes (the app only hides it from the web).
    spec = create_app(naba).openapi()
    html_paths = [
        path
        for path, operations in spec["paths"].items()
        if "text/html" in operations.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
    ]
    assert len(html_paths) >= 7, html_paths
    requested = [unquote(path.split("?", 1)[0]) for path in pages.values()]
    for path in html_paths:
        pattern = re.compile(re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(path)) + "$")
        assert any(pattern.match(p) for p in requested), f"no page requested for {path}"


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "home, page 2",
        "home by outlet",
        "search form",
        "search",
        "search, page 2",
        "search with controls",
        "search by outlet",
        "malformed search",
        "article 0",
        "article 1",
        "article 2",
        "stories",
        "story",
        "entity",
        "sources",
        "source",
        "section",
        "section by country",
        "saved",
        "not found",
    ],
)
def test_no_page_carries_a_bidi_control(client: TestClient, pages: dict[str, str], name: str) -> None:
    response = client.get(pages[name])
    assert response.status_code in (200, 400, 404), name
    html = response.text
    found = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(html)})
    assert not found, f"{name}: {found}"
    for header, value in response.headers.items():
        assert not CONTROL.search(value), (name, header)
    # Still escaped: the templates' only scripts are the reader's own files and they draw no image here, so any
    # other script or image would be ingested markup.
    own_scripts_removed = OWN_SCRIPT.sub("", html)
    assert "<script" not in own_scripts_removed.lower() and "<img" not in html.lower()
    assert '<html lang="ar" dir="rtl">' in html


def test_the_visible_arabic_text_survives(client: TestClient, pages: dict[str, str]) -> None:
    home = visible(client.get(pages["home"]).text)
    assert SEEN_TITLE in home and SEEN_PUBLISHERS[2] in home

    article_html = client.get(pages["article 0"]).text
    article = visible(article_html)
    assert f"<title>{SEEN_TITLE} &lt;script&gt;alert(1)&lt;/script&gt;" in article_html
    for text in [SEEN_TITLE, *SEEN_BODY, "محمد عبد الله", "وكالة الأنباء", "غزة", "مصر تدعو إلى التهدئة"]:
        assert text in article, text
    assert SEEN_PUBLISHERS[0] in article
    assert "نشره أيضًا" in article and SEEN_PUBLISHERS[1] in article and SEEN_PUBLISHERS[2] in article

    for name in ("stories", "story", "entity"):
        assert SEEN_TITLE in visible(client.get(pages[name]).text), name

    search = client.get(pages["search"]).text
    assert "<mark>حماس</mark>" in search
    assert "وفد <mark>حماس</mark> يصل إلى القاهرة" in search

    sources = visible(client.get(pages["sources"]).text)
    assert "خلاصة الأفق" in sources and "خطأ في تحليل الخلاصة" in sources
    detail = visible(client.get(pages["source"]).text)
    assert "تعذّر استخراج المقال" in detail and "https://evil.example/a/1" in detail


def test_legitimate_marks_are_kept(client: TestClient, pages: dict[str, str]) -> None:
    html = client.get(pages["article 0"]).text
    assert f"القاهرة{RLM} " in html  # in the <title> and the headline
    assert f"القاهرة{ALM}." in html


def test_external_links_keep_their_target_percent_encoded(client: TestClient, pages: dict[str, str]) -> None:
    html = client.get(pages["article 0"]).text
    original = re.search(r'<a href="([^"]+)" rel="noopener noreferrer nofollow" target="_blank">اقرأ', html)
    assert original and unescape(original.group(1)) == URLS[0].replace(C, quote(C))
    detail = client.get(pages["source"]).text
    assert f'href="{ITEM_LINK.replace(C, quote(C))}"' in detail
    assert f'<a href="https://evil.example/{quote(C)}" rel="nofollow noopener" dir="auto">' in detail


def test_ingested_strings_are_isolated_by_markup(client: TestClient, pages: dict[str, str]) -> None:
    article = client.get(pages["article 0"]).text
    assert re.search(r'<h1 class="story__title" dir="auto">وفد حماس', article)
    assert re.search(r"نشره أيضًا <bdi>(جريدة النهار|موقع الخبر)</bdi>", article)
    search = client.get(pages["search"]).text
    assert re.search(r'<option value="صحيفة الأفق" dir="auto">صحيفة الأفق</option>', search)
    assert re.search(r'<p class="card__summary" dir="auto">', search)


def test_the_outlet_menu_finds_a_publisher_whose_key_had_controls(client: TestClient) -> None:
    # The menu's option value went out without the controls; choosing it still filters to that outlet.
    html = client.get("/search", params={"q": "حماس", "source": SEEN_PUBLISHERS[1]}).text
    assert '<option value="جريدة النهار" dir="auto" selected>' in html
    assert '<span class="total">نتيجة واحدة</span>' in html
    assert SEEN_TITLE in visible(html)
