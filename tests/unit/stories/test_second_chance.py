"""Second-chance repair merges (shared specific figure, singleton attached to a large story), Arabic text."""

from __future__ import annotations

from story_articles import fillers, make

from naba.stories import StoryClusterer
from naba.stories.anchors import Anchors, figures, figures_agree, specific_figure
from naba.text.normalize import normalize

# One market close told by two different texts (the exchange's release and a wire report).
CLOSE_RELEASE = (
    "أغلق مؤشر سوق الأسهم السعودية تعاملات اليوم منخفضا 291 نقطة أو ما نسبته 3.2% عند مستوى 8807.24 نقطة "
    "بتداولات بلغت قيمتها ستة مليارات ريال."
)
CLOSE_WIRE = (
    "هبطت الأسهم السعودية بنسبة 3.2% إلى 8807 نقاط متأثرة بتراجع أسعار النفط، وقال متعاملون إن المستثمرين "
    "باعوا أسهم البنوك والبتروكيماويات وسط مخاوف من تباطؤ الطلب."
)
# The next day's close: the same wording, other figures.
NEXT_CLOSE = (
    "هبطت الأسهم السعودية بنسبة 1.4% إلى 8680 نقطة متأثرة بتراجع أسعار النفط، وقال متعاملون إن المستثمرين "
    "باعوا أسهم البنوك والبتروكيماويات وسط مخاوف من تباطؤ الطلب."
)


def _anchors(text: str) -> Anchors:
    return Anchors(figures=frozenset(figures(normalize(text).split())))


def test_specific_figures_agree_across_rounding() -> None:
    assert specific_figure("3.2") and specific_figure("291") and not specific_figure("24")
    release, wire, nxt = _anchors(CLOSE_RELEASE), _anchors(CLOSE_WIRE), _anchors(NEXT_CLOSE)
    assert figures_agree(release, wire)  # 3.2 and 8807.24 ~ 8807
    assert not figures_agree(wire, nxt)
    # Small counts (match days, ages) recur across events: they never make cores agree.
    assert not figures_agree(Anchors(figures=frozenset({"23"})), Anchors(figures=frozenset({"23"})))


def _clusterer(**params: float) -> StoryClusterer:
    c = StoryClusterer(merge_threshold=0.99, repair_every=1000, **params)  # type: ignore[arg-type]
    for f in fillers():
        c.add(f)
    return c


def test_shared_figure_merges_two_texts_of_one_close_at_repair() -> None:
    c = _clusterer(join_threshold=0.99, agree_merge_threshold=0.05, attach_threshold=1.0)
    a, _ = c.add(make("a", "المؤشر يغلق منخفضا 3.2%", CLOSE_RELEASE, outlet="one"))
    b, _ = c.add(make("b", "الأسهم السعودية تهبط 3.2%", CLOSE_WIRE, outlet="two", hours=1))
    assert a.story != b.story
    merges = c.repair()
    assert [(m.absorbed, m.into) for m in merges] == [(b.story, a.story)]
    assert c.story_of(b.article) == a.story


def test_other_figures_keep_look_alike_closes_apart() -> None:
    c = _clusterer(join_threshold=0.99, agree_merge_threshold=0.05, attach_threshold=1.0)
    a, _ = c.add(make("a", "الأسهم السعودية تهبط 3.2%", CLOSE_WIRE, outlet="one"))
    b, _ = c.add(make("b", "الأسهم السعودية تهبط 1.4%", NEXT_CLOSE, outlet="two", hours=20))
    assert c.repair() == []
    assert c.story_of(b.article) == b.story != a.story


def _attach(min_size: int) -> tuple[str, str, list[tuple[str, str]]]:
    c = _clusterer(
        join_threshold=0.99, agree_merge_threshold=1.0, attach_threshold=0.12, attach_min_size=min_size
    )
    first, _ = c.add(make("a", "المؤشر يغلق منخفضا 3.2%", CLOSE_RELEASE, outlet="one"))
    for i, outlet in enumerate(("three", "four")):
        c.add(
            make(f"c{i}", "المؤشر يغلق منخفضا 3.2%", CLOSE_RELEASE, outlet=outlet, hours=1 + i), first.article
        )
    lone, _ = c.add(make("b", "الأسهم السعودية تهبط 3.2%", CLOSE_WIRE, outlet="two", hours=4))
    return first.story, lone.story, [(m.absorbed, m.into) for m in c.repair()]


def test_singleton_attaches_only_to_a_large_story() -> None:
    large, lone, merges = _attach(min_size=3)
    assert merges == [(lone, large)]
    assert _attach(min_size=4)[2] == []  # three articles are not "large" at this setting
