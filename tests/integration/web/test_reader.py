"""The reader's pages end to end through FastAPI's TestClient, over a fake backend.

The fake backend (an in-memory store, real settings, a tiny search) is defined here and shared with
test_browser.py. Its articles are hand-written Arabic news items (one with an English brand name, one whose
id is a URL with Arabic, ':', '/' and '?', one embedded "read also" article, one date-only) plus one hostile
article whose every field tries to inject markup or a ``javascript:`` link.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from naba.config import Settings, load_settings
from naba.errors import SearchError
from naba.store.base import (
    ArticleUnderstanding,
    EntityCount,
    EntityInfo,
    EntityMention,
    SourceCount,
    StoredArticle,
)
from naba.types import (
    Article,
    ArticleId,
    Provenance,
    SearchHit,
    SearchQuery,
    SearchResults,
    TextSpan,
)
from naba.web.app import create_app
from naba.web.pages import MAX_QUERY_CHARS, article_href

UTC = dt.UTC
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'

URL_ID = "https://www.example.com/أخبار/2015/08/03/سد-النهضة?id=7&lang=ar"
EMBEDDED_ID = URL_ID + "#اقرأ-أيضا-1"
HOSTILE_ID = f"evil{IMG}{SCRIPT}"
HOSTILE_ENTITY = f"حزب {SCRIPT}{IMG}"
# Entities of the fake store: (article, canonical, kind, surface forms).
FAKE_MENTIONS = [
    (URL_ID, "مصر", "LOC", ("مصر",)),
    (URL_ID, "إثيوبيا", "LOC", ("إثيوبيا", "أثيوبيا")),
    (URL_ID, "الولايات المتحدة", "LOC", ("الولايات المتحدة الأمريكية",)),
    (HOSTILE_ID, HOSTILE_ENTITY, "ORG", (HOSTILE_ENTITY, f"{SCRIPT}")),
]


def make_article(
    id: str,
    title: str,
    *,
    publisher: str | None,
    published: dt.date | None,
    paragraphs: tuple[str, ...] = (),
    lead: str | None = None,
    url: str | None = None,
    canonical_url: str | None = None,
    original_source: str | None = None,
    authors: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    embedded_in: str | None = None,
) -> Article:
    return Article(
        id=ArticleId(id),
        url=url,
        canonical_url=canonical_url,
        publisher=publisher,
        original_source=original_source,
        language="ar",
        title=title,
        lead=lead,
        body_paragraphs=paragraphs,
        authors=authors,
        published=published,
        updated=None,
        tags=tags,
        images=(),
        related_headlines=related,
        embedded_in=ArticleId(embedded_in) if embedded_in else None,
        provenance=Provenance(source="tests", fetched_at=None, raw_sha256="0" * 64),
    )


def sample_articles() -> list[Article]:
    """Newest first."""
    return [
        make_article(
            URL_ID,
            "مفاوضات سد النهضة تستأنف في الخرطوم وسط تفاؤل حذر",
            publisher="الجزيرة نت",
            published=dt.datetime(2015, 8, 3, 22, 36, tzinfo=UTC),
            lead="استأنفت مصر والسودان وإثيوبيا اليوم مفاوضات سد النهضة في العاصمة السودانية الخرطوم.",
            paragraphs=(
                "وقال وزير الري السوداني إن الجولة الجديدة ستركز على الدراسات الفنية التي أوصت بها اللجنة الدولية.",
                "وأضاف أن الأطراف الثلاثة متفقة على مبدأ عدم الإضرار، وأن التفاصيل ستحسم خلال الأسابيع المقبلة.",
            ),
            url=URL_ID,
            canonical_url="https://www.example.com/أخبار/2015/08/03/سد-النهضة",
            original_source="وكالة الأنباء الفرنسية",
            authors=("محمد عبد الله", "سارة أحمد"),
            tags=("سد النهضة", "السودان", "إثيوبيا"),
            related=(
                "الأمم المتحدة تدعو إلى حل تفاوضي لأزمة المياه",
                "إثيوبيا تبدأ المرحلة الثانية من ملء الخزان",
            ),
        ),
        make_article(
            EMBEDDED_ID,
            "اقرأ أيضا: خبراء يحذرون من تأثير السد على حصة مصر المائية",
            publisher="الجزيرة نت",
            published=dt.datetime(2015, 8, 3, 20, 5, tzinfo=UTC),
            paragraphs=(
                "حذر خبراء في الموارد المائية من أن سرعة ملء الخزان قد تؤثر على حصة مصر من مياه النيل.",
            ),
            embedded_in=URL_ID,
        ),
        make_article(
            "apple-dubai",
            "شركة Apple تفتتح أكبر متاجرها في الشرق الأوسط في دبي",
            publisher="العربية",
            published=dt.datetime(2015, 8, 3, 9, 15, tzinfo=UTC),
            paragraphs=("افتتحت شركة Apple الأمريكية متجرها الجديد في Dubai Mall بحضور عدد كبير من الزوار.",),
            url="https://www.alarabiya.example/apple-dubai",
        ),
        make_article(
            "un-water",
            "الأمم المتحدة: ملايين الأشخاص في المنطقة العربية يواجهون شح المياه",
            publisher="بي بي سي عربي",
            published=dt.date(2015, 8, 2),
            paragraphs=(
                "قال تقرير للأمم المتحدة إن الأمم المتحدة تتوقع تفاقم أزمة المياه خلال العقد المقبل.",
            ),
        ),
        make_article(
            HOSTILE_ID,
            f"{SCRIPT} عنوان خبيث {IMG}",
            publisher=f"ناشر{IMG}",
            published=dt.datetime(2015, 8, 1, 12, 0, tzinfo=UTC),
            lead=f"مقدمة {SCRIPT}",
            paragraphs=(f"فقرة {IMG} خبيثة", SCRIPT),
            url="javascript:alert(1)",
            canonical_url=" JaVaScRiPt:alert(2)",
            original_source=f"وكالة {SCRIPT}",
            authors=(f"كاتب {IMG}",),
            tags=(SCRIPT, f"وسم {IMG}"),
            related=(f"عنوان ذو صلة {SCRIPT}",),
        ),
    ]


@dataclass
class FakeStore:
    """The read side of the Store protocol over a list kept newest first."""

    articles: list[Article]
    calls: list[tuple[str, object]] = field(default_factory=list)
    understood: int | None = None  # None: every article understood
    mentions: list[EntityMention] = field(
        default_factory=lambda: [
            EntityMention(ArticleId(a), c, k, names[0], names, 0, len(names))  # type: ignore[arg-type]
            for a, c, k, names in FAKE_MENTIONS
        ]
    )

    def _stored(self, article: Article) -> StoredArticle:
        return StoredArticle(article, "ar-search-v1", 1, dt.datetime(2015, 8, 4, tzinfo=UTC), 1)

    def get(self, article_id: ArticleId) -> StoredArticle | None:
        self.calls.append(("get", article_id))
        found = [a for a in self.articles if a.id == article_id]
        return self._stored(found[0]) if found else None

    def latest(self, *, limit: int, offset: int = 0, publisher: str | None = None) -> list[StoredArticle]:
        self.calls.append(("latest", (limit, offset, publisher)))
        chosen = [a for a in self.articles if publisher is None or a.publisher == publisher]
        return [self._stored(a) for a in chosen[offset : offset + limit]]

    def sources(self) -> list[SourceCount]:
        counts = Counter(a.publisher for a in self.articles if a.publisher)
        return [SourceCount(name, n, None) for name, n in counts.items()]

    def count(self) -> int:
        return len(self.articles)

    def understood_count(self) -> int:
        return len(self.articles) if self.understood is None else self.understood

    def embedded_articles(self, article_id: ArticleId) -> list[Article]:
        return [a for a in self.articles if a.embedded_in == article_id]

    def get_many(self, ids: list[ArticleId]) -> dict[ArticleId, StoredArticle]:
        return {a.id: self._stored(a) for a in self.articles if a.id in ids}

    # Understanding: the fake has none (a database where `naba understand` has not run yet).
    def understanding(self, article_id: ArticleId) -> None:
        return None

    def stories(self, limit: int, since: dt.datetime | None = None) -> list[object]:
        return []

    def story(self, story_id: str) -> None:
        return None

    def story_of(self, article_id: ArticleId) -> None:
        return None

    def story_articles(self, story_id: str) -> list[object]:
        return []

    def moved_to(self, article_id: ArticleId, story_id: str) -> None:
        return None

    def also_published_by(self, article_id: ArticleId) -> list[object]:
        return []

    def thread_of(self, story_id: str) -> list[object]:
        return []

    # Entities: a few, with no stories (understanding rows without a story table, as far as pages go).
    def article_entities(self, article_id: ArticleId) -> list[EntityMention]:
        return [m for m in self.mentions if m.article == article_id]

    def max_change_seq(self) -> int:
        return len(self.articles)

    def day_articles(self, start: dt.datetime, end: dt.datetime) -> list[object]:
        return []

    def published_span(self) -> tuple[float, float] | None:
        times = [a.published for a in self.articles if isinstance(a.published, dt.datetime)]
        return (min(times).timestamp(), max(times).timestamp()) if times else None

    def display_names(self, canonicals: list[str]) -> dict[str, str]:
        return {}

    def top_entities(
        self,
        limit: int,
        since: dt.datetime | None = None,
        kind: str | None = None,
        until: dt.datetime | None = None,
    ) -> list[EntityCount]:
        counts = Counter(m.canonical for m in self.mentions)
        kinds = {m.canonical: m.kind for m in self.mentions}
        return [EntityCount(c, kinds[c], n, 1, 1, n) for c, n in counts.most_common(limit)]

    def entity(self, name: str) -> EntityInfo | None:
        found = [m for m in self.mentions if m.canonical == name or name in m.names]
        if not found:
            return None
        canonical = found[0].canonical
        mine = [m for m in self.mentions if m.canonical == canonical]
        names = Counter(n for m in mine for n in m.names)
        return EntityInfo(canonical, mine[0].kind, tuple(names.most_common()), len(mine))

    def entity_articles(self, canonical: str, limit: int = 50) -> list[ArticleUnderstanding]:
        ids = [m.article for m in self.mentions if m.canonical == canonical]
        return [ArticleUnderstanding(i, "g", None, 0.0, "none", "s", 0.0, "new") for i in ids][:limit]

    def entity_stories(self, canonical: str, limit: int = 50) -> list[object]:
        return []


def highlight(text: str, terms: list[str]) -> tuple[TextSpan, ...]:
    """Split ``text`` into runs, marking every occurrence of any term."""
    spans: list[TextSpan] = []
    position = 0
    while position < len(text):
        starts = [(text.find(t, position), t) for t in terms if t and text.find(t, position) >= 0]
        if not starts:
            break
        start, term = min(starts)
        if start > position:
            spans.append(TextSpan(text[position:start], False))
        spans.append(TextSpan(term, True))
        position = start + len(term)
    if position < len(text):
        spans.append(TextSpan(text[position:], False))
    return tuple(spans)


def query_terms(text: str) -> list[str]:
    """Quoted phrases stay whole, the rest splits on spaces; an unbalanced quote is a malformed query."""
    if text.count('"') % 2:
        raise SearchError("unbalanced quote")
    parts = text.split('"')
    terms = [p.strip() for p in parts[1::2]]
    for loose in parts[0::2]:
        terms.extend(loose.split())
    return [t for t in terms if t]


@dataclass
class FakeNaba:
    store: FakeStore
    settings: Settings
    queries: list[SearchQuery] = field(default_factory=list)

    def search(self, query: SearchQuery) -> SearchResults:
        self.queries.append(query)
        terms = query_terms(query.text)
        matched = [a for a in self.store.articles if self._matches(a, query, terms)]
        hits = tuple(
            SearchHit(a, 1.0, highlight(a.title, terms), highlight(a.body_text[:200], terms))
            for a in matched[query.offset : query.offset + query.limit]
        )
        facets = Counter(a.publisher for a in matched if a.publisher)
        return SearchResults(query, hits, len(matched), dict(facets))

    @staticmethod
    def _matches(article: Article, query: SearchQuery, terms: list[str]) -> bool:
        if query.sources and article.publisher not in query.sources:
            return False
        day = article.published.date() if isinstance(article.published, dt.datetime) else article.published
        if day is not None and query.date_from and day < query.date_from:
            return False
        if day is not None and query.date_to and day > query.date_to:
            return False
        text = article.title + "\n" + article.body_text
        return all(t in text for t in terms)


def fake_settings(page_size: int = 2) -> Settings:
    # An absent toml path and an empty environment: the test does not depend on the machine it runs on.
    return load_settings({"page_size": page_size}, toml_path=Path("/nonexistent/naba.toml"), environ={})


@pytest.fixture
def backend() -> FakeNaba:
    return FakeNaba(FakeStore(sample_articles()), fake_settings())


@pytest.fixture
def client(backend: FakeNaba) -> TestClient:
    return TestClient(create_app(backend))


# --- tests -----------------------------------------------------------------------------------------


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def pager_hrefs(html: str) -> list[str]:
    nav = re.search(r'<nav class="pager".*?</nav>', html, re.S)
    return hrefs(nav.group(0)) if nav else []


def titles(html: str) -> list[str]:
    return [
        unescape(t) for t in re.findall(r'class="card__title"><a href="[^"]*" dir="auto">(.*?)</a>', html)
    ]


PAGES = [
    "/",
    "/stories",
    "/?page=2",
    "/entity/" + quote("إثيوبيا", safe=""),
    "/search",
    "/search?q=الأمم",
    f"/article/{article_href(URL_ID)[9:]}",
    "/nope",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_arabic_rtl(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert '<html lang="ar" dir="rtl">' in html
    assert '<meta name="viewport"' in html
    assert 'href="/static/reader.css"' in html


def test_home_lists_latest_first_with_sources_and_counts(client: TestClient) -> None:
    html = client.get("/").text
    assert titles(html) == [
        "مفاوضات سد النهضة تستأنف في الخرطوم وسط تفاؤل حذر",
        "اقرأ أيضا: خبراء يحذرون من تأثير السد على حصة مصر المائية",
    ]
    assert "٥ مقالات" in html
    # Sources sorted by count, each with its count, linking to the filtered latest list; known outlets are shown
    # by the publishers registry's name ("الجزيرة نت" is Al Jazeera, "الجزيرة"), the filter keeps the key.
    sources = re.findall(
        r'href="/latest\?source=([^"]+)"><span dir="auto">(.*?)</span> <span class="count">(.*?)</span>', html
    )
    assert [(unescape(name), count) for _, name, count in sources][:2] == [
        ("الجزيرة", "٢"),
        ("العربية", "١"),
    ]
    assert "source=%D8%A7%D9%84%D8%AC%D8%B2%D9%8A%D8%B1%D8%A9+%D9%86%D8%AA" in html
    assert "الاثنين ٣ أغسطس ٢٠١٥" in html  # day heading


def test_home_filters_by_source(client: TestClient, backend: FakeNaba) -> None:
    html = client.get("/", params={"source": "العربية"}).text
    assert titles(html) == ["شركة Apple تفتتح أكبر متاجرها في الشرق الأوسط في دبي"]
    assert backend.store.calls[-1] == ("latest", (2, 0, "العربية"))
    assert "مقال واحد" in html
    assert re.search(r'aria-current="page"><span dir="auto">العربية</span>', html)


def test_home_pagination_links(client: TestClient, backend: FakeNaba) -> None:
    first = client.get("/").text
    # Without stories the home page is the latest list; its pager walks /latest.
    assert pager_hrefs(first) == ["/latest?page=2", "/latest?page=3", "/latest?page=2"]
    second = client.get("/?page=2").text
    assert backend.store.calls[-1] == ("latest", (2, 2, None))
    assert pager_hrefs(second) == ["/latest", "/latest", "/latest?page=3", "/latest?page=3"]
    assert '<span class="pager__current" aria-current="page">٢</span>' in second
    # Junk and out-of-range page numbers do not error.
    assert client.get("/?page=abc").status_code == 200
    assert client.get("/?page=-4").status_code == 200
    assert client.get("/?page=٢").text.count('aria-current="page">٢<') == 1


def test_home_pagination_keeps_the_source_filter(client: TestClient) -> None:
    html = client.get("/", params={"source": "الجزيرة نت"}).text
    assert pager_hrefs(html) == []  # two articles fit on one page
    html = client.get("/", params={"source": "الجزيرة نت", "page": "1"}).text
    assert all("source=" in h for h in pager_hrefs(html))


def test_search_with_empty_query_shows_only_the_form(client: TestClient, backend: FakeNaba) -> None:
    html = client.get("/search", params={"q": "   "}).text
    assert '<form class="search-form"' in html
    assert "عدد النتائج" not in html
    assert backend.queries == []


def test_search_highlights_are_marks(client: TestClient) -> None:
    html = client.get("/search", params={"q": "الأمم"}).text
    assert '<span class="total">نتيجة واحدة</span>' in html
    assert '<a href="/article/un-water" dir="auto"><mark>الأمم</mark> المتحدة: ملايين' in html
    assert "إن <mark>الأمم</mark> المتحدة تتوقع" in html  # the snippet, highlighted too
    assert html.count("<mark>") == 2


def test_search_passes_phrases_and_filters_through(client: TestClient, backend: FakeNaba) -> None:
    params = {
        "q": ' "سد النهضة" الخرطوم ',
        "source": "الجزيرة نت",
        "from": "2015-08-01",
        "to": "٢٠١٥-٠٨-٣١",
        "page": "1",
    }
    html = client.get("/search", params=params).text
    assert backend.queries[-1] == SearchQuery(
        text='"سد النهضة" الخرطوم',
        sources=("الجزيرة نت",),
        date_from=dt.date(2015, 8, 1),
        date_to=dt.date(2015, 8, 31),
        offset=0,
        limit=2,
        facets=True,  # the reader asks what `naba search --json` asks (engine.views.search_view)
    )
    # The form echoes the filters back.
    assert 'value="&#34;سد النهضة&#34; الخرطوم"' in html
    assert '<option value="الجزيرة نت" dir="auto" selected>' in html
    assert 'name="to" value="2015-08-31"' in html


def test_search_pagination_keeps_query_and_filters(client: TestClient, backend: FakeNaba) -> None:
    html = client.get("/search", params={"q": "في", "from": "2015-08-01"}).text
    links = pager_hrefs(html)
    assert links, "four matches at two per page need a pager"
    assert all("q=%D9%81%D9%8A" in link and "from=2015-08-01" in link for link in links)
    client.get(links[-1])
    assert backend.queries[-1].offset == 2


def test_search_reports_bad_dates_and_swaps_a_reversed_range(client: TestClient, backend: FakeNaba) -> None:
    html = client.get("/search", params={"q": "المياه", "from": "2015-13-40"}).text
    assert "تاريخ غير صالح" in html
    assert backend.queries[-1].date_from is None
    client.get("/search", params={"q": "المياه", "from": "2015-08-31", "to": "2015-08-01"})
    assert (backend.queries[-1].date_from, backend.queries[-1].date_to) == (
        dt.date(2015, 8, 1),
        dt.date(2015, 8, 31),
    )


def test_search_query_length_is_limited(client: TestClient, backend: FakeNaba) -> None:
    html = client.get("/search", params={"q": "م" * (MAX_QUERY_CHARS + 50)}).text
    assert len(backend.queries[-1].text) == MAX_QUERY_CHARS
    assert "الاستعلام طويل جدًا" in html


def test_malformed_query_gets_an_arabic_error_not_a_500(client: TestClient) -> None:
    response = client.get("/search", params={"q": '"سد النهضة'})
    assert response.status_code == 400
    assert "تعذّر تنفيذ هذا البحث" in response.text


def test_url_ids_with_arabic_round_trip_from_the_home_link(client: TestClient) -> None:
    link = next(h for h in hrefs(client.get("/").text) if h.startswith("/article/") and "%23" not in h)
    assert link.isascii() and "%2F" in link and "%3A" in link and "%3F" in link
    assert unquote(link[len("/article/") :]) == URL_ID
    response = client.get(link)
    assert response.status_code == 200
    assert "مفاوضات سد النهضة تستأنف" in response.text


def test_article_page_shows_everything_it_has(client: TestClient) -> None:
    html = client.get(article_href(URL_ID)).text
    assert '<h1 class="story__title" dir="auto">مفاوضات سد النهضة' in html
    # Shown in the reader's zone (Asia/Riyadh by default): 22:36 UTC is 1:36 the next morning.
    assert '<time datetime="2015-08-03T22:36:00+00:00">٤ أغسطس ٢٠١٥، ١:٣٦ ص</time>' in html
    assert 'المصدر: <span dir="auto">وكالة الأنباء الفرنسية</span>' in html
    assert '<span dir="auto">محمد عبد الله</span>، <span dir="auto">سارة أحمد</span>' in html
    assert '<p dir="auto" class="story__lead">استأنفت مصر' in html
    assert html.count('<p dir="auto"') == 3
    assert (
        'href="/search?q=%22%D8%B3%D8%AF+%D8%A7%D9%84%D9%86%D9%87%D8%B6%D8%A9%22" dir="auto">سد النهضة</a>'
        in html
    )
    original = re.search(r'<a href="([^"]+)" rel="noopener noreferrer nofollow" target="_blank">', html)
    assert original and original.group(1) == "https://www.example.com/أخبار/2015/08/03/سد-النهضة"
    assert f'href="{article_href(EMBEDDED_ID)}"' in html  # the embedded "read also" article
    assert '<li dir="auto">إثيوبيا تبدأ المرحلة الثانية من ملء الخزان</li>' in html
    assert 'href="/latest?source=%D8%A7%D9%84%D8%AC%D8%B2%D9%8A%D8%B1%D8%A9+%D9%86%D8%AA"' in html


def test_embedded_article_links_back_to_its_page(client: TestClient) -> None:
    html = client.get(article_href(EMBEDDED_ID)).text
    assert f'نُشر ضمن صفحة: <a href="{article_href(URL_ID)}"' in html


def test_date_only_article_shows_the_day_without_a_time(client: TestClient) -> None:
    html = client.get("/article/un-water").text
    assert '<time datetime="2015-08-02">٢ أغسطس ٢٠١٥</time>' in html


@pytest.mark.parametrize(
    "path", ["/article/does-not-exist", article_href("https://x.example/غير-موجود"), "/no/such/page"]
)
def test_unknown_pages_get_the_arabic_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "الصفحة غير موجودة" in response.text


HOSTILE_PAGES = [
    "/",
    "/?page=3",
    "/?source=" + "ناشر" + '"><img src=x onerror=alert(1)>',
    "/search?q=خبيث",
    "/search?q=<script>alert(1)</script>",
    "/search?q=خبيث&source=<script>",
    article_href(HOSTILE_ID),
    "/entity/" + quote(HOSTILE_ENTITY, safe=""),
    "/stories",
]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_ingested_markup_is_always_escaped(client: TestClient, path: str) -> None:
    response = client.get(path)
    html = response.text
    # naba's templates contain no script and no image at all, so any tag here came from ingested text.
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert "&lt;script&gt;" in html or "&lt;img" in html or "%3Cscript%3E" in html


def test_hostile_article_renders_escaped_and_without_its_javascript_link(client: TestClient) -> None:
    response = client.get(article_href(HOSTILE_ID))
    assert response.status_code == 200
    html = response.text
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; عنوان خبيث &#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    )
    assert "الأصلي" not in html  # neither the javascript: url nor canonical url became a link
    assert "javascript" not in html.lower()


def test_hostile_search_hits_escape_inside_marks(client: TestClient) -> None:
    html = client.get("/search", params={"q": "<script>"}).text
    assert "<mark>&lt;script&gt;</mark>" in html


def test_digits_toggle_switches_numerals_and_is_remembered(client: TestClient) -> None:
    page = client.get(article_href(URL_ID))
    assert "٤ أغسطس ٢٠١٥، ١:٣٦ ص" in page.text
    toggle = re.search(r'<a class="digits-toggle" href="([^"]+)"', page.text)
    assert toggle and unescape(toggle.group(1)) == article_href(URL_ID) + "?digits=latn"

    switched = client.get(unescape(toggle.group(1)))
    assert "4 أغسطس 2015، 1:36 ص" in switched.text
    assert "naba_digits=latn" in switched.headers["set-cookie"]

    # The cookie carries the choice to pages without the parameter.
    home = client.get("/").text
    assert "5 مقالات" in home and "الاثنين 3 أغسطس 2015" in home
    back = client.get("/?digits=arab").text
    assert "٥ مقالات" in back


def test_digits_toggle_keeps_other_parameters(client: TestClient) -> None:
    html = client.get("/search", params={"q": "الأمم", "digits": "latn"}).text
    toggle = re.search(r'<a class="digits-toggle" href="([^"]+)"', html)
    assert toggle and unescape(toggle.group(1)) == "/search?q=%D8%A7%D9%84%D8%A3%D9%85%D9%85&digits=arab"
    assert '<span class="total">نتيجة واحدة</span>' in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("//evil.example/x", "/evil.example/x?digits=latn"),
        ("//evil.example/x?digits=latn&q=1", "/evil.example/x?q=1&digits=arab"),
        ("/\\evil.example", "/evil.example?digits=latn"),
        ("/\\/\\//evil.example/", "/evil.example/?digits=latn"),
        ("///evil.example//x", "/evil.example//x?digits=latn"),
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example?digits=latn"),
        ("/%5C%5Cevil.example", "/%5C%5Cevil.example?digits=latn"),
        ("/article//evil.example", "/article//evil.example?digits=latn"),
        ("/search//evil.example?q=x", "/search//evil.example?q=x&digits=latn"),
        ('/no such/"<page>\\x', "/no%20such/%22%3Cpage%3E%5Cx?digits=latn"),
    ],
)
def test_digits_toggle_never_leaves_the_site(client: TestClient, path: str, expected: str) -> None:
    """The toggle repeats the request's path, made a same-site path: "//host" and "/\\host" (which browsers
    read as "//host") would be links to another host."""
    response = client.get("http://testserver" + path)
    assert response.status_code == 404
    toggle = re.search(r'<a class="digits-toggle" href="([^"]+)"', response.text)
    assert toggle
    link = unescape(toggle.group(1))
    assert link == expected
    assert re.match(r"/[^/\\]", link)
    assert urlsplit(urljoin("http://testserver" + path, link)).netloc == "testserver"


def test_links_built_from_the_request_are_same_site_paths(client: TestClient) -> None:
    """Pager, outlet filters, facets and forms name their own paths; only the toggle repeats the request's."""
    for path in ("//evil.example/?page=2", "/?page=2&source=//evil.example", "/search?q=الأمم&source=//x"):
        html = client.get("http://testserver" + path).text
        for link in hrefs(html):
            assert re.match(r"/[^/\\]|/$|https?://", link), (path, link)
            if not link.startswith("http"):
                assert urlsplit(urljoin("http://testserver/", link)).netloc == "testserver", (path, link)
        assert not re.search(r'action="(?!/search")', html)


