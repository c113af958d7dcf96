"""``naba search``: BM25, Arabic-aware, with highlights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from naba.article_json import article_to_json
from naba.cli.common import emit, open_engine, run
from naba.config import Settings
from naba.types import SearchQuery, SearchResults, TextSpan


@click.command()
@click.argument("query")
@click.option("--source", "sources", multiple=True, help="Only these publishers (repeatable).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
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
    as_json: bool,
) -> None:
    """Search articles: BM25, Arabic-aware; "quoted phrases" match exactly after normalization."""
    request = SearchQuery(
        text=query,
        sources=sources,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        offset=(page - 1) * limit,
        limit=limit,
    )

    def find() -> SearchResults:
        # A reader catches the index up to the database (a killed ingest may have left it behind), unless
        # another process is writing the index right now: that one catches up itself.
        with open_engine(settings, wait=False) as naba:
            return naba.search(request)

    results = run(find)
    if as_json:
        emit(_results_json(results))
        return
    click.echo(f"{results.total} results")
    for rank, hit in enumerate(results.hits, start=request.offset + 1):
        click.echo(
            f"{rank:>3}. {_marked(hit.title_spans)}  ({hit.article.publisher}, {hit.article.published})"
        )
        click.echo("     " + _marked(hit.snippet_spans))


def _marked(spans: tuple[TextSpan, ...]) -> str:
    """Highlighted runs in [brackets]."""
    return "".join(f"[{s.text}]" if s.highlighted else s.text for s in spans)


def _results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query.text,
        "total": results.total,
        "hits": [
            {
                "score": round(hit.score, 4),
                "article": article_to_json(hit.article),
                "title_highlights": [[s.text, s.highlighted] for s in hit.title_spans],
                "snippet": [[s.text, s.highlighted] for s in hit.snippet_spans],
            }
            for hit in results.hits
        ],
    }
