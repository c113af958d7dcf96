"""Stories and threads over a stream of articles: duplicates first, then online story assignment.

Contract
--------
* :class:`StoryStream` is the one object a pipeline feeds: :meth:`StoryStream.add` takes one
  :class:`~naba.types.AnalyzedArticle` in arrival order and returns a :class:`StreamEvent` holding every
  record the step produced — the duplicate result (verdict, group, redirects), the story assignment, the
  story merges and article moves (splits) of a repair pass and the thread links. Persisting those records is enough to rebuild the
  state; nothing is ever re-clustered globally.
* Repair passes (story merges, then thread links over the stories touched since the previous pass) run
  every ``repair_every`` articles, as EVAL.md allows, and once more on :meth:`StoryStream.flush`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from naba.dedupe import Deduper, DedupeResult
from naba.stories.clustering import REPAIR_EVERY, StoryClusterer
from naba.stories.records import Assignment, StoryMerge, StoryMove, StorySummary
from naba.stories.similarity import DEFAULT_WEIGHTS, Weights
from naba.stories.threads import THREAD_THRESHOLD, ThreadLink, ThreadLinker
from naba.types import AnalyzedArticle

__all__ = [
    "Assignment",
    "StoryClusterer",
    "StoryMerge",
    "StoryMove",
    "StoryStream",
    "StorySummary",
    "StreamEvent",
    "ThreadLink",
    "ThreadLinker",
]


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """Everything one article's arrival changed (records for a store)."""

    dedupe: DedupeResult
    assignment: Assignment
    merges: tuple[StoryMerge, ...] = ()
    thread_links: tuple[ThreadLink, ...] = field(default=())
    moves: tuple[StoryMove, ...] = ()  # articles a repair split moved to another story


class StoryStream:
    """Deduper + story clusterer + thread linker, fed one article at a time."""

    def __init__(
        self,
        *,
        deduper: Deduper | None = None,
        weights: Weights = DEFAULT_WEIGHTS,
        repair_every: int = REPAIR_EVERY,
        thread_threshold: float = THREAD_THRESHOLD,
        **story_params: float,
    ) -> None:
        self.deduper = deduper or Deduper()
        self.stories = StoryClusterer(weights=weights, repair_every=repair_every, **story_params)  # type: ignore[arg-type]
        self.threads = ThreadLinker(self.stories, thread_threshold)
        self._touched: set[str] = set()

    def add(self, analyzed: AnalyzedArticle) -> StreamEvent:
        dedupe = self.deduper.add(analyzed)
        assignment, merges = self.stories.add(analyzed, copy_of=dedupe.verdict.duplicate_of)
        self._touched.add(assignment.story)
        links: list[ThreadLink] = []
        moves = self.stories.take_moves()
        self._touched.update(m.to_story for m in moves)
        if merges or moves or self.stories.repair_due():
            links = self._link_threads()
        return StreamEvent(dedupe, assignment, tuple(merges), tuple(links), tuple(moves))

    def _link_threads(self) -> list[ThreadLink]:
        touched, self._touched = self._touched, set()
        return self.threads.link(touched)

    def flush(self) -> tuple[list[StoryMerge], list[ThreadLink], list[StoryMove]]:
        """Run a last repair pass and thread linking (end of a batch or of an evaluation window)."""
        merges = self.stories.repair()
        moves = self.stories.take_moves()
        self._touched.update(m.into for m in merges)
        self._touched.update(m.to_story for m in moves)
        return merges, self._link_threads(), moves
