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


VISIT = (
    "زار أمير منطقة {place} صباح اليوم المرضى المنومين في مستشفى {place} العام، وهنأهم بعيد الفطر المبارك، "
    "ونقل إليهم تحيات القيادة ودعواتها لهم بالشفاء العاجل، واطلع على الخدمات المقدمة لهم."
)
VISIT_PLACES = (
    "جازان",
    "نجران",
    "تبوك",
    "حائل",
    "الباحة",
    "الجوف",
    "القريات",
    "ينبع",
    "الطائف",
    "بيشة",
    "الخرج",
)
VISIT_GIFTS = (
    "زار محافظ القنفذة صباح اليوم المرضى المنومين في مستشفى القنفذة العام، وقدم لهم الهدايا التذكارية باسم "
    "المحافظة، وأهدى الأطفال الورود، ونقل إليهم تحيات القيادة ودعواتها لهم بالشفاء العاجل."
)
VISIT_GIFTS_NO_PLACE = (
    "زار مدير الشؤون الصحية صباح اليوم المرضى المنومين في مستشفى الولادة، ووزع عليهم الورود مع بطاقات "
    "التهنئة، وقدم للأطفال الهدايا والألعاب، ونقل إليهم تحيات القيادة ودعواتها لهم بالشفاء العاجل."
)


def _visits(require_anchor: bool) -> tuple[StoryStream, str, str]:
    s = _stream()
    s.threads.require_anchor = require_anchor
    for n, place in enumerate(VISIT_PLACES):
        body = VISIT.format(place=place)
        s.add(make(f"v{n}", f"أمير {place} يعايد المرضى المنومين", body, outlet=f"o{n}", hours=6 * n))
    gifts = s.add(make("g", "محافظ القنفذة يوزع الهدايا على المرضى", VISIT_GIFTS, outlet="g", hours=62))
    last = s.add(
        make("v", "مدير الشؤون الصحية يوزع الورود على المرضى", VISIT_GIFTS_NO_PLACE, outlet="x", hours=70)
    )
    s.flush()
    return (
        s,
        s.stories.story_of(gifts.assignment.article) or "",
        s.stories.story_of(last.assignment.article) or "",
    )


def test_an_eid_visit_with_no_shared_anchor_joins_no_thread_of_visits() -> None:
    # The same template (an official visits the patients of a hospital and greets them for Eid), told of
    # eleven regions, then in al-Qunfudhah with gifts and roses and by another official in a hospital of no
    # named place, with roses and gifts: alike in text and in rare words, but no place, person, organization
    # or rare word pair in common. Without the anchor requirement the last chains to the one before.
    loose, gifts, last = _visits(require_anchor=False)
    assert gifts != last
    assert loose.threads.thread_of(last) is not None
    assert loose.threads.thread_of(last) == loose.threads.thread_of(gifts)
    strict, gifts, last = _visits(require_anchor=True)
    assert strict.threads.shared_anchor(gifts, last) is None
    # Two stories alone may still pair on the names (THREAD_FREE_STORIES); growing a thread needs the anchor.
    assert not strict.threads._same_matter(gifts, last, grows=True)
    thread = strict.threads.thread_of(last)
    assert thread is None or len(strict.threads.stories_in(thread)) <= 2


def test_the_trial_threads_through_a_shared_rare_name_pair() -> None:
    s = _stream()
    opens = s.add(make("a", "بدء محاكمة خلية الدهام الإرهابية", TRIAL_OPENS, outlet="one"))
    verdict = s.add(make("b", "سجن أفراد خلية الدهام الإرهابية", TRIAL_VERDICT, outlet="two", hours=80))
    s.flush()
    a, b = (s.stories.story_of(e.assignment.article) or "" for e in (opens, verdict))
    assert s.threads.shared_anchor(a, b) is not None
    assert any("دهام" in key for key in s.threads.anchors(a) & s.threads.anchors(b))
