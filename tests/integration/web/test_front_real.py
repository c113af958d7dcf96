"""The reader on real articles (SaudiNewsNet 2015-08-10/11, see ``real_reader``): the front page of stories,
clean headlines and leads, times in the reader's zone, CLDR plurals, entity names, story and entity pages,
and the words for outlets and followed feeds. No browser here (``test_browser_pages`` has the screenshots).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections import Counter
from collections.abc import Iterator
from html import unescape

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from naba.cli import main
from naba.config import Settings
from naba.engine.front import DIVERSE_TOP, MAX_LEADS_PER_OUTLET, front_page, is_cited_source
from naba.engine.naba import Naba
from naba.extract.headlines import is_lead_noise, lead_paragraph
from naba.web.app import create_app
from naba.web.story_pages import story_href

RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")
DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DESK_PREFIX = re.compile(r"^\s*(عام|اقتصادي|إقتصادي|سياسي|ثقافي|رياضي|اجتماعي|تقرير)\s*/")
# Wrong agreement the issue saw on every card: a number word with the wrong noun form.
WRONG_PLURALS = re.compile(
    r"(?<![\d٠-٩])[١1] (مقالات|مصادر|قصص)|(?<![\d٠-٩])([١1][١-٩1-9]|[٢-٩2-9][٠-٩0-9]) مقالات"
)


@pytest.fixture(scope="module")
def built(real_reader: Settings) -> Settings:
    return real_reader


@pytest.fixture(scope="module")
def naba(built: Settings) -> Iterator[Naba]:
    with Naba.open(built) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(naba: Naba) -> TestClient:
    return TestClient(create_app(naba))


def visible(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("day", [dt.date(2015, 8, 10), dt.date(2015, 8, 11)])
def test_front_page_is_diverse_clean_and_led_by_real_leads(naba: Naba, day: dt.date) -> None:
    page = front_page(naba.store, day, RIYADH)
    assert len(page.stories) >= 20
    top = page.stories[:DIVERSE_TOP]
    leads = Counter(s.lead_outlet for s in top)
    assert max(leads.values()) <= MAX_LEADS_PER_OUTLET, leads
    assert len(leads) >= 5  # ten stories from at least five outlets
    for story in page.stories:
        assert story.lead_outlet == story.headline.publisher
        assert story.lead_outlet in story.outlets
        assert not DESK_PREFIX.match(story.headline.title), story.headline.title
        lead = lead_paragraph(story.headline.paragraphs)
        assert lead is None or not is_lead_noise(lead)
        assert lead is None or not re.search(r"الموافق\s*[\d٠-٩]", lead[:80]), lead
        local = dt.datetime.fromtimestamp(story.last_ts, RIYADH).date()
        assert local == day  # ranked on the day's coverage
    # Ranked: the first card has at least as many outlets that day as any later card within the top.
    assert len(top[0].outlets) >= 2


def test_top_names_skip_platforms_and_outlets_and_keep_hamza(naba: Naba) -> None:
    page = front_page(naba.store, dt.date(2015, 8, 10), RIYADH)
    assert page.names
    for name in page.names:
        assert not is_cited_source(name.canonical, name.display), name
    assert is_cited_source("فيسبوك", "فيسبوك") and is_cited_source("واس", "واس")
    assert is_cited_source("جريده الرياض", "جريدة الرياض")
    assert not is_cited_source("الرياض", "الرياض")  # the city is news, the paper is a source
    # Shown as written, not folded: a name with hamza or ة keeps it.
    shown = {n.display for n in page.names}
    assert any(re.search("[أإآة]", s) for s in shown), shown


def test_home_page_shows_stories_with_cldr_plurals_and_riyadh_times(client: TestClient) -> None:
    html = client.get("/").text
    text = visible(html)
    assert "أبرز القصص" in text and "الثلاثاء ١١ أغسطس ٢٠١٥" in text
    assert "التغطية الكاملة" in text and "نشرته:" in text
    assert not WRONG_PLURALS.search(text), WRONG_PLURALS.search(text)
    assert re.search(r"مقالان|[٣-٩] مقالات|١٠ مقالات", text)
    assert 'aria-current="page">القصص<' in html
    # Times are Riyadh's: every <time> of a card is on 11 August in +03:00, shown as a 12-hour clock.
    for iso, shown in re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html):
        local = dt.datetime.fromisoformat(iso).astimezone(RIYADH)
        hour = local.hour % 12 or 12
        assert shown.startswith(f"{hour}:{local.minute:02d}".translate(DIGITS))
        assert shown.endswith("ص" if local.hour < 12 else "م")
        assert local.date() == dt.date(2015, 8, 11)


def test_day_navigation_and_the_date_field_work_without_script(client: TestClient) -> None:
    html = client.get("/").text
    previous = re.search(r'<a class="day-nav__step" rel="prev" href="([^"]+)"', html)
    assert previous and unescape(previous.group(1)) == "/?day=2015-08-10"
    assert re.search(r'<form class="day-nav__pick" action="/" method="get">', html)
    assert 'type="date" name="day" value="2015-08-11"' in html
    day = client.get("/", params={"day": "2015-08-10"}).text
    assert "الاثنين ١٠ أغسطس ٢٠١٥" in visible(day)
    assert 'rel="next" href="/?day=2015-08-11"' in day
    assert "<script" not in day  # nothing needs JavaScript
    empty = client.get("/", params={"day": "2015-07-01"})
    assert empty.status_code == 200 and "لا قصص في هذا اليوم" in empty.text
    bad = client.get("/", params={"day": "not-a-day"})
    assert bad.status_code == 200 and "تاريخ غير صالح" in bad.text


def test_latest_is_the_second_tab(client: TestClient) -> None:
    html = client.get("/latest").text
    assert 'aria-current="page">الأحدث<' in html
    assert "الصحف والمواقع" in html  # outlets, not followed feeds
    assert not DESK_PREFIX.search(visible(html))


def test_sources_page_says_followed_feeds(client: TestClient) -> None:
    text = visible(client.get("/sources").text)
    assert "المصادر المتابعة" in text


def first_story_href(client: TestClient) -> str:
    html = client.get("/").text
    found = re.search(r'<a class="card__more" href="([^"]+)"', html)
    assert found
    return unescape(found.group(1))


def test_story_page_timeline_copies_thread_and_related(client: TestClient, naba: Naba) -> None:
    html = client.get(first_story_href(client)).text
    text = visible(html)
    assert "التسلسل الزمني" in text and "الصحف والمواقع:" in text
    assert not WRONG_PLURALS.search(text)
    thread = re.search(r'<ol class="headlines thread">(.*?)</ol>', html, re.S)
    if thread:
        assert thread.group(1).count("<li>") <= 5
    # Every story page on the first day: at most five thread stories, the timeline in Riyadh time.
    page = front_page(naba.store, dt.date(2015, 8, 10), RIYADH)
    for story in page.stories[:10]:
        body = client.get(story_href(story.story.id)).text
        block = re.search(r'<ol class="headlines thread">(.*?)</ol>', body, re.S)
        assert block is None or block.group(1).count("<li>") <= 5
        times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', body)
        assert times
        for iso, shown in times:  # the timeline in Riyadh time: the day shown is the +03:00 day
            local = dt.datetime.fromisoformat(iso).astimezone(RIYADH)
            assert shown.startswith(f"{local.day} ".translate(DIGITS)), (iso, shown)


def test_entity_page_has_a_timeline_and_a_display_name(client: TestClient, naba: Naba) -> None:
    page = front_page(naba.store, dt.date(2015, 8, 10), RIYADH)
    name = page.names[0]
    html = client.get("/entity/" + name.canonical).text
    text = visible(html)
    assert name.display in text
    assert "التسلسل الزمني" in text
    assert re.search(r'<h3 class="day__title">[^<]*أغسطس ٢٠١٥</h3>', html)


def test_stories_json_names_the_lead_outlet(built: Settings) -> None:
    result = CliRunner().invoke(main, ["--db", str(built.db), "stories", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["stories"]
    for story in data["stories"]:
        assert story["lead_outlet"], story
