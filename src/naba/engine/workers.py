"""Worker processes for per-article work (analysis, entities, keywords) that never outlive their parent.

``ProcessPoolExecutor`` workers block on their task queue; when the parent is killed (SIGKILL, OOM) nobody
tells them, and each stays alive holding its analyzer caches (200+ MB). Every worker here runs a watcher
thread that exits the worker as soon as its parent process is gone. A watcher (not ``PR_SET_PDEATHSIG``)
because the kernel sends that signal when the *thread* that forked the worker exits, which would kill
workers of a pool created from a short-lived thread while their parent is alive.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

# How often a worker looks for its parent; a killed run leaves its workers behind for at most this long.
PARENT_CHECK_SECONDS = 0.5


def worker_count(setting: int) -> int:
    """Workers for a setting: a positive number as given, 0 for one per core."""
    return setting if setting > 0 else max(1, os.cpu_count() or 1)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that exit when this process dies."""
    return ProcessPoolExecutor(workers, initializer=_watch_parent, initargs=(os.getpid(),))


def _watch_parent(parent: int) -> None:
    threading.Thread(
        target=_exit_when_orphaned, args=(parent,), name="naba-parent-watch", daemon=True
    ).start()


def _exit_when_orphaned(parent: int) -> None:
    # An orphan is re-parented (to init or a subreaper), so its parent pid changes: no pid-reuse race.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
