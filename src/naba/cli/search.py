"""``naba search``: BM25, Arabic-aware, with highlights."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import click

from naba.cli.common import emit, open_engine, run
from naba.config import Settings
from naba.engine.records import Highlight, SearchView, to_json
from naba.engine.views import search_view
from naba.types import SearchQuery, SearchSort


@click.command()
@click.argument("query")
@click.option("--source", "sources", multiple=True, help="Only these publishers (repeatable).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--sort", type=click.Choice(get_args(SearchSort)), default="relevance", show_default=True, help="Order."
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def search(
    settings: Settings,
    query: str,
    sources: tuple[str, ...],
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    page: int,
    limit: int,
    sort: SearchSort,
    as_json: bool,
) -> None:
    """Search articles: BM25, Arabic-aware; "quoted phrases" match exactly after normalization. Copies of
    one text are folded under the best-ranked one ("also from"); --json adds facets by outlet and day."""
    request = SearchQuery(
        text=query,
        sources=sources,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        offset=(page - 1) * limit,
        limit=limit,
        sort=sort,
    )

    def find() -> SearchView:
        # A reader catches the index up to the database (a killed ingest may have left it behind), unless
        # another process is writing the index right now: that one catches up itself.
        with open_engine(settings, wait=False) as naba:
            return search_view(naba.store, naba.search, request)

    results = run(find)
    if as_json:
        emit(to_json(results))
        return
    click.echo(f"{results.total} results")
    for rank, hit in enumerate(results.hits, start=request.offset + 1):
        also = ", ".join(str(a.publisher) for a in hit.also_from)
        click.echo(
            f"{rank:>3}. {_marked(hit.title_highlights)}  ({hit.article.publisher}, {hit.article.published})"
            + (f"  (also from {also})" if also else "")
        )
        click.echo("     " + _marked(hit.snippet))


def _marked(spans: tuple[Highlight, ...]) -> str:
    """Highlighted runs in [brackets]."""
    return "".join(f"[{s.text}]" if s.highlighted else s.text for s in spans)
