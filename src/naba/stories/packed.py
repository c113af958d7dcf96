"""Story centroids packed as numpy arrays, and the similarity of one vector against many in one pass.

Contract
--------
* :class:`TermIds` gives each (feature, term) of a live vector a small integer id. Ids are counted by the
  vectors holding them and reused once free, so the id space follows the live vocabulary of the active
  stories, not everything the stream has seen.
* A :class:`PackedVector` holds the three vectors of an :class:`~naba.stories.similarity.ArticleFeatures`
  (title, body, names) as one array of ids and one of values, in the vectors' own order.
* :meth:`Scorer.similarities` returns, for each packed row, ``sum_f weight_f * cosine_f(query, row)`` — the
  weighted cosines of :func:`~naba.stories.similarity.story_similarity` without the decay — as one gather
  and one sum per row in C instead of three dictionary intersections. Each row's products are added in a
  fixed order (numpy's pairwise sum along the row), so the same inputs give the same floats in every
  process; the last bit may differ from :func:`~naba.stories.similarity.cosine`'s exactly rounded sums, and
  no threshold is that fine (stories-dev and the whole SaudiNewsNet corpus: the same assignments, merges and
  links to the fourth decimal of every similarity).
* Memory: the scorer's rows take 12 bytes per (slot, column), columns being the longest packed centroid
  (at most three times ``CENTROID_TOP_TERMS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Final

import numpy as np
import numpy.typing as npt

from naba.stories.similarity import ArticleFeatures, Vector, Weights

IdArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]

FEATURES: Final = 3  # title, body, names


def _vectors(feats: ArticleFeatures) -> tuple[Vector, Vector, Vector]:
    return feats.title, feats.body, feats.names


@dataclass(frozen=True, slots=True)
class PackedVector:
    """The ids and values of a features' three vectors, title then body then names (see the contract);
    ``weighted`` is ``values`` times each feature's weight (the vector as a query)."""

    ids: IdArray
    values: FloatArray
    weighted: FloatArray

    @property
    def query(self) -> tuple[IdArray, FloatArray]:
        return self.ids, self.weighted


class TermIds:
    """Ids of the (feature, term) pairs of the live packed vectors, counted and reused (see the contract)."""

    def __init__(self, weights: Weights) -> None:
        self._weights = (weights.title, weights.body, weights.names)
        self._ids: tuple[dict[str, int], ...] = tuple({} for _ in range(FEATURES))
        self._refs: npt.NDArray[np.int64] = np.zeros(1024, np.int64)  # packed vectors holding each id
        # id -> (feature, term), to forget a free id's term; id 0 is nobody's (the rows' padding)
        self._owner: list[tuple[int, str]] = [(0, "")]
        self._free: list[int] = []

    @property
    def capacity(self) -> int:
        """One more than the largest id ever handed out."""
        return len(self._owner)

    def pack(self, feats: ArticleFeatures, previous: PackedVector | None = None) -> PackedVector:
        """Pack ``feats``, taking ids for its terms; ``previous`` (the packing it replaces) gives up its own."""
        vectors = _vectors(feats)
        ids = []
        for f, vector in enumerate(vectors):
            known = self._ids[f]
            self._name(f, set(vector).difference(known))  # (a keys view difference would walk ``known``)
            ids.append(np.fromiter(map(known.__getitem__, vector), np.intp, len(vector)))
        values = [np.fromiter(v.values(), np.float64, len(v)) for v in vectors]
        weighted = np.concatenate([v * w for v, w in zip(values, self._weights, strict=True)])
        packed = PackedVector(np.concatenate(ids), np.concatenate(values), weighted)
        self._refs[packed.ids] += 1  # the ids of one packing are distinct
        if previous is not None:
            self.release(previous)
        return packed

    def release(self, packed: PackedVector) -> None:
        """Give back the ids of a packed vector that is gone (or replaced)."""
        refs = self._refs
        refs[packed.ids] -= 1
        freed = packed.ids[refs[packed.ids] == 0].tolist()
        for i in freed:
            f, term = self._owner[i]
            del self._ids[f][term]
            self._owner[i] = (f, "")
        self._free.extend(freed)

    def query(self, feats: ArticleFeatures) -> tuple[IdArray, FloatArray]:
        """The ids of the terms of ``feats`` that some packed vector has, and their values times the feature
        weight (a term no packed vector has adds nothing to any similarity)."""
        ids: list[IdArray] = []
        values: list[FloatArray] = []
        for f, vector in enumerate(_vectors(feats)):
            found = np.fromiter(map(self._ids[f].get, vector, repeat(-1)), np.intp, len(vector))
            known = found >= 0
            ids.append(found[known])
            values.append(np.fromiter(vector.values(), np.float64, len(vector))[known] * self._weights[f])
        return np.concatenate(ids), np.concatenate(values)

    def _name(self, f: int, terms: Iterable[str]) -> None:
        """Give each of ``terms`` (new to feature ``f``) an id, a free one first."""
        known, owner, free = self._ids[f], self._owner, self._free
        for term in terms:
            if free:
                i = free.pop()
                owner[i] = (f, term)
            else:
                i = len(owner)
                owner.append((f, term))
            known[term] = i
        if len(owner) > len(self._refs):
            self._refs = np.concatenate([self._refs, np.zeros(len(owner), np.int64)])