def test_unknown_digits_value_is_ignored(client: TestClient) -> None:
    response = client.get("/?digits=roman")
    assert "set-cookie" not in response.headers
    assert "٥ مقالات" in response.text


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "articles": 5}


@pytest.mark.parametrize(
    "path", ["/", "/search?q=سد", article_href(URL_ID), "/nope", "/healthz", "/static/reader.css"]
)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_stylesheet_names_arabic_fonts_and_arabic_leading(client: TestClient) -> None:
    response = client.get("/static/reader.css")
    assert response.headers["content-type"].startswith("text/css")
    css = response.text
    assert '"Noto Naskh Arabic"' in css and '"Noto Sans Arabic"' in css and '"Amiri"' in css
    assert "line-height: 1.9" in css
    assert "@import" not in css and "url(http" not in css  # nothing fetched from elsewhere


def test_ingested_strings_carry_dir_auto(client: TestClient) -> None:
    html = client.get("/search", params={"q": "Apple"}).text
    assert re.search(r'<a href="/article/apple-dubai" dir="auto">شركة <mark>Apple</mark>', html)
    assert '<p class="card__summary" dir="auto">' in html


def test_article_page_links_its_entities_percent_encoded(client: TestClient) -> None:
    html = client.get(article_href(URL_ID)).text
    assert 'aria-label="أسماء في الخبر"' in html
    assert f'href="/entity/{quote("الولايات المتحدة", safe="")}"' in html
    assert 'title="مكان"' in html


