"""Clean headlines and leads on real Saudi Press Agency articles (SaudiNewsNet, 2015-08-10/11)."""

from __future__ import annotations

import functools
import json
import zipfile

import pytest
from tests.conftest import CORPUS, need_shared

from naba.article_json import article_from_json, article_to_json
from naba.extract.headlines import clean_title, is_lead_noise, lead_paragraph, section_of_label
from naba.sources.files import saudinewsnet_article


@functools.cache
def wire_records() -> tuple[dict[str, str], ...]:
    """Every SPA (``was``) record of the two days the corpus has them."""
    out = []
    for day in ("2015-08-10", "2015-08-11"):
        with zipfile.ZipFile(need_shared(CORPUS / f"{day}.zip")) as archive:
            for name in archive.namelist():
                out.extend(r for r in json.loads(archive.read(name)) if r.get("source") == "was")
    return tuple(out)


@pytest.mark.parametrize(
    ("raw", "title", "section", "part"),
    [
        ("عام / مهرجان تمور بريدة يواصل فعالياته", "مهرجان تمور بريدة يواصل فعالياته", "general", None),
        ("إقتصادي / تراجع مؤشرات الأسهم اليابانية", "تراجع مؤشرات الأسهم اليابانية", "economy", None),
        (
            "عام / نائب خادم الحرمين الشريفين يرأس جلسة مجلس الوزراء        إضافة رابعة",
            "نائب خادم الحرمين الشريفين يرأس جلسة مجلس الوزراء",
            "general",
            "إضافة رابعة",
        ),
        (
            "تقرير / بساتين العنب تتكئ على ضفاف وادي نجران  / إضافة أولى واخيرة",
            "بساتين العنب تتكئ على ضفاف وادي نجران",
            "report",
            "إضافة أولى واخيرة",
        ),
        ("بالصور // &#8220;ظريف&#8221; يقيم العشرة الأواخر", "“ظريف” يقيم العشرة الأواخر", "photos", None),
        # A slash inside a headline or a date is not a desk label.
        ("4 طرق بين مكة/ جدة", "4 طرق بين مكة/ جدة", None, None),
        ("كاريكاتير 2015/7/20", "كاريكاتير 2015/7/20", None, None),
        ("نبراس و«كيبتاجون» «2/2»", "نبراس و«كيبتاجون» «2/2»", None, None),
    ],
)
def test_clean_title(raw: str, title: str, section: str | None, part: str | None) -> None:
    cleaned = clean_title(raw)
    assert (cleaned.title, cleaned.section, cleaned.part) == (title, section, part)
    assert clean_title(cleaned.title).title == cleaned.title  # idempotent


def test_section_labels_are_read_folded() -> None:
    assert section_of_label("اقتصادي") == section_of_label("إقتصادي") == "economy"
    assert section_of_label("مهرجان") is None


def test_no_real_wire_title_keeps_a_desk_prefix_and_the_section_is_kept() -> None:
    records = wire_records()
    assert len(records) > 300
    prefixed = [r for r in records if " / " in r["title"][:12]]
    assert len(prefixed) > 250  # the agency labels nearly every headline
    for record in records:
        article = saudinewsnet_article(record, source="test", raw_sha256="0")
        assert not article.title.startswith(("عام /", "اقتصادي /", "رياضي /", "ثقافي /", "سياسي /"))
        assert "إضافة" not in article.title.split()[-2:], article.title
    sections = {saudinewsnet_article(r, source="t", raw_sha256="0").section for r in prefixed}
    assert {"general", "economy", "culture", "politics", "sports", "society"} <= sections


def test_the_section_survives_naba_json() -> None:
    record = next(r for r in wire_records() if r["title"].startswith("اقتصادي /"))
    article = saudinewsnet_article(record, source="test", raw_sha256="0")
    back = article_from_json(article_to_json(article), default_provenance=article.provenance)
    assert back == article
    assert back.section == "economy"


def test_no_real_wire_lead_is_a_dateline() -> None:
    leads = []
    for record in wire_records():
        article = saudinewsnet_article(record, source="test", raw_sha256="0")
        lead = lead_paragraph(article.paragraphs)
        if lead is not None:
            leads.append(lead)
            assert not is_lead_noise(lead)
            assert "الموافق" not in lead[:60] or len(lead) > 120, lead
    # Nearly every SPA body opens with «المدينة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس»
    openers = [r["content"].strip().split("\n")[0] for r in wire_records()]
    assert sum(is_lead_noise(o) for o in openers) > len(openers) * 0.6
    assert len(leads) > 300


@pytest.mark.parametrize(
    "line",
    [
        "بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس",
        "القدس المحتلة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس",
        "جدة 25 شوال 1436هـ الموافق 10 أغسطس 2015م واس",
        "إضافة خامسة وأخيرة",
        "واس",
        "عين اليوم – الرياض",
        "الرياض - واس",
    ],
)
def test_lead_noise(line: str) -> None:
    assert is_lead_noise(line)


def test_a_short_sentence_with_a_dash_is_a_lead() -> None:
    assert not is_lead_noise("الرياض - تستضيف العاصمة غدًا معرض الكتاب الدولي بمشاركة واسعة")


def test_a_sentence_with_a_date_is_a_lead() -> None:
    text = "وقّعت المملكة في 10 أغسطس 2015 اتفاقية للتعاون الاقتصادي مع الأردن تشمل مشروعات للطاقة والنقل."
    assert lead_paragraph(["واس", text]) == text
