"""``naba fetch`` (article pages by URL) and ``naba watch`` (poll the followed sources), over the network
through the one polite HTTP client."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import click

from naba.cli.common import emit, err, run
from naba.config import Settings
from naba.engine.fetch import fetch_urls
from naba.engine.poll import PollOutcome
from naba.engine.sources import followed_sources
from naba.engine.watch import WatchReport, run_watch


@click.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def fetch(settings: Settings, urls: tuple[str, ...], as_json: bool) -> None:
    """Fetch, extract and store article pages by URL (polite: robots.txt, rate limits, SSRF guard)."""
    data = run(lambda: fetch_urls(settings, urls))
    if as_json:
        emit(data)
    else:
        click.echo(
            f"fetched {len(urls)} URL(s): stored {data['stored']}, updated {data['updated']}, "
            f"unchanged {data['unchanged']}, failed {len(data['errors'])}"
        )
        for url, message in data["errors"].items():
            err.print(f"failed {url}: {message}", markup=False, emoji=False, soft_wrap=True)
    if data["errors"] and len(data["errors"]) == len(urls):
        sys.exit(1)


@click.command()
@click.option("--once", is_flag=True, help="Poll each due source once, then exit.")
@click.option("--concurrency", type=click.IntRange(1, 256), help="Sources polled at once.")
@click.option(
    "--max-items",
    type=click.IntRange(1, 10_000),
    default=None,
    help="New items processed per poll at most (default 200); the rest wait for the next polls.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per poll, then the summary.")
@click.pass_obj
def watch(
    settings: Settings, once: bool, concurrency: int | None, max_items: int | None, as_json: bool
) -> None:
    """Poll every followed source on its own schedule until Ctrl-C / SIGTERM (state kept in the database)."""

    def poll() -> WatchReport:
        if not once and not as_json and not followed_sources(settings, enabled_only=True):
            err.print("no sources to poll yet: `naba sources import --default` or `naba sources add URL`")
        return run_watch(
            settings, once=once, concurrency=concurrency, max_items=max_items, on_poll=_poll_printer(as_json)
        )

    report = run(poll)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))  # JSON lines: one per poll, then this
    else:
        click.echo(
            f"{report.polls} polls ({report.ok} ok, {report.not_modified} not modified, {report.failed} failed): "
            f"{report.stored} articles stored, {report.updated} updated in {report.seconds} s"
            + (f"; {report.cancelled} polls cut short by the stop" if report.cancelled else "")
        )


def _poll_printer(as_json: bool) -> Callable[[PollOutcome], None]:
    """What ``watch`` prints per poll: a JSON line (``--json``), else a line per failed poll."""

    def on_poll(outcome: PollOutcome) -> None:
        if as_json:
            click.echo(json.dumps(outcome.as_dict(), ensure_ascii=False))
        elif not outcome.ok:
            err.print(f"failed {outcome.url}: {outcome.error}", markup=False, emoji=False, soft_wrap=True)

    return on_poll
