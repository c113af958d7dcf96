"""Build analyzed Arabic articles for the dedupe, story and related tests, analyzed like ingest does."""

from __future__ import annotations

import datetime as dt

from naba.engine.analysis import analyze_texts, to_analyzed
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
