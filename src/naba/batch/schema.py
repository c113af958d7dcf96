"""The Parquet layout of a batch folder, and the Article JSON (:mod:`naba.article_json`) as a Spark schema.

Layout of ``DIR`` (every table is Parquet, written by Spark):

| folder | one row per | written by |
|---|---|---|
| ``articles/day=YYYY-MM-DD/`` | article (the first copy of an id in the run), partitioned by publication day | extract |
| ``failures/`` | input, record or line that failed, with its stage, error type and message | extract |
| ``dedupe/`` | article: its duplicate group, the group's original, and how it was matched | dedupe |
| ``groups/`` | duplicate group of two or more: original, members, "also published by" | dedupe |
| ``stories/`` | article: its story and the story's day | stories |
| ``threads/`` | thread link between two stories of different days | stories |

An article row holds the fields of :func:`naba.article_json.article_to_json` under the same names and
nesting (times as ISO 8601 strings with their offset, so nothing is lost), plus ``seq`` (the order of
``naba ingest`` over the same inputs), ``location`` (where it was read) and the partition column ``day``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from naba.article_json import ARTICLE_FIELDS, article_from_json, article_to_json
from naba.sources.warc import published_day
from naba.types import Article, Provenance, StageFailure

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

ARTICLES: Final = "articles"
FAILURES: Final = "failures"
DEDUPE: Final = "dedupe"
GROUPS: Final = "groups"
STORIES: Final = "stories"
THREADS: Final = "threads"
# The partition of articles without a publication or fetch day.
UNKNOWN_DAY: Final = "unknown"
_NO_PROVENANCE: Final = Provenance(source="batch", fetched_at=None, raw_sha256="")


def article_schema() -> StructType:
    """The Article JSON as a Spark struct (field for field, in :data:`naba.article_json.ARTICLE_FIELDS` order)."""
    from pyspark.sql.types import ArrayType, MapType, StringType, StructField, StructType

    text = StringType()
    texts = ArrayType(StringType(), containsNull=False)
    types: dict[str, Any] = {
        "body_paragraphs": texts,
        "authors": texts,
        "tags": texts,
        "related_headlines": texts,
        "images": ArrayType(
            StructType([StructField("url", text, False), StructField("caption", text, True)]), False
        ),
        "provenance": StructType(
            [
                StructField("source", text, False),
                StructField("fetched_at", text, True),
                StructField("raw_sha256", text, True),
            ]
        ),
        "evidence": MapType(StringType(), StringType(), valueContainsNull=False),
    }
    required = {"id", "title", "provenance"}
    return StructType(
        [StructField(name, types.get(name, text), name not in required) for name in ARTICLE_FIELDS]
    )


def article_row_schema() -> StructType:
    """An article row of ``articles/``: the Article JSON's fields, ``seq``, ``location`` and ``day``."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    return StructType(
        [
            *article_schema().fields,
            StructField("seq", LongType(), False),
            StructField("location", StringType(), False),
            StructField("day", StringType(), False),
        ]
    )


def failure_schema() -> StructType:
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    text = StringType()
    return StructType(
        [
            StructField("stage", text, False),
            StructField("location", text, False),
            StructField("error_type", text, False),
            StructField("message", text, False),
            StructField("when", text, False),
            StructField("seq", LongType(), False),
        ]
    )


def day_of(article: Article) -> str:
    """The partition of an article: its publication day as the page states it, else its fetch day (UTC)."""
    day = published_day(article)
    return day.isoformat() if day else UNKNOWN_DAY


def article_row(article: Article, seq: int, location: str) -> tuple[Any, ...]:
    """The row of ``article`` in :func:`article_row_schema` order."""
    data = article_to_json(article)
    return (*(data[name] for name in ARTICLE_FIELDS), seq, location, day_of(article))


def article_from_row(row: Any) -> Article:
    """The :class:`Article` of a row (a Spark ``Row`` or a mapping with the Article JSON fields)."""
    data = row.asDict(recursive=True) if hasattr(row, "asDict") else dict(row)
    return article_from_json(
        {name: data.get(name) for name in ARTICLE_FIELDS}, default_provenance=_NO_PROVENANCE
    )


def failure_row(failure: StageFailure, seq: int) -> tuple[Any, ...]:
    return (
        failure.stage,
        failure.location,
        failure.error_type,
        failure.message,
        failure.when.isoformat(),
        seq,
    )


def failure_from_row(row: Any) -> StageFailure:
    return StageFailure(
        stage=row["stage"],
        location=row["location"],
        error_type=row["error_type"],
        message=row["message"],
        when=dt.datetime.fromisoformat(row["when"]),
    )
