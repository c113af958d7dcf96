"""The front page: one day's stories, ranked, with source diversity, and the day's top names.

The Google News model: a card per story, not per article. For a calendar day in the reader's time zone,
:func:`front_page` reads the understood articles published that day (``day_articles``) and groups them by story.
Each story is scored on *that day's* coverage, so a long-running story is ranked by what happened today:

    score = (outlets + SIZE_WEIGHT * sqrt(articles)) * 0.5 ** (hours from its last article to the end of the
            day / RECENCY_HALF_LIFE_HOURS)

Outlets weigh most (independent coverage is what makes a story big); size is damped so one outlet's ten
updates do not beat five outlets; the half-life keeps late developments above the morning's.

**Diversity.** The headline shown for a story is one of its articles of the day: the story's own lead when it
was published that day, else the article of its largest duplicate group (the wire text most outlets ran),
earliest first. Walking the ranking, a story's headline goes to the first of those candidates whose outlet
leads fewer than :data:`MAX_LEADS_PER_OUTLET` of the top :data:`DIVERSE_TOP` cards; a story all of whose
outlets are used up moves below the top. So no outlet leads more than two of the first ten, and a story is
never dropped for it. ``lead_outlet`` is the outlet of the headline shown.

**Top names.** The entities the day's leading stories name (each story keeps its top entities), by stories then
outlets, shown by their
most-written surface form (hamza and spacing kept: «آل سعود», «أبها»). Platforms («فيسبوك», «غوغل») and
outlets or agencies cited as sources («واس», «رويترز») are left out unless the name is in the headline of one of
the day's leading stories, where it is the news.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Final, Protocol

from naba import knowledge
from naba.store.base import ArticleLog, DayArticle, StoryRow, UnderstandingReader
from naba.text.normalize import fold_key
from naba.types import Article, ArticleId

# An outlet leads at most this many of the first DIVERSE_TOP stories (issue 13's target: 2 of 10).
MAX_LEADS_PER_OUTLET: Final = 2
DIVERSE_TOP: Final = 10
# Weight of sqrt(articles) against distinct outlets, and the recency half-life (hours before the day's end).
# Chosen, not fitted: the same balance as the store's all-days ranking (outlets + sqrt(size), 12 h half-life),
# which the stories issue settled; the front-page eval (eval/front_page.py) reports what the cards hold.
SIZE_WEIGHT: Final = 1.0
RECENCY_HALF_LIFE_HOURS: Final = 12.0
# Stories on one front page, and top names shown.
FRONT_STORIES: Final = 30
TOP_NAMES: Final = 12
# Names looked at before the platform/outlet filter (enough that a dozen remain).
TOP_NAMES_POOL: Final = 40


class FrontStore(ArticleLog, UnderstandingReader, Protocol):
    """What the front page reads: the articles and the understanding tables."""


@dataclass(frozen=True, slots=True)
class FrontStory:
    """One card of the front page: the story, the day's headline article and that day's coverage."""

    story: StoryRow
    headline: Article
    lead_outlet: str | None
    outlets: tuple[str, ...]  # the day's outlets, the lead outlet first, then by articles
    articles: int  # the story's articles published that day
    last_ts: float  # the day's last article of the story (UTC seconds)
    score: float


@dataclass(frozen=True, slots=True)
class TopName:
    canonical: str
    display: str
    kind: str
    stories: int
    outlets: int


@dataclass(frozen=True, slots=True)
class FrontPage:
    """A day's front page; ``previous``/``following`` are the neighbouring days that hold articles."""

    day: dt.date
    previous: dt.date | None
    following: dt.date | None
    stories: tuple[FrontStory, ...]
    names: tuple[TopName, ...]
    articles: int  # understood articles published that day


def day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of ``day`` in ``tz`` (23 or 25 hours on a daylight-saving change)."""
    start = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
    following = day + dt.timedelta(days=1)
    return start, dt.datetime(following.year, following.month, following.day, tzinfo=tz)


def latest_day(store: FrontStore, tz: dt.tzinfo) -> dt.date | None:
    """The day (in ``tz``) of the newest stored publication time."""
    span = store.published_span()
    return None if span is None else dt.datetime.fromtimestamp(span[1], tz).date()


def _neighbours(store: FrontStore, day: dt.date, tz: dt.tzinfo) -> tuple[dt.date | None, dt.date | None]:
    span = store.published_span()
    if span is None:
        return None, None
    first = dt.datetime.fromtimestamp(span[0], tz).date()
    last = dt.datetime.fromtimestamp(span[1], tz).date()
    previous = min(day - dt.timedelta(days=1), last) if day > first else None
    following = max(day + dt.timedelta(days=1), first) if day < last else None
    return previous, following


def score(outlets: int, articles: int, last_ts: float, day_end: float) -> float:
    """The day's score of a story (module docstring)."""
    hours = max(day_end - last_ts, 0.0) / 3600.0
    decay: float = 0.5 ** (hours / RECENCY_HALF_LIFE_HOURS)
    return (outlets + SIZE_WEIGHT * math.sqrt(articles)) * decay


@dataclass(slots=True)
class _Candidate:
    story: str
    members: list[DayArticle]
    score: float
    headlines: list[DayArticle]  # headline candidates, preferred first


