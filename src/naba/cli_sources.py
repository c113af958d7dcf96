"""The fetching commands of the ``naba`` CLI: ``fetch``, ``watch`` and the ``sources`` group.

Kept apart from :mod:`naba.cli` (which registers them) so that each file stays one screenful of concerns:
here, everything that talks to the network through :class:`naba.sources.http.HttpClient`.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from naba.config import Settings

T = TypeVar("T")
err = Console(stderr=True)


def _client(settings: Settings) -> Any:
    from naba.sources.http import FetchPolicy, HttpClient

    return HttpClient(FetchPolicy.from_settings(settings))


def _schedule(settings: Settings) -> Any:
    from naba.engine.poll import Schedule

    return Schedule(settings.watch_min_interval, settings.watch_max_interval)


def _emit(data: Any) -> None:
    from naba.cli import _emit as emit

    emit(data)


def _run(fn: Callable[[], T]) -> T:
    from naba.cli import _run as run

    result: T = run(fn)
    return result


# -- fetch ------------------------------------------------------------------------------------------------
async def fetch_articles(settings: Settings, naba: Any, urls: Sequence[str]) -> dict[str, Any]:
    """Fetch, extract and store single article pages; returns the ingest summary and per-URL errors."""
    from naba.errors import NabaError
    from naba.sources.inputs import InputItem
    from naba.sources.pages import fetch_article

    items: list[Any] = []
    errors: dict[str, str] = {}
    async with _client(settings) as client:
        for url in urls:
            try:
                items.append(InputItem(url, (await fetch_article(client, url),)))
            except NabaError as exc:
                errors[url] = exc.message
    report = naba.ingest_items(items)
    return {**report.as_dict(), "errors": errors}


def _valid_source_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"not an http(s) URL: {url!r}")
    return url.strip()


def register(main: click.Group) -> None:
    """Add the fetching commands to the ``naba`` group."""
    from naba.cli import _open_naba

    @main.command()
    @click.argument("urls", nargs=-1, required=True)
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    def fetch(settings: Settings, urls: tuple[str, ...], as_json: bool) -> None:
        """Fetch, extract and store article pages by URL (polite: robots.txt, rate limits, SSRF guard)."""

        def run() -> dict[str, Any]:
            with _open_naba(settings) as naba:
                return asyncio.run(fetch_articles(settings, naba, urls))

        data = _run(run)
        if as_json:
            _emit(data)
        else:
            click.echo(
                f"fetched {len(urls)} URL(s): stored {data['stored']}, updated {data['updated']}, "
                f"unchanged {data['unchanged']}, failed {len(data['errors'])}"
            )
            for url, message in data["errors"].items():
                err.print(f"failed {url}: {message}", markup=False, emoji=False, soft_wrap=True)
        if data["errors"] and len(data["errors"]) == len(urls):
            sys.exit(1)

    @main.command()
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
        report = _run(
            lambda: run_watch(
                settings, once=once, concurrency=concurrency, as_json=as_json, max_items=max_items
            )
        )
        if as_json:
            click.echo(
                json.dumps(report.as_dict(), ensure_ascii=False)
            )  # JSON lines: one per poll, then this
        else:
            click.echo(
                f"{report.polls} polls ({report.ok} ok, {report.not_modified} not modified, {report.failed} failed): "
                f"{report.stored} articles stored, {report.updated} updated in {report.seconds} s"
                + (f"; {report.cancelled} polls cut short by the stop" if report.cancelled else "")
            )

    @main.group(invoke_without_command=True)
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    def sources(ctx: click.Context, as_json: bool) -> None:
        """Followed sources and their health (subcommands: add, import, export, check, enable, disable)."""
        if ctx.invoked_subcommand is None:
            list_sources(ctx.obj, as_json)

    @sources.command("add")
    @click.argument("urls", nargs=-1, required=True)
    @click.option("--sitemap", is_flag=True, help="All the URLs given are news sitemaps, not feeds.")
    @click.option("--publisher", help="Publisher (registry domain) of these sources.")
    @click.pass_obj
    def sources_add(settings: Settings, urls: tuple[str, ...], sitemap: bool, publisher: str | None) -> None:
        """Follow feeds (RSS, Atom, JSON Feed) or news sitemaps by URL."""
        from naba.types import SourceSpec

        kind = "sitemap" if sitemap else "feed"
        checked = [_valid_source_url(u) for u in urls]
        with _open_naba(settings, sync_index=False) as naba:
            added, known = naba.store.add_sources(SourceSpec(u, kind, publisher=publisher) for u in checked)
        click.echo(f"added {added}, already followed {known}")

    @sources.command("import")
    @click.argument("opml", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--default", "use_default", is_flag=True, help="Import the Arabic sources naba ships.")
    @click.pass_obj
    def sources_import(settings: Settings, opml: Path | None, use_default: bool) -> None:
        """Follow the feeds of an OPML file (or, with --default, naba's list of Arabic news feeds)."""
        if opml is None and not use_default:
            raise click.UsageError("give an OPML file or --default")
        added, known = _run(lambda: import_sources(settings, opml))
        click.echo(f"added {added}, already followed {known}")

    @sources.command("export")
    @click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
    )
    @click.pass_obj
    def sources_export(settings: Settings, output: Path | None) -> None:
        """Write the followed sources as OPML."""
        data = _run(lambda: export_sources(settings))
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
        results = _run(lambda: asyncio.run(check_sources(settings)))
        if as_json:
            _emit(results)
            return
        for r in results:
            if r.get("disabled"):
                line = f"disabled {r['url']}: its site's feed {r['new_url']} is followed already ({r['disabled']})"
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
        from naba.sources.check import discover_site
        from naba.types import SourceSpec

        site = _valid_source_url(site)

        async def run() -> Any:
            async with _client(settings) as client:
                return await discover_site(client, site)

        found = _run(lambda: asyncio.run(run()))
        chosen = [SourceSpec(found.feeds[0], "feed", site_url=site)] if found.feeds else []
        chosen += [SourceSpec(u, "sitemap", site_url=site) for u in found.sitemaps if "news" in u.lower()]
        added = known = 0
        if follow and chosen:
            with _open_naba(settings, sync_index=False) as naba:
                added, known = naba.store.add_sources(chosen)
        if as_json:
            _emit(found.as_dict() | {"added": added, "already_followed": known})
            return
        for url in found.feeds:
            click.echo(f"feed     {url}")
        for url in found.sitemaps:
            click.echo(f"sitemap  {url}")
        if found.error:
            err.print(found.error, markup=False, emoji=False, soft_wrap=True)
        if follow:
            click.echo(f"added {added}, already followed {known}")

    @sources.command("remove")
    @click.argument("ids", nargs=-1, required=True, type=int)
    @click.pass_obj
    def sources_remove(settings: Settings, ids: tuple[int, ...]) -> None:
        """Stop following sources by id (their articles stay)."""
        with _open_naba(settings, sync_index=False) as naba:
            missing = [i for i in ids if not naba.store.remove_source(i)]
        click.echo(f"removed {len(ids) - len(missing)}")
        if missing:
            raise click.BadParameter(f"no source with id {', '.join(map(str, missing))}", param_hint="IDS")

    for name, enabled in (("enable", True), ("disable", False)):
        _toggle_command(sources, name, enabled)


