"""Online story assignment on Arabic articles written for the test."""

from __future__ import annotations

import datetime as dt

from story_articles import RELEASE_2023, RELEASE_2025, fillers, make

from naba.stories import StoryStream

DESAL = (
    "وقع وزير الطاقة اتفاقية لإنشاء محطة تحلية مياه البحر في ينبع بطاقة مليون متر مكعب يوميا "
    "تعمل بالطاقة الشمسية بتكلفة أربعة مليارات ريال."
)
DESAL_REWRITE = (
    "محطة ينبع الجديدة لتحلية مياه البحر ستنتج مليون متر مكعب يوميا بالطاقة الشمسية، بحسب الاتفاقية "
    "التي وقعها وزير الطاقة بأربعة مليارات ريال."
)
FOOTBALL = "فاز فريق النصر على ضيفه الاتحاد بهدفين مقابل هدف في الجولة الثالثة من الدوري السعودي للمحترفين."


def test_copy_and_rewrite_join_one_story_and_unrelated_starts_another() -> None:
    s = StoryStream()
    for filler in fillers():
        s.add(filler)
    first = s.add(make("a", "توقيع اتفاقية محطة تحلية في ينبع", DESAL, outlet="one"))
    copy = s.add(make("b", "اتفاقية تحلية ينبع", DESAL, outlet="two", hours=1))
    rewrite = s.add(
        make("c", "محطة ينبع لتحلية المياه بالطاقة الشمسية", DESAL_REWRITE, outlet="three", hours=2)
    )
    other = s.add(make("d", "النصر يفوز على الاتحاد", FOOTBALL, outlet="one", hours=3))
    assert first.assignment.method == "new"
    assert copy.assignment.method == "copy"
    assert copy.assignment.story == first.assignment.story == rewrite.assignment.story
    assert other.assignment.story != first.assignment.story
    summary = s.stories.summary(first.assignment.story)
    assert summary is not None
    assert summary.story.id == "story:https://one.example/a"
    assert set(summary.outlets) == {"one", "two", "three"}


def test_phrase_shared_months_apart_is_never_the_same_story() -> None:
    s = StoryStream()
    t0 = dt.datetime(2023, 11, 30, tzinfo=dt.UTC)
    a = s.add(make("a", "موسكو ممتنة لحماس بعد إطلاق سراح روسيتين", RELEASE_2023, when=t0))
    b = s.add(
        make("b", "مصر وقطر ترحبان بإطلاق سراح الرهينة", RELEASE_2025, when=t0 + dt.timedelta(days=530))
    )
    assert a.assignment.story != b.assignment.story


def test_repair_pass_runs_on_schedule_and_ids_resolve() -> None:
    s = StoryStream(repair_every=2)
    events = [s.add(make(str(i), f"خبر {i}", DESAL, outlet=f"o{i}", hours=i)) for i in range(4)]
    story = events[0].assignment.story
    assert all(s.stories.story_of(e.assignment.article) == story for e in events)
    assert s.stories.resolve(story) == story
