"""`naba batch extract`: inputs → Parquet of articles partitioned by publication day, and of failures.

Contract
--------
* The inputs (:func:`naba.sources.locations.expand_locations`: local files, folders, zips, WARC paths and
  URLs, path lists) are spread one per Spark task, as Common Crawl's cc-pyspark does; inside the task
  ``mapPartitions`` runs :func:`naba.sources.locations.read_location`, the very function ``naba ingest``
  runs, so extraction, filters (``WarcFilter``: ``--host --lang --since --until``) and failures are the
  same, record for record.
* Every item gets ``seq`` = (input number << 32) + its number in the input: the order ``naba ingest`` reads
  them in. As in ingest, the first copy of an article id wins (the smallest ``seq``); later copies are
  counted as ``skipped``.
* Articles go to ``DIR/articles/day=…`` (:mod:`naba.batch.schema`), failures to ``DIR/failures``; both are
  replaced on a new run into the same folder.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final

from naba.batch.schema import (
    ARTICLES,
    FAILURES,
    article_row,
    article_row_schema,
    failure_row,
    failure_schema,
)
from naba.batch.session import StageTracker
from naba.sources.locations import COMMON_CRAWL_PREFIX, expand_locations, read_location
from naba.sources.warc import WarcFilter

_ITEM_BITS: Final = 32
_ARTICLE: Final = "a"
_FAILURE: Final = "f"
_SKIP: Final = "s"


@dataclass(frozen=True, slots=True)
class ExtractReport:
    inputs: int
    articles: int
    failed: int
    skipped: int
    days: int
    out: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "articles": self.articles,
            "failed": self.failed,
            "skipped": self.skipped,
            "days": self.days,
            "out": self.out,
        }


def extract_partition(
    locations: Iterable[tuple[int, str]], *, max_input_bytes: int, warc_filter: WarcFilter | None
) -> Iterator[tuple[str, tuple[Any, ...] | None]]:
    """The tagged rows of the inputs of one Spark partition: ("a", article row), ("f", failure row) or
    ("s", None) for an item with neither (a WARC record skipped by its reader)."""
    for number, location in locations:
        items = read_location(location, max_input_bytes=max_input_bytes, warc_filter=warc_filter)
        seqs = itertools.count(number << _ITEM_BITS)
        for item in items:
            if item.failure is not None:
                yield _FAILURE, failure_row(item.failure, next(seqs))
            elif not item.articles:
                next(seqs)
                yield _SKIP, None
            for article in item.articles:
                yield _ARTICLE, article_row(article, next(seqs), item.location)


def run_extract(
    spark: Any,
    inputs: Sequence[str],
    out: Path,
    *,
    max_input_bytes: int,
    warc_filter: WarcFilter | None = None,
    prefix: str = COMMON_CRAWL_PREFIX,
    tracker: StageTracker | None = None,
) -> ExtractReport:
    """Extract ``inputs`` into ``out`` (see the module contract)."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    tracker = tracker or StageTracker(spark)
    locations, list_failures = expand_locations(inputs, prefix=prefix)
    context = spark.sparkContext
    numbered = list(enumerate(locations))
    work = partial(extract_partition, max_input_bytes=max_input_bytes, warc_filter=warc_filter)
    tagged = context.parallelize(numbered, max(1, len(numbered))).mapPartitions(work)
    tagged = tagged.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        with tracker.stage("extract"):
            counts = dict(tagged.map(lambda kv: (kv[0], 1)).reduceByKey(lambda a, b: a + b).collect())
        first_seq = (len(numbered) + 1) << _ITEM_BITS  # after every input: the path lists' own failures
        failures = [r for kind, r in tagged.filter(lambda kv: kv[0] == _FAILURE).collect() if r is not None]
        failures += [
            failure_row(item.failure, first_seq + n)
            for n, item in enumerate(list_failures)
            if item.failure is not None
        ]
        with tracker.stage("write failures"):
            spark.createDataFrame(failures, failure_schema()).coalesce(1).write.mode("overwrite").parquet(
                str(out / FAILURES)
            )
        rows = tagged.filter(lambda kv: kv[0] == _ARTICLE).map(lambda kv: kv[1])
        articles = spark.createDataFrame(rows, article_row_schema())
        first = Window.partitionBy("id").orderBy("seq")
        unique = articles.withColumn("_copy", F.row_number().over(first)).filter("_copy = 1").drop("_copy")
        with tracker.stage("write articles"):
            unique.repartition("day").sortWithinPartitions("seq").write.mode("overwrite").partitionBy(
                "day"
            ).parquet(str(out / ARTICLES))
        written = spark.read.parquet(str(out / ARTICLES))
        stored = written.count()
        days = written.select("day").distinct().count()
    finally:
        tagged.unpersist()
    read = counts.get(_ARTICLE, 0)
    return ExtractReport(
        inputs=len(locations),
        articles=stored,
        failed=len(failures),
        skipped=counts.get(_SKIP, 0) + (read - stored),
        days=days,
        out=str(out),
    )
