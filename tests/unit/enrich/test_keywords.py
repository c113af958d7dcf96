"""Keywords: multi-word Arabic phrases, spelling-insensitive identity, IDF from caller-kept frequencies."""

from __future__ import annotations

from pathlib import Path

import pytest

from naba.enrich.keywords import CounterFrequencies, article_keywords, candidates, group_keywords

RELEASE = (
    "أعلنت الحركة إطلاق سراح محتجزتين. وقالت إنها تعمل على إطلاق سراح المواطنين.\n"
    "ودعت الأطراف إلى وقف إطلاق النار، وشددت على أن وقف إطلاق النار يجب أن يشمل القطاع.\n"
    "وطالبت بوقف إطلاق النار فورا ولإطلاق سراح الأسرى."
)
ECONOMY = "ارتفعت أسعار النفط في الأسواق العالمية اليوم بعد تراجع المخزونات الأمريكية.\n"
SPORT = "فاز الفريق في المباراة النهائية للبطولة وتوج باللقب للمرة الثانية.\n"


def _texts(keywords: list) -> list[str]:  # type: ignore[type-arg]
    return [k.text for k in keywords]


def test_candidates_do_not_start_or_end_with_stopwords() -> None:
    for cand in candidates(RELEASE):
        words = cand.surface.split()
        assert words[0] not in ("على", "إلى", "أن", "في")
        assert words[-1] not in ("على", "إلى", "أن", "في")


def test_multiword_keywords_are_found() -> None:
    texts = _texts(article_keywords(RELEASE))
    assert "وقف إطلاق النار" in texts
    assert "إطلاق سراح" in texts
    # the words of a kept phrase do not also appear alone
    assert "إطلاق" not in texts


def test_proclitic_forms_share_one_key() -> None:
    keys = {c.key for c in candidates("إطلاق سراح ولإطلاق سراح")}
    assert len({k for k in keys if k.endswith("سراح") and len(k.split()) == 2}) == 1


def test_document_frequencies_lower_common_phrases() -> None:
    df = CounterFrequencies()
    for text in (ECONOMY, SPORT, ECONOMY + " إطلاق سراح", SPORT):
        df.add_document(text)
    common = ECONOMY + RELEASE
    ranked = _texts(article_keywords(common, df=df))
    assert ranked.index("وقف إطلاق النار") < ranked.index("أسعار النفط") if "أسعار النفط" in ranked else True
    assert df.document_count() == 4


def test_entities_are_boosted() -> None:
    text = "زار الوفد القاهرة ثم الدوحة. وقالت القاهرة إن المفاوضات مستمرة حول المساعدات والمساعدات."
    plain = _texts(article_keywords(text, top=3))
    boosted = _texts(article_keywords(text, entities=["الدوحة"], top=3))
    assert "الدوحة" in boosted
    assert plain != boosted or "الدوحة" in plain


def test_group_keywords_prefer_shared_phrases() -> None:
    group = [RELEASE, "رحبت قطر بإطلاق سراح الأسرى ودعت إلى وقف إطلاق النار.", ECONOMY]
    texts = _texts(group_keywords(group, top=3))
    assert "وقف إطلاق النار" in texts
    assert all(k.score > 0 for k in group_keywords(group))


def test_seed_main_article_keyword() -> None:
    """The seed page's main article is tagged "إطلاق سراح" by its site; it is naba's top keyword too."""
    seed = Path(__file__).resolve().parents[3] / ".." / "shared" / "seed" / "seed-page.txt"
    if not seed.exists():
        pytest.skip("../shared/seed is not available")
    main_article = seed.read_text(encoding="utf-8").split("المصدر:")[0]
    assert article_keywords(main_article)[0].text == "إطلاق سراح"
