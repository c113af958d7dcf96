"""``naba migrate`` (apply the schema migrations) and ``naba migrate-store FROM TO`` (copy a database)."""

from __future__ import annotations

import click

from naba.cli.common import emit, fail, progress, run
from naba.config import Settings
from naba.engine.stores import CopyReport
from naba.engine.stores import migrate as migrate_db
from naba.engine.stores import migrate_store as copy_store


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


@click.command("migrate-store")
@click.argument("source")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True)
def migrate_store(source: str, target: str, as_json: bool) -> None:
    """Copy the database SOURCE into TARGET (SQLite file <-> postgresql:// URL, either way) and verify every
    table by count and checksum. Run it again with the same two to resume a copy that was stopped."""

    def copy() -> CopyReport:
        with progress("copy", not as_json) as bar:
            return copy_store(source, target, bar)

    report = run(copy)
    if as_json:
        emit(report.as_dict())
    else:
        for name, table in report.tables.items():
            state = "ok" if table.ok else "MISMATCH"
            click.echo(f"{name:>18}  {table.rows:>9} rows  {table.source_sha256[:16]}  {state}")
        click.echo(
            f"copied {report.source} -> {report.target} in {report.copy_seconds:.1f} s, "
            f"verified in {report.verify_seconds:.1f} s: {'ok' if report.ok else 'MISMATCH'}"
        )
    if not report.ok:
        fail("the copy does not match its source (see the tables above); run it again to resume")
