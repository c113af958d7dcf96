"""The candidate lookup of online story clustering: which active stories to compare an article with.

Contract
--------
* :class:`CandidateIndex` maps each term of an active story's centroid body to the stories having it (an
  inverted index, so the cost of a lookup follows the terms' postings, not the number of stories).
* :meth:`CandidateIndex.lookup` takes a query vector's terms heaviest first and returns the stories sharing one
  of its ``query_terms`` heaviest, ranked by the summed query weight of the shared terms (then by id), cut at
  ``max_candidates``. Each story's sum adds the weights in the order of the query terms, so the ranking is
  the same whatever the order of the postings (sets) and in every process.
* :meth:`CandidateIndex.rank` keeps a lookup's full :class:`Ranking`; :meth:`CandidateIndex.refresh` brings it
  up to date after stories changed or left (re-scoring only those), which equals a new lookup as long as
  the ranking was made after the last :meth:`CandidateIndex.start_log`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

from naba.stories.similarity import Vector


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every story sharing a query term at lookup time, with its negated shared weight (see the contract)."""

    query: tuple[tuple[str, float], ...]  # the query terms in order, with their negated weights
    slots: npt.NDArray[np.intp]
    shared: npt.NDArray[np.float64]
    logged: int  # changes logged when it was made


class CandidateIndex:
    """Centroid body term -> active stories, by small reusable integer slots (see the module contract)."""

    def __init__(self, query_terms: int, max_candidates: int) -> None:
        self.query_terms = query_terms
        self.max_candidates = max_candidates
        self._postings: dict[str, set[int]] = {}
        self._slot_of: dict[str, int] = {}
        self._story_at: list[str] = []  # "" for a free slot
        self._free: list[int] = []
        self._log: list[int] = []  # slots changed (re-indexed or freed) since start_log()

    def start_log(self) -> None:
        """Forget the changes logged so far: rankings made before are not to be refreshed any more."""
        self._log.clear()

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
        self._log.append(slot)
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
            self._story_at[slot] = ""
            self._free.append(slot)
            self._log.append(slot)

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
        return self.top(self.rank(ranked, body))

    def rank(self, ranked: Sequence[str], body: Vector) -> Ranking:
        """The full ranking behind :meth:`lookup` (see the module contract)."""
        postings = self._postings
        query = tuple((t, -body[t]) for t in ranked[: self.query_terms])
        hits = [(posting, weight) for t, weight in query if (posting := postings.get(t))]
        if not hits:
            return Ranking(query, _NO_SLOTS, _NO_WEIGHTS, len(self._log))
        sizes = [len(posting) for posting, _ in hits]
        slots = np.fromiter(chain.from_iterable(posting for posting, _ in hits), np.intp, sum(sizes))
        # Per slot, bincount adds the (negated, so that ascending order is heaviest first) weights in the
        # order of the query terms: the same floats as a Python loop over the terms. No sum is 0.
        sums = np.bincount(slots, np.repeat([weight for _, weight in hits], sizes))
        found = np.flatnonzero(sums)
        return Ranking(query, found, np.asarray(sums[found], np.float64), len(self._log))

    def refresh(self, ranking: Ranking) -> list[str]:
        """:meth:`lookup` again for the query of ``ranking``, re-scoring only the stories changed since."""
        changed = set(self._log[ranking.logged :])
        if not changed:
            return self.top(ranking)
        unchanged = ~np.isin(ranking.slots, np.fromiter(changed, np.intp, len(changed)))
        slots, shared = ranking.slots[unchanged].tolist(), ranking.shared[unchanged].tolist()
        postings = self._postings
        for slot in changed:
            if not self._story_at[slot]:
                continue  # freed
            total = 0.0
            for term, weight in ranking.query:  # the order of a lookup's sums
                if slot in postings.get(term, ()):
                    total += weight
            if total:
                slots.append(slot)
                shared.append(total)
        return self.top(Ranking(ranking.query, np.array(slots, np.intp), np.array(shared), len(self._log)))

    def top(self, ranking: Ranking) -> list[str]:
        """The first ``max_candidates`` stories of a ranking: most shared weight first, ties by id."""
        found, shared = ranking.slots, ranking.shared
        if len(found) > self.max_candidates:
            # Only the stories at or above the cut's weight can be ranked in (ties at the cut included).
            cut = np.partition(shared, self.max_candidates - 1)[self.max_candidates - 1]
            within = shared <= cut
            found, shared = found[within], shared[within]
        story_at = self._story_at
        ranked_stories = sorted(zip(shared.tolist(), map(story_at.__getitem__, found.tolist()), strict=True))
        return [story for _, story in ranked_stories[: self.max_candidates]]


_NO_SLOTS: npt.NDArray[np.intp] = np.zeros(0, np.intp)
_NO_WEIGHTS: npt.NDArray[np.float64] = np.zeros(0)
