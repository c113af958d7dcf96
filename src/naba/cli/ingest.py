"""``naba ingest``, ``reindex``, ``stats`` and ``failures``: the store and its search index."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from naba.cli.common import emit, err, open_engine, progress, run
from naba.config import Settings
from naba.engine.alerts import fire_for_now
from naba.engine.ingest import IngestReport
from naba.sources.warc import WarcFilter
from naba.store.backends import display
from naba.types import StageFailure

_SUMMARY_COLUMNS = ("read", "stored", "updated", "unchanged", "skipped", "failed", "seconds")
# Failures printed under the summary table (all of them are in `naba failures` under the record policy).
_FAILURES_SHOWN = 20


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--host", "hosts", multiple=True, help="WARC: only pages of this host and its subdomains (repeatable)."
)
@click.option(
    "--lang", "languages", multiple=True, help="WARC: only pages in this language, e.g. ar (repeatable)."
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="WARC: only pages published on or after.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="WARC: only pages published on or before.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def ingest(
    settings: Settings,
    paths: tuple[str, ...],
    hosts: tuple[str, ...],
    languages: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime | None,
    as_json: bool,
) -> None:
    """Ingest files, folders, zip and WARC archives (naba JSONL, SaudiNewsNet JSON, text pages, HTML, WARC),
    WARC URLs and path lists (warc.paths.gz)."""
    warc_filter = run(
        lambda: WarcFilter(
            frozenset(hosts),
            frozenset(languages),
            since.date() if since else None,
            until.date() if until else None,
        )
    )

    def ingest_paths() -> IngestReport:
        with (
            open_engine(settings, wait=False, create=True) as naba,
            progress("ingest", not as_json) as bar,
        ):
            report = naba.ingest(paths, progress=bar, warc_filter=warc_filter)
            fire_for_now(naba)  # webhooks of saved searches that the new articles match
            return report

    report = run(ingest_paths)
    if as_json:
        emit(report.as_dict())
        return
    table = Table(title=f"ingest into {display(settings.db)}")
    for column in _SUMMARY_COLUMNS:
        table.add_column(column, justify="right")
    data = report.as_dict()
    table.add_row(*(str(data[c]) for c in _SUMMARY_COLUMNS))
    Console().print(table)
    for failure in report.failures[:_FAILURES_SHOWN]:
        err.print(f"[yellow]failed[/yellow] {failure.location}: {failure.message}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def reindex(settings: Settings, as_json: bool) -> None:
    """Rebuild the search index from the database (after an analyzer change, or a lost index)."""

    def rebuild() -> int:
        with open_engine(settings, sync_index=False) as naba, progress("reindex", not as_json) as bar:
            return naba.reindex(progress=bar)

    count = run(rebuild)
    emit({"indexed": count}) if as_json else click.echo(f"indexed {count} articles")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(settings: Settings, as_json: bool) -> None:
    """What the database holds, and how far the search index and the understanding lag behind it."""

    def read_stats() -> dict[str, Any]:
        with open_engine(settings, sync_index=False, read_only=True) as naba:
            return naba.stats()

    data = run(read_stats)
    if as_json:
        emit(data)
        return
    for key, value in data.items():
        click.echo(f"{key:>16}  {value}")


@click.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def failures(settings: Settings, limit: int, as_json: bool) -> None:
    """List recorded failures, newest first."""
    with open_engine(settings, sync_index=False, read_only=True) as naba:
        rows = naba.store.failures(limit=limit)
    if as_json:
        emit([_failure_json(f) for f in rows])
        return
    for f in rows:
        click.echo(f"{f.when:%Y-%m-%d %H:%M} {f.stage} {f.location}: {f.error_type}: {f.message}")


def _failure_json(f: StageFailure) -> dict[str, Any]:
    return {
        "stage": f.stage,
        "location": f.location,
        "error": f.error_type,
        "message": f.message,
        "when": f.when.isoformat(),
    }
