"""Threads: stories about one developing matter (the same trial, the same negotiation), linked.

Contract
--------
* :meth:`ThreadLinker.link` looks at stories touched since its last call and links each to the most similar
  *other* story when they are about the same specific matter, not merely the same topic (issue 11): their
  centroid similarity is at least :data:`THREAD_THRESHOLD` (below the story merge threshold: alike, but not
  one event), their names (rare terms and pairs: the actors and the object) agree at :data:`THREAD_NAMES`
  or more, their cores name no conflicting places, and the gap between them is at most :data:`THREAD_GAP`.
  A link never makes a thread of more than :data:`THREAD_MAX_STORIES` stories: a developing matter is a
  short timeline, and a chain of hundreds of stories is a topic bucket. It returns :class:`ThreadLink`
  records — a store persists them; the threads are their connected components.
* A thread's id is ``thread:<id of its oldest story>`` and survives further links (union by age).
* Stories absorbed by a story merge are resolved through the clusterer's redirects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from naba.stories.anchors import conflict_factor
from naba.stories.clustering import StoryClusterer
from naba.stories.similarity import cosine

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

    def __init__(self, clusterer: StoryClusterer, threshold: float = THREAD_THRESHOLD) -> None:
        self.clusterer = clusterer
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

    def _same_matter(self, story: str, other: str) -> bool:
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
        return core_a is None or core_b is None or conflict_factor(core_a, core_b, 1.0, 0.0) > 0.0

    def link(self, touched: Iterable[str]) -> list[ThreadLink]:
        """Link each touched active story to its most similar other story, when similar enough."""
        links: list[ThreadLink] = []
        clusterer = self.clusterer
        for story in sorted({clusterer.resolve(s) or s for s in touched}):
            if clusterer.centroid(story) is None:
                continue
            best, best_sim = None, 0.0
            others = [other for other in clusterer.story_candidates(story) if other != story]
            for other, sim in zip(others, clusterer.centroid_similarities(story, others), strict=True):
                if sim > best_sim and sim >= self.threshold and self._same_matter(story, other):
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
