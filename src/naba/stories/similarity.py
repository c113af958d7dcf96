"""Sparse TF-IDF vectors with document frequencies learned online, and the article-to-story similarity.

Contract
--------
* :class:`OnlineIdf` counts, for each term, the articles seen so far that contain it; ``idf`` is the smoothed
  ``log((n + 1) / (df + 1)) + 1``. It only ever grows, so a store persists it as (term, df) rows plus ``n``.
* :func:`vectorize` turns a term list into an L2-normalized sublinear-TF x IDF vector truncated to its
  ``top`` heaviest terms (bounded cost per comparison, whatever the article length).
* :class:`ArticleFeatures` are the per-article vectors compared with a story's centroids:
  ``title`` (headline terms), ``body`` (headline + body terms) and ``names`` — pairs of adjacent rare terms
  in the headline and first paragraphs, a cheap stand-in for named entities in a script with no capitals
  (person and place names are rare, multi-word and sit at the start of a news text).
* :func:`story_similarity` is the weighted sum of the three cosines, times a time decay (EMM NewsBrief /
  Miranda et al. 2018: per-feature similarities against cluster centroids, combined, within a time window).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add, itemgetter, mul, truediv
from typing import Final

from naba.text.analyzer import ROOT_MARK

Vector = dict[str, float]

# Terms kept per article vector (body) and per story centroid: the long tail of a 600-word article adds
# nothing to a cosine once its 60 heaviest terms agree or disagree.
BODY_TOP_TERMS: Final = 60
CENTROID_TOP_TERMS: Final = 150
# Body terms read per article: news puts the event in the first paragraphs; later ones drift into
# background that links unrelated stories of one topic.
BODY_PREFIX_TERMS: Final = 250
# Name pairs come from the headline and the first NAME_PREFIX_TERMS body terms.
NAME_PREFIX_TERMS: Final = 80
# A term is "rare" (a name candidate) when its idf is at least this share of the maximum idf (a term seen
# once). eval/stories.py, whole dev window: 0.45 -> B-cubed F1 0.906, 0.55 -> 0.908.
NAME_MIN_IDF_SHARE: Final = 0.55
# Surface terms an article lists as its top terms.
ARTICLE_TOP_TERMS: Final = 10


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the three cosines in the story similarity (see :data:`DEFAULT_WEIGHTS`)."""

    title: float
    body: float
    names: float


# Calibrated on eval/stories.py over the whole dev window, one setting for all articles: (0.25, 0.6, 0.15) with
# pair-only names -> B-cubed F1 0.903-0.908; (0.25, 0.45, 0.3) with rare terms + pairs -> 0.906-0.908 (join
# 0.3-0.35). A small grid only: the figures move by < 0.005, so the choice is not fitted to single stories.
DEFAULT_WEIGHTS: Final = Weights(title=0.25, body=0.45, names=0.3)


class OnlineIdf:
    """Document frequencies learned from the stream (see the module contract)."""

    def __init__(self) -> None:
        self.n = 0
        self.df: Counter[str] = Counter()

    def add(self, terms: Iterable[str]) -> None:
        self.n += 1
        self.df.update(terms if isinstance(terms, set | frozenset) else set(terms))  # counted in C

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """:meth:`idf` of each distinct term (one lookup per term for an article's several vectors)."""
        distinct = list(dict.fromkeys(terms))
        # log((n + 1) / (df + 1)) + 1 for each term, as a chain of C-level maps (the same float operations).
        ratios = map(truediv, repeat(self.n + 1), map(add, map(self.df.get, distinct, repeat(0)), repeat(1)))
        return dict(zip(distinct, map(add, map(math.log, ratios), repeat(1.0)), strict=True))

    def max_idf(self) -> float:
        return math.log(self.n + 1) + 1.0


def vectorize(terms: Sequence[str], idf: OnlineIdf | Mapping[str, float], top: int) -> Vector:
    """L2-normalized sublinear TF-IDF of ``terms``, truncated to the ``top`` heaviest.

    ``idf`` is the learned frequencies or a table of their :meth:`OnlineIdf.idf` values for ``terms``.
    """
    table = idf.idfs(terms) if isinstance(idf, OnlineIdf) else idf
    counts = Counter(terms)
    tf = _SUBLINEAR_TF if max(counts.values(), default=0) < len(_SUBLINEAR_TF) else _sublinear_tf(counts)
    weights = dict(
        zip(
            counts,
            map(mul, map(tf.__getitem__, counts.values()), map(table.__getitem__, counts)),
            strict=True,
        )
    )
    if len(weights) > top:
        weights = dict(by_weight(weights)[:top])
    return normalized(weights)


# 1 + log(count) for the counts a term can have in an article's vectors (at most the headline and the body
# prefix): one list index instead of a log.
_SUBLINEAR_TF: Final = [0.0] + [1.0 + math.log(c) for c in range(1, 4 * BODY_PREFIX_TERMS)]


