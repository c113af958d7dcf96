"""`naba batch dedupe DIR`: duplicate groups of a whole batch folder, with MinHash banding in Spark.

Contract
--------
* Every article is analyzed by :func:`naba.text.analysis.analyze_texts` (the function the streaming
  understanding runs) and shingled by :mod:`naba.dedupe.shingles` (the same normalized 5-word shingles,
  sampling and exact key). Articles are numbered in the streaming order (publication time, missing times
  last, ties by id): the *arrival* that names groups and breaks ties in the original choice.
* Candidates: articles with the same exact key, and articles that share one of :data:`BANDS` bands of
  :data:`ROWS` MinHash values of their shingles. A band bucket pairs each member with at most
  :data:`MAX_BUCKET_PAIRS` members before it (a bound on the work a huge bucket can cause, like the streaming
  index's posting cap).
* Verification is the streaming rule of a near copy (:mod:`naba.dedupe`): at least ``MIN_SHARED`` shared
  non-boilerplate shingles and containment ``shared / min(|A|, |B|)`` ≥ ``NEAR_CONTAINMENT``; exact keys
  always match. Boilerplate is as in the streaming index: a shingle found in more than
  ``BOILERPLATE_GROUPS`` distinct groups. It is found from the groups of a first verification without it,
  then the candidates are verified again without the boilerplate shingles.
* Groups: the connected components of the verified pairs, computed in Spark by iterative min-label
  propagation (each article takes the smallest arrival among itself and its neighbours until nothing
  changes: as many rounds as the longest chain), then, inside each component (one task each: components
  are small), the streaming join rule (:func:`average_linkage`: best mean match over a group's members),
  so that a chain of partial copies does not glue two wire texts together, as in the streaming deduper. A group is named by its first-arrived article (the
  streaming group id); its original and "also published by" come from
  :func:`naba.dedupe.original.choose_original`, the streaming rule.
* Outputs: ``DIR/dedupe`` (one row per article: group, original, size, method), ``DIR/groups`` (groups of
  two or more: original, members in arrival order, also published by as outlet/url/id).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from naba.batch.schema import ARTICLES, DEDUPE, GROUPS, article_from_row
from naba.batch.session import StageTracker
from naba.dedupe import METHOD_EXACT, METHOD_NEAR, METHOD_UNIQUE, MIN_SHARED, NEAR_CONTAINMENT, VERBATIM
from naba.dedupe.index import BOILERPLATE_GROUPS
from naba.dedupe.original import CopyInfo, choose_original, copy_info
from naba.dedupe.shingles import sampled, shingle_hashes
from naba.text.analysis import analyze_texts
from naba.text.analyzer import DEFAULT_ANALYZER

# MinHash banding: BANDS bands of ROWS values. Containment, not Jaccard, decides a copy: a wire text cut to a
# third has Jaccard 0.33 with its source. With 64 bands of 2 rows a pair of Jaccard 0.2 is a candidate with
# probability 1 - (1 - 0.2²)^64 = 0.93, of Jaccard 0.3 with 0.998; pairs below share few shingles, and every
# candidate is verified exactly, so the low rows cost only verification work.
BANDS: Final = 64
ROWS: Final = 2
MAX_BUCKET_PAIRS: Final = 64
_MIX1: Final = np.uint64(0xBF58476D1CE4E5B9)
_MIX2: Final = np.uint64(0x94D049BB133111EB)
_SEEDS: Final = np.arange(1, BANDS * ROWS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
_FAR_FUTURE: Final = dt.datetime.max.replace(tzinfo=dt.UTC)
# Rounds of label propagation before giving up: a chain of copies longer than this is not a real group.
MAX_ROUNDS: Final = 64


@dataclass(frozen=True, slots=True)
class DedupeReport:
    articles: int
    groups: int
    grouped: int
    candidates: int
    verified: int
    boilerplate: int
    rounds: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "groups": self.groups,
            "grouped": self.grouped,
            "candidate_pairs": self.candidates,
            "verified_pairs": self.verified,
            "boilerplate_shingles": self.boilerplate,
            "rounds": self.rounds,
        }


def order_key(published: str | None, article_id: str) -> tuple[bool, float, str]:
    """The streaming order (:mod:`naba.engine.understand`: the store's ``published_ts``, missing last, then
    id): publication time as a UTC timestamp, a bare date at its midnight UTC."""
    if not published:
        return True, 0.0, article_id
    when = dt.datetime.fromisoformat(published)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return False, when.timestamp(), article_id


def minhash(hashes: Iterable[int]) -> npt.NDArray[np.uint64]:
    """:data:`BANDS` × :data:`ROWS` MinHash values of a set of 64-bit shingle hashes (splitmix64 of each
    hash xor a per-function seed; the minimum per function)."""
    values = np.fromiter(hashes, dtype=np.int64).view(np.uint64)
    if values.size == 0:
        return np.zeros(BANDS * ROWS, np.uint64)
    h = values[None, :] ^ _SEEDS[:, None]
    h ^= h >> np.uint64(30)
    h *= _MIX1
    h ^= h >> np.uint64(27)
    h *= _MIX2
    h ^= h >> np.uint64(31)
    mins: npt.NDArray[np.uint64] = h.min(axis=1)
    return mins


def band_keys(signature: npt.NDArray[np.uint64]) -> list[int]:
    """One key per band (band number mixed with its rows), as signed 64-bit integers."""
    rows = signature.reshape(BANDS, ROWS)
    keys = rows[:, 0].copy()
    for r in range(1, ROWS):
        keys = keys * np.uint64(0x100000001B3) ^ rows[:, r]
    keys ^= np.arange(BANDS, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
    result: list[int] = keys.view(np.int64).tolist()
    return result


def _features(rows: Iterable[Any], analyzer: str) -> Iterator[tuple[Any, ...]]:
    """(order key, id, exact key, shingles, copy facts, day) of each article row, analyzed in one batch."""
    batch = [article_from_row(row) for row in rows]
    if not batch:
        return
    analyses = analyze_texts(analyzer, [(a.title, a.body_text) for a in batch])
    empty = hashlib.sha256(b"").hexdigest()  # the fingerprint of a body with no words: no exact key
    for article, analysis in zip(batch, analyses, strict=True):
        key = "" if analysis.fingerprint == empty else analysis.fingerprint
        hashes = sorted(sampled(shingle_hashes(analysis.body_phrase))) if key else []
        facts = copy_info(article, 0)
        published = facts.published.isoformat() if facts.published else None
        copy = (facts.outlet, facts.url, published, facts.agency_rank)
        published_text = article.published.isoformat() if article.published else None
        yield order_key(published_text, article.id), article.id, key, hashes, copy


def _band_entries(item: tuple[int, tuple[Any, ...]]) -> list[tuple[int, int]]:
    arrival, (_, _, key, hashes, _) = item
    if not key or not hashes:
        return []
    return [(band, arrival) for band in band_keys(minhash(hashes))]


def _bucket_pairs(members: Iterable[int]) -> Iterator[tuple[int, int]]:
    ordered = sorted(members)
    for i, later in enumerate(ordered):
        for earlier in ordered[max(0, i - MAX_BUCKET_PAIRS) : i]:
            yield earlier, later


Pair = tuple[tuple[int, int], tuple[tuple[str, list[int]], tuple[str, list[int]]]]


def containment(pair: Pair, boilerplate: frozenset[int]) -> float | None:
    """The streaming deduper's match value of a candidate pair (earlier, later): 1.0 for equal exact keys,
    else shared non-boilerplate shingles over the smaller set; None below ``MIN_SHARED`` shared shingles
    (not a match at all)."""
    (_, _), ((key_a, hashes_a), (key_b, hashes_b)) = pair
    if key_a and key_a == key_b:
        return 1.0
    shared = len(set(hashes_a).intersection(hashes_b).difference(boilerplate))
    if shared < MIN_SHARED:
        return None
    return shared / max(1, min(len(hashes_a), len(hashes_b)))


def _verify(pair: Pair, boilerplate: frozenset[int]) -> bool:
    value = containment(pair, boilerplate)
    return value is not None and value >= NEAR_CONTAINMENT


def average_linkage(members: Iterable[int], matches: Iterable[tuple[int, int, float]]) -> dict[int, int]:
    """The streaming join rule inside one connected component: each member, in arrival order, joins the
    group with the best mean match value over the group's members (at least ``NEAR_CONTAINMENT``), or a
    group holding a near-verbatim copy (``VERBATIM``); else it starts a group (:meth:`Deduper._choose_group`).
    ``matches`` are (earlier, later, value); returns member → the first-arrived member of its group."""
    ordered = sorted(set(members))
    inside = set(ordered)
    found: dict[int, list[tuple[int, float]]] = {}
    for a, b, value in matches:
        if a in inside and b in inside:
            found.setdefault(max(a, b), []).append((min(a, b), value))
    parent: dict[int, int] = {}
    sizes: dict[int, int] = {}

    def find(doc: int) -> int:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    for doc in ordered:
        parent[doc], sizes[doc] = doc, 1
        by_group: dict[int, list[float]] = {}
        for other, value in sorted(found.get(doc, ()), key=lambda m: (-m[1], m[0])):
            by_group.setdefault(find(other), []).append(value)
        best: tuple[int, float] | None = None
        for root, values in by_group.items():
            mean = sum(values) / max(len(values), sizes[root])
            top = max(values)
            if mean >= NEAR_CONTAINMENT or top >= VERBATIM:
                score = max(mean, top if top >= VERBATIM else 0.0)
                if best is None or score > best[1]:
                    best = (root, score)
        if best is not None:
            root = best[0]  # older than doc: it keeps its id
            parent[doc] = root
            sizes[root] += sizes.pop(doc)
    return {doc: find(doc) for doc in ordered}


def _refined(
    item: tuple[int, tuple[Iterable[int], Iterable[tuple[int, int, float]]]],
) -> list[tuple[int, int]]:
    _, (members, matches) = item
    return list(average_linkage(members, matches).items())


def connected_components(spark: Any, edges: Any, rounds_limit: int = MAX_ROUNDS) -> tuple[Any, int]:
    """(node, smallest node of its component) for every node of ``edges`` (an RDD of (a, b) pairs), by
    iterative min-label propagation; also the number of rounds it took.

    Edges and labels share one hash partitioning, so each round's join is partition-local and the number of
    partitions stays fixed however many rounds run.
    """
    from pyspark import StorageLevel

    parts = max(1, spark.sparkContext.defaultParallelism)
    both = (
        edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])])
        .distinct(parts)
        .partitionBy(parts)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    labels = both.map(lambda e: (e[0], e[0])).reduceByKey(min, parts).persist(StorageLevel.MEMORY_AND_DISK)
    rounds = 0
    try:
        while rounds < rounds_limit:
            rounds += 1
            # Each node's smallest neighbour label, against its own: the new label and whether it moved.
            offers = both.join(labels, parts).map(lambda kv: (kv[1][0], kv[1][1])).reduceByKey(min, parts)
            moved = (
                labels.leftOuterJoin(offers, parts)
                .mapValues(lambda pair: (pair[0] if pair[1] is None else min(pair[0], pair[1]), pair[0]))
                .persist(StorageLevel.MEMORY_AND_DISK)
            )
            changed = moved.filter(lambda kv: kv[1][0] != kv[1][1]).count()
            updated = moved.mapValues(lambda pair: pair[0]).persist(StorageLevel.MEMORY_AND_DISK)
            updated.count()  # kept before its inputs go
            labels.unpersist()
            moved.unpersist()
            labels = updated
            if changed == 0:
                break
    finally:
        both.unpersist()
    return labels, rounds


def _group_rows(
    item: tuple[int, Iterable[tuple[int, tuple[Any, ...]]]],
) -> list[tuple[Any, ...]]:
    """The dedupe rows of one component: (id, group, original, size, method, arrival)."""
    _, members = item
    ordered = sorted(members)
    copies = []
    for arrival, (_, article_id, _, _, copy) in ordered:
        outlet, url, published, rank = copy
        when = dt.datetime.fromisoformat(published) if published else None
        copies.append(CopyInfo(article_id, outlet, url, when, arrival, rank))
    original = choose_original(copies)
    group = copies[0].article
    seen_keys: set[str] = set()
    rows = []
    for (arrival, (_, article_id, key, _, _)), _copy in zip(ordered, copies, strict=True):
        if len(ordered) == 1:
            method = METHOD_UNIQUE
        elif arrival == ordered[0][0]:
            method = METHOD_UNIQUE  # the first of its group matched nothing before it
        else:
            method = METHOD_EXACT if key and key in seen_keys else METHOD_NEAR
        if key:
            seen_keys.add(key)
        rows.append((article_id, group, original.article, len(ordered), method, arrival))
    return rows


def _group_summary(item: tuple[Any, Iterable[tuple[Any, ...]]]) -> tuple[Any, ...]:
    group, members = item
    ordered = sorted(members, key=lambda m: m[0])
    original = next(m for m in ordered if m[1] == m[2])
    also = [(m[1], m[3], m[4]) for m in ordered if m[1] != original[1]]
    return group, original[1], [m[1] for m in ordered], also


def run_dedupe(
    spark: Any, folder: Path, *, analyzer: str = DEFAULT_ANALYZER, tracker: StageTracker | None = None
) -> DedupeReport:
    """Duplicate groups of ``folder/articles`` into ``folder/dedupe`` and ``folder/groups``."""
    from pyspark import StorageLevel
    from pyspark.sql.types import (
        ArrayType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    tracker = tracker or StageTracker(spark)
    articles = spark.read.parquet(str(folder / ARTICLES))
    with tracker.stage("dedupe: shingles"):
        # Analyzed once (sorting samples its input first, and the sample must not analyze again).
        analyzed = articles.rdd.mapPartitions(partial(_features, analyzer=analyzer)).persist(
            StorageLevel.MEMORY_AND_DISK
        )
        features = (
            analyzed.sortBy(lambda f: f[0])
            .zipWithIndex()
            .map(lambda fi: (fi[1], fi[0]))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        total = features.count()
        analyzed.unpersist()
    with tracker.stage("dedupe: candidates"):
        exact = (
            features.filter(lambda kv: bool(kv[1][2]))
            .map(lambda kv: (kv[1][2], kv[0]))
            .groupByKey()
            .flatMap(lambda kv: _bucket_pairs(kv[1]))
        )
        banded = features.flatMap(_band_entries).groupByKey().flatMap(lambda kv: _bucket_pairs(kv[1]))
        pairs = exact.union(banded).distinct()
        sketches = features.map(lambda kv: (kv[0], (kv[1][2], kv[1][3])))
        joined = (
            pairs.join(sketches)
            .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
            .join(sketches)
            .map(lambda kv: ((kv[1][0][0], kv[0]), (kv[1][0][1], kv[1][1])))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        candidates = joined.count()
    try:
        with tracker.stage("dedupe: first groups"):
            first_edges = joined.filter(partial(_verify, boilerplate=frozenset())).keys()
            first_labels, _ = connected_components(spark, first_edges)
            component = features.map(lambda kv: (kv[0], kv[0])).leftOuterJoin(first_labels)
            component = component.map(lambda kv: (kv[0], kv[1][1] if kv[1][1] is not None else kv[0]))
            boilerplate = frozenset(
                features.map(lambda kv: (kv[0], kv[1][3]))
                .join(component)
                .flatMap(lambda kv: [(h, kv[1][1]) for h in kv[1][0]])
                .distinct()
                .map(lambda hc: (hc[0], 1))
                .reduceByKey(lambda a, b: a + b)
                .filter(lambda hc: hc[1] > BOILERPLATE_GROUPS)
                .keys()
                .collect()
            )
            first_labels.unpersist()
        with tracker.stage("dedupe: groups"):
            shared = spark.sparkContext.broadcast(boilerplate)
            scored = (
                joined.map(lambda p: (p[0][0], p[0][1], containment(p, shared.value)))
                .filter(lambda m: m[2] is not None)
                .persist(StorageLevel.MEMORY_AND_DISK)
            )
            edges = scored.filter(lambda m: m[2] >= NEAR_CONTAINMENT).map(lambda m: (m[0], m[1]))
            edges = edges.persist(StorageLevel.MEMORY_AND_DISK)
            verified = edges.count()
            components, rounds = connected_components(spark, edges)
            # Inside each component, the streaming join rule (average linkage) splits chained copies apart.
            matches = (
                scored.map(lambda m: (m[0], (m[1], m[2])))
                .join(components)
                .map(lambda kv: (kv[1][1], (kv[0], kv[1][0][0], kv[1][0][1])))
            )
            labels = (
                components.map(lambda kv: (kv[1], kv[0]))
                .cogroup(matches)
                .flatMap(_refined)
                .persist(StorageLevel.MEMORY_AND_DISK)
            )
            by_component = (
                features.leftOuterJoin(labels)
                .map(lambda kv: (kv[1][1] if kv[1][1] is not None else kv[0], (kv[0], kv[1][0])))
                .groupByKey()
                .flatMap(_group_rows)
            )
            row_schema = StructType(
                [
                    StructField("id", StringType(), False),
                    StructField("group", StringType(), False),
                    StructField("original", StringType(), False),
                    StructField("size", IntegerType(), False),
                    StructField("method", StringType(), False),
                    StructField("arrival", LongType(), False),
                ]
            )
            rows = spark.createDataFrame(by_component, row_schema)
            rows.write.mode("overwrite").parquet(str(folder / DEDUPE))
        with tracker.stage("dedupe: also published"):
            written = spark.read.parquet(str(folder / DEDUPE)).filter("size > 1")
            facts = articles.select("id", "publisher", "url")
            members = written.join(facts, "id").rdd.map(
                lambda r: (r["group"], (r["arrival"], r["id"], r["original"], r["publisher"], r["url"]))
            )
            also_type = ArrayType(
                StructType(
                    [
                        StructField("id", StringType(), False),
                        StructField("outlet", StringType(), True),
                        StructField("url", StringType(), True),
                    ]
                ),
                False,
            )
            group_schema = StructType(
                [
                    StructField("group", StringType(), False),
                    StructField("original", StringType(), False),
                    StructField("members", ArrayType(StringType(), False), False),
                    StructField("also_published", also_type, False),
                ]
            )
            groups = spark.createDataFrame(members.groupByKey().map(_group_summary), group_schema)
            groups.write.mode("overwrite").parquet(str(folder / GROUPS))
            summary = spark.read.parquet(str(folder / GROUPS))
            group_count = summary.count()
            grouped = written.count()
        edges.unpersist()
        scored.unpersist()
        components.unpersist()
        labels.unpersist()
    finally:
        joined.unpersist()
        features.unpersist()
    return DedupeReport(
        articles=total,
        groups=group_count,
        grouped=grouped,
        candidates=candidates,
        verified=verified,
        boilerplate=len(boilerplate),
        rounds=rounds,
    )