def test_entity_page_shows_kind_aliases_and_articles_rtl(client: TestClient) -> None:
    response = client.get("/entity/" + quote("إثيوبيا", safe=""))
    assert response.status_code == 200
    html = response.text
    assert '<html lang="ar" dir="rtl">' in html
    assert '<h1 id="entity-title" class="page-title" dir="auto">إثيوبيا</h1>' in html
    assert "مكان" in html and "يُكتب أيضًا" in html and "أثيوبيا" in html
    assert article_href(URL_ID) in html


def test_entity_page_by_alias_and_unknown_entity(client: TestClient) -> None:
    assert "الولايات المتحدة" in client.get("/entity/" + quote("الولايات المتحدة الأمريكية", safe="")).text
    assert client.get("/entity/" + quote("لا أحد", safe="")).status_code == 404


def test_stories_page_lists_the_day_entities(client: TestClient) -> None:
    html = client.get("/stories").text
    assert "أبرز الأسماء اليوم" in html and f'href="/entity/{quote("مصر", safe="")}"' in html


def test_hostile_entity_name_is_escaped_everywhere(client: TestClient) -> None:
    for path in (article_href(HOSTILE_ID), "/entity/" + quote(HOSTILE_ENTITY, safe=""), "/stories"):
        html = client.get(path).text
        assert "<script" not in html.lower() and "<img" not in html.lower()
        assert "حزب &lt;script&gt;" in html or quote(HOSTILE_ENTITY, safe="") in html