def _toggle_command(group: click.Group, name: str, enabled: bool) -> None:
    from naba.cli import _open_naba

    @group.command(name, help=f"{name.capitalize()} polling of sources by id.")
    @click.argument("ids", nargs=-1, required=True, type=int)
    @click.pass_obj
    def toggle(settings: Settings, ids: tuple[int, ...]) -> None:
        with _open_naba(settings, sync_index=False) as naba:
            missing = [i for i in ids if naba.store.get_source(i) is None]
            if missing:
                raise click.BadParameter(
                    f"no source with id {', '.join(map(str, missing))}", param_hint="IDS"
                )
            for source_id in ids:
                naba.store.set_source_enabled(source_id, enabled)
        click.echo(f"{name}d {len(ids)} source(s)")


# -- implementations ------------------------------------------------------------------------------------
def run_watch(
    settings: Settings,
    *,
    once: bool,
    concurrency: int | None,
    as_json: bool,
    max_items: int | None = None,
    quiet: bool = False,
) -> Any:
    """Run the watch loop; ``quiet`` prints no line per failed poll (the sources table keeps them)."""
    from naba.cli import _open_naba
    from naba.engine.poll import MAX_ITEMS_PER_POLL, Poller
    from naba.engine.watch import watch

    def on_poll(outcome: Any) -> None:
        if as_json:
            click.echo(json.dumps(outcome.as_dict(), ensure_ascii=False))
        elif not outcome.ok and not quiet:
            err.print(f"failed {outcome.url}: {outcome.error}", markup=False, emoji=False, soft_wrap=True)

    async def main() -> Any:
        if not once and not as_json:
            with _open_naba(settings, sync_index=False) as probe:
                if not probe.store.list_sources(enabled_only=True):
                    err.print(
                        "no sources to poll yet: `naba sources import --default` or `naba sources add URL`"
                    )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        with _open_naba(settings) as naba:
            async with _client(settings) as client:
                poller = Poller(naba, client, _schedule(settings), max_items=max_items or MAX_ITEMS_PER_POLL)
                return await watch(
                    poller,
                    concurrency=concurrency or settings.watch_concurrency,
                    stop=stop,
                    once=once,
                    on_poll=on_poll,
                )

    return asyncio.run(main())


