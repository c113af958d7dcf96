"""Countries per article from places, demonyms and offices, main first; the outlet's country only as a prior."""

from __future__ import annotations

from naba.extract.article import build_article
from naba.sections import home_countries
from naba.sections.countries import countries_of, mentions
from naba.types import Article, Provenance

PROV = Provenance(source="test", fetched_at=None, raw_sha256=None)


def article(title: str, body: str = "", author: str = "", url: str = "http://example.com/a/1") -> Article:
    return build_article(
        url=url,
        title=title,
        body_paragraphs=[body] if body else [],
        authors=[author] if author else [],
        provenance=PROV,
        language="ar",
    )


def test_offices_demonyms_and_places_name_countries() -> None:
    # «وزير» alone is a domestic institution: the home country's, when the article names no other (HOME).
    assert mentions("ولي العهد السعودي يستقبل وزير الخارجية الفرنسي") == ["SA", "HOME", "FR"]
    assert mentions("خادم الحرمين الشريفين يتلقى اتصالاً من البيت الأبيض") == ["SA", "US"]
    # A city counts for its country (places.tsv's `in`), proclitics stripped: بالقاهرة → القاهرة → EG.
    assert mentions("انطلاق مؤتمر الشباب بالقاهرة") == ["EG"]
    assert mentions("أمطار غزيرة على جدة وللمدينة المنورة نصيب") == ["SA", "SA"]
    # Feminine and plural demonyms.
    assert mentions("القوات اليمنية والمصريون") == ["YE", "EG"]


def test_words_that_are_also_names_or_common_words_are_not_countries() -> None:
    # تركي is a Saudi given name; only its definite forms name Turkey. صور "pictures" is not Tyre.
    assert mentions("الأمير تركي الفيصل يلقي محاضرة") == []
    assert mentions("الرئيس التركي يزور أنقرة") == ["TR", "TR"]
    assert mentions("صور من حفل التخرج") == []


def test_main_country_is_where_title_and_dateline_point() -> None:
    a = article(
        "الحوثيون يقصفون أحياء سكنية في تعز",
        "أفادت مصادر محلية بأن الحوثيين قصفوا أحياء في المدينة، فيما دعت السعودية إلى وقف القصف.",
        "عدن - رويترز",
    )
    found = countries_of(a, ("SA",))
    assert found[0] == "YE"
    assert len(found) <= 3


def test_home_country_is_a_prior_never_alone() -> None:
    nothing = article("ارتفاع درجات الحرارة في عطلة نهاية الأسبوع", "توقعات بطقس حار خلال الأيام المقبلة.")
    assert countries_of(nothing, ("SA",)) == ()
    # With evidence for two countries equally, the prior breaks the tie towards home.
    tie = article("مباحثات بين وفد مصري ووفد سعودي")
    assert countries_of(tie, ("SA",))[0] == "SA"
    assert countries_of(tie, ("EG",))[0] == "EG"


def test_home_countries_of_the_outlet_and_the_credited_agency() -> None:
    okaz = article("خبر", url="http://www.okaz.com.sa/new/Issues/20150808/Con20150808788336.htm")
    assert home_countries(okaz) == ("SA",)
    wam = build_article(
        url="http://www.okaz.com.sa/x.htm",
        title="خبر",
        original_source="وام",
        provenance=PROV,
    )
    assert home_countries(wam) == ("SA", "AE")


def test_a_domestic_institution_is_the_home_countrys_unless_another_country_is_named() -> None:
    local = article("وزارة التعليم تعلن موعد بدء العام الدراسي", "أكدت الوزارة جاهزية المدارس.")
    assert countries_of(local, ("SA",)) == ("SA",)
    assert countries_of(local, ()) == ()  # no outlet, no home: nothing
    foreign = article("وزارة الداخلية الإسبانية توقف رجلا في مليلية", "أعلنت الوزارة توقيف رجل.")
    assert countries_of(foreign, ("SA",))[0] == "ES"
