"""Person, organization and stage (preview vs result) anchors, on Arabic text written for the test."""

from __future__ import annotations

from naba.stories.anchors import (
    PREVIEW,
    RESULT,
    AnchorCounts,
    Anchors,
    article_anchors,
    conflict_factor,
    person_keys,
    person_tokens,
    stage,
)
from naba.text.normalize import normalize


def _terms(text: str) -> list[str]:
    return normalize(text).split()


def test_person_tokens_drop_particles_and_join_abd() -> None:
    assert person_tokens("الأمير عبد الله بن مساعد") == [normalize("عبدالله"), "مساعد"]
    assert person_tokens("عبدالله دواس آل منصور") == [normalize("عبدالله"), "دواس", "منصور"]
    assert person_tokens("علي بن عمير الشهراني") == ["علي", "عمير", "شهراني"]


def test_spelling_variants_of_one_person_share_a_key() -> None:
    full = person_keys(["عبدالله بن دواس آل منصور"])
    short = person_keys(["آل منصــور"])
    assert full & short
    assert person_keys(["عبدالله آل منصور"], "surname") == person_keys(["آل منصور"], "surname")


def test_two_martyrs_are_different_persons() -> None:
    a = Anchors(persons=person_keys(["محمد العمري"]))
    b = Anchors(persons=person_keys(["سعيد الحامدي"]))
    assert conflict_factor(a, b, 0.5, 0.3, person_penalty=0.3) == 0.7
    assert conflict_factor(a, a, 0.5, 0.3, person_penalty=0.3) == 1.0
    assert conflict_factor(a, Anchors(), 0.5, 0.3, person_penalty=0.3) == 1.0


def test_preview_and_result_are_told_apart() -> None:
    preview = stage(_terms("أرسنال يختبر قدراته أمام تشيلسي"), _terms("يلتقي الفريقان اليوم في ملعب ويمبلي"))
    result = stage(_terms("أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية"), _terms("فاز أرسنال بهدف نظيف"))
    neutral = stage(_terms("أرسنال وتشيلسي في ويمبلي"), _terms("الجماهير تملأ الملعب"))
    assert preview == {PREVIEW}
    assert result == {RESULT}
    assert neutral == frozenset()
    assert conflict_factor(Anchors(stage=preview), Anchors(stage=result), 0.5, 0.3, stage_penalty=0.5) == 0.5
    assert conflict_factor(Anchors(stage=result), Anchors(stage=neutral), 0.5, 0.3, stage_penalty=0.5) == 1.0


def test_market_close_reads_as_a_result() -> None:
    anchors = article_anchors(_terms("الأسهم السعودية تغلق على تراجع حاد"), _terms("أغلق المؤشر العام"))
    assert anchors.stage == {RESULT}


def test_a_story_core_keeps_both_stages_when_both_are_common() -> None:
    counts = AnchorCounts()
    for s in (PREVIEW, PREVIEW, RESULT, RESULT):
        counts.add(Anchors(stage=frozenset({s})))
    assert counts.core(0.34).stage == {PREVIEW, RESULT}