def _candidates(rows: list[DayArticle], day_end: float) -> list[_Candidate]:
    """The day's stories by score (headline candidates not yet ordered: see :func:`_order_headlines`)."""
    by_story: dict[str, list[DayArticle]] = defaultdict(list)
    for row in rows:
        by_story[row.story].append(row)
    out = []
    for story, members in by_story.items():
        outlets = {m.publisher for m in members if m.publisher}
        last = max(m.published_ts for m in members)
        out.append(_Candidate(story, members, score(len(outlets), len(members), last, day_end), members))
    out.sort(key=lambda c: (-c.score, c.story))
    return out


def _order_headlines(cand: _Candidate, lead: ArticleId) -> _Candidate:
    """Headline candidates preferred first: the story's lead, then the largest duplicate group's articles
    (the text most outlets ran), earliest first (rows come oldest first and the sort is stable)."""
    groups = Counter(m.dup_group for m in cand.members)
    ranked = sorted(cand.members, key=lambda m: (m.article != lead, -groups[m.dup_group]))
    return _Candidate(cand.story, cand.members, cand.score, ranked)


def diversify(candidates: list[_Candidate], limit: int) -> list[tuple[_Candidate, DayArticle]]:
    """The ranking with a headline per story such that no outlet leads more than MAX_LEADS_PER_OUTLET of the
    first DIVERSE_TOP (module docstring); stories whose outlets are all used up move below the top."""
    placed: list[tuple[_Candidate, DayArticle]] = []
    deferred: list[_Candidate] = []
    leads: Counter[str | None] = Counter()
    for cand in candidates:
        if len(placed) >= DIVERSE_TOP:
            deferred.append(cand)
            continue
        pick = next(
            (h for h in cand.headlines if h.publisher is None or leads[h.publisher] < MAX_LEADS_PER_OUTLET),
            None,
        )
        if pick is None:
            deferred.append(cand)
            continue
        leads[pick.publisher] += 1
        placed.append((cand, pick))
    placed.extend((cand, cand.headlines[0]) for cand in deferred)
    return placed[:limit]


def front_page(
    store: FrontStore, day: dt.date, tz: dt.tzinfo, *, limit: int = FRONT_STORIES, names: int = TOP_NAMES
) -> FrontPage:
    """The front page of ``day`` in ``tz`` (module docstring)."""
    start, end = day_bounds(day, tz)
    rows = store.day_articles(start, end)
    # Only the stories that can reach the page are read: the top ``limit`` plus as many that the diversity
    # rule may push down (each outlet's third and later stories in the top).
    pool = _candidates(rows, end.timestamp())[: limit + DIVERSE_TOP * 2]
    stories = {c.story: found for c in pool if (found := store.story(c.story)) is not None}
    ranked = diversify(
        [_order_headlines(c, stories[c.story].lead) for c in pool if c.story in stories], limit
    )
    articles = store.get_many([pick.article for _, pick in ranked])
    cards = []
    for cand, pick in ranked:
        stored = articles.get(pick.article)
        if stored is None:
            continue
        counts = Counter(m.publisher for m in cand.members if m.publisher)
        order = sorted(counts, key=lambda o: (o != pick.publisher, -counts[o], o))
        cards.append(
            FrontStory(
                story=stories[cand.story],
                headline=stored.article,
                lead_outlet=pick.publisher,
                outlets=tuple(order),
                articles=len(cand.members),
                last_ts=max(m.published_ts for m in cand.members),
                score=round(cand.score, 4),
            )
        )
    previous, following = _neighbours(store, day, tz)
    top = top_names(store, list(stories.values()), [c.headline.title for c in cards[:DIVERSE_TOP]], names)
    return FrontPage(day, previous, following, tuple(cards), top, len(rows))


# -- top names ------------------------------------------------------------------------------------------------


@functools.cache
def _cited_names() -> frozenset[str]:
    """Folded names that are sources rather than news: platforms, outlets and agencies with their short forms."""
    names = {fold_key(t) for t in knowledge.word_list("platforms.txt")}
    for publisher in knowledge.outlets():
        names.update(fold_key(n) for n in publisher.names if n)
    for agency in knowledge.agencies():
        names.update(fold_key(n) for n in agency.credit_forms if n)
    return frozenset(n for n in names if n)


def is_cited_source(canonical: str, display: str) -> bool:
    """A platform, outlet or agency name (compared folded, with or without the article «ال»)."""
    cited = _cited_names()
    for name in (canonical, display):
        key = fold_key(name)
        if key in cited or key.removeprefix("ال") in cited or f"ال{key}" in cited:
            return True
    return False


def top_names(
    store: FrontStore, stories: list[StoryRow], headlines: list[str], limit: int
) -> tuple[TopName, ...]:
    """The day's top names (module docstring), from the top entities each of the day's leading stories keeps
    (``StoryRow.entities``): the number of those stories naming it, then their outlets."""
    counts: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for story in stories:
        for e in story.entities:
            counts[e.canonical] += 1
            outlets[e.canonical] += e.outlets
            kinds.setdefault(e.canonical, e.kind)
    ranked = sorted(counts, key=lambda c: (-counts[c], -outlets[c], c))[:TOP_NAMES_POOL]
    shown = store.display_names(ranked)
    news = " ".join(fold_key(h) for h in headlines)
    out = []
    for canonical in ranked:
        display = shown.get(canonical, canonical)
        if is_cited_source(canonical, display) and fold_key(display) not in news:
            continue
        out.append(TopName(canonical, display, kinds[canonical], counts[canonical], outlets[canonical]))
        if len(out) >= limit:
            break
    return tuple(out)
