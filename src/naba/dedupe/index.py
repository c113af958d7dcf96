"""An inverted index of shingle hashes with boilerplate suppression and a sliding time window.

Why not MinHash-LSH: LSH approximates *Jaccard*, and a shortened wire copy (a third of the original) has
Jaccard 0.33 with it although containment is 1.0; banding for Jaccard 0.3 floods the candidates. A posting
list per (sampled) shingle gives exact shared-shingle counts, hence exact containment, and the cost of one
lookup is bounded by ``shingles x MAX_POSTINGS`` whatever the size of the store (measured in
``bench/bench_stream.py`` against datasketch).

Boilerplate: a shingle that already occurs in more than ``BOILERPLATE_GROUPS`` distinct duplicate groups
(outlet footers, "الرياض ... واس" datelines, recurring column furniture) is dropped from the index for good.
Counting *groups* rather than documents lets a wire text copied by 20 outlets keep its shingles, while a
footer shared by unrelated articles goes as soon as it is seen in a handful of them.

The window: postings of documents older than ``window`` behind the newest document are evicted, so memory
and lookup cost stay flat as the stream grows; syndicated copies appear within days of each other.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Final

# Distinct duplicate groups a shingle may occur in before it counts as boilerplate. Calibrated on
# eval/dedupe.py (dev window as a whole, threshold 0.5): 2 -> dup F1 0.944, 4 -> 0.956, 8 -> 0.957.
BOILERPLATE_GROUPS: Final = 4
# A hard cap on one posting list, so a pathological shingle can never make a lookup linear in the store.
MAX_POSTINGS: Final = 64
DEFAULT_WINDOW: Final = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed document sharing ``shared`` indexed shingles with the query; ``size`` is its shingle count."""

    doc: int
    shared: int
    size: int


class ShingleIndex:
    """Shingle hash -> documents, for documents within ``window`` of the newest one.

    Documents are small integers chosen by the caller (the deduper's arrival numbers). ``group_of`` maps a
    document to its current duplicate group, for boilerplate detection.
    """

    def __init__(self, group_of: Callable[[int], int], window: dt.timedelta = DEFAULT_WINDOW) -> None:
        self._group_of = group_of
        self._window = window
        # A posting list per shingle; a shingle seen in one document only (most of them) is kept in ``_single``
        # as a plain int instead: no list object per shingle, so less to allocate and for the GC to walk.
        self._single: dict[int, int] = {}
        self._postings: dict[int, list[int]] = {}
        self._boilerplate: set[int] = set()
        # doc -> the hashes it indexed, for eviction (a hash that became boilerplate since has no posting any
        # more, and is never indexed again: eviction finds nothing to remove for it)
        self._docs: dict[int, tuple[int, ...]] = {}
        self._sizes: dict[int, int] = {}
        # doc -> the hashes of its first shingles (its lead), for containment of one text in a combined one
        self._leads: dict[int, frozenset[int]] = {}
        self._arrivals: deque[tuple[dt.datetime, int]] = deque()
        # The lookups of the last candidates() call: (its hashes, those with a posting list, those in one
        # document). Valid until the index changes, i.e. the next add(), which takes or drops them.
        self._probe: tuple[Iterable[int], set[int], set[int]] | None = None

    def __len__(self) -> int:
        return len(self._docs)

    @property
    def boilerplate(self) -> frozenset[int]:
        return frozenset(self._boilerplate)

    def lead_of(self, doc: int) -> frozenset[int]:
        """The hashes of the document's first shingles, as given to :meth:`add`."""
        return self._leads.get(doc, frozenset())

    def hashes_of(self, doc: int) -> tuple[int, ...]:
        """The hashes the document indexed (boilerplate known when it arrived left out)."""
        return self._docs.get(doc, ())

    def indexed_count(self, docs: Iterable[int]) -> int:
        """How many of ``docs`` are still inside the window."""
        return sum(1 for d in docs if d in self._docs)

    def candidates(self, hashes: Iterable[int], min_shared: int) -> list[Candidate]:
        """Indexed documents sharing at least ``min_shared`` non-boilerplate hashes, most shared first."""
        if not isinstance(hashes, set | frozenset):
            hashes = frozenset(hashes)
        postings, single = self._postings, self._single
        in_postings, in_single = postings.keys() & hashes, single.keys() & hashes
        # The next add() of the same hashes reuses these lookups (any add() drops them; see _probe).
        self._probe = (hashes, in_postings, in_single)
        # Counting in C: the postings of the query's hashes, chained, into a Counter.
        counts = Counter(chain.from_iterable(map(postings.__getitem__, in_postings)))
        counts.update(map(single.__getitem__, in_single))
        sizes = self._sizes
        found = [Candidate(d, n, sizes[d]) for d, n in counts.items() if n >= min_shared]
        found.sort(key=lambda c: (-c.shared, c.doc))
        return found

    def add(
        self, doc: int, hashes: frozenset[int], when: dt.datetime, lead: frozenset[int] = frozenset()
    ) -> None:
        """Index ``doc`` (``len(hashes)`` is its size; ``lead`` the hashes of its first shingles), then evict
        what fell out of the window."""
        postings, single = self._postings, self._single
        probe, self._probe = self._probe, None
        if probe is not None and probe[0] is hashes:
            in_postings, in_single = probe[1], probe[2]
        else:
            in_postings, in_single = postings.keys() & hashes, single.keys() & hashes
        live = hashes.difference(self._boilerplate)
        # Most shingles of a text are new: they start a posting and can be no boilerplate yet.
        fresh = live.difference(in_postings).difference(in_single)
        single.update(dict.fromkeys(fresh, doc))
        kept = list(fresh)
        for h in live.difference(fresh):
            posting = postings.get(h)
            if posting is None:
                posting = postings[h] = [single.pop(h)]
            posting.append(doc)
            if len(posting) > BOILERPLATE_GROUPS and self._is_boilerplate(posting):
                self._boilerplate.add(h)
                del postings[h]  # for good: a boilerplate hash is never indexed again
            else:
                kept.append(h)
        self._docs[doc] = tuple(kept)
        self._sizes[doc] = len(hashes)
        if lead:
            self._leads[doc] = lead
        self._arrivals.append((when, doc))
        self._evict(when - self._window)

    def _is_boilerplate(self, posting: list[int]) -> bool:
        if len(posting) > MAX_POSTINGS:
            return True
        if len(posting) <= BOILERPLATE_GROUPS:
            return False
        return len({self._group_of(d) for d in posting}) > BOILERPLATE_GROUPS

    def _evict(self, horizon: dt.datetime) -> None:
        # Arrivals are in stream order, which is time order up to crawl jitter: evicting from the left while
        # the oldest is beyond the horizon is enough.
        while self._arrivals and self._arrivals[0][0] < horizon:
            _, doc = self._arrivals.popleft()
            kept = self._docs.pop(doc, ())
            # A shingle in ``_single`` belongs to the one live document whose kept hashes list it (a second
            # document moves it to a posting list), so the ones found there are this document's.
            alone = self._single.keys() & kept
            for h in alone:
                del self._single[h]
            for h in set(kept).difference(alone) if len(alone) < len(kept) else ():
                posting = self._postings.get(h)
                if posting is None:
                    continue
                posting.remove(doc)
                if not posting:
                    del self._postings[h]
            self._sizes.pop(doc, None)
            self._leads.pop(doc, None)
