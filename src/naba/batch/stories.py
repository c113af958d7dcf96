"""`naba batch stories DIR`: stories per publication day in parallel, then stories and threads across days.

Contract
--------
* Blocking by day: the articles of one ``day=`` partition are clustered together, in one Spark task, by the
  online story engine itself (:class:`naba.stories.StoryClusterer`: the similarity, thresholds, anchors and
  repair passes of the streaming understanding), fed in the streaming order (publication time, ties by id).
  A copy found by ``naba batch dedupe`` joins the story of the first copy of its group that came before it
  that day (the streaming ``copy_of``). After the day, one repair pass, then the day's thread links
  (:class:`naba.stories.ThreadLinker`).
* Linking days, blocked by top terms: each story of day *d* is compared with the stories of day *d − 1*
  that share one of its :data:`BLOCK_TERMS` heaviest centroid terms, by
  :func:`naba.stories.similarity.story_similarity` (centroid against centroid, with the streaming time
  decay between their spans). The best one at or above the merge threshold of the online engine's repair
  pass is the same story (the older keeps its id); else, at or above the thread threshold, a thread link.
* Stories joined across days are the connected components of those merges (the id of the oldest story).
* Outputs: ``DIR/stories`` (article, story, day), ``DIR/threads`` (story, to, thread, similarity).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final

from naba.batch.dedupe import connected_components, order_key
from naba.batch.schema import ARTICLES, DEDUPE, STORIES, THREADS, UNKNOWN_DAY, article_from_row
from naba.batch.session import StageTracker
from naba.stories import StoryClusterer, ThreadLinker
from naba.stories.clustering import DECAY_GRACE, DECAY_HALF_LIFE, MERGE_THRESHOLD
from naba.stories.similarity import DEFAULT_WEIGHTS, ArticleFeatures, story_similarity, time_decay
from naba.stories.threads import THREAD_THRESHOLD
from naba.text.analysis import analyze_texts, to_analyzed
from naba.text.analyzer import DEFAULT_ANALYZER
from naba.types import ArticleId

# Heaviest centroid terms a story is blocked on when days are linked: two stories of one event share several.
BLOCK_TERMS: Final = 10


@dataclass(frozen=True, slots=True)
class StoriesReport:
    articles: int
    days: int
    day_stories: int
    stories: int
    cross_day_merges: int
    thread_links: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "days": self.days,
            "day_stories": self.day_stories,
            "stories": self.stories,
            "cross_day_merges": self.cross_day_merges,
            "thread_links": self.thread_links,
        }


@dataclass(frozen=True, slots=True)
class DayStory:
    """One story of one day, as the day's clustering left it."""

    id: str
    day: str
    members: tuple[ArticleId, ...]
    first_seen: dt.datetime
    last_seen: dt.datetime
    centroid: ArticleFeatures


def cluster_day(
    day: str, rows: Iterable[Any], *, analyzer: str
) -> tuple[list[DayStory], list[tuple[str, str, str, float]]]:
    """The stories of one day's article rows (each with ``group`` and ``arrival`` from the dedupe), and the
    day's thread links (story, to, thread, similarity)."""
    ordered = sorted(rows, key=lambda r: order_key(r["published"], r["id"]))
    articles = [article_from_row(r) for r in ordered]
    analyses = analyze_texts(analyzer, [(a.title, a.body_text) for a in articles])
    clusterer = StoryClusterer()
    linker = ThreadLinker(clusterer)
    first_of_group: dict[str, ArticleId] = {}
    for row, article, analysis in zip(ordered, articles, analyses, strict=True):
        group = row["group"]
        copy_of = first_of_group.get(group) if group else None
        clusterer.add(to_analyzed(article, analyzer, analysis), copy_of=copy_of)
        if group:
            first_of_group.setdefault(group, article.id)
    clusterer.repair()
    links = [
        (link.story, link.to, link.thread, link.similarity) for link in linker.link(clusterer.active_ids())
    ]
    stories = []
    for story_id in clusterer.active_ids():
        centroid = clusterer.centroid(story_id)
        span = clusterer.span(story_id)
        if centroid is None or span is None:
            continue
        stories.append(DayStory(story_id, day, clusterer.members(story_id), span[0], span[1], centroid))
    return stories, links


def _cluster_partition(
    groups: Iterable[tuple[str, Iterable[Any]]], analyzer: str
) -> Iterator[tuple[str, Any]]:
    for day, rows in groups:
        stories, links = cluster_day(day, rows, analyzer=analyzer)
        for story in stories:
            yield "story", story
        for link in links:
            yield "link", link


