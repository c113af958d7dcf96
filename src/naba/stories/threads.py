"""Threads: stories about one developing matter (the same trial, the same negotiation), linked.

Contract
--------
* :meth:`ThreadLinker.link` looks at stories touched since its last call and links each to the most similar
  *other* story when they are about the same specific matter, not merely the same topic (issue 11): their
  centroid similarity is at least :data:`THREAD_THRESHOLD` (below the story merge threshold: alike, but not
  one event), their names (rare terms and pairs: the actors and the object) agree at :data:`THREAD_NAMES`
  or more, their cores name no conflicting places, and the gap between them is at most :data:`THREAD_GAP`.
  With ``require_anchor`` (off by default, :data:`THREAD_REQUIRE_ANCHOR`: measured, it does not pay), a link
  that grows a thread past :data:`THREAD_FREE_STORIES` stories also needs a shared *specific anchor*
  (:meth:`ThreadLinker.anchors`: a town or governorate, a person, an organization or a rare name pair, named
  by few stories so far).
  A link never makes a thread of more than :data:`THREAD_MAX_STORIES` stories: a developing matter is a
  short timeline, and a chain of hundreds of stories is a topic bucket. It returns :class:`ThreadLink`
  records — a store persists them; the threads are their connected components.
* A thread's id is ``thread:<id of its oldest story>`` and survives further links (union by age).
* Stories absorbed by a story merge are resolved through the clusterer's redirects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Final

from naba.enrich.entities import Entity, extract_entities
from naba.stories.anchors import conflict_factor, org_keys, person_tokens
from naba.stories.clustering import StoryClusterer
from naba.stories.places import KINDS
from naba.stories.similarity import by_weight, cosine
from naba.text.normalize import fold_key

# Centroid similarity that links two stories into one thread. Calibrated on eval/related.py (related P@5
# over the whole dev window counts same-thread items as right); see the report in eval/related.py.
THREAD_THRESHOLD: Final = 0.22
# Longest gap between two stories of one thread that the in-memory engine links. Older stories are
# archived; a store can extend threads further back with the same records.
THREAD_WINDOW: Final = dt.timedelta(days=7)
# Cosine of the two stories' name vectors (rare terms and pairs of the headline and lead) a link needs: the
# same named actors and object. Over the month (issue 11), links on text alone chained every story of one
# topic (threads of 474 and 460 stories over all 21.7 days; 0.53 of links judged the same matter).
# eval/related.py over the dev window (P@5 counts same-thread items as right; 0.972 before issue 11):
# 0 -> 0.973, 0.08 -> 0.973, 0.15 -> 0.967 (gold threads of one matter name its actors in other words).
THREAD_NAMES: Final = 0.08
# A link also needs one shared specific anchor (issue 11): the names cosine alone let one fire, one Eid
# hospital visit or one municipal-election meeting chain to the next of its kind (0.4 of links in the largest
# threads the same matter). Anchors of a story: the towns and governorates of its core (a country or a region
# names a topic, not a matter), the persons and organizations the NER finds in THREAD_TITLES of its titles
# (a person by two name tokens: "فيصل بن خالد" matches "الأمير فيصل بن خالد بن عبدالعزيز"), and the rare
# name pairs of its names centroid ("قاعده العند") weighing at least THREAD_PAIR_WEIGHT of its heaviest key (what
# most of its members name), at most THREAD_NAME_PAIRS of them.
# With the anchor required (ThreadLinker(require_anchor=True)), two stories alone may still link on the names
# cosine; a link that makes a thread of more than THREAD_FREE_STORIES stories needs the shared anchor.
# Measured over the month (eval/stories_month.py --compare-threads --links-out, 50 links each judged by reading,
# eval/stories-threads/): names gate only 0.66 and 0.46 of links the same matter in two runs (31/47, 23/50;
# largest thread 25 stories, topic buckets: Libya, Eid hospital visits, municipal elections); anchor on every
# link 0.61 (28/46; links -68%, largest thread 18 stories / 2.7 d); anchor to grow past 2 stories 0.64 (32/50;
# links -31%, largest 20). Pooled 0.63 against 0.56: within two standard errors. On the dev window
# eval/related.py P@5: names gate 0.9635, anchor to grow 0.9396, anchor on every link 0.9224 (gold threads of
# one matter name it in other words). The related lists pay for an uncertain gain, so the anchor ships off.
THREAD_FREE_STORIES: Final = 2
THREAD_REQUIRE_ANCHOR: Final = False
THREAD_TITLES: Final = 3
THREAD_PAIR_WEIGHT: Final = 0.5
THREAD_NAME_PAIRS: Final = 40
# An anchor named by more than this share of the stories the linker has seen (and by more than
# THREAD_ANCHOR_MIN_STORIES of them) is background: وزارة الصحة, جدة, الأمم المتحدة, "الشفاء العاجل" name
# topics and templates, not matters.
THREAD_ANCHOR_SHARE: Final = 0.002  # 0.005 in the "anchor on every link" run above
THREAD_ANCHOR_MIN_STORIES: Final = 8
ANCHOR_KINDS: Final = frozenset({"city", "governorate"})
# Longest time between the end of one story and the start of the next in one thread.
THREAD_GAP: Final = dt.timedelta(days=4)
# Most stories in one thread.
THREAD_MAX_STORIES: Final = 25


@dataclass(frozen=True, slots=True)
class ThreadLink:
    """Story ``story`` was linked to story ``to`` (so both are in thread ``thread``)."""

    story: str
    to: str
    thread: str
    similarity: float


class ThreadLinker:
    """Union-find of story ids into threads (see the module contract)."""

    def __init__(
        self,
        clusterer: StoryClusterer,
        threshold: float = THREAD_THRESHOLD,
        *,
        require_anchor: bool = THREAD_REQUIRE_ANCHOR,
        entities: Callable[[str], Sequence[Entity]] = extract_entities,
    ) -> None:
        self.clusterer = clusterer
        self.require_anchor = require_anchor
        self._entities = entities
        self._ner: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}  # story -> (titles read, NER keys)
        self._counted: dict[str, set[str]] = {}  # story -> anchors counted in _anchor_df
        self._anchor_df: dict[str, int] = {}  # anchor -> stories naming it
        self._anchor_stories = 0
        self.anchor_share = THREAD_ANCHOR_SHARE
        self.anchor_min_stories = THREAD_ANCHOR_MIN_STORIES
        self.threshold = threshold
        self._parent: dict[str, str] = {}
        self._linked: set[str] = set()
        self._members: dict[str, set[str]] = {}  # root -> linked stories (ids as linked)
        self.names = THREAD_NAMES
        self.gap = THREAD_GAP
        self.max_stories = THREAD_MAX_STORIES

    def _find(self, story: str) -> str:
        story = self.clusterer.resolve(story) or story
        self._parent.setdefault(story, story)
        root = story
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[story] != root:
            self._parent[story], story = root, self._parent[story]
        return root

    def _age(self, story: str) -> tuple[dt.datetime, str]:
        span = self.clusterer.span(story)
        return (span[0] if span else dt.datetime.max.replace(tzinfo=dt.UTC)), story

    def thread_of(self, story: str | None) -> str | None:
        """The thread id of a story, or None when it is linked to no other story."""
        if story is None:
            return None
        live = self.clusterer.resolve(story) or story
        if live not in self._linked and story not in self._linked:
            return None
        return f"thread:{self._find(live)}"

    def stories_in(self, thread: str) -> list[str]:
        """The live ids of the stories of ``thread`` (``thread:<root>``)."""
        root = self._find(thread.removeprefix("thread:"))
        live = {self.clusterer.resolve(s) or s for s in self._members.get(root, {root})}
        return sorted(live)

    def _ner_keys(self, story: str) -> frozenset[str]:
        titles = self.clusterer.titles(story, THREAD_TITLES)
        cached = self._ner.get(story)
        if cached is not None and cached[0] == titles:
            return cached[1]
        keys: set[str] = set()
        for entity in self._entities("\n".join(titles)):
            if entity.kind == "PER":
                tokens = sorted(set(person_tokens(entity.canonical)))
                keys.update(f"per:{a} {b}" for a, b in combinations(tokens, 2))
            elif entity.kind == "ORG":
                keys.update(f"org:{k}" for k in org_keys([entity.canonical]))
        found = frozenset(keys)
        self._ner[story] = (titles, found)
        return found

    def anchors(self, story: str) -> frozenset[str]:
        """The anchors of an active story, tagged by kind (see :data:`THREAD_TITLES`); each counted once per
        story in the linker's anchor frequencies."""
        keys = set(self._ner_keys(story))
        core = self.clusterer.core(story)
        if core is not None:
            keys.update(f"place:{p}" for p in core.places if KINDS.get(p) in ANCHOR_KINDS)
        centroid = self.clusterer.centroid(story)
        if centroid is not None and centroid.names:
            floor = THREAD_PAIR_WEIGHT * max(centroid.names.values())
            pairs = [k for k, w in by_weight(centroid.names) if w >= floor and " " in k]
            keys.update(f"pair:{fold_key(k)}" for k in pairs[:THREAD_NAME_PAIRS])
        counted = self._counted.get(story)
        if counted is None:
            counted = self._counted[story] = set()
            self._anchor_stories += 1
        for key in keys - counted:
            self._anchor_df[key] = self._anchor_df.get(key, 0) + 1
        counted.update(keys)
        return frozenset(keys)

    def _specific(self, key: str) -> bool:
        ceiling = max(self.anchor_min_stories, self.anchor_share * self._anchor_stories)
        return self._anchor_df.get(key, 0) <= ceiling

    def shared_anchor(self, story: str, other: str) -> str | None:
        """A specific anchor both stories name (the first in order), or None."""
        shared = self.anchors(story) & self.anchors(other)
        return next((k for k in sorted(shared) if self._specific(k)), None)

    def _forget_archived(self) -> None:
        """Drop the per-story caches of stories no longer active (the frequencies stay)."""
        gone = [s for s in self._counted if self.clusterer.centroid(s) is None]
        for story in gone:
            self._counted.pop(story, None)
            self._ner.pop(story, None)

    def _grows(self, story: str, other: str) -> bool:
        """True when linking the two would make a thread of more than THREAD_FREE_STORIES stories."""
        a, b = self._find(story), self._find(other)
        size = len(self._members.get(a, {a})) + (len(self._members.get(b, {b})) if a != b else 0)
        return size > THREAD_FREE_STORIES

    def _same_matter(self, story: str, other: str, grows: bool = True) -> bool:
        """Same named actors and object, no conflicting places, within the gap (see the module contract)."""
        clusterer = self.clusterer
        a, b = clusterer.centroid(story), clusterer.centroid(other)
        span_a, span_b = clusterer.span(story), clusterer.span(other)
        if a is None or b is None or span_a is None or span_b is None:
            return False
        if max(span_a[0] - span_b[1], span_b[0] - span_a[1]) > self.gap:
            return False
        if cosine(a.names, b.names) < self.names:
            return False
        core_a, core_b = clusterer.core(story), clusterer.core(other)
        if core_a is not None and core_b is not None and conflict_factor(core_a, core_b, 1.0, 0.0) == 0.0:
            return False
        return not (self.require_anchor and grows) or self.shared_anchor(story, other) is not None

    def link(self, touched: Iterable[str]) -> list[ThreadLink]:
        """Link each touched active story to its most similar other story, when similar enough."""
        links: list[ThreadLink] = []
        clusterer = self.clusterer
        stories = sorted({clusterer.resolve(s) or s for s in touched})
        if self.require_anchor:
            for story in stories:
                if clusterer.centroid(story) is not None:
                    self.anchors(story)  # every story counts in the anchor frequencies
            if len(self._counted) > 2 * len(clusterer.active_ids()) + 1000:
                self._forget_archived()
        for story in stories:
            if clusterer.centroid(story) is None:
                continue
            best, best_sim = None, 0.0
            others = [other for other in clusterer.story_candidates(story) if other != story]
            for other, sim in zip(others, clusterer.centroid_similarities(story, others), strict=True):
                if (
                    sim > best_sim
                    and sim >= self.threshold
                    and self._same_matter(story, other, self._grows(story, other))
                ):
                    best, best_sim = other, sim
            if best is None or self._find(best) == self._find(story):
                continue
            a, b = self._find(story), self._find(best)
            if len(self._members.get(a, {a})) + len(self._members.get(b, {b})) > self.max_stories:
                continue
            keep, gone = (a, b) if self._age(a) <= self._age(b) else (b, a)
            self._parent[gone] = keep
            self._linked.update((story, best))
            members = self._members.setdefault(keep, {keep})
            members.update(self._members.pop(gone, {gone}), (story, best))
            links.append(ThreadLink(story, best, f"thread:{keep}", round(best_sim, 4)))
        return links
