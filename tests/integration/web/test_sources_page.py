"""The reader's sources page end to end: a real SQLite store on a tmp database, FastAPI's TestClient, and one
check in real headless Chromium (test_browser.py's pattern and helpers: it skips locally without Chromium or
Playwright and fails when ``CI=true``; screenshots go to ``$NABA_SCREENSHOT_DIR`` when set).

The sources are set up through the store the way ``naba sources import`` and ``naba watch`` leave them:
``add_sources``, then ``record_poll`` for healthy, failing (one hostile: markup in its title and error) and
never-polled sources, plus a disabled one; one source served items that could not be fetched.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator, Sequence
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARABIC_FONTS, rendered_fonts, serve_app
from fastapi.testclient import TestClient

from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.store.sources import ITEM_FAILED, ITEM_STORED, PollRecord, SourceItem
from naba.types import SourceSpec
from naba.web.app import create_app
from naba.web.format import format_datetime
from naba.web.pages import Display
from naba.web.source_pages import ERROR_CHARS, relative_time

RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")
UTC = dt.UTC
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'

JAZEERA = "https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-bfdff8b8cab9"
ARABIYA = "https://www.alarabiya.net/sitemap/news.xml"
BBC = "https://feeds.bbci.co.uk/arabic/rss.xml"
HOSTILE = "https://evil.example/feed"
NEW = "https://new.example/rss"
OFF = "https://off.example/rss"
HOSTILE_ERROR = f"{SCRIPT} parse error {IMG} " + "x" * 200
SOURCES = [
    SourceSpec(
        JAZEERA,
        title="الجزيرة نت",
        site_url="https://www.aljazeera.net/",
        publisher="aljazeera.net",
        country="QA",
        verified=True,
    ),
    SourceSpec(ARABIYA, kind="sitemap", title="العربية", publisher="alarabiya.net", country="sa"),
    SourceSpec(BBC, title="بي بي سي عربي", site_url="https://www.bbc.com/arabic", country="GB"),
    SourceSpec(HOSTILE, title=f"{SCRIPT} خلاصة خبيثة {IMG}", site_url="javascript:alert(1)"),
    SourceSpec(NEW, title="مصدر جديد"),
    SourceSpec(OFF, title="مصدر متوقف"),
]
# Failing first (by title: "<" sorts before Arabic letters), then the rest by title.
EXPECTED_ORDER = [HOSTILE, BBC, JAZEERA, ARABIYA, NEW, OFF]


def fill(naba: Naba, now: dt.datetime) -> dict[str, int]:
    """Follow SOURCES and give them their state; returns the ids by URL."""
    store = naba.store
    store.add_sources(SOURCES)
    ids = {s.url: s.id for s in store.list_sources()}

    def poll(url: str, at: dt.datetime, ok: bool, items: Sequence[SourceItem] = (), **kw: Any) -> None:
        record = PollRecord(ids[url], at, ok, at + dt.timedelta(hours=5, minutes=30), 19800.0, **kw)
        store.record_poll(record, items)

    poll(JAZEERA, now - dt.timedelta(hours=3), True, status=200, items_seen=40, articles_stored=1234)
    arabiya = ids[ARABIYA]
    items = [
        SourceItem(arabiya, "a1", "https://www.alarabiya.net/a/1", None, "h1", ITEM_FAILED, "timeout", 2),
        SourceItem(arabiya, "a2", "javascript:alert(3)", None, "h2", ITEM_FAILED, f"bad {IMG}", 1),
        SourceItem(arabiya, "a3", "https://www.alarabiya.net/a/3", None, "h3", ITEM_STORED, None, 1),
    ]
    poll(ARABIYA, now - dt.timedelta(minutes=20), True, items, status=200, articles_stored=7)
    for hours in (9, 6, 3):
        poll(BBC, now - dt.timedelta(hours=hours), False, status=503, error="HTTP 503 Service Unavailable")
    poll(HOSTILE, now - dt.timedelta(days=2), False, error=HOSTILE_ERROR)
    store.set_source_enabled(ids[OFF], False)
    return ids


@pytest.fixture
def naba(settings: Settings) -> Iterator[Naba]:
    with Naba.open(settings, sync_index=False) as opened:
        yield opened


@pytest.fixture
def ids(naba: Naba) -> dict[str, int]:
    return fill(naba, dt.datetime.now(UTC))


@pytest.fixture
def client(naba: Naba) -> TestClient:
    return TestClient(create_app(naba))


def rows(html: str) -> list[tuple[str, int, str]]:
    """(state, id, row html) of each table row, in page order."""
    found = re.findall(r'<tr class="source-row source-row--(\w+)" id="source-(\d+)">(.*?)</tr>', html, re.S)
    return [(state, int(number), body) for state, number, body in found]


def row_of(html: str, source_id: int) -> str:
    return next(body for _, number, body in rows(html) if number == source_id)


# --- the list ------------------------------------------------------------------------------------------


def test_empty_state_explains_how_to_follow_sources(client: TestClient) -> None:
    response = client.get("/sources")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="ar" dir="rtl">' in html
    assert "<title>المصادر المتابعة — نبأ</title>" in html
    assert "لا تتابع أي مصدر بعد" in html
    assert "<code>naba sources import --default</code>" in html
    assert "<code>naba watch</code>" in html
    assert "<table" not in html


def test_home_has_the_sources_nav_link(client: TestClient) -> None:
    for path in ("/", "/sources", "/stories"):
        html = client.get(path).text
        nav = re.search(r'<nav class="nav".*?</nav>', html, re.S)
        assert nav and '<a href="/sources">المصادر المتابعة</a>' in nav.group(0), path


def test_summary_counts_every_state(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get("/sources").text
    assert "٦ مصادر متابعة" in html
    assert '<span class="state state--ok">سليم: ٢</span>' in html
    assert '<span class="state state--failing">متعثر: ٢</span>' in html
    assert '<span class="state state--new">لم يُستطلع بعد: ١</span>' in html
    assert '<span class="state state--off">متوقف: ١</span>' in html


def test_failing_sources_come_first_then_by_title(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get("/sources").text
    assert [number for _, number, _ in rows(html)] == [ids[url] for url in EXPECTED_ORDER]
    assert [state for state, _, _ in rows(html)] == ["failing", "failing", "ok", "ok", "new", "off"]


def test_state_labels(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get("/sources").text
    assert '<span class="state state--failing">متعثر: ٣ محاولات فاشلة</span>' in row_of(html, ids[BBC])
    assert "متعثر: محاولة فاشلة واحدة" in row_of(html, ids[HOSTILE])
    assert '<span class="state state--ok">سليم</span>' in row_of(html, ids[JAZEERA])
    assert '<span class="state state--new">لم يُستطلع بعد</span>' in row_of(html, ids[NEW])
    assert '<span class="state state--off">متوقف</span>' in row_of(html, ids[OFF])


def test_a_row_shows_the_source_and_its_health(client: TestClient, ids: dict[str, int]) -> None:
    row = row_of(client.get("/sources").text, ids[JAZEERA])
    assert '<a href="https://www.aljazeera.net/" rel="nofollow noopener" dir="auto">الجزيرة نت</a>' in row
    assert f'<bdi dir="ltr" class="source__url">{JAZEERA}</bdi>' in row
    assert '<td data-label="الناشر"><span dir="auto">الجزيرة</span></td>' in row  # the registry's name
    assert '<td data-label="البلد"><span dir="auto">قطر</span></td>' in row
    assert '<td data-label="النوع" dir="auto">خلاصة</td>' in row
    assert '<td data-label="التحقق">مُتحقَّق منه</td>' in row
    last = re.search(
        r'<td data-label="آخر استطلاع"><time datetime="([^"]+)" title="([^"]+)">(.*?)</time>', row
    )
    assert last and last.group(3) == "منذ ٣ ساعات"
    polled = dt.datetime.fromisoformat(last.group(1))
    assert last.group(2) == format_datetime(polled, "arab", tz=RIYADH)  # the reader's zone
    assert re.search(r'<td data-label="الاستطلاع التالي"><time [^>]*>بعد ساعتين</time>', row)
    assert '<td data-label="المقالات" class="num">١٬٢٣٤</td>' in row
    assert '<td data-label="عناصر فاشلة" class="num">٠</td>' in row
    assert '<td data-label="آخر خطأ" class="error-cell"><span class="muted">—</span></td>' in row

    arabiya = row_of(client.get("/sources").text, ids[ARABIYA])
    assert '<td data-label="النوع" dir="auto">خريطة موقع</td>' in arabiya
    assert "غير مُتحقَّق منه" in arabiya
    assert '<span dir="auto">السعودية</span>' in arabiya  # a lower-case code still names the country
    assert ">منذ ٢٠ دقيقة</time>" in arabiya
    assert f'<a href="/sources?source={ids[ARABIYA]}">٢</a>' in arabiya  # failed items link to the detail


def test_never_polled_and_disabled_sources(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get("/sources").text
    new = row_of(html, ids[NEW])
    assert '<td data-label="آخر استطلاع"><span class="muted">—</span></td>' in new
    assert '<td data-label="الاستطلاع التالي"><span title="' in new and ">مستحق الآن</span>" in new
    assert '<span dir="auto">مصدر جديد</span>' in new  # no site: the title is not a link
    off = row_of(html, ids[OFF])
    assert '<td data-label="الاستطلاع التالي"><span class="muted">—</span></td>' in off


def test_last_error_is_cut_with_the_full_text_in_title(client: TestClient, ids: dict[str, int]) -> None:
    row = row_of(client.get("/sources").text, ids[BBC])
    assert 'title="HTTP 503 Service Unavailable">HTTP 503 Service Unavailable</span>' in row
    hostile = row_of(client.get("/sources").text, ids[HOSTILE])
    cell = re.search(r'<span class="source__error" dir="auto" title="([^"]*)">([^<]*)</span>', hostile)
    assert cell
    assert unescape(cell.group(1)) == HOSTILE_ERROR.strip()
    shown = unescape(cell.group(2))
    assert shown.endswith("…") and len(shown) <= ERROR_CHARS
    assert HOSTILE_ERROR.startswith(shown[:-1])


def test_hostile_titles_and_errors_are_escaped(client: TestClient, ids: dict[str, int]) -> None:
    for path in ("/sources", f"/sources?source={ids[HOSTILE]}", f"/sources?source={ids[ARABIYA]}"):
        html = client.get(path).text
        assert "<script" not in html, path
        assert "<img" not in html, path
        assert not re.search(r'href="\s*javascript', html, re.I), path  # shown as text, never a link
    html = client.get("/sources").text
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; خلاصة خبيثة &#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
        in html
    )
    assert 'title="&lt;script&gt;alert(1)&lt;/script&gt; parse error &#34;&gt;&lt;img' in html
    # A javascript: site URL is no link: the title is plain text.
    assert '<th scope="row" data-label="المصدر"><span dir="auto">&lt;script&gt;' in row_of(html, ids[HOSTILE])


def test_digits_follow_the_readers_choice(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get("/sources", params={"digits": "latn"}).text
    assert "6 مصادر متابعة" in html
    assert "متعثر: 3 محاولات فاشلة" in html
    assert '<td data-label="المقالات" class="num">1,234</td>' in html
    assert ">منذ 3 ساعات</time>" in html
    assert ">منذ 20 دقيقة</time>" in html
    assert not re.search("[٠-٩]", re.sub(r"<footer.*</footer>", "", html, flags=re.S))
    # The choice is remembered in a cookie, and the toggle offers Eastern Arabic digits back.
    html = client.get("/sources").text
    assert "6 مصادر متابعة" in html
    assert 'href="/sources?digits=arab"' in html
    html = client.get("/sources", params={"digits": "arab"}).text
    assert "٦ مصادر متابعة" in html and "١٬٢٣٤" in html


# --- one source ----------------------------------------------------------------------------------------


def test_detail_lists_the_failed_items(client: TestClient, ids: dict[str, int]) -> None:
    response = client.get("/sources", params={"source": ids[ARABIYA]})
    assert response.status_code == 200
    html = response.text
    assert "<title>العربية — المصادر المتابعة — نبأ</title>" in html
    assert '<a href="/sources">→ كل المصادر المتابعة</a>' in html
    assert f'<bdi dir="ltr">{ARABIYA}</bdi>' in html
    assert "<table" not in html
    items = re.findall(r"<li>(.*?)</li>", html.split('class="failed-items"')[1], re.S)
    assert len(items) == 2  # the stored item is not a failure
    timeout = next(i for i in items if "timeout" in i)
    assert (
        '<a href="https://www.alarabiya.net/a/1" rel="nofollow noopener">'
        '<bdi dir="ltr">https://www.alarabiya.net/a/1</bdi></a>'
    ) in timeout
    assert "عدد المحاولات: ٢" in timeout
    hostile = next(i for i in items if "alert(3)" in i)
    assert "<a " not in hostile  # a javascript: link is shown as text
    assert "عدد المحاولات: ١" in hostile
    assert "bad &#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in hostile
    # The digits toggle keeps the source.
    assert f'href="/sources?source={ids[ARABIYA]}&amp;digits=latn"' in html


def test_detail_of_a_failing_source_shows_its_error(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get("/sources", params={"source": ids[BBC]}).text
    assert (
        '<p class="notice notice--error">آخر خطأ: <span dir="auto">HTTP 503 Service Unavailable</span>'
        in html
    )
    assert "متعثر: ٣ محاولات فاشلة" in html
    assert "لا عناصر فاشلة لهذا المصدر" in html


def test_detail_accepts_arabic_indic_digits(client: TestClient, ids: dict[str, int]) -> None:
    arabic = str(ids[BBC]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = client.get("/sources", params={"source": arabic})
    assert response.status_code == 200 and "بي بي سي عربي" in response.text


@pytest.mark.parametrize("source", ["9999", "abc", "", "-1", "1.5"])
def test_unknown_source_is_the_arabic_404(client: TestClient, ids: dict[str, int], source: str) -> None:
    response = client.get("/sources", params={"source": source})
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.text
    assert '<html lang="ar" dir="rtl">' in response.text


def test_no_inline_script_or_style(client: TestClient, ids: dict[str, int]) -> None:
    # The CSP (default-src 'self') would block them: the page's CSS lives in static/reader.css.
    for path in ("/sources", f"/sources?source={ids[ARABIYA]}"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "<style" not in response.text and " style=" not in response.text
        assert "<script" not in response.text


# --- relative times ------------------------------------------------------------------------------------

NOW = dt.datetime(2024, 5, 9, 12, 0, tzinfo=UTC)
ARAB = Display("arab", "/")
LATN = Display("latn", "/")


@pytest.mark.parametrize(
    ("delta", "display", "expected"),
    [
        (dt.timedelta(seconds=20), ARAB, "منذ لحظات"),
        (dt.timedelta(seconds=-20), ARAB, "بعد لحظات"),
        (dt.timedelta(minutes=1), ARAB, "منذ دقيقة"),
        (dt.timedelta(minutes=2, seconds=59), ARAB, "منذ دقيقتين"),
        (dt.timedelta(minutes=5), ARAB, "منذ ٥ دقائق"),
        (dt.timedelta(minutes=10), LATN, "منذ 10 دقائق"),
        (dt.timedelta(minutes=11), ARAB, "منذ ١١ دقيقة"),
        (dt.timedelta(hours=1), ARAB, "منذ ساعة"),
        (dt.timedelta(hours=-2), ARAB, "بعد ساعتين"),
        (dt.timedelta(hours=3), LATN, "منذ 3 ساعات"),
        (dt.timedelta(hours=23), ARAB, "منذ ٢٣ ساعة"),
        (dt.timedelta(days=1), ARAB, "منذ يوم"),
        (dt.timedelta(days=2), ARAB, "منذ يومين"),
        (dt.timedelta(days=7), ARAB, "منذ ٧ أيام"),
        (dt.timedelta(days=12), ARAB, "منذ ١٢ يومًا"),
        (dt.timedelta(days=40), ARAB, "٣٠ مارس ٢٠٢٤"),  # old enough to show the day itself
    ],
)
def test_relative_time(delta: dt.timedelta, display: Display, expected: str) -> None:
    assert relative_time(NOW - delta, NOW, display) == expected


# --- in a real browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("sources-browser")
    settings = load_settings({"db": str(folder / "naba.db"), "ingest_workers": 1}, environ={})
    with Naba.open(settings, sync_index=False) as naba:
        fill(naba, dt.datetime.now(UTC))
        with serve_app(create_app(naba)) as url:
            yield url


@pytest.mark.parametrize("width", [1280, 390])
def test_sources_page_renders_rtl_in_chromium(
    browser: Any, base_url: str, screenshot_dir: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        response = page.goto(base_url + "/sources", wait_until="load")
        assert response is not None and response.status == 200
        page.screenshot(path=str(screenshot_dir / f"sources-{width}.png"), full_page=True)
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert rendered_fonts(page, ".brand") & ARABIC_FONTS
        assert rendered_fonts(page, ".source-table tbody th") & ARABIC_FONTS
        assert rendered_fonts(page, ".sources-summary") & ARABIC_FONTS
        # Feed URLs stay left-to-right inside the right-to-left table.
        assert page.evaluate("getComputedStyle(document.querySelector('bdi.source__url')).direction") == "ltr"
        assert page.locator("tr.source-row").count() == len(SOURCES)
        assert page.locator("tr.source-row").first.get_attribute("class") == "source-row source-row--failing"
        # The hostile title is text on the page, not markup that ran.
        assert page.evaluate("document.querySelectorAll('main script, main img').length") == 0
        assert "<script>alert(1)</script>" in page.locator("tr.source-row").first.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert problems == [], problems  # e.g. a CSP violation or a missing stylesheet
    finally:
        page.close()
