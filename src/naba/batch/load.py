"""`naba batch load DIR`: the articles of a batch folder as input items, for the engine to store.

The articles are read back in ``seq`` order (the order ``naba ingest`` of the same inputs stores them in) and
turned into :class:`~naba.types.Article` by :func:`naba.article_json.article_from_json`; the engine stores them
with the ingest path (:meth:`naba.engine.naba.Naba.ingest_items`: upsert by id, so loading the same folder again
changes nothing) and brings the search index up to date. Failures stay in ``DIR/failures`` (``naba batch
failures``-style reads go to Parquet, not the store: re-recording them on every load would not be idempotent).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from naba.batch.schema import ARTICLES, article_from_row
from naba.errors import InputError
from naba.types import InputItem


def article_items(spark: Any, folder: Path) -> Iterator[InputItem]:
    """One item per article of ``folder/articles``, in ``seq`` order, located where it was first read."""
    path = folder / ARTICLES
    if not path.exists():
        raise InputError(f"no articles in {folder} (run `naba batch extract … --out {folder}` first)")
    frame = spark.read.parquet(str(path)).orderBy("seq")
    for row in frame.toLocalIterator():
        yield InputItem(row["location"], (article_from_row(row),))


def article_count(spark: Any, folder: Path) -> int:
    count: int = spark.read.parquet(str(folder / ARTICLES)).count()
    return count
