"""What every ``naba`` command shares: the stderr console, JSON output, the error exit, progress bars, and
the one way a command opens the database (:func:`open_engine`)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from naba.config import Settings
from naba.engine.naba import Naba
from naba.engine.progress import Progress as EngineProgress
from naba.errors import NabaError
from naba.store.backends import check_db, exists

T = TypeVar("T")
err = Console(stderr=True)


def emit(data: Any) -> None:
    """Print ``data`` as indented JSON (``--json``)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run(fn: Callable[[], T]) -> T:
    """``fn()``; a :class:`~naba.errors.NabaError` is printed as one line and exits with status 1."""
    try:
        return fn()
    except NabaError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)


def fail(message: str) -> NoReturn:
    """Print ``error: message`` and exit with status 1 (a lookup that found nothing)."""
    err.print(f"[red]error:[/red] {escape(message)}")
    sys.exit(1)


class _Bar:
    """The engine's :class:`~naba.engine.progress.Progress` drawn as a rich bar (count, total, ETA)."""

    def __init__(self, bar: Progress, task: TaskID) -> None:
        self._bar, self._task = bar, task

    def __call__(self, done: int) -> None:
        self._bar.advance(self._task, done)

    def expect(self, total: int) -> None:
        self._bar.reset(self._task, total=total)


class _Lines:
    """The same progress as a line every :data:`LINE_EVERY` seconds, for logs and CI (no terminal)."""

    def __init__(self, label: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._label, self._clock = label, clock
        self._done = 0
        self._total: int | None = None

        self._started = self._last = clock()

    def __call__(self, done: int) -> None:
        self._done += done
        now = self._clock()
        if now - self._last >= LINE_EVERY:
            self._last = now
            err.print(self.line(now), soft_wrap=True, highlight=False)

    def expect(self, total: int) -> None:
        self._done, self._total = 0, total
        self._started = self._clock()

    def line(self, now: float) -> str:
        elapsed = now - self._started
        if not self._total:
            return f"{self._label}: {self._done:,} in {elapsed:.0f} s"
        share = min(self._done / self._total, 1.0)
        left = f", about {elapsed * (1 - share) / share:.0f} s left" if share else ""
        return f"{self._label}: {self._done:,} of {self._total:,} ({share:.0%}) in {elapsed:.0f} s{left}"


# Seconds between two progress lines when stderr is not a terminal.
LINE_EVERY = 5.0


@contextmanager
def progress(label: str, enabled: bool) -> Iterator[EngineProgress | None]:
    """Progress on stderr while ``enabled`` (not with ``--json``): a bar with total and ETA on a terminal,
    a progress line every few seconds otherwise. Yields the engine's progress callback, or None."""
    if not enabled:
        yield None
        return
    if not err.is_terminal:
        yield _Lines(label)
        return
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        yield _Bar(bar, bar.add_task(label, total=None))


def open_engine(
    settings: Settings,
    *,
    sync_index: bool = True,
    wait: bool = True,
    create: bool = False,
    read_only: bool = False,
) -> Naba:
    """The engine on the database of ``settings`` (a context manager). ``sync_index`` catches the search index
    up first (see :meth:`naba.engine.naba.Naba.open`); the index is opened only when a command uses it.

    Only commands that store articles or sources pass ``create``: a read command on a path with no database
    says so and exits, instead of creating an empty one and answering "0 results". Commands that only read
    pass ``read_only``: their connection never writes, nor migrates (see :meth:`naba.engine.naba.Naba.open`)."""
    try:
        check_db(settings.db)
    except NabaError as exc:
        fail(str(exc))
    if not create and not exists(settings.db):
        fail(f"no naba database at {settings.db}: run `make demo` (or `naba ingest PATH`), or pass --db")
    return run(lambda: Naba.open(settings, sync_index=sync_index, wait=wait, read_only=read_only))