def _blocks(story: DayStory, shift: int) -> list[tuple[tuple[str, str], DayStory]]:
    """(day key, term) blocks of a story; ``shift`` 1 files it under the next day (to meet that day's stories)."""
    if story.day == UNKNOWN_DAY:
        return []
    day = (dt.date.fromisoformat(story.day) + dt.timedelta(days=shift)).isoformat()
    return [((day, term), story) for term in story.centroid.top_terms[:BLOCK_TERMS]]


def day_link(later: DayStory, earlier: DayStory) -> float:
    """The streaming similarity of two stories of consecutive days: the later one's centroid against the
    earlier one's, times the time decay between the end of the earlier and the start of the later."""
    decay = time_decay(later.first_seen - earlier.last_seen, DECAY_GRACE, DECAY_HALF_LIFE)
    return story_similarity(later.centroid, earlier.centroid, DEFAULT_WEIGHTS, decay)


def _best(pairs: Iterable[tuple[DayStory, DayStory]]) -> tuple[str, str, float] | None:
    best: tuple[str, str, float] | None = None
    for later, earlier in pairs:
        sim = day_link(later, earlier)
        if best is None or sim > best[2] or (sim == best[2] and earlier.id < best[1]):
            best = (later.id, earlier.id, sim)
    return best


def run_stories(
    spark: Any, folder: Path, *, analyzer: str = DEFAULT_ANALYZER, tracker: StageTracker | None = None
) -> StoriesReport:
    """Stories of ``folder/articles`` (after ``naba batch dedupe``) into ``folder/stories`` and ``threads``."""
    from pyspark import StorageLevel
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    tracker = tracker or StageTracker(spark)
    articles = spark.read.parquet(str(folder / ARTICLES))
    groups = spark.read.parquet(str(folder / DEDUPE)).select("id", "group", "size")
    rows = articles.join(groups, "id", "left")
    with tracker.stage("stories: days"):
        by_day = rows.rdd.map(lambda r: (r["day"], r)).groupByKey()
        clustered = by_day.mapPartitions(partial(_cluster_partition, analyzer=analyzer)).persist(
            StorageLevel.MEMORY_AND_DISK
        )
        day_stories = clustered.filter(lambda kv: kv[0] == "story").map(lambda kv: kv[1])
        day_links = clustered.filter(lambda kv: kv[0] == "link").map(lambda kv: kv[1]).collect()
        story_count = day_stories.count()
    with tracker.stage("stories: linking days"):
        later = day_stories.flatMap(partial(_blocks, shift=0))
        earlier = day_stories.flatMap(partial(_blocks, shift=1))
        candidates = (
            later.join(earlier)
            .map(lambda kv: ((kv[1][0].id, kv[1][1].id), kv[1]))
            .reduceByKey(lambda a, _b: a)
            .map(lambda kv: (kv[0][0], kv[1]))
            .groupByKey()
            .map(lambda kv: _best(kv[1]))
            .filter(lambda best: best is not None)
            .collect()
        )
        merges = [(a, b) for a, b, sim in candidates if sim >= MERGE_THRESHOLD]
        threads = [(a, b, sim) for a, b, sim in candidates if THREAD_THRESHOLD <= sim < MERGE_THRESHOLD]
        spans = dict(day_stories.map(lambda s: (s.id, s.first_seen.isoformat())).collect())
        nodes = [((spans[a], a), (spans[b], b)) for a, b in merges]
        labels, _ = connected_components(spark, spark.sparkContext.parallelize(nodes or [], 1))
        renamed = dict(labels.map(lambda kv: (kv[0][1], kv[1][1])).collect())
        labels.unpersist()
    with tracker.stage("stories: write"):
        members = day_stories.flatMap(
            lambda s: [(article, renamed.get(s.id, s.id), s.day) for article in s.members]
        )
        schema = StructType(
            [
                StructField("id", StringType(), False),
                StructField("story", StringType(), False),
                StructField("day", StringType(), False),
            ]
        )
        spark.createDataFrame(members, schema).write.mode("overwrite").parquet(str(folder / STORIES))
        link_rows = [(s, to, thread, float(sim)) for s, to, thread, sim in day_links]
        link_rows += [(a, b, f"thread:{renamed.get(b, b)}", round(float(sim), 4)) for a, b, sim in threads]
        link_schema = StructType(
            [
                StructField("story", StringType(), False),
                StructField("to", StringType(), False),
                StructField("thread", StringType(), False),
                StructField("similarity", DoubleType(), False),
            ]
        )
        spark.createDataFrame(link_rows, link_schema).coalesce(1).write.mode("overwrite").parquet(
            str(folder / THREADS)
        )
        written = spark.read.parquet(str(folder / STORIES))
        total = written.count()
        final_stories = written.select("story").distinct().count()
        days = written.select("day").distinct().count()
    clustered.unpersist()
    return StoriesReport(
        articles=total,
        days=days,
        day_stories=story_count,
        stories=final_stories,
        cross_day_merges=len(merges),
        thread_links=len(link_rows),
    )
