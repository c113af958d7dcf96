"""Anchors (places, figures) that keep look-alike events apart, on Arabic text written for the test."""

from __future__ import annotations

from story_articles import fillers, make

from naba.stories import StoryStream
from naba.stories.anchors import AnchorCounts, Anchors, article_anchors, conflict_factor, figures
from naba.stories.places import agree, find_places, specific
from naba.text.normalize import normalize

RAID = (
    "ضبط فرع وزارة العمل في {town} {n} مخالفة لقرار منع العمل تحت أشعة الشمس خلال جولات تفتيشية "
    "على مواقع البناء والمشاريع، وأحال المنشآت المخالفة إلى الجهات المختصة لتطبيق العقوبات."
)
RAID_REWRITE = (
    "أحال مكتب العمل في {town} منشآت خالفت قرار حظر العمل تحت أشعة الشمس إلى الجهات المختصة بعد ضبط "
    "{n} مخالفة في جولات تفتيشية على مواقع البناء والمشاريع."
)


def _terms(text: str) -> list[str]:
    return normalize(text).split()


def test_places_read_clitics_and_two_word_names() -> None:
    found = find_places(_terms("لجنة الانتخابات بالمدينة المنورة وللباحة وبنجران والأحساء"))
    assert found == {normalize("المدينة"), normalize("الباحة"), "نجران", normalize("الأحساء")}
    assert find_places(_terms("ارتفعت أسعار الذهب في السوق المحلية")) == set()


def test_a_governorate_agrees_with_its_region_and_not_with_another_governorate() -> None:
    madinah, khaybar, ais = normalize("المدينة"), "خيبر", normalize("العيص")
    assert specific([madinah, khaybar]) == frozenset({khaybar})
    assert agree(frozenset({madinah}), frozenset({khaybar}))
    assert not agree(frozenset({ais}), frozenset({khaybar}))


def test_figures_are_normalized_and_years_dropped() -> None:
    assert figures(["3.20%", "8,800", "2015", "1436", "7", "42"]) == {"3.2", "8800", "42"}


def test_conflict_needs_both_sides_to_name_something() -> None:
    jawf = Anchors(frozenset({"الجوف"}), frozenset({"42"}))
    khaybar = Anchors(frozenset({"خيبر"}), frozenset({"46"}))
    assert conflict_factor(jawf, khaybar, 0.5, 0.3) == 0.5 * 0.7
    assert conflict_factor(jawf, Anchors(), 0.5, 0.3) == 1.0
    assert conflict_factor(jawf, jawf, 0.5, 0.3) == 1.0


def test_story_core_keeps_what_most_members_name() -> None:
    counts = AnchorCounts()
    for places in ({"خيبر"}, {"خيبر"}, {"تبوك", "خيبر"}):
        counts.add(Anchors(frozenset(places)))
    counts.add(Anchors(frozenset({"خيبر"})))
    assert counts.core(0.34).places == frozenset({"خيبر"})


def test_lead_anchors_of_an_article() -> None:
    a = make("x", "عمل خيبر يضبط 42 مخالفة", RAID.format(town="خيبر", n="42"))
    anchors = article_anchors(a.title_phrase_terms, a.body_phrase_terms)
    assert anchors.places == frozenset({"خيبر"})
    assert anchors.figures == frozenset({"42"})


def test_two_raids_in_different_towns_stay_apart_and_one_raid_reported_twice_joins() -> None:
    s = StoryStream()
    for filler in fillers():
        s.add(filler)
    first = s.add(
        make("a", "عمل خيبر يضبط 42 مخالفة لقرار منع العمل تحت الشمس", RAID.format(town="خيبر", n="42"))
    )
    again = s.add(
        make(
            "b",
            "42 مخالفة لمنع العمل تحت أشعة الشمس في خيبر",
            RAID_REWRITE.format(town="خيبر", n="42"),
            outlet="two",
            hours=2,
        )
    )
    other = s.add(
        make(
            "c",
            "عمل الجوف يضبط 17 مخالفة لقرار منع العمل تحت الشمس",
            RAID.format(town="الجوف", n="17"),
            outlet="three",
            hours=3,
        )
    )
    assert again.assignment.story == first.assignment.story
    assert other.assignment.story != first.assignment.story


def test_a_template_copy_about_another_country_does_not_follow_its_original() -> None:
    telegram = (
        "بعث خادم الحرمين الشريفين برقية تهنئة لرئيس {country} بمناسبة ذكرى استقلال بلاده، "
        "أعرب فيها عن أطيب التهاني وأصدق التمنيات بالصحة والسعادة ولشعب {country} بالتقدم والازدهار."
    )
    s = StoryStream()
    for filler in fillers():
        s.add(filler)
    niger = s.add(make("n", "خادم الحرمين يهنئ رئيس النيجر", telegram.format(country="النيجر")))
    jamaica = s.add(
        make(
            "j", "خادم الحرمين يهنئ حاكم جامايكا", telegram.format(country="جامايكا"), outlet="two", hours=20
        )
    )
    # The deduper calls it a copy, but a conflicting copy is scored like any article (the conflict scales its
    # similarity; it is not a veto, so a word-for-word template can still join on text alone).
    assert jamaica.dedupe.verdict.duplicate_of == niger.assignment.article
    assert jamaica.assignment.method != "copy"
