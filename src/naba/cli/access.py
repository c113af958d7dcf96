"""``naba tokens``, ``naba saved-searches`` and ``naba alerts``: what the API's write side keeps, from the
command line (the same functions as the API: :mod:`naba.engine.access`, :mod:`naba.engine.alerts`)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import click

from naba.cli.common import emit, open_engine, run
from naba.config import Settings
from naba.engine import access as engine_access
from naba.engine import alerts, views
from naba.engine.records import TokenCreated, to_json
from naba.sources.http import HttpClient
from naba.types import SearchQuery


def _print(data: Any, as_json: bool, line: str) -> None:
    if as_json:
        emit(to_json(data))
    else:
        click.echo(line)


# -- tokens -----------------------------------------------------------------------------------------------
@click.group()
def tokens() -> None:
    """API tokens: create (shown once, stored hashed), list, revoke."""


@tokens.command("create")
@click.option("--scope", type=click.Choice(["read", "write"]), required=True, help="write also reads.")
@click.option("--name", help="A label to recognise it by.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def tokens_create(settings: Settings, scope: str, name: str | None, as_json: bool) -> None:
    """Create a token; it is printed this once and never stored (only its hash is)."""
    with open_engine(settings, sync_index=False, create=True) as naba:
        row, token = run(
            lambda: engine_access.create_token(naba.access, "write" if scope == "write" else "read", name)
        )
    _print(TokenCreated(row.id, row.name, row.scope, token), as_json, token)


@tokens.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def tokens_list(settings: Settings, as_json: bool) -> None:
    """Tokens (never their secret): id, scope, name, created, last used, revoked."""
    with open_engine(settings, sync_index=False) as naba:
        rows = naba.access.tokens()
    if as_json:
        emit(to_json(rows))
        return
    for r in rows:
        state = f"revoked {r.revoked_at}" if r.revoked_at else "live"
        click.echo(f"{r.id:>4}  {r.scope:<5}  {state:<30}  {r.name or ''}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def tokens_revoke(settings: Settings, token_id: int, as_json: bool) -> None:
    """Revoke a token at once."""
    with open_engine(settings, sync_index=False) as naba:
        run(lambda: engine_access.revoke_token(naba.access, token_id))
    _print({"revoked": token_id}, as_json, f"revoked token {token_id}")


# -- saved searches ---------------------------------------------------------------------------------------
@click.group("saved-searches")
def saved_searches() -> None:
    """Saved searches: add, list, show results, delete (each has a feed: /feeds/saved.atom?id=ID)."""


@saved_searches.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--source", "sources", multiple=True, help="Only these publishers (repeatable).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def saved_add(
    settings: Settings,
    name: str,
    query: str,
    sources: tuple[str, ...],
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    as_json: bool,
) -> None:
    """Save QUERY (with its filters) under NAME."""
    with open_engine(settings, sync_index=False, create=True) as naba:
        saved = run(
            lambda: engine_access.save_search(
                naba.access, name, query, sources, date_from.date() if date_from else None,
                date_to.date() if date_to else None,
            )
        )  # fmt: skip
    _print(saved, as_json, f"saved search {saved.id}: {saved.name}")


@saved_searches.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def saved_list(settings: Settings, as_json: bool) -> None:
    """Every saved search."""
    with open_engine(settings, sync_index=False) as naba:
        rows = naba.access.saved_searches()
    if as_json:
        emit(to_json(rows))
        return
    for s in rows:
        filters = " ".join(f"--source {x}" for x in s.sources)
        click.echo(f"{s.id:>4}  {s.name}  «{s.query}» {filters}")


@saved_searches.command("show")
@click.argument("search_id", type=int)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def saved_show(settings: Settings, search_id: int, limit: int, as_json: bool) -> None:
    """Run a saved search: its newest matches."""
    with open_engine(settings, wait=False) as naba:

        def find() -> Any:
            saved = engine_access.get_saved_search(naba.access, search_id)
            query: SearchQuery = views.saved_search_query(saved, limit=limit)
            return views.search_view(naba.store, naba.search, query)

        found = run(find)
    if as_json:
        emit(to_json(found))
        return
    click.echo(f"{found.total} results")
    for hit in found.hits:
        click.echo(f"  {hit.article.published}  {hit.article.publisher}: {hit.article.title}")


@saved_searches.command("delete")
@click.argument("search_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def saved_delete(settings: Settings, search_id: int, as_json: bool) -> None:
    """Delete a saved search and the webhooks that follow it."""
    with open_engine(settings, sync_index=False) as naba:
        run(lambda: engine_access.delete_saved_search(naba.access, search_id))
    _print({"deleted": search_id}, as_json, f"deleted saved search {search_id}")


# -- alerts (webhooks) ------------------------------------------------------------------------------------
@click.group("alerts")
def alerts_group() -> None:
    """Webhooks: POST signed JSON when new articles match a saved search, or a story reaches N outlets."""


@alerts_group.command("add")
@click.argument("url")
@click.option("--saved-search", type=int, help="Alert on new articles matching this saved search.")
@click.option(
    "--min-outlets", type=click.IntRange(1, 1000), help="Alert on stories covered by this many outlets."
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def alerts_add(
    settings: Settings, url: str, saved_search: int | None, min_outlets: int | None, as_json: bool
) -> None:
    """Add a webhook; its signing secret is printed this once."""
    with open_engine(settings, sync_index=False, create=True) as naba:
        hook = run(
            lambda: engine_access.add_webhook(
                naba.access, settings, url, saved_search=saved_search, min_outlets=min_outlets,
                watermark=naba.index_seq(),
            )
        )  # fmt: skip
    _print(views.webhook_created(hook), as_json, f"webhook {hook.id}; secret (shown once): {hook.secret}")


@alerts_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def alerts_list(settings: Settings, as_json: bool) -> None:
    """Webhooks (never their secret)."""
    with open_engine(settings, sync_index=False) as naba:
        rows = [views.webhook_view(h) for h in naba.access.webhooks()]
    if as_json:
        emit(to_json(rows))
        return
    for h in rows:
        what = (
            f"saved search {h.saved_search}" if h.saved_search else f"stories with >= {h.min_outlets} outlets"
        )
        click.echo(f"{h.id:>4}  {h.url}  ({what})")


@alerts_group.command("delete")
@click.argument("webhook_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def alerts_delete(settings: Settings, webhook_id: int, as_json: bool) -> None:
    """Delete a webhook (its pending deliveries are dropped)."""
    with open_engine(settings, sync_index=False) as naba:
        run(lambda: engine_access.delete_webhook(naba.access, webhook_id))
    _print({"deleted": webhook_id}, as_json, f"deleted webhook {webhook_id}")


@alerts_group.command("log")
@click.option("--webhook", "webhook_id", type=int, help="Only this webhook's deliveries.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def alerts_log(settings: Settings, webhook_id: int | None, limit: int, as_json: bool) -> None:
    """The delivery log, newest first."""
    with open_engine(settings, sync_index=False) as naba:
        rows = [views.delivery_view(d) for d in naba.access.deliveries(webhook_id, limit)]
    if as_json:
        emit(to_json(rows))
        return
    for d in rows:
        click.echo(
            f"{d.id:>5}  {d.status:<9} {d.attempts} tries  {d.last_status or ''}  {d.key}  {d.last_error or ''}"
        )


@alerts_group.command("run")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def alerts_run(settings: Settings, as_json: bool) -> None:
    """Enqueue what is new for every webhook and send the deliveries that are due (ingest and watch do this
    on their own; this retries pending deliveries now)."""

    async def fire() -> alerts.AlertReport:
        with open_engine(settings, wait=False) as naba:
            enqueued = alerts.collect(naba.store, naba.access, naba.search, naba.index_seq())
            # Waits while another process sends (a watch worker): then sends what is still due.
            with alerts.sender_lease(settings).hold():
                async with HttpClient(alerts.webhook_policy(settings)) as client:
                    report = await alerts.deliver(naba.access, client, settings)
            report.enqueued = enqueued
            return report

    report = run(lambda: asyncio.run(fire()))
    data = report.as_dict()
    _print(data, as_json, " ".join(f"{k}={v}" for k, v in data.items()))
