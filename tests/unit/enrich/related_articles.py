"""Articles written for the story and related tests, analyzed like ingest does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from naba.pipeline import analyze_texts, to_analyzed
from naba.types import AnalyzedArticle, Article, ArticleId, Provenance

T0 = dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)


def make(
    ident: str, title: str, body: str, *, outlet: str = "outlet", hours: float = 0.0, when: dt.datetime = T0
) -> AnalyzedArticle:
    published = when + dt.timedelta(hours=hours)
    article = Article(
        id=ArticleId(f"https://{outlet}.example/{ident}"),
        url=f"https://{outlet}.example/{ident}",
        canonical_url=None,
        publisher=outlet,
        original_source=None,
        language="ar",
        title=title,
        lead=None,
        body_paragraphs=tuple(p for p in body.split("\n") if p.strip()),
        authors=(),
        published=published,
        updated=None,
        tags=(),
        images=(),
        related_headlines=(),
        embedded_in=None,
        provenance=Provenance("test", published, "0" * 64),
    )
    (analysis,) = analyze_texts("ar-search-v1", [(title, article.body_text)])
    return to_analyzed(article, "ar-search-v1", analysis)


SEED = Path(__file__).resolve().parents[3] / ".." / "shared" / "seed" / "seed-page.txt"


def seed_articles() -> list[AnalyzedArticle]:
    """The seed page's articles (skips when ../shared is missing)."""
    import hashlib

    import pytest

    from naba.extract.text_pages import parse_text_page

    if not SEED.exists():
        pytest.skip(f"{SEED} is missing")
    raw = SEED.read_bytes()
    page = parse_text_page(raw.decode("utf-8"), source=str(SEED), raw_sha256=hashlib.sha256(raw).hexdigest())
    texts = [(a.title, a.body_text) for a in page.articles]
    return [
        to_analyzed(a, "ar-search-v1", t)
        for a, t in zip(page.articles, analyze_texts("ar-search-v1", texts), strict=True)
    ]


FILLERS = (
    "أعلنت أمانة المدينة إغلاق طريق الملك فهد للصيانة مدة أسبوع اعتبارا من الأحد المقبل",
    "ارتفعت أسعار الذهب في السوق المحلية بنسبة اثنين في المئة خلال تعاملات الأسبوع الماضي",
    "افتتح أمير المنطقة مهرجان التمور السنوي بمشاركة مئة وعشرين مزارعا من مختلف المحافظات",
    "حذرت الأرصاد من رياح نشطة مثيرة للأتربة على المناطق الشرقية حتى مساء الغد",
    "بدأت وزارة التعليم استقبال طلبات النقل الخارجي للمعلمين عبر نظام نور حتى نهاية الشهر",
)


def fillers() -> list[AnalyzedArticle]:
    """Unrelated articles that give the online IDF something to learn from before the test's articles."""
    return [make(f"f{i}", text[:30], text, outlet="filler", hours=-1) for i, text in enumerate(FILLERS)]