class Scorer:
    """Packed centroids by story slot, in fixed-width rows, and the weighted cosines of a query with many.

    A row is a slot's packed ids and values followed by padding (id 0, which no term has, and value 0), so the
    rows of a lookup's candidates are gathered as one block: no per-row Python work and no concatenation.
    """

    def __init__(self) -> None:
        self._scratch: FloatArray = np.zeros(1024)
        self._ids: npt.NDArray[np.int32] = np.zeros((64, 256), np.int32)
        self._values: FloatArray = np.zeros((64, 256))
        self._sizes: IdArray = np.zeros(64, np.intp)

    def store(self, slot: int, packed: PackedVector) -> None:
        """Make ``packed`` the row of ``slot`` (replacing what the slot held)."""
        size = len(packed.ids)
        rows, width = self._ids.shape
        if slot >= rows or size > width:
            self._grow(max(rows, 2 * slot + 2), max(width, size))
        old = int(self._sizes[slot])
        self._ids[slot, :size] = packed.ids
        self._values[slot, :size] = packed.values
        if old > size:
            self._ids[slot, size:old] = 0
            self._values[slot, size:old] = 0.0
        self._sizes[slot] = size

    def _grow(self, rows: int, width: int) -> None:
        ids, values, sizes = self._ids, self._values, self._sizes
        self._ids = np.zeros((rows, width), np.int32)
        self._values = np.zeros((rows, width))
        self._sizes = np.zeros(rows, np.intp)
        self._ids[: ids.shape[0], : ids.shape[1]] = ids
        self._values[: values.shape[0], : values.shape[1]] = values
        self._sizes[: len(sizes)] = sizes

    def similarities(
        self, query: tuple[IdArray, FloatArray], slots: Sequence[int], capacity: int
    ) -> list[float]:
        """``sum_f weight_f * cosine_f`` of the query (weighted values, as from :meth:`TermIds.query`) and the
        row of each of ``slots``, in order. ``capacity`` bounds the ids in use (:attr:`TermIds.capacity`)."""
        if not slots:
            return []
        if capacity > len(self._scratch):
            self._scratch = np.zeros(max(capacity, 2 * len(self._scratch)))
        rows = np.array(slots, np.intp)
        width = int(self._sizes[rows].max())
        ids, values = query
        scratch = self._scratch
        scratch[ids] = values  # never id 0: padding reads 0
        try:
            products = scratch[self._ids[rows, :width]] * self._values[rows, :width]
            sums: list[float] = products.sum(axis=1).tolist()  # per row, in a fixed order: deterministic
        finally:
            scratch[ids] = 0.0
        return sums
