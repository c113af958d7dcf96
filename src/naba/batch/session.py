"""The Spark session of a batch run, and progress per stage read from Spark's status tracker.

PySpark is an optional dependency (``naba[spark]``): it is imported here, inside functions, so that naba runs
without it and a batch command without it says how to install it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from naba.errors import ConfigError
from naba.types import Progress

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER: Final = "local[*]"
# Polling Spark's status tracker for a stage's progress bar.
_POLL_SECONDS: Final = 0.5

# A progress bar for a named stage: the CLI draws one per stage; None draws nothing.
BarFactory = Callable[[str], AbstractContextManager[Progress | None]]


def spark_available() -> str | None:
    """None when PySpark and a Java runtime are there, else what is missing (for a skip or an error)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed (pip install 'naba[spark]')"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "no Java runtime (install openjdk-17-jre-headless, or set JAVA_HOME)"
    return None


def start_spark(
    master: str = DEFAULT_MASTER,
    *,
    app_name: str = "naba-batch",
    ui: bool = True,
    shuffle_partitions: int | None = None,
    conf: dict[str, str] | None = None,
) -> SparkSession:
    """A Spark session on ``master`` whose Python workers run this interpreter (so they import this naba)."""
    missing = spark_available()
    if missing:
        raise ConfigError(missing)
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # Spark's Python workers inherit PYTHONPATH: put the naba being run first, so a work tree's code is the
    # code the executors run (not an installed copy of it).
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if here not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([here, *paths])
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "true" if ui else "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionOverwriteMode", "static")
        .config("spark.python.worker.reuse", "true")
    )
    if shuffle_partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def active_session() -> SparkSession | None:
    """The session already running in this process (a caller that finds one leaves it running), or None."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    active: SparkSession | None = SparkSession.getActiveSession()
    return active


def ui_address(spark: SparkSession) -> str | None:
    """The Spark UI's address, or None when the UI is off."""
    url: str | None = spark.sparkContext.uiWebUrl
    return url


@dataclass
class StageTracker:
    """Runs each named stage under its own Spark job group and feeds a progress bar with its tasks done.

    ``bars`` makes one bar per stage (the CLI's); the tracker polls ``statusTracker`` every half second and
    reports completed tasks of the stage's jobs, expecting their total.
    """

    spark: Any
    bars: BarFactory | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        import time

        context = self.spark.sparkContext
        context.setJobGroup(name, name)
        started = time.monotonic()
        bar_cm = self.bars(name) if self.bars else contextlib.nullcontext(None)
        with bar_cm as bar:
            stop = threading.Event()
            poller = threading.Thread(target=self._poll, args=(name, bar, stop), daemon=True)
            if bar is not None:
                poller.start()
            try:
                yield
            finally:
                stop.set()
                if poller.is_alive():
                    poller.join()
                context.setLocalProperty("spark.jobGroup.id", None)
        self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started

    def _poll(self, group: str, bar: Progress | None, stop: threading.Event) -> None:
        if bar is None:
            return
        tracker = self.spark.sparkContext.statusTracker()
        shown_total = shown_done = 0
        finished: dict[int, tuple[int, int]] = {}  # stage id -> (done, total) once seen
        while True:
            ended = stop.wait(_POLL_SECONDS)
            for job_id in tracker.getJobIdsForGroup(group):
                job = tracker.getJobInfo(job_id)
                if job is None:
                    continue
                for stage_id in job.stageIds:
                    info = tracker.getStageInfo(stage_id)
                    if info is not None:
                        finished[stage_id] = (info.numCompletedTasks, info.numTasks)
            total = sum(t for _, t in finished.values())
            done = sum(d for d, _ in finished.values())
            if total != shown_total:
                bar.expect(total)
                shown_total = total
            if done > shown_done:
                bar(done - shown_done)
                shown_done = done
            if ended:
                return
