"""The ``naba`` command line: parse arguments, call one engine function, format the result.

Every command takes ``--json`` for machine-readable output. Settings come from ``naba.toml``, ``NABA_*``
environment variables and the global options (``--db``, ``--analyzer``), resolved once here. One module per
group of commands: :mod:`~naba.cli.ingest` (ingest, reindex, stats, failures), :mod:`~naba.cli.extract`
(parse, extract), :mod:`~naba.cli.search`, :mod:`~naba.cli.understand` (understand, stories, story, related,
entities), :mod:`~naba.cli.fetch` (fetch, watch), :mod:`~naba.cli.sources` (the ``sources`` group) and
:mod:`~naba.cli.reader` (serve, demo), :mod:`~naba.cli.stores` (migrate, migrate-store), :mod:`~naba.cli.access`
(tokens, saved-searches, alerts); :mod:`~naba.cli.common` holds what they share.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

import click

from naba import __version__
from naba.cli.access import alerts_group, saved_searches, tokens
from naba.cli.batch import batch
from naba.cli.extract import extract, parse
from naba.cli.fetch import fetch, watch
from naba.cli.ingest import failures, ingest, reindex, stats
from naba.cli.reader import demo, serve
from naba.cli.search import search
from naba.cli.sections import sections
from naba.cli.sources import sources
from naba.cli.stores import migrate, migrate_store
from naba.cli.understand import entities, related, stories, story, understand
from naba.config import load_settings
from naba.errors import NabaError

__all__ = ["main"]


class _JsonLogFormatter(logging.Formatter):
    """One JSON object per log record: time, level, logger, message (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


@click.group()
@click.version_option(__version__, prog_name="naba")
@click.option("--db", envvar="NABA_DB", help="SQLite file or postgresql:// URL (default: naba.db).")
@click.option("--analyzer", help="Analyzer preset (default: ar-search-v1).")
@click.option("--error-policy", type=click.Choice(["raise", "record", "skip"]), help="On bad input.")
@click.option("-v", "--verbose", is_flag=True, help="Debug logs.")
@click.option("--log-json", is_flag=True, help="Logs as JSON lines on stderr (for log collectors).")
@click.pass_context
def main(
    ctx: click.Context,
    db: str | None,
    analyzer: str | None,
    error_policy: str | None,
    verbose: bool,
    log_json: bool,
) -> None:
    """naba (نبأ): Arabic-first news aggregation — ingest, search and read Arabic news."""
    handler = logging.StreamHandler(sys.stderr)
    plain = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(_JsonLogFormatter() if log_json else plain)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler], force=True)
    try:
        ctx.obj = load_settings({"db": db, "analyzer": analyzer, "error_policy": error_policy})
    except NabaError as exc:
        raise click.UsageError(str(exc)) from exc


for _command in (
    ingest,
    reindex,
    stats,
    failures,
    parse,
    extract,
    search,
    understand,
    stories,
    story,
    related,
    entities,
    serve,
    demo,
    fetch,
    watch,
    sources,
    migrate,
    migrate_store,
    batch,
    tokens,
    saved_searches,
    alerts_group,
    sections,
):
    main.add_command(_command)
