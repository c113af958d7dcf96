"""The candidate lookup of online story clustering: which active stories to compare an article with.

Contract
--------
* :class:`CandidateIndex` maps each term of an active story's centroid body to the stories having it (an
  inverted index, so the cost of a lookup follows the terms' postings, not the number of stories).
* :meth:`CandidateIndex.lookup` takes a query vector's terms heaviest first and returns the stories sharing one
  of its ``query_terms`` heaviest, ranked by the summed query weight of the shared terms (then by id), cut at
  ``max_candidates``. Each story's sum adds the weights in the order of the query terms, so the ranking is
  the same whatever the order of the postings (sets) and in every process.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

from naba.stories.similarity import Vector


class CandidateIndex:
    """Centroid body term -> active stories, by small reusable integer slots (see the module contract)."""

    def __init__(self, query_terms: int, max_candidates: int) -> None:
        self.query_terms = query_terms
        self.max_candidates = max_candidates
        self._postings: dict[str, set[int]] = {}
        self._slot_of: dict[str, int] = {}
        self._story_at: list[str] = []
        self._free: list[int] = []

    def __len__(self) -> int:
        return len(self._slot_of)

    def update(self, story: str, old_terms: Iterable[str], new_terms: Iterable[str]) -> int:
        """Re-index ``story``: it no longer has ``old_terms`` and now has ``new_terms`` (sets of the change).
        Returns the story's slot (kept until :meth:`remove`; then another story may get it)."""
        slot = self._slot_of.get(story)
        if slot is None:
            if self._free:
                slot = self._free.pop()
                self._story_at[slot] = story
            else:
                slot = len(self._story_at)
                self._story_at.append(story)
            self._slot_of[story] = slot
        self._unpost(slot, old_terms)
        postings = self._postings
        for t in new_terms:
            posting = postings.get(t)
            if posting is None:
                postings[t] = {slot}
            else:
                posting.add(slot)
        return slot

    def remove(self, story: str, terms: Iterable[str]) -> None:
        """Forget ``story``, whose centroid body has ``terms``."""
        slot = self._slot_of.pop(story, None)
        if slot is not None:
            self._unpost(slot, terms)
            self._free.append(slot)

    def _unpost(self, slot: int, terms: Iterable[str]) -> None:
        postings = self._postings
        for t in terms:
            posting = postings.get(t)
            if posting is not None:
                posting.discard(slot)
                if not posting:
                    del postings[t]

    def lookup(self, ranked: Sequence[str], body: Vector) -> list[str]:
        """Stories sharing one of the ``query_terms`` first of ``ranked`` (terms of ``body``, heaviest first),
        most shared weight first, ties by id; at most ``max_candidates``."""
        postings = self._postings
        hits = [(posting, -body[t]) for t in ranked[: self.query_terms] if (posting := postings.get(t))]
        if not hits:
            return []
        sizes = [len(posting) for posting, _ in hits]
        slots = np.fromiter(chain.from_iterable(posting for posting, _ in hits), np.intp, sum(sizes))
        # Per slot, bincount adds the (negated, so that ascending order is heaviest first) weights in the
        # order of the query terms: the same floats as a Python loop over the terms. No sum is 0.
        sums = np.bincount(slots, np.repeat([weight for _, weight in hits], sizes))
        found = np.flatnonzero(sums)
        shared = sums[found]
        if len(found) > self.max_candidates:
            # Only the stories at or above the cut's weight can be ranked in (ties at the cut included).
            cut = np.partition(shared, self.max_candidates - 1)[self.max_candidates - 1]
            within = shared <= cut
            found, shared = found[within], shared[within]
        story_at = self._story_at
        ranked_stories = sorted(zip(shared.tolist(), map(story_at.__getitem__, found.tolist()), strict=True))
        return [story for _, story in ranked_stories[: self.max_candidates]]
