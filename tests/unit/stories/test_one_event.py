"""A story is one event (issue 11): templates about other events, other occasions, bounded time, repair splits."""

from __future__ import annotations

import datetime as dt

from story_articles import fillers, make

from naba.stories import StoryClusterer, StoryStream
from naba.types import AnalyzedArticle

# One condolence cable, sent to two countries: the same template, two events.
CABLE = (
    "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية عزاء ومواساة لرئيس {country} "
    "في ضحايا {event}، وقال الملك في برقيته: علمنا بنبأ {event} في {country} وما نتج عنه من وفاة وإصابة "
    "عدد من الأشخاص، وإننا إذ نبعث لفخامتكم ولأسر المتوفين ولشعبكم الشقيق أحر التعازي وصادق المواساة."
)
# The daily count of one ministry, on two days: the same bulletin, two occasions.
COUNT = (
    "أعلنت وزارة الصحة تسجيل {new} حالات إصابة جديدة بفيروس كورونا المسبب لمتلازمة الشرق الأوسط التنفسية "
    "خلال الساعات الماضية، ليرتفع إجمالي الإصابات منذ ظهور المرض إلى {total} حالة، توفي منهم {dead} شخصا."
)


def _stream(**params: object) -> StoryStream:
    s = StoryStream(**params)  # type: ignore[arg-type]
    for f in fillers():
        s.add(f)
    return s


def _cable(ident: str, country: str, event: str, outlet: str, hours: float) -> AnalyzedArticle:
    text = CABLE.format(country=country, event=event)
    return make(ident, f"خادم الحرمين يعزي رئيس {country}", text, outlet=outlet, hours=hours)


def test_the_same_cable_to_another_country_is_another_story() -> None:
    s = _stream()
    a = s.add(_cable("a", "نيجيريا", "التفجير الإرهابي", "one", 0))
    b = s.add(_cable("b", "نيجيريا", "التفجير الإرهابي", "two", 1))
    c = s.add(_cable("c", "باكستان", "الفيضانات", "three", 2))
    assert a.assignment.story == b.assignment.story
    assert c.assignment.story != a.assignment.story


def test_a_glued_story_does_not_absorb_the_template_about_a_fourth_event() -> None:
    # Without the member check (threshold 0), three cables to three countries glue into one story whose core
    # names no country; with it, the cable to a fourth country compares with each recent member and starts
    # a story of its own.
    glued = _stream(member_threshold=0.0, place_penalty=0.0)
    events = [
        glued.add(_cable(str(i), country, "الحادث", f"o{i}", i))
        for i, country in enumerate(("نيجيريا", "باكستان", "الهند"))
    ]
    assert len({e.assignment.story for e in events}) == 1
    checked = _stream(place_penalty=0.0)
    for i, country in enumerate(("نيجيريا", "باكستان", "الهند")):
        checked.add(_cable(str(i), country, "الحادث", f"o{i}", i))
    stories = {checked.stories.story_of(e.assignment.article) for e in events}
    assert len(stories) == 3


def test_a_recurring_bulletin_is_a_new_story_per_occasion() -> None:
    s = _stream()
    day1 = COUNT.format(new=5, total=1080, dead=454)
    day2 = COUNT.format(new=3, total=1083, dead=456)
    a = s.add(make("a", "الصحة: 5 إصابات جديدة بكورونا", day1, outlet="one"))
    b = s.add(make("b", "تسجيل 5 إصابات بكورونا", day1, outlet="two", hours=3))
    c = s.add(make("c", "الصحة: 3 إصابات جديدة بكورونا", day2, outlet="one", hours=24))
    assert a.assignment.story == b.assignment.story
    assert c.assignment.story != a.assignment.story


def test_a_story_closes_after_inactivity_and_is_bounded_in_time() -> None:
    text = COUNT.format(new=5, total=1080, dead=454)
    quiet = _stream()
    a = quiet.add(make("a", "الصحة: 5 إصابات", text, outlet="one"))
    late = quiet.add(make("b", "الصحة: 5 إصابات", text, outlet="two", hours=24 * 2.5))
    assert late.assignment.story != a.assignment.story  # closed: 2.5 days without an article
    busy = _stream()
    first = busy.add(make("a", "الصحة: 5 إصابات", text, outlet="one"))
    stories = {
        busy.add(make(f"b{i}", "الصحة: 5 إصابات", text, outlet=f"o{i}", hours=20 * i)).assignment.story
        for i in range(1, 6)
    }
    span = busy.stories.span(first.assignment.story)
    assert span is not None and span[1] - span[0] <= dt.timedelta(days=3)
    assert len(stories | {first.assignment.story}) == 2  # the fifth day's report starts a new story


def test_repair_splits_an_incoherent_story_keeping_the_majority_id() -> None:
    # A story glued by a looser rule (no member check, no place conflicts): cables about two events.
    c = StoryClusterer(member_threshold=0.0, place_penalty=0.0, pair_place_penalty=0.0, repair_every=1000)
    for f in fillers():
        c.add(f)
    nigeria = [_cable(f"n{i}", "نيجيريا", "التفجير الإرهابي", f"n{i}", i) for i in range(3)]
    pakistan = [_cable(f"p{i}", "باكستان", "الفيضانات", f"p{i}", 3 + i) for i in range(2)]
    assigned = [c.add(a)[0] for a in nigeria + pakistan]
    story = assigned[0].story
    assert {a.story for a in assigned} == {story}
    # Back to the shipped rule: the repair pass compares members pairwise with the pair's place conflict.
    c.pair_place_penalty, c.member_threshold = 0.7, 0.3
    c.repair()
    moves = c.take_moves()
    assert {m.article for m in moves} == {a.article.id for a in pakistan}
    assert {m.from_story for m in moves} == {story}
    new = moves[0].to_story
    assert new == f"story:{pakistan[0].article.id}"
    assert c.members(story) == tuple(a.article.id for a in nigeria)  # the majority keeps the id
    assert c.members(new) == tuple(a.article.id for a in pakistan)
    assert all(c.story_of(a.article.id) == new for a in pakistan)
    assert c.take_moves() == []
