"""Related lists: tiers, reasons, and time awareness (the seed page's mistake must not happen)."""

from __future__ import annotations

import datetime as dt

from related_articles import fillers, make, seed_articles

from naba.stories import StoryStream
from naba.stories.related import RECENT_WINDOW, RelatedFinder

DESAL = (
    "وقع وزير الطاقة اتفاقية لإنشاء محطة تحلية مياه البحر في ينبع بطاقة مليون متر مكعب يوميا "
    "تعمل بالطاقة الشمسية بتكلفة أربعة مليارات ريال."
)
DESAL_REWRITE = (
    "محطة ينبع الجديدة لتحلية مياه البحر ستنتج مليون متر مكعب يوميا بالطاقة الشمسية، بحسب الاتفاقية "
    "التي وقعها وزير الطاقة بأربعة مليارات ريال."
)


def test_same_story_first_with_reasons() -> None:
    f = RelatedFinder(StoryStream())
    for filler in fillers():
        f.add(filler)
    f.add(make("a", "توقيع اتفاقية محطة تحلية في ينبع", DESAL, outlet="one"))
    f.add(make("b", "اتفاقية تحلية ينبع", DESAL, outlet="two", hours=1))
    f.add(make("c", "محطة ينبع لتحلية المياه", DESAL_REWRITE, outlet="three", hours=2))
    related = f.related(make("a", "", "x", outlet="one").article.id)
    assert [r.article for r in related][:2] == ["https://three.example/c", "https://two.example/b"]
    assert related[0].reason == "same story"
    assert related[1].reason == "same text, also published by two"


def test_seed_page_articles_are_not_one_story_nor_related() -> None:
    articles = seed_articles()
    assert len(articles) >= 2
    f = RelatedFinder(StoryStream())
    for a in articles:
        f.add(a)
    first, second = articles[0].article.id, articles[1].article.id
    assert f.stream.stories.story_of(first) != f.stream.stories.story_of(second)
    assert second not in {r.article for r in f.related(first)}
    assert first not in {r.article for r in f.related(second)}


def test_nothing_related_outside_the_window_unless_same_thread() -> None:
    f = RelatedFinder(StoryStream())
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    dates = [t0 + dt.timedelta(days=d) for d in (0, 1, 20, 40, 41)]
    for i, when in enumerate(dates):
        f.add(
            make(str(i), "اتفاقية تحلية ينبع", DESAL if i % 2 else DESAL_REWRITE, outlet=f"o{i}", when=when)
        )
    f.stream.flush()
    threads = f.stream.threads
    stories = f.stream.stories
    for i, when in enumerate(dates):
        me = make(str(i), "", "x", outlet=f"o{i}").article.id
        for item in f.related(me):
            j = int(item.article.rsplit("/", 1)[1])
            far = abs(dates[j] - when) > RECENT_WINDOW
            same_thread = threads.thread_of(stories.story_of(me)) is not None and threads.thread_of(
                stories.story_of(me)
            ) == threads.thread_of(stories.story_of(item.article))
            same_story = stories.story_of(me) == stories.story_of(item.article)
            assert not far or same_thread or same_story
