"""``naba serve`` (the web reader) and ``naba demo`` (ingest or a first poll, understand, serve)."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from naba.cli.common import err, open_engine, run
from naba.cli.ingest import ingest
from naba.cli.understand import understand
from naba.config import Settings
from naba.engine.naba import IndexFollower
from naba.engine.sources import followed_sources, import_sources
from naba.engine.watch import run_watch
from naba.store.backends import display, is_url
from naba.web.app import serve as serve_app

log = logging.getLogger(__name__)

DEMO_ITEMS_PER_SOURCE = 15
DEMO_CONCURRENCY = 32
# Loggers of the fetch and poll code, quieted during the demo's first poll (one summary line instead).
_FETCH_LOGGERS = ("naba.sources", "naba.engine.poll", "naba.engine.watch")


@click.command()
@click.option("--host", default=None, help="Listen address (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 8000).")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Serve the web reader."""
    # The reader answers at once; the follower brings the index up to the database in the background.
    # Pages read through a read-only connection; the follower writes the index (and its watermark) itself.
    naba = run(lambda: open_engine(settings, sync_index=False, read_only=True))
    err.print(
        f"naba reader on http://{host or settings.host}:{port or settings.port}/  ({naba.store.count()} articles)"
    )
    # Articles that `ingest` or `watch` store while the reader runs become searchable without a restart,
    # unless this database refuses writes (a read replica, a read-only role): then the writers keep the index
    # (on PostgreSQL it lives in the database, so a replica receives it), and the reader does not try.
    refusal = run(naba.store.write_refusal)
    follower = IndexFollower(settings).start() if refusal is None else None
    if refusal is not None:
        log.warning(
            "%s refuses writes here (%s): serving what it holds; the search index is kept up by the writers "
            "(ingest, watch) on the primary, and saved searches, tokens and webhooks are changed there",
            display(settings.db),
            refusal,
        )
    try:
        serve_app(naba, host or settings.host, port or settings.port)
    finally:
        if follower is not None:
            follower.stop()


@click.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--host", default=None)
@click.option("--port", default=None, type=int)
@click.option("--no-serve", is_flag=True, help="Ingest only.")
@click.option("--json", "as_json", is_flag=True, help="Print the ingest summary as JSON.")
@click.pass_context
def demo(
    ctx: click.Context, source: Path | None, host: str | None, port: int | None, no_serve: bool, as_json: bool
) -> None:
    """Ingest SOURCE (files, folders, zips, WARC) — by default the live Arabic feeds — and serve the reader."""
    if source is None:
        _demo_live(ctx, as_json)
    else:
        ctx.invoke(ingest, paths=(source,), hosts=(), languages=(), since=None, until=None, as_json=as_json)
    fresh = run(lambda: _understanding_behind(ctx.obj))
    if no_serve:
        if fresh:
            ctx.invoke(understand, as_json=as_json)
        return
    # The reader first: it answers as soon as the articles are stored and indexed, while stories,
    # duplicates and entities are worked out in a background process and fill in (the reader says how far).
    background = _understand_in_background(ctx.obj) if fresh else None
    try:
        ctx.invoke(serve, host=host, port=port)
    finally:
        if background is not None and background.poll() is None:
            background.terminate()  # safe at any point: the next `naba understand` goes on from its watermark
            background.wait()


def _understanding_behind(settings: Settings) -> bool:
    with open_engine(settings, sync_index=False) as naba:
        return bool(naba.stats()["understand_lag"] > 0)


def _understand_in_background(settings: Settings) -> subprocess.Popen[bytes]:
    # A database URL is no place for a file: the log goes to the working folder.
    log_path = Path("naba.understand.log" if is_url(settings.db) else settings.db + ".understand.log")
    err.print(f"finding stories in the background (progress in {log_path}; the reader fills in as it goes)")
    with log_path.open("ab") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "naba.cli", "--db", settings.db, "understand"],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
        )


def _demo_live(ctx: click.Context, as_json: bool) -> None:
    """Follow naba's default Arabic feeds (first run) and poll each once; offline, say so in one line."""
    settings: Settings = ctx.obj
    if not followed_sources(settings):
        run(lambda: import_sources(settings, None))
    err.print("polling the followed Arabic news feeds once (Ctrl-C to skip)…")
    # A first look, not a crawl: a few items per source, many sources at once (each host is still polite).
    with _quiet(_FETCH_LOGGERS):  # one summary line below, not a warning per unreachable feed
        report = run(
            lambda: run_watch(
                settings, once=True, concurrency=DEMO_CONCURRENCY, max_items=DEMO_ITEMS_PER_SOURCE
            )
        )
    if report.polls and not report.ok:
        err.print(
            f"No source was reachable ({report.polls} tried; offline?): pass a local one, e.g. make demo "
            "SOURCE=../shared/data/saudinewsnet/dataset — serving what the database holds.",
            soft_wrap=True,
        )
        return
    err.print(
        f"{report.ok} of {report.polls} sources answered: {report.stored} articles stored "
        "(`naba sources` shows each source's health; `naba watch` keeps polling)."
    )


@contextmanager
def _quiet(names: tuple[str, ...]) -> Iterator[None]:
    """Only errors from these loggers while the block runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
