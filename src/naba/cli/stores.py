"""``naba migrate`` (apply the schema migrations) and ``naba migrate-store FROM TO`` (copy a database)."""

from __future__ import annotations

import click

from naba.cli.common import emit, run
from naba.config import Settings
from naba.engine.stores import migrate as migrate_db


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def migrate(settings: Settings, as_json: bool) -> None:
    """Apply the schema migrations the database lacks (a PostgreSQL database is never migrated by a read)."""
    report = run(lambda: migrate_db(settings.db))
    if as_json:
        emit(report.as_dict())
        return
    if report.applied:
        click.echo(f"{report.db}: schema {report.before} -> {report.after} (applied {report.applied})")
    else:
        click.echo(f"{report.db}: schema {report.after}, up to date")