def _sublinear_tf(counts: Counter[str]) -> dict[int, float]:
    return {c: 1.0 + math.log(c) for c in counts.values()}


def by_weight(vector: Mapping[str, float]) -> list[tuple[str, float]]:
    """Items heaviest first, ties by term (the order of ``sorted(key=(-weight, term))``, sorted in C)."""
    ranked = sorted(vector.items())
    ranked.sort(key=itemgetter(1), reverse=True)  # stable: equal weights keep the term order
    return ranked


def ranked_terms(vector: Mapping[str, float]) -> tuple[str, ...]:
    """Terms heaviest first, equal weights in the vector's own order (a stable sort on the weight)."""
    return tuple(t for t, _ in sorted(vector.items(), key=itemgetter(1), reverse=True))


def normalized(vector: Mapping[str, float]) -> Vector:
    values = vector.values()
    norm = math.sqrt(sum(map(mul, values, values)))
    return dict(zip(vector, map(truediv, values, repeat(norm)), strict=True)) if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two normalized sparse vectors.

    The shared terms are found by a C-level key intersection; their order then follows Python's salted
    string hashing, so the products are added with :func:`math.fsum` (exactly rounded, hence independent of
    the order and the same in every process).
    """
    common = a.keys() & b.keys()
    if not common:
        return 0.0
    return math.fsum(map(mul, map(a.__getitem__, common), map(b.__getitem__, common)))


def _surface_terms(terms: Sequence[str]) -> list[str]:
    # Root terms (√...) conflate unrelated words; names are compared on stems only.
    return [t for t in terms if not t.startswith(ROOT_MARK)]


def name_pairs(terms: Sequence[str], idf: OnlineIdf, table: Mapping[str, float] | None = None) -> list[str]:
    """Rare terms and adjacent pairs of rare terms: "خيبر", "42", "قاعده العند", "مطار خالد".

    Look-alike events (the same sun-work-ban raid in two towns, congratulations to two countries) share
    their formulaic wording; what tells them apart is the rare place, person or number. ``table`` holds
    :meth:`OnlineIdf.idf` of the terms when the caller has it.
    """
    floor = NAME_MIN_IDF_SHARE * idf.max_idf()
    stems = _surface_terms(terms)
    idf_of = table if table is not None else idf.idfs(stems)
    rare = [idf_of[t] >= floor for t in stems]
    pairs = [f"{a} {b}" for a, b, ra, rb in zip(stems, stems[1:], rare, rare[1:], strict=False) if ra and rb]
    return [t for t, r in zip(stems, rare, strict=True) if r] + pairs


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """The vectors of one article (IDF as learned at its arrival) or of a story centroid.

    ``ranked`` is the body's terms heaviest first (equal weights in the body's order): the candidate lookup
    reads its head, ``top_terms`` its first surface terms.
    """

    title: Vector
    body: Vector
    names: Vector
    top_terms: tuple[str, ...]
    ranked: tuple[str, ...] = ()


def features_of(title: Vector, body: Vector, names: Vector, top: int) -> ArticleFeatures:
    """Features with ``ranked`` and the ``top`` heaviest surface terms derived from ``body``."""
    ranked = ranked_terms(body)
    surface = tuple(t for t in ranked if not t.startswith(ROOT_MARK))
    return ArticleFeatures(title, body, names, surface[:top], ranked)


def article_features(
    title_terms: Sequence[str], body_terms: Sequence[str], idf: OnlineIdf
) -> ArticleFeatures:
    """Vectors for one article; ``idf`` should already include the article itself."""
    body_prefix = list(body_terms[:BODY_PREFIX_TERMS])
    title_list = list(title_terms)
    table = idf.idfs(title_list + body_prefix)
    title_vec = vectorize(title_list, table, BODY_TOP_TERMS)
    body_vec = vectorize(title_list + body_prefix, table, BODY_TOP_TERMS)
    names = name_pairs(title_list, idf, table) + name_pairs(body_prefix[:NAME_PREFIX_TERMS], idf, table)
    names_vec = normalized(dict.fromkeys(names, 1.0))
    return features_of(title_vec, body_vec, names_vec, ARTICLE_TOP_TERMS)


def time_decay(gap: dt.timedelta, grace: dt.timedelta, half_life: dt.timedelta) -> float:
    """1 within ``grace`` of the story's activity, then halving every ``half_life``."""
    excess = abs(gap) - grace
    if excess <= dt.timedelta(0):
        return 1.0
    return float(0.5 ** (excess / half_life))


def story_similarity(
    article: ArticleFeatures, centroid: ArticleFeatures, weights: Weights, decay: float
) -> float:
    """Weighted cosine of an article against a story centroid, times the time decay."""
    sim = (
        weights.title * cosine(article.title, centroid.title)
        + weights.body * cosine(article.body, centroid.body)
        + weights.names * cosine(article.names, centroid.names)
    )
    return sim * decay
