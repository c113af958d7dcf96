"""The batched candidate lookup and scoring agree with the plain definitions they replace."""

from __future__ import annotations

import random

from naba.stories.candidates import CandidateIndex
from naba.stories.packed import Scorer, TermIds
from naba.stories.similarity import (
    DEFAULT_WEIGHTS,
    ArticleFeatures,
    Vector,
    features_of,
    normalized,
    ranked_terms,
    story_similarity,
)

WORDS = [
    "ينبع",
    "تحلية",
    "مياه",
    "محطة",
    "وزير",
    "الطاقة",
    "النصر",
    "الاتحاد",
    "هدف",
    "الدوري",
    "جدة",
    "الرياض",
]


def _vector(rng: random.Random, size: int) -> Vector:
    return normalized({w: rng.choice((0.5, 1.0, 2.0)) for w in rng.sample(WORDS, size)})


def _features(rng: random.Random) -> ArticleFeatures:
    return features_of(_vector(rng, 3), _vector(rng, 7), _vector(rng, 4), 10)


def test_scorer_equals_story_similarity() -> None:
    rng = random.Random(7)
    terms, scorer = TermIds(DEFAULT_WEIGHTS), Scorer()
    rows = [_features(rng) for _ in range(30)]
    for slot, feats in enumerate(rows):
        scorer.store(slot, terms.pack(feats))
    for _ in range(10):
        article = _features(rng)
        got = scorer.similarities(terms.query(article), list(range(len(rows))), terms.capacity)
        want = [story_similarity(article, row, DEFAULT_WEIGHTS, 1.0) for row in rows]
        assert all(abs(g - w) < 1e-12 for g, w in zip(got, want, strict=True))


def test_term_ids_are_reused_once_free() -> None:
    rng = random.Random(3)
    terms = TermIds(DEFAULT_WEIGHTS)
    packed = terms.pack(_features(rng))
    for _ in range(200):
        packed = terms.pack(_features(rng), packed)  # each packing replaces the previous one
    assert terms.capacity <= 1 + 3 * len(WORDS)  # bounded by the live vocabulary, not by the packings made
    capacity = terms.capacity
    terms.release(packed)
    terms.pack(_features(rng))
    assert terms.capacity == capacity  # freed ids are handed out again


def _plain_lookup(bodies: dict[str, Vector], query: Vector, index: CandidateIndex) -> list[str]:
    shared: dict[str, float] = {}
    for term in ranked_terms(query)[: index.query_terms]:
        for story, body in bodies.items():
            if term in body:
                shared[story] = shared.get(story, 0.0) + query[term]
    return sorted(shared, key=lambda s: (-shared[s], s))[: index.max_candidates]


def test_lookup_and_refresh_equal_the_plain_ranking() -> None:
    rng = random.Random(11)
    index = CandidateIndex(query_terms=4, max_candidates=5)
    bodies: dict[str, Vector] = {}
    for i in range(40):
        bodies[f"story:{i:02}"] = _vector(rng, rng.randint(2, 6))
        index.update(f"story:{i:02}", (), bodies[f"story:{i:02}"])
    query = _vector(rng, 6)
    assert index.lookup(ranked_terms(query), query) == _plain_lookup(bodies, query, index)

    index.start_log()
    ranking = index.rank(ranked_terms(query), query)
    for story in rng.sample(sorted(bodies), 8):  # some stories change, some leave
        if rng.random() < 0.5:
            index.remove(story, bodies.pop(story))
        else:
            new = _vector(rng, rng.randint(2, 6))
            index.update(story, bodies[story].keys() - new.keys(), new.keys() - bodies[story].keys())
            bodies[story] = new
    assert index.refresh(ranking) == _plain_lookup(bodies, query, index)
    assert index.refresh(ranking) == index.lookup(ranked_terms(query), query)
