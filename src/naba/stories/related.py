"""Related articles ("read also"): same story first, then the same thread, then close recent coverage.

Contract
--------
* :meth:`RelatedFinder.related` returns, for an article the stream has seen, up to ``limit``
  :class:`~naba.types.RelatedArticle` items, each with a short reason. Order of tiers:

  1. other articles of the same story (independent write-ups before syndicated copies of the same text,
     which a reader page folds into "also from"): reason "same story" / "same text, also published by …";
  2. articles of other stories in the same thread: "earlier development N days before" / "later
     development N days after" / "same matter, same day";
  3. topically close coverage within :data:`RECENT_WINDOW` of the article (body cosine at least
     :data:`MIN_TOPICAL_COSINE`): "shared terms: …".

* Time-aware by construction: tier 3 never reaches beyond :data:`RECENT_WINDOW`; only tiers 1 and 2 can,
  and they are bounded by the story and thread windows. Two articles months apart that share a phrase such as
  "إطلاق سراح" are in different stories (the story window) and in no common thread (the thread window), so
  neither is ever related to the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from naba.stories import StoryStream
from naba.stories.similarity import ArticleFeatures, cosine
from naba.text.analyzer import ROOT_MARK
from naba.types import AnalyzedArticle, ArticleId, RelatedArticle

# Topical (tier 3) items: within this time of the article and at least this body cosine. The cosine was
# calibrated on eval/related.py over the whole dev window (0.15..0.35): below 0.2 unrelated same-topic items
# (market reports of other days, other matches) come in; above 0.3 short stories get no third tier.
RECENT_WINDOW: Final = dt.timedelta(days=3)
MIN_TOPICAL_COSINE: Final = 0.25
# Scores put tiers strictly in order whatever the cosine (cosines are in [0, 1]).
TIER_STORY: Final = 3.0
TIER_COPY: Final = 2.0
TIER_THREAD: Final = 1.0
SHARED_TERMS_SHOWN: Final = 3


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What related lists need to know about an article besides its vectors."""

    id: ArticleId
    when: dt.datetime | None
    outlet: str | None
    title: str


class RelatedFinder:
    """Related articles over a :class:`~naba.stories.StoryStream` (see the module contract).

    Feed it the same articles as the stream (:meth:`observe`), or let :meth:`add` do both.
    """

    def __init__(self, stream: StoryStream) -> None:
        self.stream = stream
        self._meta: dict[ArticleId, ArticleMeta] = {}

    def add(self, analyzed: AnalyzedArticle) -> None:
        self.stream.add(analyzed)
        self.observe(analyzed)

    def observe(self, analyzed: AnalyzedArticle) -> None:
        a = analyzed.article
        when = a.published if isinstance(a.published, dt.datetime) else None
        self._meta[a.id] = ArticleMeta(a.id, when, a.publisher, a.title)

    def related(self, article: ArticleId, limit: int = 10) -> list[RelatedArticle]:
        """The ranked related list of ``article`` (empty when it is unknown)."""
        if article not in self._meta:
            return []
        clusterer = self.stream.stories
        story = clusterer.story_of(article)
        feats = clusterer.features.get(article)
        out: dict[ArticleId, RelatedArticle] = {}
        if story is not None:
            self._same_story(article, story, feats, out)
            self._same_thread(article, story, feats, out)
        if feats is not None:
            self._topical(article, feats, out)
        ranked = sorted(out.values(), key=lambda r: (-r.score, r.article))
        return ranked[:limit]

    def _cos(self, feats: ArticleFeatures | None, other: ArticleId) -> float:
        theirs = self.stream.stories.features.get(other)
        return cosine(feats.body, theirs.body) if feats is not None and theirs is not None else 0.0

    def _same_story(
        self,
        article: ArticleId,
        story: str,
        feats: ArticleFeatures | None,
        out: dict[ArticleId, RelatedArticle],
    ) -> None:
        group = self.stream.deduper.group_id(article)
        for other in self.stream.stories.members(story):
            if other == article:
                continue
            sim = self._cos(feats, other)
            if group is not None and self.stream.deduper.group_id(other) == group:
                outlet = self._meta[other].outlet if other in self._meta else None
                reason = f"same text, also published by {outlet}" if outlet else "same text"
                out[other] = RelatedArticle(other, round(TIER_COPY + sim, 4), reason)
            else:
                out[other] = RelatedArticle(other, round(TIER_STORY + sim, 4), "same story")

    def _same_thread(
        self,
        article: ArticleId,
        story: str,
        feats: ArticleFeatures | None,
        out: dict[ArticleId, RelatedArticle],
    ) -> None:
        threads = self.stream.threads
        thread = threads.thread_of(story)
        if thread is None:
            return
        for other_story in threads.stories_in(thread):
            if other_story == story:
                continue
            for other in self.stream.stories.members(other_story):
                if other in out or other == article:
                    continue
                reason = self._development(article, other)
                out[other] = RelatedArticle(other, round(TIER_THREAD + self._cos(feats, other), 4), reason)

    def _development(self, article: ArticleId, other: ArticleId) -> str:
        theirs = self._meta[other].when if other in self._meta else None
        return development_reason(self._meta[article].when, theirs)

    def _topical(
        self, article: ArticleId, feats: ArticleFeatures, out: dict[ArticleId, RelatedArticle]
    ) -> None:
        clusterer = self.stream.stories
        when = self._meta[article].when
        for story in clusterer.candidates(feats.body):
            for other in clusterer.members(story):
                if other in out or other == article or not self._recent(when, other):
                    continue
                theirs = clusterer.features.get(other)
                if theirs is None:
                    continue
                sim = cosine(feats.body, theirs.body)
                if sim >= MIN_TOPICAL_COSINE:
                    reason = "shared terms: " + "، ".join(_shared_terms(feats.body, theirs.body))
                    out[other] = RelatedArticle(other, round(sim, 4), reason)

    def _recent(self, when: dt.datetime | None, other: ArticleId) -> bool:
        theirs = self._meta[other].when if other in self._meta else None
        return when is not None and theirs is not None and abs(when - theirs) <= RECENT_WINDOW


def _shared_terms(a: dict[str, float], b: dict[str, float]) -> Iterable[str]:
    shared = [(a[t] * b[t], t) for t in a.keys() & b.keys() if not t.startswith(ROOT_MARK)]
    return [t for _, t in sorted(shared, reverse=True)[:SHARED_TERMS_SHOWN]]


def development_reason(mine: dt.datetime | None, theirs: dt.datetime | None) -> str:
    """The reason shown for a related article of the same thread: how many days before or after it came."""
    if mine is None or theirs is None:
        return "same matter"
    days = (mine - theirs).days if mine >= theirs else -((theirs - mine).days)
    if days > 0:
        return f"earlier development {days} day{'s' if days > 1 else ''} before"
    if days < 0:
        return f"later development {-days} day{'s' if days < -1 else ''} after"
    return "same matter, same day"
