"""naba's HTML extractor: one small hand-written page per rule, then floors over every gold page.

Gold pages are read from ``../shared/eval`` (never copied here); the page tests skip when it is missing.
Floors are the figures measured on 2026-11-29 (every page at body F1 1.0, all metadata right except the
zone of br-divs datelines, which the pages do not state) minus :data:`EPSILON`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from naba.errors import ExtractError
from naba.extract.boilerplate import is_ui_line, read_also_label
from naba.extract.bylines import classify_line, source_in_text, split_byline
from naba.extract.generic import extract_html
from naba.types import Article

_spec = importlib.util.spec_from_file_location("_scoring", Path(__file__).with_name("_scoring.py"))
assert _spec and _spec.loader
_scoring = importlib.util.module_from_spec(_spec)
sys.modules["_scoring"] = _scoring
_spec.loader.exec_module(_scoring)

REPO = Path(__file__).resolve().parents[3]
EVAL = REPO.parent / "shared" / "eval"
EPSILON = 0.02
BODY_FLOOR = 1.0 - EPSILON

P1 = "أعلنت وزارة الصحة اليوم الثلاثاء تسجيل ثلاثين حالة جديدة بالفيروس في عدة محافظات، وأكدت أن جميع الحالات مستقرة."
P2 = "وأوضح المتحدث الرسمي باسم الوزارة أن فرق الرصد الوبائي تتابع المخالطين وتجري لهم الفحوص اللازمة بشكل يومي."
P3 = "وأشار إلى أن الوزارة رفعت درجة الاستعداد في المستشفيات ووفرت أسرة إضافية للعزل تحسبا لأي زيادة في الإصابات."


def page(body: str, head: str = "", title: str = "الصحة تسجل ثلاثين إصابة جديدة") -> bytes:
    return (
        f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title} | جريدة الأفق</title>'
        f'<meta property="og:site_name" content="جريدة الأفق">{head}</head><body>'
        f'<nav><a href="/">الرئيسية</a><a href="/s">سياسة</a></nav><h1>{title}</h1>{body}'
        "<footer>جميع الحقوق محفوظة © جريدة الأفق</footer></body></html>"
    ).encode()


def extract(body: str, head: str = "", **kw: Any) -> Article:
    return extract_html(page(body, head), url="https://alofoq.example/news/1", source="test", **kw)


ARTICLE = f'<div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>'


# --- main text -------------------------------------------------------------------------------------------


def test_paragraphs_in_order_and_chrome_dropped() -> None:
    art = extract(ARTICLE)
    assert art.body_paragraphs == (P1, P2, P3)
    assert art.lead is None


def test_read_also_block_inside_body_is_dropped() -> None:
    body = (
        f'<div class="content"><p>{P1}</p><p><strong>اقرأ أيضاً:</strong></p>'
        '<p><a href="/a">وزير الخارجية يلتقي نظيره الفرنسي في باريس</a></p>'
        f'<p><a href="/b">ارتفاع أسعار النفط في التعاملات الآسيوية</a></p><p>{P2}</p><p>{P3}</p></div>'
    )
    art = extract(body)
    assert art.body_paragraphs == (P1, P2, P3)


def test_related_cards_captions_share_tags_comments_dropped() -> None:
    body = (
        f'<div class="story"><p>{P1}</p>'
        '<figure><img src="/i.jpg"><figcaption>جانب من المؤتمر الصحفي (رويترز)</figcaption></figure>'
        f'<div class="share-tools"><a href="#">فيسبوك</a> <a href="#">طباعة</a></div><p>{P2}</p>'
        '<div class="related-posts"><h3>أخبار ذات صلة</h3><p>تقرير مطول عن الأوضاع الصحية في المنطقة وتطورها خلال العام الماضي كله</p></div>'
        f'<p>{P3}</p><div class="post-tags">الوسوم: <a href="/t/1">الصحة</a> <a href="/t/2">كورونا</a></div></div>'
        '<section class="comments"><p>تعليق طويل من أحد القراء يقول إن الوزارة تأخرت كثيرا في اتخاذ هذه الإجراءات المهمة جدا</p></section>'
    )
    art = extract(body)
    assert art.body_paragraphs == (P1, P2, P3)
    assert art.tags == ("الصحة", "كورونا")


def test_br_separated_text_and_subheadings_become_paragraphs() -> None:
    art = extract(f'<div class="txt">{P1}<br><br>تفاصيل الإصابات<br><br>{P2}<br><br>{P3}</div>')
    assert art.body_paragraphs == (P1, "تفاصيل الإصابات", P2, P3)


def test_body_split_over_sibling_divs() -> None:
    body = f'<div id="t"><div class="part">{P1}</div><div class="part">{P2}</div><div class="part">{P3}</div></div>'
    assert extract(body).body_paragraphs == (P1, P2, P3)


def test_marked_standfirst_goes_to_lead() -> None:
    body = f'<p class="lead">{P1}</p><div class="article-body"><p>{P2}</p><p>{P3}</p><p>{P2} {P3}</p></div>'
    art = extract(body)
    assert art.lead == P1
    assert art.body_paragraphs[0] == P2


def test_byline_source_and_dateline_lines_become_metadata() -> None:
    body = (
        f'<div class="content"><p>كتب: حسام أبو العلا</p><p>الثلاثاء 1 ديسمبر 2020 - 10:30 ص</p><p>{P1}</p>'
        f"<p>{P2}</p><p>{P3}</p><p>المصدر: صحيفة الرياض</p></div>"
    )
    art = extract(body)
    assert art.body_paragraphs == (P1, P2, P3)
    assert art.authors == ("حسام أبو العلا",)
    assert art.original_source == "صحيفة الرياض"
    assert art.published == dt.date(2020, 12, 1)


def test_page_without_text_raises() -> None:
    with pytest.raises(ExtractError):
        extract_html(b"<html><body><nav><a href='/'>x</a></nav></body></html>", source="t")


def test_lexicon_rules() -> None:
    assert read_also_label("إقرأ أيضاً:")
    assert read_also_label("شاهد أيضا")
    assert not read_also_label(P1)
    assert is_ui_line("تابعونا على تويتر")
    assert is_ui_line("© REUTERS / SHOKRY HUSSIEN")
    assert not is_ui_line("شارك الرئيس في القمة العربية التي عقدت في الرياض أمس بحضور عدد كبير من القادة")


# --- metadata --------------------------------------------------------------------------------------------


def test_title_without_site_name() -> None:
    art = extract(ARTICLE, '<meta property="og:title" content="الصحة تسجل ثلاثين إصابة جديدة - جريدة الأفق">')
    assert art.title == "الصحة تسجل ثلاثين إصابة جديدة"


def test_jsonld_graph_date_published_and_lone_modified() -> None:
    ld = '{"@graph": [{"@type": "NewsArticle", "datePublished": "2020-12-01T02:00:00+03:00", "dateModified": "2020-12-02T09:00:00+03:00"}]}'
    art = extract(ARTICLE, f'<script type="application/ld+json">{ld}</script>')
    assert art.published == dt.datetime(2020, 12, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert art.evidence["published"] == "jsonld:datePublished"
    lone = '{"@type": "NewsArticle", "dateModified": "2020-12-09T09:00:00+02:00"}'
    body = f'<div class="date">الأربعاء، 2 ديسمبر 2020 09:15 ص</div>{ARTICLE}'
    art = extract(body, f'<script type="application/ld+json">{lone}</script>')
    assert art.published == dt.datetime(2020, 12, 2, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def test_update_line_is_not_publication_and_migration_date_loses() -> None:
    body = (
        '<div class="dates"><span>تاريخ النشر: 2015/7/31 الساعة 12:18 (مكة المكرمة)</span>'
        f"<span>آخر تحديث: 2015/8/2 الساعة 15:32</span></div>{ARTICLE}"
    )
    migrated = '<meta property="article:published_time" content="2019-03-01T00:00:00+00:00">'
    art = extract(body, migrated)
    published = art.published
    assert isinstance(published, dt.datetime) and published.date() == dt.date(2015, 7, 31)
    assert published.hour == 12 and art.evidence["published"].startswith("dateline")


def test_byline_places_agencies_and_site_names() -> None:
    assert split_byline("حسام أبو العلا - القاهرة") == (["حسام أبو العلا"], None)
    assert split_byline("الرياض - واس") == ([], "واس")
    assert split_byline("بقلم: منير النمر") == (["منير النمر"], None)
    assert split_byline("جريدة الأفق - عبدالله الهاجري", frozenset({"جريده الافق"})) == (
        ["عبدالله الهاجري"],
        None,
    )


def test_source_from_wire_credit_not_from_caption() -> None:
    assert source_in_text(P1, P3 + " (أ ف ب)") == ("أ ف ب", "text:end-credit")
    assert source_in_text("الرياض - واس: " + P1, P3) == ("واس", "text:wire-dateline")
    body = f'<figure><img src="/x.jpg"><figcaption>صورة أرشيفية (رويترز)</figcaption></figure>{ARTICLE}'
    assert extract(body).original_source is None


def test_classify_line() -> None:
    assert classify_line("كتبت أسماء نصار") == "byline"
    assert classify_line("المصدر : الجزيرة") == "source"
    assert classify_line("(رويترز)") == "agency"
    assert classify_line(P1) is None


def test_meta_keywords_that_split_the_title_are_not_tags() -> None:
    art = extract(ARTICLE, '<meta name="keywords" content="الصحة,تسجل,ثلاثين,إصابة,جديدة">')
    assert art.tags == ()
    art = extract(ARTICLE, '<meta name="keywords" content="وزارة الصحة, كورونا">')
    assert art.tags == ("وزارة الصحة", "كورونا")


def test_site_wide_keywords_and_the_title_as_a_keyword_are_not_tags() -> None:
    art = extract(ARTICLE, '<meta name="keywords" content="أخبار, جريدة الأفق, عاجل">')
    assert art.tags == ()
    art = extract(ARTICLE, '<meta name="keywords" content="الصحة تسجل ثلاثين إصابة جديدة">')
    assert art.tags == ()


def test_a_category_link_in_an_author_box_is_not_an_author() -> None:
    box = '<div class="author-box"><a href="/news/category/29/منوعات">منوعات</a></div>'
    assert extract(box + ARTICLE).authors == ()
    person = '<div class="author-box"><a href="/writers/12">سارة الحربي</a></div>'
    assert extract(person + ARTICLE).authors == ("سارة الحربي",)


def test_hashtags_canonical_language_images() -> None:
    body = (
        f'<figure><img src="https://x.example/a.jpg"><figcaption>الوزير خلال المؤتمر</figcaption></figure>{ARTICLE}'
        '<div class="hashtags"><a href="/t/a">#الصحة</a> <a href="/t/b">#مصر</a></div>'
    )
    art = extract(body, '<link rel="canonical" href="https://alofoq.example/n/1">')
    assert art.tags == ("الصحة", "مصر")
    assert art.canonical_url == "https://alofoq.example/n/1"
    assert art.language == "ar"
    assert any(i.caption == "الوزير خلال المؤتمر" for i in art.images)


def test_caption_after_image_without_caption_markup_is_dropped() -> None:
    body = (
        f'<table><tr><td><div align="center"><img src="a.jpg"><br><font size="1">جانب من جلسة المجلس</font></div>'
        f"<font>{P1}<br><br>{P2}<br><br>{P3}</font></td></tr></table>"
    )
    art = extract(body)
    assert art.body_paragraphs == (P1, P2, P3)


def test_inline_caption_span_and_live_list_and_ad_label_are_dropped() -> None:
    body = (
        f'<div class="article-body"><p>{P1}</p><div><span>إعلان</span></div>'
        "<div><h4>تغطية مباشرة</h4><ul><li><span>18:31</span> وزير النقل يتفقد مشروع القطار</li></ul></div>"
        f'<p>{P2}</p><div><img src="x.jpg"><span class="img-caption">سحب الدخان فوق المصنع (واس)</span></div>'
        f"<p>{P3}</p><div><h3>النشرة البريدية</h3><p>اشترك في نشرة الموقع اليومية لتصلك أبرز الأخبار</p></div></div>"
    )
    assert extract(body).body_paragraphs == (P1, P2, P3)


def test_comment_section_heading_ends_the_body() -> None:
    body = f"<td>{P1}<br><br>{P2}<br><br><b>تعليقات القراء</b><br>أبو خالد - 12/03/2025<br>{P3}</td>"
    assert extract(f"<table><tr>{body}</tr></table>").body_paragraphs == (P1, P2)


def test_publication_after_update_on_one_line_and_relative() -> None:
    fetched = dt.datetime(2025, 3, 19, 18, 40, tzinfo=dt.timezone(dt.timedelta(hours=4)))
    body = f'<div class="dates">آخر تحديث: منذ 40 دقيقة · نشر: منذ 3 ساعات</div>{ARTICLE}'
    art = extract(
        body, '<meta property="og:updated_time" content="2025-03-19T18:00:00+04:00">', fetched_at=fetched
    )
    assert art.published == fetched - dt.timedelta(hours=3)


def test_agency_credits_in_datelines_and_openings() -> None:
    assert source_in_text("أبوظبي في 12 مارس / وام / أعلنت الهيئة اليوم", "") == ("وام", "text:wire-dateline")
    assert source_in_text("الخرطوم 16-3-2025 (سونا) - انطلقت الحملة", "")[0] == "سونا"  # type: ignore[index]
    assert source_in_text("قال المتحدث في مؤتمر صحفي عقده اليوم مع الصحفيين (رويترز) إن", "x") is None
    body = f'<div class="article-body"><p>الرياض 18 رمضان 1446 هـ الموافق 18 مارس 2025 م واس</p><p>{P1}</p><p>{P2}</p></div>'
    art = extract(body)
    assert art.original_source == "واس"
    assert art.body_paragraphs == (P1, P2)


def test_two_authors_joined_by_waw() -> None:
    assert split_byline("بقلم: فاطمة الزعابي وحسن البلوشي")[0] == ["فاطمة الزعابي", "حسن البلوشي"]
    assert split_byline("كتب: عبد الله وليد الحسن")[0] == ["عبد الله وليد الحسن"]


def test_headline_part_of_title_found_in_bold_text() -> None:
    title = "المجلس البلدي يقر ميزانية العام الجديد"
    html = (
        f"<html><head><title>جريدة الصباح :: {title}</title></head><body><font size=4><b>{title}</b></font><br>"
        f"<font>{P1}<br><br>{P2}</font></body></html>"
    ).encode()
    assert extract_html(html, source="t").title == title


def test_latin_label_on_arabic_bytes_is_a_mislabel() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"<title>خبر</title></head><body><p>{P1}</p><p>{P2}</p></body></html>"
    ).encode("windows-1256")
    art = extract_html(html, source="t")
    assert art.body_paragraphs == (P1, P2)
    assert art.evidence["charset"] == "meta-mislabelled"


# --- gold pages ------------------------------------------------------------------------------------------


def _gold_pages(folder: str) -> list[Path]:
    return sorted((EVAL / folder).glob("*.gold.json")) if (EVAL / folder).is_dir() else []


def _run(gold_path: Path) -> tuple[Article, dict[str, Any]]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    html = gold_path.with_name(gold_path.name.replace(".gold.json", ".html")).read_bytes()
    fetched = dt.datetime.fromisoformat(gold["fetched_at"]) if gold.get("fetched_at") else None
    return extract_html(html, url=gold.get("url"), source=str(gold_path), fetched_at=fetched), gold


def _scored(gold: dict[str, Any], name: str) -> bool:
    return name in gold.get("scored", [name])


@pytest.mark.parametrize("folder", ["extraction-real", "extraction-synth"])
def test_every_gold_page_meets_its_floors(folder: str) -> None:
    paths = _gold_pages(folder)
    if not paths:
        print(f"skipped: {EVAL / folder} is not present")
        pytest.skip(f"{EVAL / folder} is not present")
    failures = []
    for path in paths:
        art, gold = _run(path)
        s = _scoring.score(art, gold)
        if s.f1 < BODY_FLOOR or s.boiler_ok < s.boiler_total:
            failures.append(f"{path.name}: body F1 {s.f1:.3f}, boilerplate {s.boiler_ok}/{s.boiler_total}")
        if _scored(gold, "title") and _scoring.folded(art.title) != _scoring.folded(gold["title"]):
            failures.append(f"{path.name}: title {art.title!r}")
        if _scored(gold, "original_source") and (art.original_source or None) != gold["original_source"]:
            failures.append(f"{path.name}: source {art.original_source!r}")
        if (
            _scored(gold, "authors")
            and gold["authors"] is not None
            and set(art.authors) != set(gold["authors"])
        ):
            failures.append(f"{path.name}: authors {art.authors!r}")
        if _scored(gold, "tags") and gold["tags"] is not None and list(art.tags) != gold["tags"]:
            failures.append(f"{path.name}: tags {art.tags!r}")
        if _scored(gold, "published") and gold["published"] and art.published is not None:
            want = dt.date.fromisoformat(gold["published"][:10])
            got = art.published.date() if isinstance(art.published, dt.datetime) else art.published
            if isinstance(art.published, dt.datetime) and len(gold["published"]) > 10:
                offset = dt.datetime.fromisoformat(gold["published"]).utcoffset()
                got = art.published.astimezone(dt.timezone(offset or dt.timedelta())).date()
            if got != want:
                failures.append(f"{path.name}: published {art.published!r}")
        elif _scored(gold, "published") and gold["published"]:
            failures.append(f"{path.name}: no published date")
    assert not failures, "\n".join(failures)


def test_read_also_headlines_are_kept_as_related_headlines_not_body() -> None:
    block = (
        f'<div class="article-body"><p>{P1}</p><div class="read-also"><strong>اقرأ أيضاً:</strong><ul>'
        '<li><a href="/a">» ارتفاع أسعار النفط في الأسواق العالمية</a></li>'
        '<li><a href="/b">«الشورى» يناقش نظام حماية المستهلك الجديد</a></li></ul></div>'
        f"<p>{P2}</p><p>{P3}</p></div>"
    )
    art = extract(block)
    assert art.related_headlines == (
        "ارتفاع أسعار النفط في الأسواق العالمية",
        "«الشورى» يناقش نظام حماية المستهلك الجديد",
    )
    assert not any("النفط" in p for p in art.body_paragraphs)


@pytest.mark.parametrize("folder", ["extraction-synth"])
def test_related_headlines_are_read_also_items_of_the_gold(folder: str) -> None:
    """Every related headline found on a synthetic page is one of the page's listed boilerplate strings."""
    import json

    from tests.conftest import SHARED, need_shared

    pages = sorted(need_shared(SHARED / "eval" / folder).glob("*.gold.json"))
    found = 0
    for gold_path in pages:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        html = gold_path.with_name(gold_path.name.replace(".gold.json", ".html")).read_bytes()
        art = extract_html(html, url=gold["url"], source="test")
        samples = " ".join(" ".join(s.split()) for s in gold["boilerplate_samples"])
        for headline in art.related_headlines:
            assert headline in samples, (gold_path.name, headline)
        found += len(art.related_headlines)
    assert found > len(pages)
