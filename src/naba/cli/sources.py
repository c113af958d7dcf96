"""``naba sources`` and its subcommands: followed feeds and sitemaps, their health, OPML in and out."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.table import Table

from naba.cli.common import emit, err, run
from naba.config import Settings
from naba.engine import sources as engine_sources
from naba.store.sources import SourceRow
from naba.types import SourceSpec


def _valid_source_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"not an http(s) URL: {url!r}")
    return url.strip()


def _missing(ids: list[int]) -> click.BadParameter:
    return click.BadParameter(f"no source with id {', '.join(map(str, ids))}", param_hint="IDS")


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """Followed sources and their health (subcommands: add, import, export, check, enable, disable)."""
    if ctx.invoked_subcommand is None:
        _list_sources(ctx.obj, as_json)


@sources.command("add")
@click.argument("urls", nargs=-1, required=True)
@click.option("--sitemap", is_flag=True, help="All the URLs given are news sitemaps, not feeds.")
@click.option("--publisher", help="Publisher (registry domain) of these sources.")
@click.pass_obj
def sources_add(settings: Settings, urls: tuple[str, ...], sitemap: bool, publisher: str | None) -> None:
    """Follow feeds (RSS, Atom, JSON Feed) or news sitemaps by URL."""
    kind = "sitemap" if sitemap else "feed"
    checked = [_valid_source_url(u) for u in urls]
    added, known = engine_sources.add_sources(
        settings, (SourceSpec(u, kind, publisher=publisher) for u in checked)
    )
    click.echo(f"added {added}, already followed {known}")


@sources.command("import")
@click.argument("opml", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--default", "use_default", is_flag=True, help="Import the Arabic sources naba ships.")
@click.pass_obj
def sources_import(settings: Settings, opml: Path | None, use_default: bool) -> None:
    """Follow the feeds of an OPML file (or, with --default, naba's list of Arabic news feeds)."""
    if opml is None and not use_default:
        raise click.UsageError("give an OPML file or --default")
    added, known = run(lambda: engine_sources.import_sources(settings, opml))
    click.echo(f"added {added}, already followed {known}")


@sources.command("export")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@click.pass_obj
def sources_export(settings: Settings, output: Path | None) -> None:
    """Write the followed sources as OPML."""
    data = run(lambda: engine_sources.export_sources(settings))
    if output is None:
        click.echo(data.decode())
    else:
        output.write_bytes(data)


@sources.command("check")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sources_check(settings: Settings, as_json: bool) -> None:
    """Fetch every source once: mark those that parse as verified; for the others, look for a feed on the
    site's home page and switch to it when one works."""
    results = run(lambda: asyncio.run(engine_sources.check_sources(settings)))
    if as_json:
        emit(results)
        return
    for r in results:
        if r.get("disabled"):
            line = (
                f"disabled {r['url']}: its site's feed {r['new_url']} is followed already ({r['disabled']})"
            )
        elif r["verified"]:
            line = f"ok {r['url']}" + (f" → switched to {r['new_url']}" if r.get("new_url") else "")
        else:
            line = f"failed {r['url']}: {r.get('error') or ''}"
        click.echo(line)
    ok = sum(1 for r in results if r["verified"])
    click.echo(f"{ok} of {len(results)} sources verified")


@sources.command("discover")
@click.argument("site")
@click.option("--add", "follow", is_flag=True, help="Follow the first feed found and the news sitemaps.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def sources_discover(settings: Settings, site: str, follow: bool, as_json: bool) -> None:
    """Find a site's feeds (its home page's <link rel="alternate">) and sitemaps (robots.txt)."""
    site = _valid_source_url(site)
    result = run(lambda: engine_sources.discover_sources(settings, site, follow=follow))
    found = result.found
    if as_json:
        emit(found.as_dict() | {"added": result.added, "already_followed": result.already_followed})
        return
    for url in found.feeds:
        click.echo(f"feed     {url}")
    for url in found.sitemaps:
        click.echo(f"sitemap  {url}")
    if found.error:
        err.print(found.error, markup=False, emoji=False, soft_wrap=True)
    if follow:
        click.echo(f"added {result.added}, already followed {result.already_followed}")


@sources.command("remove")
@click.argument("ids", nargs=-1, required=True, type=int)
@click.pass_obj
def sources_remove(settings: Settings, ids: tuple[int, ...]) -> None:
    """Stop following sources by id (their articles stay)."""
    missing = engine_sources.remove_sources(settings, ids)
    click.echo(f"removed {len(ids) - len(missing)}")
    if missing:
        raise _missing(missing)


def _toggle_command(name: str, enabled: bool) -> click.Command:
    @click.command(name, help=f"{name.capitalize()} polling of sources by id.")
    @click.argument("ids", nargs=-1, required=True, type=int)
    @click.pass_obj
    def toggle(settings: Settings, ids: tuple[int, ...]) -> None:
        missing = engine_sources.set_sources_enabled(settings, ids, enabled)
        if missing:
            raise _missing(missing)
        click.echo(f"{name}d {len(ids)} source(s)")

    return toggle


for _name, _enabled in (("enable", True), ("disable", False)):
    sources.add_command(_toggle_command(_name, _enabled))


def _list_sources(settings: Settings, as_json: bool) -> None:
    health = engine_sources.source_health(settings)
    rows, failed_items = health.rows, health.failed_items
    if as_json:
        emit([r.as_dict() | {"failed_items": failed_items.get(r.id, 0)} for r in rows])
        return
    if not rows:
        click.echo("no sources followed yet: `naba sources import --default` or `naba sources add URL`")
        return
    table = Table(title=f"{len(rows)} sources")
    for column in ("id", "source", "health", "last poll", "articles", "failed items", "last error"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r.id),
            r.title or r.url,
            _health(r),
            r.last_poll or "never",
            str(r.articles_stored),
            str(failed_items.get(r.id, 0)),
            (r.last_error or "")[:80],
        )
    Console().print(table)


def _health(r: SourceRow) -> str:
    if not r.enabled:
        return "off"
    if r.healthy:
        return "ok"
    return f"{r.failures} failures" if r.failures else "new"
