"""Articles written for these tests (Arabic wire copies, rewrites and boilerplate), analyzed like ingest does."""

from __future__ import annotations

import datetime as dt

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


WIRE = (
    "الرياض - واس: وقع وزير الطاقة اليوم اتفاقية مع شركة عالمية لإنشاء محطة جديدة لتحلية مياه البحر "
    "في مدينة ينبع بطاقة إنتاجية تبلغ مليون متر مكعب يوميا. وأوضح الوزير أن المحطة ستعمل بالطاقة الشمسية "
    "وأن تكلفتها تبلغ أربعة مليارات ريال وتستغرق أعمال البناء ثلاث سنوات.\n"
    "وأضاف أن المشروع يأتي ضمن خطة لرفع إنتاج المياه المحلاة وخفض استهلاك الوقود في المحطات القديمة، "
    "مشيرا إلى أن المحطة ستوفر أكثر من ألفي وظيفة للمواطنين خلال مرحلتي الإنشاء والتشغيل."
)
FOOTER = "تابعونا على تويتر وفيسبوك للاطلاع على آخر الأخبار العاجلة من صحيفة المثال الإلكترونية"
