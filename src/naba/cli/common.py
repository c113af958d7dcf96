"""What every ``naba`` command shares: the stderr console, JSON output, the error exit, progress bars, and
the one way a command opens the database (:func:`open_engine`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from naba.config import Settings
from naba.engine.naba import Naba
from naba.errors import NabaError

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


@contextmanager
def progress(label: str, enabled: bool) -> Iterator[Any]:
    """A progress bar on stderr (when ``enabled``); yields the callback that advances it, or None."""
    if not enabled:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


def open_engine(settings: Settings, *, sync_index: bool = True, wait: bool = True) -> Naba:
    """The engine on the database of ``settings`` (a context manager). ``sync_index`` catches the search index
    up first (see :meth:`naba.engine.naba.Naba.open`); the index is opened only when a command uses it."""
    return Naba.open(settings, sync_index=sync_index, wait=wait)