def test_every_page_says_how_far_understanding_got_while_it_runs(backend: FakeNaba) -> None:
    store = backend.store
    assert isinstance(store, FakeStore)
    client = TestClient(create_app(backend))
    assert "جارٍ تجميع الأخبار" not in client.get("/").text
    store.understood = 1
    total = len(store.articles)
    for path in ("/", "/stories", "/search?q=x"):
        page = client.get(path, params={"digits": "latn"}).text
        assert f"جارٍ تجميع الأخبار في قصص: 1 من {total} مقال" in page, path
    assert (
        f"١ من {format(total).translate(str.maketrans('0123456789', '٠١٢٣٤٥٦٧٨٩'))}"
        in client.get("/", params={"digits": "arab"}).text
    )


def test_the_search_page_shares_the_api_rate_limit_and_answers_an_arabic_429(backend: FakeNaba) -> None:
    tight = replace(backend.settings, api_rate_limit=0.001, api_rate_burst=2)
    limited = FakeNaba(backend.store, tight)
    client = TestClient(create_app(limited))
    assert [client.get("/search", params={"q": "الأمم"}).status_code for _ in range(2)] == [200, 200]
    searched = len(limited.queries)
    page = client.get("/search", params={"q": "الأمم", "source": "okaz", "digits": "latn"})
    assert page.status_code == 429 and int(page.headers["retry-after"]) >= 1
    assert len(limited.queries) == searched  # refused before any search ran
    html = page.text
    assert '<html lang="ar" dir="rtl">' in html and "طلبات بحث كثيرة" in html
    assert f"أعد المحاولة بعد {int(page.headers['retry-after']):,} ث" in html  # Latin digits, as asked
    assert "/search?" + urlencode({"q": "الأمم", "source": "okaz", "digits": "latn"}) in hrefs(html)
    assert page.headers["content-security-policy"].endswith("frame-ancestors 'none'")
    assert page.headers["content-type"].startswith("text/html")
    hostile = client.get("/search", params={"q": SCRIPT + "\u202eسد"})
    assert hostile.status_code == 429 and SCRIPT not in hostile.text  # the query is echoed escaped only
    assert "\u202e" not in hostile.text and 'value="&lt;script&gt;' in hostile.text  # and without bidi controls
    assert client.get("/").status_code == 200  # other pages are not limited
    api = client.get("/api/v1/stats")  # the same client's bucket: the API says so in its envelope
    assert api.status_code == 429 and api.json()["error"]["code"] == "too_many_requests"
