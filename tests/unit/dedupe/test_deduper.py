"""The deduper on Arabic copies written for the test: exact, edited, shortened, boilerplate, look-alikes."""

from __future__ import annotations

from dedupe_articles import FOOTER, WIRE, make

from naba.dedupe import Deduper
from naba.dedupe.shingles import exact_key, shingle_hash, shingle_hashes


def test_exact_copy_with_other_punctuation_and_diacritics() -> None:
    d = Deduper()
    d.add(make("a", "توقيع اتفاقية محطة تحلية في ينبع", WIRE, outlet="one"))
    copy = WIRE.replace("،", ",").replace("اليوم", "اليَوْم")
    result = d.add(make("b", "عنوان آخر", copy, outlet="two"))
    assert result.verdict.method == "exact"
    assert result.verdict.duplicate_of == "https://one.example/a"
    assert exact_key(WIRE) == exact_key(copy)


def test_copy_with_small_edits_is_near_duplicate() -> None:
    d = Deduper()
    d.add(make("a", "t", WIRE, outlet="one"))
    edited = WIRE.replace("وقع وزير الطاقة", "وقّع معالي وزير الطاقة").replace("ثلاث سنوات", "نحو ثلاث سنوات")
    result = d.add(make("b", "t2", edited, outlet="two", hours=2))
    assert result.verdict.method == "near-containment"
    assert result.record.group == d.group_id(result.verdict.article)
    assert len(result.group.members) == 2


def test_shortened_copy_is_contained() -> None:
    d = Deduper()
    d.add(make("a", "t", WIRE, outlet="one"))
    first_paragraph = WIRE.split("\n")[0]
    result = d.add(make("b", "t2", first_paragraph, outlet="two", hours=1))
    assert result.verdict.duplicate_of == "https://one.example/a"
    assert result.verdict.similarity >= 0.9


def test_unrelated_articles_sharing_a_footer_are_not_copies() -> None:
    d = Deduper()
    bodies = [
        "أعلنت أمانة المدينة إغلاق طريق الملك فهد للصيانة مدة أسبوع اعتبارا من الأحد المقبل",
        "فاز فريق النصر على ضيفه الاتحاد بهدفين مقابل هدف في الجولة الثالثة من الدوري",
        "ارتفعت أسعار الذهب في السوق المحلية بنسبة اثنين في المئة خلال تعاملات الأسبوع الماضي",
        "افتتح أمير المنطقة مهرجان التمور السنوي بمشاركة مئة وعشرين مزارعا من مختلف المحافظات",
        "حذرت الأرصاد من رياح نشطة مثيرة للأتربة على المناطق الشرقية حتى مساء الغد",
        "بدأت وزارة التعليم استقبال طلبات النقل الخارجي للمعلمين عبر نظام نور حتى نهاية الشهر",
    ]
    results = [
        d.add(make(str(i), f"خبر {i}", f"{body}\n{FOOTER}", outlet="same", hours=i))
        for i, body in enumerate(bodies)
    ]
    assert all(r.verdict.duplicate_of is None for r in results)


def test_look_alike_events_are_not_copies() -> None:
    d = Deduper()
    one = (
        "ضبط فرع وزارة العمل في منطقة الجوف 42 مخالفة لقرار منع العمل تحت أشعة الشمس خلال جولات "
        "تفتيشية على مواقع البناء في سكاكا ودومة الجندل وطبرجل يوم الأحد"
    )
    two = (
        "ضبط مكتب العمل في محافظة خيبر 17 مخالفة لقرار منع العمل تحت أشعة الشمس بعد جولات ميدانية "
        "نفذها المفتشون على المزارع والورش في المحافظة صباح الاثنين وأحيل المخالفون للجنة"
    )
    d.add(make("a", "عمل الجوف يضبط مخالفات", one, outlet="one"))
    result = d.add(make("b", "عمل خيبر يضبط مخالفات", two, outlet="two", hours=3))
    assert result.verdict.duplicate_of is None


def test_original_is_the_agency_credit_then_earliest_and_also_published_lists_the_others() -> None:
    d = Deduper()
    rewrite = WIRE.replace("الرياض - واس: ", "")
    d.add(make("late", "t", rewrite, outlet="paper", hours=0))
    result = d.add(make("wire", "t", WIRE, outlet="site", hours=5))
    group = result.group
    assert group.original == "https://site.example/wire"  # credits واس in its dateline
    assert [a.outlet for a in group.also_published] == ["paper"]
    assert group.id == "https://paper.example/late"  # the group id is its first article's, and stays


def test_shingles_are_stable_across_processes() -> None:
    assert shingle_hashes(["a", "b", "c", "d", "e"]) == frozenset({6713423680183553286})


def test_shingle_hashes_are_the_hashes_of_each_window() -> None:
    words = [
        "وقع",
        "وزير",
        "الطاقة",
        "اتفاقية",
        "لإنشاء",
        "محطة",
        "تحلية",
        "مياه",
        "البحر",
        "في",
        "ينبع",
        "وقع",
        "وزير",
        "الطاقة",
    ]
    windows = {shingle_hash(words[i : i + 5]) for i in range(len(words) - 4)}
    assert shingle_hashes(words) == windows
    assert len(windows) == len({" ".join(words[i : i + 5]) for i in range(len(words) - 4)})
    assert shingle_hashes(words[:3]) == {shingle_hash(words[:3])}
