"""The ``understanding`` table's columns and its rows as records, shared by the table mixins that read it
(:mod:`naba.store.understanding`, :mod:`naba.store.entities`)."""

from __future__ import annotations

import sqlite3

from naba.store.base import ArticleUnderstanding
from naba.types import ArticleId

UNDERSTANDING_COLUMNS = "article, dup_group, duplicate_of, similarity, method, story, story_similarity, story_method, published_ts"


def understanding_row(row: sqlite3.Row) -> ArticleUnderstanding:
    return ArticleUnderstanding(
        article=ArticleId(row["article"]),
        dup_group=row["dup_group"],
        duplicate_of=ArticleId(row["duplicate_of"]) if row["duplicate_of"] else None,
        similarity=float(row["similarity"]),
        method=row["method"],
        story=row["story"],
        story_similarity=float(row["story_similarity"]),
        story_method=row["story_method"],
        published_ts=row["published_ts"],
    )
