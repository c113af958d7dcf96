"""The section classifier: trained at test time on a small Arabic fixture, stored without pickle."""

from __future__ import annotations

import numpy as np
import pytest

from naba.errors import TrainingUnavailable
from naba.extract.article import build_article
from naba.sections.model import SectionModel, section_terms, train
from naba.text.analyzer import DEFAULT_ANALYZER
from naba.types import Provenance

PROV = Provenance(source="test", fetched_at=None, raw_sha256=None)

# Headlines and leads written for the test, in the style of Saudi papers.
FIXTURE = {
    "sports": [
        (
            "الهلال يتعادل مع النصر في ديربي الرياض",
            "انتهت المباراة بين الفريقين بالتعادل الإيجابي في الدوري.",
        ),
        (
            "الأهلي يتعاقد مع مدرب روماني للفريق الأول",
            "أعلن النادي تعاقده مع المدرب لقيادة الفريق في الموسم.",
        ),
        (
            "منتخب السلة يفوز على الجزائر في البطولة العربية",
            "حقق المنتخب فوزا مستحقا في المباراة الثانية بالبطولة.",
        ),
        (
            "الاتحاد يختتم معسكره في النمسا استعدادا للدوري",
            "أنهى الفريق معسكره الإعدادي بمباراة ودية أمام فريق محلي.",
        ),
    ],
    "economy": [
        (
            "مؤشر السوق السعودية يغلق على ارتفاع",
            "ارتفع المؤشر العام للأسهم بدعم من قطاع البنوك والبتروكيماويات.",
        ),
        (
            "أسعار النفط تتراجع مع زيادة المخزونات الأمريكية",
            "هبطت أسعار خام برنت في التعاملات الآسيوية اليوم.",
        ),
        ("أرباح الشركة ترتفع في الربع الثاني", "أعلنت الشركة ارتفاع صافي أرباحها مقارنة بالفترة المماثلة."),
        (
            "البنك المركزي يبقي أسعار الفائدة دون تغيير",
            "قرر البنك الإبقاء على سعر الفائدة لدعم النمو الاقتصادي.",
        ),
    ],
    "politics": [
        (
            "وزير الخارجية يبحث مع نظيره الفرنسي الأزمة اليمنية",
            "جرى خلال اللقاء بحث العلاقات الثنائية والأوضاع في المنطقة.",
        ),
        (
            "مجلس الأمن يدعو إلى وقف إطلاق النار في سوريا",
            "طالب المجلس جميع الأطراف بالالتزام بالهدنة وحماية المدنيين.",
        ),
        (
            "قوات التحالف تستهدف مواقع الحوثيين في صعدة",
            "شنت طائرات التحالف غارات على مواقع عسكرية للمليشيات.",
        ),
        (
            "الرئيس يصدر مرسوما بتشكيل الحكومة الجديدة",
            "تضمن المرسوم تعيين عدد من الوزراء في الحقائب السيادية.",
        ),
    ],
}


def fixture() -> tuple[list[list[str]], list[str]]:
    docs, labels = [], []
    for section, rows in FIXTURE.items():
        for title, lead in rows:
            a = build_article(url=None, title=title, body_paragraphs=[lead], provenance=PROV)
            docs.append(section_terms(a, DEFAULT_ANALYZER))
            labels.append(section)
    return docs, labels


def test_title_terms_are_marked_and_body_terms_follow() -> None:
    a = build_article(
        url=None, title="الهلال يفوز", body_paragraphs=["فاز الفريق بالمباراة"], provenance=PROV
    )
    terms = section_terms(a, DEFAULT_ANALYZER)
    assert terms[0].startswith("t:")
    assert any(not t.startswith("t:") for t in terms)


def test_trained_model_labels_unseen_headlines() -> None:
    docs, labels = fixture()
    model = train(docs, labels, DEFAULT_ANALYZER, min_df=1)
    assert set(model.classes) == set(FIXTURE)
    assert model.trained_on == len(docs)
    unseen = {
        "sports": ("النصر يفوز على الشباب في الدوري", "سجل الفريق هدفين في المباراة."),
        "economy": ("تراجع أسعار الأسهم في السوق", "انخفض المؤشر مع ضغوط على قطاع البنوك."),
        "politics": ("وزير الخارجية يلتقي نظيره الأمريكي", "بحث الوزيران العلاقات والأوضاع في المنطقة."),
    }
    for section, (title, lead) in unseen.items():
        a = build_article(url=None, title=title, body_paragraphs=[lead], provenance=PROV)
        predicted, p = model.predict(section_terms(a, DEFAULT_ANALYZER))
        assert predicted == section, title
        assert 0.0 < p <= 1.0


def test_model_round_trips_through_bytes_without_pickle() -> None:
    docs, labels = fixture()
    model = train(docs, labels, DEFAULT_ANALYZER, min_df=1)
    again = SectionModel.from_bytes(model.to_bytes())
    assert again.classes == model.classes and again.analyzer == model.analyzer
    for doc in docs:
        np.testing.assert_allclose(again.probabilities(doc), model.probabilities(doc), rtol=1e-6)
    # An article with no known term gets the prior (the intercepts), not an error.
    assert sum(model.probabilities(["غير-معروف"])) == pytest.approx(1.0)


def test_two_sections_and_too_few() -> None:
    docs, labels = fixture()
    two = [(d, lab) for d, lab in zip(docs, labels, strict=True) if lab != "politics"]
    model = train([d for d, _ in two], [lab for _, lab in two], DEFAULT_ANALYZER, min_df=1)
    assert model.coef.shape[0] == 2
    assert model.predict(docs[0])[0] == "sports"
    with pytest.raises(TrainingUnavailable):
        train(docs[:4], labels[:4], DEFAULT_ANALYZER, min_df=1)
