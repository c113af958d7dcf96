"""naba.extract.text_pages: the seed page fact by fact, the golden pages, the eval script, and the rules."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from naba.extract.text_pages import TextPage, parse_text_page
from naba.identity import article_identity
from naba.types import Article, Provenance

REPO = Path(__file__).resolve().parents[3]
SEED = REPO.parent / "shared" / "seed"
GOLDEN = REPO / "tests" / "golden" / "text_pages"
EVAL_SCRIPT = REPO / "eval" / "text_pages.py"

needs_seed = pytest.mark.skipif(not (SEED / "seed-page.txt").exists(), reason="../shared/seed is not present")


def fold(text: str) -> str:
    return " ".join(text.split())


def body(article: Article) -> str:
    return fold(" ".join(article.paragraphs))


def load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("naba_eval_text_pages", EVAL_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed() -> tuple[TextPage, dict[str, Any]]:
    if not (SEED / "seed-page.txt").exists():
        pytest.skip("../shared/seed is not present")
    fetched = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    page = parse_text_page(
        (SEED / "seed-page.txt").read_text(encoding="utf-8"),
        source="seed-page.txt",
        fetched_at=fetched,
        raw_sha256="ab",
    )
    expected = json.loads((SEED / "seed-page.expected.json").read_text(encoding="utf-8"))
    return page, expected


def test_seed_article_facts(seed: tuple[TextPage, dict[str, Any]]) -> None:
    page, expected = seed
    assert len(page.articles) == len(expected["articles"])
    for got, want in zip(page.articles, expected["articles"], strict=True):
        assert (got.embedded_in is None) == (want["role"] == "main")
        assert fold(got.title) == fold(want["title"])
        published = got.published.isoformat()[:10] if got.published else None
        assert published == want["published_date"]
        if "original_source" in want:
            assert got.original_source == want["original_source"]
        if "keywords" in want:
            assert set(got.tags) == set(want["keywords"])
        assert len(got.paragraphs) == want["paragraph_count"]
        assert body(got).startswith(fold(want["body_starts_with"]))
        assert body(got).endswith(fold(want["body_ends_with"]))
        for banned in want["body_must_not_contain"]:
            assert fold(banned) not in body(got)


def test_seed_related_headlines(seed: tuple[TextPage, dict[str, Any]]) -> None:
    page, expected = seed
    assert [fold(h) for h in page.related_headlines] == [fold(h) for h in expected["related_headlines"]]
    assert page.articles[1].related_headlines == page.related_headlines  # they followed the embedded article


def test_seed_identity_provenance_evidence(seed: tuple[TextPage, dict[str, Any]]) -> None:
    page, _ = seed
    main, embedded = page.articles
    assert main.id == article_identity(
        canonical_url=None, url=None, title=main.title, first_paragraph=main.paragraphs[0]
    )
    assert embedded.embedded_in == main.id and main.embedded_in is None
    assert main.provenance == Provenance("seed-page.txt", dt.datetime(2025, 6, 1, tzinfo=dt.UTC), "ab")
    assert main.lead is None and main.language == "ar" and embedded.language == "ar"
    assert main.published == dt.date(2023, 11, 30)  # a date-only dateline stays a date, even with GMT
    assert main.evidence["published"] == "dateline:تاريخ النشر"
    assert main.evidence["original_source"] == "line:المصدر"
    assert main.evidence["tags"] == "line:كلمات دلالية"
    assert embedded.evidence["embedded_in"].startswith("marker:")


def golden_pages() -> list[Path]:
    return sorted(GOLDEN.glob("*.txt"))


def test_enough_golden_pages() -> None:
    assert len(golden_pages()) >= 5
    for page in golden_pages():
        assert page.with_name(page.stem + ".expected.json").exists()


@pytest.mark.parametrize("page_path", golden_pages(), ids=lambda p: p.stem)
def test_golden_page(page_path: Path) -> None:
    scorer = load_eval()
    expected = json.loads(page_path.with_name(page_path.stem + ".expected.json").read_text(encoding="utf-8"))
    page = parse_text_page(page_path.read_text(encoding="utf-8"), source=page_path.name)
    wrong = [name for name, ok in scorer.score_page(page, expected) if not ok]
    assert wrong == []
    assert len(page.articles) == len(expected["articles"])
    assert [fold(h) for h in page.related_headlines] == [fold(h) for h in expected["related_headlines"]]


@needs_seed
def test_eval_script_all_facts_right() -> None:
    run = subprocess.run(
        [sys.executable, str(EVAL_SCRIPT), "--gold", str(GOLDEN), "--gold", str(SEED)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert set(figures) == {"pages", "pages_all_right", "facts", "facts_right"}
    assert figures["pages"] == len(golden_pages()) + 1
    assert figures["pages_all_right"] == figures["pages"]
    assert figures["facts_right"] == figures["facts"] > 100


def test_published_with_time_and_zone_is_aware() -> None:
    page = parse_text_page(
        "عنوان الخبر\nنشر في: 21 يوليو 2015 - 10:30 م بتوقيت مكة المكرمة\nفقرة أولى.", source="t"
    )
    published = page.articles[0].published
    assert isinstance(published, dt.datetime)
    assert published.utcoffset() == dt.timedelta(hours=3) and published.hour == 22


def test_update_is_not_publication() -> None:
    page = parse_text_page("عنوان الخبر\nآخر تحديث: 22 يوليو 2015\nفقرة أولى.", source="t")
    article = page.articles[0]
    assert article.published is None and article.updated == dt.date(2015, 7, 22)


def test_both_labels_on_one_line() -> None:
    page = parse_text_page("عنوان\nنشر في: 21 يوليو 2015 | آخر تحديث: 23 يوليو 2015\nفقرة أولى.", source="t")
    article = page.articles[0]
    assert article.published == dt.date(2015, 7, 21) and article.updated == dt.date(2015, 7, 23)


def test_future_dateline_ignored_with_fetch_time() -> None:
    fetched = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    page = parse_text_page("عنوان\nتاريخ النشر: 30 نوفمبر 2099\nفقرة أولى.", source="t", fetched_at=fetched)
    assert page.articles[0].published is None


def test_lil_mazid_in_a_sentence_is_prose() -> None:
    text = "عنوان الخبر\nفقرة أولى.\nللمزيد من التفاصيل يمكن مراجعة موقع الوزارة الرسمي على الإنترنت.\nفقرة أخيرة."
    page = parse_text_page(text, source="t")
    assert len(page.articles) == 1 and len(page.articles[0].paragraphs) == 3


def test_marker_glued_after_sentence_is_split() -> None:
    text = (
        "عنوان الخبر\nفقرة أولى طويلة بما يكفي.اقرأ أيضاً:\nعنوان مضمن\n"
        "فقرة من الخبر المضمن تنتهي بنقطة.\nشاهد أيضاعنوان ذو صلة"
    )
    page = parse_text_page(text, source="t")
    main, embedded = page.articles
    assert main.paragraphs == ("فقرة أولى طويلة بما يكفي.",)
    assert embedded.title == "عنوان مضمن" and embedded.paragraphs == ("فقرة من الخبر المضمن تنتهي بنقطة.",)
    assert page.related_headlines == ("عنوان ذو صلة",)


def test_empty_and_title_only_pages() -> None:
    assert parse_text_page("\n \n", source="t") == TextPage((), ())
    page = parse_text_page("عنوان وحيد", source="t")
    assert page.articles[0].title == "عنوان وحيد" and page.articles[0].paragraphs == ()


def test_english_language() -> None:
    page = parse_text_page("Markets rally\nStocks rose on Monday.", source="t")
    assert page.articles[0].language == "en"


def test_invisible_marks_and_bom_are_removed() -> None:
    page = parse_text_page("\ufeffعنوان الخبر\n\u200fاقرأ\u00a0أيضا:\nعنوان مضمن\nفقرة مضمنة.", source="t")
    assert page.articles[0].title == "عنوان الخبر"
    assert page.articles[1].title == "عنوان مضمن"


def test_share_bar_dropped_but_network_headline_kept() -> None:
    text = "عنوان\nشارك: فيسبوك | تويتر | واتساب\nفيس بوك\nفقرة أولى.\nاقرأ أيضاً\nتويتر تحظر حسابات مزيفة"
    page = parse_text_page(text, source="t")
    assert page.articles[0].paragraphs == ("فقرة أولى.",)
    assert page.related_headlines == ("تويتر تحظر حسابات مزيفة",)


def test_hijri_dual_dateline_is_a_dateline() -> None:
    text = "عنوان\nالاثنين 15 رمضان 1445هـ الموافق 25 مارس 2024م\nفقرة أولى."
    article = parse_text_page(text, source="t").articles[0]
    assert article.published == dt.date(2024, 3, 25) and article.paragraphs == ("فقرة أولى.",)


def test_sentence_with_a_date_is_prose() -> None:
    article = parse_text_page("عنوان\nوفي 3 أغسطس 2015 وقع الاتفاق.\nفقرة.", source="t").articles[0]
    assert article.published is None and len(article.paragraphs) == 2


def test_first_line_of_block_ending_with_colon_is_a_title() -> None:
    text = "عنوان\nفقرة أولى.\nطالع أيضا\nتعرف على الشروط الجديدة:\nفقرة مضمنة تنتهي بنقطة."
    embedded = parse_text_page(text, source="t").articles[1]
    assert embedded.title == "تعرف على الشروط الجديدة:" and embedded.paragraphs == (
        "فقرة مضمنة تنتهي بنقطة.",
    )


def test_bullets_removed_from_headlines_and_markers() -> None:
    page = parse_text_page("عنوان\nفقرة أولى.\n► مواضيع ذات صلة:\n- عنوان أول\n• عنوان ثان", source="t")
    assert page.related_headlines == ("عنوان أول", "عنوان ثان")


def test_dateline_above_embedded_title_and_after_headline() -> None:
    text = (
        "عنوان\nفقرة أولى.\nأخبار ذات صلة\nعنوان أول للخبر\n2024/03/02\n"
        "اقرأ أيضا:\n12 مارس 2024\nعنوان مضمن\nفقرة مضمنة."
    )
    page = parse_text_page(text, source="t")
    main, embedded = page.articles
    assert main.published is None and embedded.published == dt.date(2024, 3, 12)
    assert page.related_headlines == ("عنوان أول للخبر",)


def test_one_tag_a_line_and_dash_labels() -> None:
    text = "عنوان\nكتب - أحمد علي\nفقرة أولى.\nالمصدر - الجزيرة\nكلمات دلالية:\nغزة\nالهدنة"
    article = parse_text_page(text, source="t").articles[0]
    assert article.authors == ("أحمد علي",) and article.original_source == "الجزيرة"
    assert article.tags == ("غزة", "الهدنة") and article.paragraphs == ("فقرة أولى.",)


def test_leading_agency_credit() -> None:
    text = "عنوان\nالقاهرة (أ ش أ) - قال الوزير إن الخطة ستبدأ.\nفقرة."
    article = parse_text_page(text, source="t").articles[0]
    assert article.original_source == "أ ش أ" and article.evidence["original_source"] == "credit:leading"
    assert article.paragraphs[0].startswith("القاهرة (أ ش أ)")
