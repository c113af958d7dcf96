"""Articles, stories and entities whose ids hold line breaks, tabs, spaces, '?', '#', '%', '/' and Arabic open
from the links the reader prints, over a real database filled by ``ingest`` and ``understand``.

Starlette's ``path`` convertor stops at a line feed, so such pages used to answer 404 though the home page
linked to them; the routes now take any decoded id (:class:`naba.web.pages.AnyIdConvertor`). The pages are
opened through httpx from a uvicorn server and once more in headless Chromium, which resolves the links itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

import httpx
import pytest
from browser_support import serve_app
from test_reader import make_article

from naba.article_json import article_to_json
from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.store.base import EntityMention, UnderstandBatch
from naba.types import Article, ArticleId
from naba.web.app import create_app
from naba.web.pages import article_href
from naba.web.story_pages import entity_href, story_href

UTC = dt.UTC
# Each id holds one of the characters a route used to trip on, or a mix; all are Arabic news URLs or keys.
ODD_IDS: Final = (
    "خبر\nالسطر الثاني",
    "\nيبدأ بسطر جديد",
    "ينتهي بسطر جديد\n",
    "\n",
    "سطر\r\nبنهاية ويندوز",
    "عودة\rالعربة",
    "جدولة\tبمسافة\tأفقية",
    "  مسافات  في البداية والوسط والنهاية  ",
    "https://www.example.com/أخبار/2015/08/03/سد-النهضة?id=7&lang=ar",
    "https://www.example.com/أخبار/#اقرأ-أيضا",
    "نسبة 50% من %D8%A7 و%%",
    "/../../etc/passwd\n/..",
    "//evil.example/خبر",
    "مزيج\n\r\t ?#%/ العربية\n",
)
# Canonical entity names, stored by the understand stage as written (the store looks names up stripped, so
# none starts or ends with whitespace).
ODD_ENTITIES: Final = ("حزب\nالعدالة", "وزارة\tالخارجية ?#%", "نادي الزمالك/القاهرة\r\nمصر")
TOPICS: Final = (
    ("مفاوضات سد النهضة تستأنف في الخرطوم", "استأنفت مصر والسودان وإثيوبيا مفاوضات سد النهضة في الخرطوم."),
    ("الزمالك يفوز على الأهلي في القاهرة", "فاز نادي الزمالك على الأهلي بهدفين في مباراة القمة بالقاهرة."),
    ("أمطار غزيرة تضرب عمان", "هطلت أمطار غزيرة على العاصمة الأردنية عمان وأغلقت عدة طرق رئيسية."),
    ("وزير الخارجية يزور الرياض", "وصل وزير الخارجية إلى الرياض في زيارة رسمية تستمر يومين."),
)


def odd_articles() -> list[Article]:
    return [
        make_article(
            article_id,
            f"{TOPICS[n % len(TOPICS)][0]} رقم {n}",
            publisher="مصدر تجريبي",
            published=dt.datetime(2015, 8, 3, 8, tzinfo=UTC) + dt.timedelta(minutes=n),
            lead=TOPICS[n % len(TOPICS)][1],
            paragraphs=(TOPICS[n % len(TOPICS)][1], f"وقال متحدث إن الخبر رقم {n} مؤكد."),
            url=f"https://news.example/{n}",
        )
        for n, article_id in enumerate(ODD_IDS)
    ]


@pytest.fixture(scope="module")
def naba(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Naba]:
    folder = tmp_path_factory.mktemp("odd-ids")
    source = folder / "articles.jsonl"
    articles = odd_articles()
    source.write_text(
        "".join(json.dumps(article_to_json(a), ensure_ascii=False) + "\n" for a in articles), encoding="utf-8"
    )
    settings: Settings = load_settings(
        {"db": str(folder / "naba.db"), "ingest_workers": 1, "page_size": 50},
        toml_path=Path("/nonexistent/naba.toml"),
        environ={},
    )
    with Naba.open(settings) as opened:
        report = opened.ingest([source])
        assert report.stored == len(articles), report
        opened.understand()
        store = opened.store
        mentions = [
            EntityMention(ArticleId(article_id), canonical, "ORG", canonical, (canonical,), 0, 1)
            for n, article_id in enumerate(ODD_IDS)
            for canonical in [ODD_ENTITIES[n % len(ODD_ENTITIES)]]
        ]
        rows = [store.understanding(ArticleId(article_id)) for article_id in ODD_IDS]
        store.put_understanding(
            UnderstandBatch(articles=tuple(r for r in rows if r), entities=tuple(mentions))
        )
        yield opened


@pytest.fixture(scope="module")
def client(naba: Naba) -> Iterator[httpx.Client]:
    """A client of the reader served by uvicorn. Not Starlette's TestClient: it decodes the path twice (httpx's
    decoded path goes through ``unquote`` again), so an id holding ``%D8%A7`` would reach the app as ``ا``."""
    with serve_app(create_app(naba)) as base_url, httpx.Client(base_url=base_url) as opened:
        yield opened


def hrefs(html: str, prefix: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html) if unescape(h).startswith(prefix)]


def headline(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found, html[:500]
    return unescape(found.group(1))


def test_the_store_holds_every_id_as_written(naba: Naba) -> None:
    stored = {s.article.id for s in naba.store.latest(limit=100)}
    assert stored == set(ODD_IDS)


def test_every_article_opens_from_the_latest_list_link(client: httpx.Client, naba: Naba) -> None:
    titles: dict[str, str] = {s.article.id: s.article.title for s in naba.store.latest(limit=100)}
    links = hrefs(client.get("/latest").text, "/article/")
    assert sorted(links) == sorted(article_href(i) for i in ODD_IDS)
    for link in links:
        assert link.isascii() and not re.search(r"[\s?#]", link), link
        article_id = unquote(link.removeprefix("/article/"))
        response = client.get(link)
        assert response.status_code == 200, repr(article_id)
        assert headline(response.text) == titles[article_id], repr(article_id)


def test_the_digits_toggle_of_an_odd_article_leads_back_to_it(client: httpx.Client) -> None:
    for article_id in ODD_IDS:
        page = client.get(article_href(article_id) + "?digits=arab")  # whatever the cookie says
        toggle = re.search(r'<a class="digits-toggle" href="([^"]+)"', page.text)
        assert toggle and unescape(toggle.group(1)) == article_href(article_id) + "?digits=latn"
        switched = client.get(unescape(toggle.group(1)))
        assert switched.status_code == 200 and "3 أغسطس 2015" in switched.text, repr(article_id)


def test_every_story_opens_from_its_link(client: httpx.Client, naba: Naba) -> None:
    stories = naba.store.stories(100)
    assert any("\n" in s.id for s in stories), [s.id for s in stories]
    links = hrefs(client.get("/stories").text, "/story/")
    assert sorted(links) == sorted(story_href(s.id) for s in stories)
    for story in stories:
        response = client.get(story_href(story.id))
        assert response.status_code == 200, repr(story.id)
        assert headline(response.text) == story.headline
        # The story page links its articles, and each link opens.
        for link in hrefs(response.text, "/article/"):
            assert client.get(link).status_code == 200, link


def test_every_entity_opens_from_the_article_page(client: httpx.Client) -> None:
    for n, article_id in enumerate(ODD_IDS):
        canonical = ODD_ENTITIES[n % len(ODD_ENTITIES)]
        links = hrefs(client.get(article_href(article_id)).text, "/entity/")
        assert entity_href(canonical) in links, repr(article_id)
    for canonical in ODD_ENTITIES:
        response = client.get(entity_href(canonical))
        assert response.status_code == 200, repr(canonical)
        assert canonical.replace("\r\n", "\n") in headline(response.text).replace("\r\n", "\n")


def test_unknown_odd_ids_are_the_arabic_404(client: httpx.Client) -> None:
    for path in ("/article/", article_href("لا\nيوجد"), story_href("story:لا\nيوجد"), entity_href("لا\nأحد")):
        response = client.get(path)
        assert response.status_code == 404 and "الصفحة غير موجودة" in response.text, path


def test_every_odd_link_opens_in_chromium(browser: Any, naba: Naba) -> None:
    titles: dict[str, str] = {s.article.id: s.article.title for s in naba.store.latest(limit=100)}
    with serve_app(create_app(naba)) as base_url:
        page = browser.new_page()
        try:
            page.goto(base_url + "/latest", wait_until="load")
            links = page.eval_on_selector_all(".card__title a", "links => links.map(a => a.href)")
            assert len(links) == len(ODD_IDS)
            seen = set()
            for link in links:
                page.context.clear_cookies()  # the toggle below leaves the choice in a cookie
                assert link.startswith(base_url + "/article/"), link
                response = page.goto(link, wait_until="load")
                assert response is not None and response.status == 200, link
                shown = page.locator("h1").inner_text()
                article_id = next(i for i, t in titles.items() if t == shown)
                assert page.url == base_url + article_href(article_id)
                seen.add(article_id)
                page.locator(".digits-toggle").click()
                page.wait_for_load_state()
                assert page.url == base_url + article_href(article_id) + "?digits=latn"
                assert page.locator("h1").inner_text() == shown
            assert seen == set(ODD_IDS)
        finally:
            page.close()
