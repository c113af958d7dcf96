"""Attribution (original source, authors) and captions, on real Arabic text.

The line-level readers of ``naba.extract.bylines`` on credit, byline and lead forms Arabic news prints, and the
whole extractor on ``eval/blind`` (36 pages in 6 templates, SaudiNewsNet text; labelled before the rules were
written, see its README) with floors at the issue's targets: source ≥ 0.95, authors ≥ 0.90, every caption and
boilerplate sample kept out; and on ``eval/blind2`` (24 pages in 4 more templates, first scored by the finished
rules) with floors at what was measured after its fixes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from naba.extract import bylines
from naba.extract.generic import extract_html

EVAL = Path(__file__).resolve().parents[3] / "eval"
PAGES = sorted((EVAL / "blind").glob("*.gold.json"))
PAGES_2 = sorted((EVAL / "blind2").glob("*.gold.json"))


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("(واس)", "واس"),
        ("( وام )", "وام"),
        ("(الاقتصادية)", "الاقتصادية"),  # an outlet's closing credit, not only agencies
        ("نقلاً عن صحيفة المدينة", "صحيفة المدينة"),
        ("نقلا عن صحيفة الحياة اللندنية", "صحيفة الحياة"),  # the adjective after the name is not the name
        ("رابط الخبر بصحيفة عكاظ", "صحيفة عكاظ"),  # the preposition glued to the outlet word is dropped
        ("المصدر: صحيفة اليوم", "صحيفة اليوم"),
        ("(انتهى)", None),  # an end mark, not a credit
        ("(1)", None),
        ("رابط الخبر بصحيفة الوئام: إيران تلغي نظام التأشيرات لمواطني 7 دول", None),  # a headline line
        ("نقلا عن مصادر مطلعة أن الوزارة ستعلن النتائج الأسبوع المقبل.", None),  # a sentence
    ],
)
def test_credit_lines(line: str, credit: str | None) -> None:
    assert bylines.credit_of_line(line) == credit


@pytest.mark.parametrize(
    ("opening", "outlet"),
    [
        ("نشر موقع ميدل إيست آي البريطاني تقريرا جاء فيه أن", "موقع ميدل إيست آي"),
        ("ذكرت صحيفة الغارديان البريطانية في تقرير لها اليوم أن", "صحيفة الغارديان"),
        ("كشفت صحيفة نيويورك تايمز الأمريكية أن", "صحيفة نيويورك تايمز"),
        ("نقلت قناة العربية عن مصادر مطلعة أن", "قناة العربية"),
        ("أفادت وكالة بلومبرغ الأمريكية للأنباء بأن", "وكالة بلومبرغ"),
        ("قالت صحيفة «الوطن» إن", "صحيفة الوطن"),
        ("نشرت صحيفة ديلي ستار البريطانية صورا", "صحيفة ديلي ستار"),  # unknown outlet: up to the adjective
        ("أعلنت وكالة الفضاء الأوروبية أن", None),  # "وكالة" only before a known publisher
        ("قالت وزارة الصحة إن عدد الإصابات ارتفع", None),  # no outlet word
        ("أكد المدير العام للشؤون الصحية بمنطقة عسير أن", None),
        ("وكان مسؤول قد صرح لصحيفة الوطن الأسبوع الماضي", None),  # not the opening verb
    ],
)
def test_outlet_named_in_the_opening_words(opening: str, outlet: str | None) -> None:
    assert bylines.outlet_in_lead(opening) == outlet


@pytest.mark.parametrize(
    ("line", "is_name"),
    [
        ("رهف القحطاني", True),  # given name unknown to the lexicon, family nisba
        ("ماجد بن سعيد الشهري", True),
        ("تركي آل الشيخ", True),
        ("عبدالله المطيري", True),
        ("أخبار محلية", False),
        ("كأس العالم", False),
        ("الدوري السعودي", False),
        ("محرر الموقع", False),
        ("جدة", False),
        ("أكد المدير العام أن", False),
        ("فهد أحمد عطيف", True),  # a family name without the article after known given names
        ("سارة المالكي ونايف القرني", True),  # two people
        # Short headlines of SaudiNewsNet that the first version of the rule took for names:
        ("دولة الخليج العظمى", False),
        ("تراخي العمل الآثاري", False),
        ("أسامة يعود بالفيصلي", False),
        ("سعود الدوسري والرحيل المفاجئ", False),
        ("جموع غفيرة تشيع الدوسري", False),
    ],
)
def test_bare_name_lines(line: str, is_name: bool) -> None:
    assert bylines.is_bare_name(line) is is_name


@pytest.mark.parametrize(
    ("byline", "people", "source"),
    [
        ("لندن - د ب أ", [], "د ب أ"),
        ("باريس – أ ف ب", [], "أ ف ب"),
        ("جدة - سلطان العتيبي", ["سلطان العتيبي"], None),
        ("وعد السبيعي – الدمام", ["وعد السبيعي"], None),
        ("بقلم: نوف العنزي وريان الغامدي", ["نوف العنزي", "ريان الغامدي"], None),
        ("admin", [], None),  # a login
        ("@news_desk24", [], None),  # a handle
        ("نشر بواسطة: مدير الموقع", [], None),  # the site's account
        ("فريق التحرير", [], None),  # a desk
        ("صحيفة الديار", [], None),  # an outlet
        ("اليوم ـ الرياض", [], None),  # an outlet's name and a place, the tatweel as the dash
        ("أمين رزق ـ جدة", ["أمين رزق"], None),
        ("كتب: منال الأحمدي من جدة", ["منال الأحمدي"], None),  # the place it was filed from is no name
        # Bylines as SaudiNewsNet's outlets print them (the corpus's author field, 2015-08-09/10):
        ("المدينة المنورة: عبدالعزيز الحربي", ["عبدالعزيز الحربي"], None),
        ("عادل الماس (جدة)", ["عادل الماس"], None),
        ("تكساس - د ب أ", [], "د ب أ"),  # a place naba does not know, next to an agency
        ("كابول :(د ب أ)", [], "د ب أ"),
        ("ابها- احمد الشيبان", ["احمد الشيبان"], None),
        ("عبدالله الراجحي- سبق- جدة:", ["عبدالله الراجحي"], None),
        ("سيدني – الرياض", [], None),  # a place and an outlet
        ("عكاظ (مكة المكرمة)", [], None),
        ("حاوره:محمود عيتاني (بيروت)", ["محمود عيتاني"], None),
    ],
)
def test_bylines_give_persons_only(byline: str, people: list[str], source: str | None) -> None:
    assert bylines.split_byline(byline) == (people, source)


def test_place_bylines_need_a_place_or_agency_and_a_name() -> None:
    assert bylines.is_place_byline("لندن - د ب أ")
    assert bylines.is_wire_byline("الخرطوم – سونا")
    assert not bylines.is_wire_byline(
        "جدة - سلطان العتيبي"
    )  # a person: inside the text, that line stays text
    assert bylines.is_place_byline("مشاري الدوسري - الرياض")
    # A photo credit under a picture ("what it shows - agency") is no byline.
    assert not bylines.is_place_byline("أسواق مركزية في أبوظبي - وام")


def test_a_dash_credit_ends_the_text_only_after_a_sentence() -> None:
    last = "وأوضح المتحدث أن الفرق ستواصل أعمال البحث حتى العثور على جميع المفقودين في المنطقة. - وكالات"
    assert bylines.source_in_text("", last) == ("وكالات", "text:end-credit")
    assert bylines.source_in_text("", "Next Previous عين اليوم – وكالات") is None


_TEXT = [
    "حذرت دراسة طبية أميركية من أن المعاناة لفترات طويلة من ارتفاع ضغط الدم المستمر خلال منتصف العمر قد تزيد "
    "من خطر الإصابة بالخرف في مراحل لاحقة من الحياة.",
    "وأوضح الباحثون أن النتائج تؤكد أهمية مراقبة ضغط الدم بانتظام لدى البالغين في منتصف العمر والعمل على خفضه.",
]


def _page(middle: str) -> bytes:
    return (
        '<html lang="ar"><head><meta charset="utf-8"><title>ارتفاع ضغط الدم يضاعف خطر الإصابة بالزهايمر</title>'
        "</head><body><h1>ارتفاع ضغط الدم يضاعف خطر الإصابة بالزهايمر</h1><table><tr><td>"
        f"<p>{_TEXT[0]}</p>{middle}<p>{_TEXT[1]}</p></td></tr></table></body></html>"
    ).encode()


def test_a_caption_in_the_next_table_row_is_no_body_text() -> None:
    middle = (
        '<table><tr><td><img src="/i/1.jpg" width="400"></td></tr>'
        "<tr><td><font size=1>جانب من الفحوصات في أحد المستشفيات</font></td></tr></table>"
    )
    art = extract_html(_page(middle), url="http://example.org/a/1", source="test")
    assert list(art.paragraphs) == _TEXT


def test_a_bold_subheading_after_a_picture_stays() -> None:
    middle = '<p><img src="/i/1.jpg" width="400"></p><p><strong>نتائج الدراسة</strong></p>'
    art = extract_html(_page(middle), url="http://example.org/a/1", source="test")
    assert "نتائج الدراسة" in art.paragraphs


def test_an_icon_before_a_short_line_makes_no_caption() -> None:
    middle = '<p><img src="/i/pdf.png" width="16" height="16"></p><p>تحميل التقرير كاملا</p>'
    art = extract_html(_page(middle), url="http://example.org/a/1", source="test")
    assert "تحميل التقرير كاملا" in art.paragraphs


def _extract(gold: dict[str, Any], html: bytes) -> Any:
    fetched = dt.datetime.fromisoformat(gold["fetched_at"])
    return extract_html(html, url=gold["url"], source="blind", fetched_at=fetched)


def _folded(text: str) -> str:
    return " ".join(text.split())


def _extract_all(paths: list[Path]) -> list[tuple[dict[str, Any], Any]]:
    out = []
    for path in paths:
        gold = json.loads(path.read_text(encoding="utf-8"))
        html = path.with_name(path.name.removesuffix(".gold.json") + ".html").read_bytes()
        out.append((gold, _extract(gold, html)))
    return out


@pytest.fixture(scope="module")
def blind() -> list[tuple[dict[str, Any], Any]]:
    return _extract_all(PAGES)


def test_the_blind_set_is_present() -> None:
    assert len(PAGES) == 36
    assert len({p.name[:3] for p in PAGES}) == 6


def test_blind_pages_meet_the_attribution_targets(blind: list[tuple[dict[str, Any], Any]]) -> None:
    source_right = sum((art.original_source or None) == gold["original_source"] for gold, art in blind)
    authors_right = sum(set(art.authors) == set(gold["authors"]) for gold, art in blind)
    # Measured when pinned: 36/36 sources, 36/36 authors.
    assert source_right / len(blind) >= 0.95
    assert authors_right / len(blind) >= 0.90
    # Hashtag links to the site's tag pages ("#كبير" → /tags/…) are the tags when nothing labels them.
    assert all(list(art.tags) == gold["tags"] for gold, art in blind)


def test_blind_pages_keep_every_caption_out(blind: list[tuple[dict[str, Any], Any]]) -> None:
    for gold, art in blind:
        text = _folded(" ".join(art.paragraphs))
        kept = [s for s in gold["boilerplate_samples"] if _folded(s) in text]
        assert not kept, (gold["id"], kept)
        missing = [p for p in gold["body_paragraphs"] if _folded(p) not in text]
        assert not missing, (gold["id"], missing[:1])


def test_a_linked_credit_is_no_related_headline(blind: list[tuple[dict[str, Any], Any]]) -> None:
    linked = [(g, a) for g, a in blind if g["attribution"] == "link-line"]
    assert linked
    for gold, art in linked:
        assert art.original_source == gold["original_source"]
        assert not any("رابط الخبر" in h for h in art.related_headlines)


def test_second_blind_set_floors() -> None:
    pages = _extract_all(PAGES_2)
    assert len(pages) == 24
    source_right = sum((art.original_source or None) == gold["original_source"] for gold, art in pages)
    authors_right = sum(set(art.authors) == set(gold["authors"]) for gold, art in pages)
    # First score (before any change for this set): sources 19/24, authors 16/24, 3 captions and 6 print footers
    # kept. After the general fixes (metadata rows "name | date" under the headline, short captions ending with
    # a full stop, wire bylines, styled name lines opening the text): 23/24 and 24/24; the source left is on a
    # print page whose <h2> headline naba misses.
    assert source_right >= 23
    assert authors_right >= 23
    for gold, art in pages:
        text = _folded(" ".join(art.paragraphs))
        assert not [c for c in gold["boilerplate_samples"] if _folded(c) in text], gold["id"]


_GLUED = """نقص حاد في المياه يضرب أحياء جنوب جدة
تاريخ النشر: 11 أغسطس 2015
اشتكى سكان عدد من الأحياء الواقعة جنوب محافظة جدة من انقطاع المياه عن منازلهم لأكثر من أسبوع، مطالبين الجهات المعنية بالتدخل العاجل.
وأوضح عدد من السكان أنهم اضطروا إلى شراء المياه من الصهاريج بأسعار مرتفعة بسبب تأخر وصول الإمدادات.
{last}
"""


@pytest.mark.parametrize(
    ("last", "source"),
    [
        ("رابط الخبر بصحيفة عكاظ: نقص حاد في المياه يضرب أحياء جنوب جدة", "صحيفة عكاظ"),
        ("رابط الخبر بصحيفة عكاظ", "صحيفة عكاظ"),
        ("نقلا عن صحيفة المدينة", "صحيفة المدينة"),
        ("(الاقتصادية)", "الاقتصادية"),
    ],
)
def test_text_pages_read_the_same_credit_lines(last: str, source: str) -> None:
    from naba.extract.text_pages import parse_text_page

    page = parse_text_page(_GLUED.format(last=last), source="test")
    article = page.articles[0]
    assert article.original_source == source
    assert len(article.body_paragraphs) == 2  # the credit line is attribution, not text
    assert not page.related_headlines  # and not a related headline


@pytest.mark.parametrize(
    ("credit", "source"),
    [("(الاقتصادية)", "الاقتصادية"), ("(واس)", "واس"), ("نقلا عن صحيفة الوطن", "صحيفة الوطن")],
)
def test_a_credit_dropped_with_page_furniture_is_still_the_source(credit: str, source: str) -> None:
    # The credit sits in an element whose class marks it as page furniture ("source"): it never reaches the
    # text, and is still read as the original source.
    middle = f'<p class="news-source">{credit}</p>'
    html = _page("").replace(b"</td></tr></table>", f"{middle}</td></tr></table>".encode())
    art = extract_html(html, url="http://example.org/a/1", source="test")
    assert list(art.paragraphs) == _TEXT
    assert art.original_source == source


def test_a_styled_name_line_opening_the_text_is_the_byline_a_plain_one_stays_text() -> None:
    styled = _page("").replace(b"<p>", "<b>تركي آل الشيخ</b><br><br><p>".encode(), 1)
    art = extract_html(styled, url="http://example.org/a/1", source="test")
    assert list(art.authors) == ["تركي آل الشيخ"]
    assert list(art.paragraphs) == _TEXT
    # As a plain paragraph like the text after it (a paper's own byline kept in its text), it stays text.
    plain = _page("").replace(b"<p>", "<p>أحمد البشيري - الباحة</p><p>".encode(), 1)
    art = extract_html(plain, url="http://example.org/a/1", source="test")
    assert list(art.authors) == []
    assert art.paragraphs[0] == "أحمد البشيري - الباحة"
