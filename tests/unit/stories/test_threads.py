"""Threads are developing matters: the same named actors and object, within a gap, never a topic bucket."""

from __future__ import annotations

from story_articles import fillers, make

from naba.stories import StoryStream

TRIAL_OPENS = (
    "بدأت المحكمة الجزائية المتخصصة في الرياض أمس محاكمة خلية الدهام الإرهابية المكونة من أحد عشر متهما "
    "بتهمة التخطيط لاستهداف مقار أمنية في القصيم، واستمع القاضي إلى لائحة الادعاء العام."
)
TRIAL_VERDICT = (
    "أصدرت المحكمة الجزائية المتخصصة حكمها في قضية خلية الدهام الإرهابية، وقضت بسجن أفراد الخلية الأحد عشر "
    "مددا متفاوتة بعد إدانتهم بالتخطيط لاستهداف مقار أمنية في القصيم، وأغلقت الجلسة بعد النطق بالحكم."
)
OTHER_TRIAL = (
    "قضت المحكمة الجزائية المتخصصة بسجن مواطن ثماني سنوات بعد إدانته بتمويل تنظيم داعش عبر حوالات مالية "
    "أرسلها إلى سوريا، ومنعه من السفر مدة مماثلة بعد انقضاء محكوميته."
)


def _stream() -> StoryStream:
    s = StoryStream(repair_every=1)
    for f in fillers():
        s.add(f)
    return s


def test_the_next_act_of_one_trial_is_threaded_and_another_trial_is_not() -> None:
    s = _stream()
    opens = s.add(make("a", "بدء محاكمة خلية الدهام الإرهابية", TRIAL_OPENS, outlet="one"))
    verdict = s.add(make("b", "سجن أفراد خلية الدهام الإرهابية", TRIAL_VERDICT, outlet="two", hours=80))
    other = s.add(make("c", "محاكمة ممول داعش", OTHER_TRIAL, outlet="three", hours=81))
    s.flush()
    stories = [s.stories.story_of(e.assignment.article) for e in (opens, verdict, other)]
    assert len(set(stories)) == 3
    thread = s.threads.thread_of(stories[0])
    assert thread is not None and thread == s.threads.thread_of(stories[1])
    assert s.threads.thread_of(stories[2]) != thread


def test_a_thread_stops_growing_at_its_cap() -> None:
    s = _stream()
    s.threads.max_stories = 2
    opens = s.add(make("a", "بدء محاكمة خلية الدهام الإرهابية", TRIAL_OPENS, outlet="one"))
    verdict = s.add(make("b", "سجن أفراد خلية الدهام الإرهابية", TRIAL_VERDICT, outlet="two", hours=80))
    s.flush()
    story = s.stories.story_of(opens.assignment.article)
    thread = s.threads.thread_of(story)
    assert thread is not None
    appeal = TRIAL_VERDICT.replace("أصدرت المحكمة الجزائية المتخصصة حكمها", "نظرت محكمة الاستئناف اعتراض")
    third = s.add(make("c", "استئناف خلية الدهام الإرهابية", appeal, outlet="three", hours=160))
    s.flush()
    assert s.threads.stories_in(thread) == sorted(
        {
            s.stories.story_of(opens.assignment.article) or "",
            s.stories.story_of(verdict.assignment.article) or "",
        }
    )
    assert s.stories.story_of(third.assignment.article) not in s.threads.stories_in(thread)
