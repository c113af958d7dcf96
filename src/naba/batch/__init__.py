"""Batch backfills with Spark (``naba[spark]``): the same extraction, dedupe and story rules as the streaming
engine, over inputs too large for one process (a month or a year of CC-NEWS).

Stages, each reading and writing Parquet in one batch folder (:mod:`naba.batch.schema`):
:mod:`naba.batch.extract` (inputs → articles by day + failures), :mod:`naba.batch.dedupe` (MinHash banding,
containment, connected components), :mod:`naba.batch.stories` (per-day clustering, then days linked) and
:mod:`naba.batch.load` (articles back as input items for the engine to store). PySpark is imported inside
functions only, so ``import naba.batch`` and the rest of naba work without it.
"""
