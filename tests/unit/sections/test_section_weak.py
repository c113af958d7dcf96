"""Weak section labels from publishers' own signals, on Arabic headlines and real SaudiNewsNet records."""

from __future__ import annotations

import json
import zipfile
from collections import Counter

import pytest
from tests.conftest import CORPUS, need_shared

from naba.extract.article import build_article
from naba.sections.weak import SECTION_KEYS, WeakLabel, weak_label
from naba.sources.files import saudinewsnet_article
from naba.types import Article, Provenance

PROV = Provenance(source="test", fetched_at=None, raw_sha256=None)


def article(url: str, title: str, author: str = "", body: str = "نص الخبر كما نشرته الصحيفة.") -> Article:
    return build_article(
        url=url,
        title=title,
        body_paragraphs=[body],
        authors=[author] if author else [],
        provenance=PROV,
        language="ar",
    )


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        # A section word as a whole path segment (alwatan.com.sa's sections).
        (
            "http://www.alwatan.com.sa/Sports/News_Detail.aspx?ArticleID=230001&CategoryID=6",
            "الهلال يواصل تدريباته في النمسا",
            WeakLabel("sports", "url_word"),
        ),
        (
            "http://www.alwatan.com.sa/Economy/News_Detail.aspx?ArticleID=229764&CategoryID=2",
            "الدولار يتراجع أمام العملات الرئيسية",
            WeakLabel("economy", "url_word"),
        ),
        # A site's own page codes (al-jazirah.com: sp = sports, ec = economy, du = world news).
        (
            "http://www.al-jazirah.com/2015/20150809/sp25.htm",
            "الاتحاد يعلن تعاقده مع مدرب روماني",
            WeakLabel("sports", "path"),
        ),
        (
            "http://www.al-jazirah.com/2015/20150808/ec7.htm",
            "ارتفاع مؤشر السوق السعودية",
            WeakLabel("economy", "path"),
        ),
        (
            "http://www.al-jazirah.com/2015/20150807/du3.htm",
            "مقتل اثنين في بوروندي قبل الانتخابات",
            WeakLabel("politics", "path"),
        ),
        # 3alyoum.com: /news/pol/ is its politics desk, /news/local/ its local news; /news/a/ says nothing.
        (
            "http://www.3alyoum.com/news/pol/a/المقاومة-تقتحم-قاعدة-العند/",
            "المقاومة تقتحم قاعدة العند",
            WeakLabel("politics", "path"),
        ),
        (
            "http://www.3alyoum.com/news/local/a/أمطار-غزيرة-على-الباحة/",
            "أمطار غزيرة على الباحة",
            WeakLabel("society", "url_word"),
        ),
        # aawsat.com puts the columnist's name in the URL of a column.
        (
            "http://aawsat.com/home/article/411151/يوسف-الديني/أنا-أبو-عمر-النجدي",
            "أنا أبو عمر النجدي.. محاولة لفهم الإرهاب الفردي",
            WeakLabel("opinion", "path"),
        ),
        # A sports-only paper.
        ("http://www.arriyadiyah.com/node/907026", "السوبر الضبابي", WeakLabel("sports", "site")),
    ],
)
def test_publisher_url_signals(url: str, title: str, expected: WeakLabel) -> None:
    assert weak_label(article(url, title)) == expected


def test_no_signal_gives_no_label() -> None:
    assert (
        weak_label(article("http://www.3alyoum.com/news/a/وصول-الطائرة-الإغاثية/", "وصول الطائرة الإغاثية"))
        is None
    )
    assert (
        weak_label(article("http://www.alriyadh.com/1071383", "أمير الرياض يستقبل المهنئين بالعيد")) is None
    )


def test_wire_desk_prefix_gives_the_section() -> None:
    spa = article(
        "http://www.spa.gov.sa/details.php?id=1386750", "اقتصادي / مؤشر بورصة بيروت يغلق على ارتفاع"
    )
    assert spa.title == "مؤشر بورصة بيروت يغلق على ارتفاع"
    assert weak_label(spa) == WeakLabel("economy", "desk")
    # «عام /» is the general desk: no section from the desk (a headline keyword may still teach the model).
    general = article("http://www.spa.gov.sa/details.php?id=1", "عام / قائد قوة أمن المنشآت يستقبل المهنئين")
    assert general.section == "general" and weak_label(general) is None


def test_columnist_byline_is_opinion_and_a_reporters_is_not() -> None:
    okaz = "http://www.okaz.com.sa/new/Issues/20150808/Con2015080878819"
    assert weak_label(article(okaz + "5.htm", "القصاص من القتلة!", "خالد السليمان")) == WeakLabel(
        "opinion", "byline"
    )
    assert weak_label(article(okaz + "6.htm", "مقذوف حوثي يصيب فتاة بنجران", "جدة - واس")) is None
    # The byline outranks the section of the URL: a signed column on the sports pages is opinion.
    column = article("http://www.al-jazirah.com/2015/20150809/sp30.htm", "بين حانا ومانا!!", "محمد الشهري")
    assert weak_label(column) == WeakLabel("opinion", "byline")


def test_headline_keywords_cover_health_and_technology() -> None:
    health = article("http://www.alriyadh.com/1", "وزارة الصحة تسجل حالتي إصابة جديدتين بفيروس كورونا")
    assert weak_label(health) == WeakLabel("health", "title")
    tech = article("http://www.alriyadh.com/2", "ساعة أبل الذكية في المتاجر بداية من الشهر القادم")
    assert weak_label(tech) == WeakLabel("science_tech", "title")


def test_headline_keywords_follow_the_section_definitions() -> None:
    # All terrorism is politics, condolences and condemnations included; Hajj is society; festivals culture.
    terror = article("http://www.alriyadh.com/4", "المفتي: التفجير الإرهابي في مسجد الطوارئ جريمة نكراء")
    assert weak_label(terror) == WeakLabel("politics", "title")
    assert weak_label(article("http://www.alriyadh.com/5", "وصول أولى طلائع الحجاج إلى المدينة المنورة")) == (
        WeakLabel("society", "title")
    )
    assert weak_label(article("http://www.alriyadh.com/6", "انطلاق مهرجان الطائف للورد")) == WeakLabel(
        "culture", "title"
    )
    # A publisher's own label wins over a headline keyword.
    desk = "http://www.alwatan.com.sa/Local/News_Detail.aspx?ArticleID=231518&CategoryID=5"
    assert weak_label(article(desk, "وفود تعزي ذوي شهداء التفجير الإرهابي")) == WeakLabel(
        "society", "url_word"
    )


def test_real_day_labels_are_sections_and_come_from_several_signals() -> None:
    day = need_shared(CORPUS / "2015-08-02.zip")
    with zipfile.ZipFile(day) as z:
        records = json.loads(z.read(z.namelist()[0]))
    labels = [
        weak_label(saudinewsnet_article(r, source="t", raw_sha256="0")) for r in records if r.get("content")
    ]
    found = [w for w in labels if w is not None]
    assert {w.section for w in found} <= set(SECTION_KEYS)
    assert {"byline", "path", "url_word"} <= set(Counter(w.signal for w in found))
    # Most articles carry no publisher label: that is what the classifier is for.
    assert 0.1 < len(found) / len(labels) < 0.6
