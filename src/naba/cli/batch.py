"""``naba batch``: backfills with Spark (``naba[spark]``) — extract, dedupe, stories, load.

Every subcommand starts a Spark session on ``--master`` (``local[*]`` by default), prints the Spark UI's
address, draws a progress bar per stage (tasks done of the stage's Spark jobs) and prints a summary
(``--json`` for one JSON object).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from naba.cli.common import emit, err, open_engine, progress, run
from naba.config import Settings
from naba.sources.locations import COMMON_CRAWL_PREFIX
from naba.sources.warc import WarcFilter

T = TypeVar("T")


def _master_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--master", default="local[*]", show_default=True, help="Spark master (local[N], spark://…, yarn)."
    )(fn)
    fn = click.option("--no-ui", is_flag=True, help="Do not start the Spark UI.")(fn)
    return click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")(fn)


@contextlib.contextmanager
def _spark(master: str, ui: bool, as_json: bool) -> Iterator[tuple[Any, Any]]:
    from naba.batch.session import StageTracker, active_session, start_spark, ui_address

    existing = active_session()  # an embedding process's session (a test's) is used and left running
    spark = existing or run(lambda: start_spark(master, ui=ui))
    try:
        address = ui_address(spark)
        if address and not as_json:
            err.print(f"Spark UI: {address}  (master {master})", highlight=False)

        def bars(label: str) -> contextlib.AbstractContextManager[Any]:
            return progress(label, not as_json)

        yield spark, StageTracker(spark, bars)
    finally:
        if existing is None:
            spark.stop()


def _summary(title: str, data: dict[str, Any], seconds: dict[str, float], as_json: bool) -> None:
    data = {**data, "stage_seconds": {k: round(v, 2) for k, v in seconds.items()}}
    if as_json:
        emit(data)
        return
    click.echo(title)
    for key, value in data.items():
        click.echo(f"{key:>22}  {value}")


@click.group()
def batch() -> None:
    """Backfills with Spark: extract a crawl to Parquet, deduplicate, cluster stories, load into the store."""


@batch.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Batch folder to write.")
@click.option("--host", "hosts", multiple=True, help="WARC: only pages of this host and its subdomains.")
@click.option("--lang", "languages", multiple=True, help="WARC: only pages in this language, e.g. ar.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="WARC: only pages published on or after.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="WARC: only pages published on or before.")
@click.option(
    "--prefix",
    default=COMMON_CRAWL_PREFIX,
    show_default=True,
    help="Where relative lines of a path list (warc.paths.gz) live: a URL or a local folder.",
)
@_master_option
@click.pass_obj
def batch_extract(
    settings: Settings,
    inputs: tuple[str, ...],
    out: Path,
    hosts: tuple[str, ...],
    languages: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime | None,
    prefix: str,
    master: str,
    no_ui: bool,
    as_json: bool,
) -> None:
    """WARC files or URLs, path lists, SaudiNewsNet zips, naba JSONL → Parquet of articles by day + failures."""
    from naba.batch.extract import run_extract

    warc_filter = run(
        lambda: WarcFilter(
            frozenset(hosts),
            frozenset(languages),
            since.date() if since else None,
            until.date() if until else None,
        )
    )
    with _spark(master, not no_ui, as_json) as (spark, tracker):
        report = run(
            lambda: run_extract(
                spark,
                inputs,
                out,
                max_input_bytes=settings.max_input_bytes,
                warc_filter=warc_filter,
                prefix=prefix,
                tracker=tracker,
            )
        )
        _summary(f"batch extract into {out}", report.as_dict(), tracker.seconds, as_json)


@batch.command("dedupe")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@_master_option
@click.pass_obj
def batch_dedupe(settings: Settings, folder: Path, master: str, no_ui: bool, as_json: bool) -> None:
    """Duplicate groups of a batch folder: MinHash banding, containment check, connected components."""
    from naba.batch.dedupe import run_dedupe

    with _spark(master, not no_ui, as_json) as (spark, tracker):
        report = run(lambda: run_dedupe(spark, folder, analyzer=settings.analyzer, tracker=tracker))
        _summary(f"batch dedupe of {folder}", report.as_dict(), tracker.seconds, as_json)


@batch.command("stories")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@_master_option
@click.pass_obj
def batch_stories(settings: Settings, folder: Path, master: str, no_ui: bool, as_json: bool) -> None:
    """Stories per day (after `naba batch dedupe`), then stories and threads linking days."""
    from naba.batch.stories import run_stories

    with _spark(master, not no_ui, as_json) as (spark, tracker):
        report = run(lambda: run_stories(spark, folder, analyzer=settings.analyzer, tracker=tracker))
        _summary(f"batch stories of {folder}", report.as_dict(), tracker.seconds, as_json)


@batch.command("load")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@_master_option
@click.pass_obj
def batch_load(settings: Settings, folder: Path, master: str, no_ui: bool, as_json: bool) -> None:
    """Store a batch folder's articles in --db (idempotent), then bring the search index up to date."""
    from naba.batch.load import article_count, article_items

    with _spark(master, not no_ui, as_json) as (spark, tracker):
        total = run(lambda: article_count(spark, folder))

        def load() -> dict[str, Any]:
            with (
                open_engine(settings, wait=False, create=True) as naba,
                progress("load", not as_json) as bar,
                tracker.stage("load"),
            ):
                if bar is not None:
                    bar.expect(total)
                return naba.ingest_items(article_items(spark, folder), bar).as_dict()

        data = run(load)
        data.pop("failures", None)
        _summary(f"batch load of {folder} into {settings.db}", data, tracker.seconds, as_json)