def import_sources(settings: Settings, opml: Path | None) -> tuple[int, int]:
    from naba.cli import _open_naba
    from naba.sources.opml import default_sources, read_opml

    specs = read_opml(opml.read_bytes()) if opml is not None else default_sources()
    bad = [s.url for s in specs if not s.url.startswith(("http://", "https://"))]
    if bad:
        from naba.errors import InputError

        raise InputError(
            f"{len(bad)} outline(s) without an http(s) feed URL, e.g. {bad[0]!r}", location=str(opml)
        )
    with _open_naba(settings, sync_index=False) as naba:
        result: tuple[int, int] = naba.store.add_sources(specs)
        return result


def export_sources(settings: Settings) -> bytes:
    from naba.cli import _open_naba
    from naba.sources.opml import write_opml

    with _open_naba(settings, sync_index=False) as naba:
        return write_opml([row.spec() for row in naba.store.list_sources()])


async def check_sources(settings: Settings) -> list[dict[str, Any]]:
    from naba.cli import _open_naba
    from naba.sources.check import check_source

    results = []
    with _open_naba(settings, sync_index=False) as naba:
        async with _client(settings) as client:
            gate = asyncio.Semaphore(settings.watch_concurrency)

            async def check_one(source: Any) -> Any:
                async with gate:
                    return await check_source(client, source)

            sources = naba.store.list_sources(enabled_only=True)
            checks = await asyncio.gather(*(check_one(s) for s in sources))
            for check in checks:
                duplicate = naba.store.source_by_url(check.new_url) if check.new_url else None
                if duplicate is not None:
                    # The feed its site announces is followed already: this entry is a dead duplicate.
                    naba.store.set_source_enabled(check.source_id, False)
                    naba.store.set_source_verified(check.source_id, False)
                    results.append(
                        check.as_dict() | {"verified": False, "disabled": f"duplicate of {duplicate.id}"}
                    )
                    continue
                naba.store.set_source_verified(check.source_id, check.verified, url=check.new_url)
                results.append(check.as_dict())
    return results


def list_sources(settings: Settings, as_json: bool) -> None:
    from naba.cli import _open_naba

    with _open_naba(settings, sync_index=False) as naba:
        rows = naba.store.list_sources()
        failed_items = naba.store.failed_item_counts()
    if as_json:
        _emit([r.as_dict() | {"failed_items": failed_items.get(r.id, 0)} for r in rows])
        return
    if not rows:
        click.echo("no sources followed yet: `naba sources import --default` or `naba sources add URL`")
        return
    table = Table(title=f"{len(rows)} sources")
    for column in ("id", "source", "health", "last poll", "articles", "failed items", "last error"):
        table.add_column(column)
    for r in rows:
        health = (
            "off"
            if not r.enabled
            else "ok"
            if r.healthy
            else f"{r.failures} failures"
            if r.failures
            else "new"
        )
        table.add_row(
            str(r.id),
            r.title or r.url,
            health,
            r.last_poll or "never",
            str(r.articles_stored),
            str(failed_items.get(r.id, 0)),
            (r.last_error or "")[:80],
        )
    Console().print(table)
