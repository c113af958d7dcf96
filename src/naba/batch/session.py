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

    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
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
        # ``day=2015-08-02`` partitions stay strings (Spark would read them back as dates).
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
    )
    if master.startswith("local"):
        # A local run listens on the loopback interface only, and shuffles into a few partitions per core
        # (Spark's default of 200 is for clusters; each is a task).
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
        if shuffle_partitions is None:
            shuffle_partitions = 2 * local_cores(master)
        # One process: a heartbeat late because the machine is busy is no lost executor.
        builder = builder.config("spark.executor.heartbeatInterval", "60s").config(
            "spark.network.timeout", "600s"
        )
    if shuffle_partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        builder = builder.config("spark.default.parallelism", str(shuffle_partitions))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def local_cores(master: str) -> int:
    """The cores of a ``local``, ``local[N]`` or ``local[*]`` master."""
    inside = master.partition("[")[2].partition("]")[0].split(",")[0].strip()
    if inside.isdigit():
        return max(1, int(inside))
    if inside == "*":
        return os.cpu_count() or 1
    return 1


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
        # Stages seen running: a job also lists the stages it skips (their shuffle output already exists),
        # which never run a task and must not count.
        started: dict[int, tuple[int, int]] = {}  # stage id -> (tasks done, tasks)
        while True:
            ended = stop.wait(_POLL_SECONDS)
            for job_id in tracker.getJobIdsForGroup(group):
                job = tracker.getJobInfo(job_id)
                for stage_id in job.stageIds if job is not None else ():
                    info = tracker.getStageInfo(stage_id)
                    if info is not None and (info.numActiveTasks or info.numCompletedTasks):
                        started[stage_id] = (info.numCompletedTasks, info.numTasks)
            total = sum(t for _, t in started.values())
            done = sum(d for d, _ in started.values())
            if total != shown_total:
                bar.expect(total)  # a new total starts the count again
                shown_total, shown_done = total, 0
            if done > shown_done:
                bar(done - shown_done)
                shown_done = done
            if ended:
                return
