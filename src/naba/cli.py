"""The ``naba`` command line: parse arguments, call one library function, format the result.

Every command takes ``--json`` for machine-readable output. Settings come from ``naba.toml``, ``NABA_*``
environment variables and the global options (``--db``, ``--analyzer``), resolved once here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from naba import __version__
from naba.article_json import article_to_json
from naba.cli_sources import register as register_fetch_commands
from naba.config import Settings, load_settings
from naba.errors import NabaError
from naba.store.base import EntityKindName
from naba.types import SearchQuery

log = logging.getLogger("naba")
err = Console(stderr=True)


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def _progress(label: str, enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


def _open_naba(settings: Settings, *, sync_index: bool = True, wait: bool = True) -> Any:
    from naba.engine.naba import Naba

    return Naba.open(settings, sync_index=sync_index, wait=wait)


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
@click.option("--db", envvar="NABA_DB", help="SQLite database file (default: naba.db).")
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


def _run(fn: Any) -> Any:
    try:
        return fn()
    except NabaError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)


# -- ingest -----------------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
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
    paths: tuple[Path, ...],
    hosts: tuple[str, ...],
    languages: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime | None,
    as_json: bool,
) -> None:
    """Ingest files, folders, zip and WARC archives (naba JSONL, SaudiNewsNet JSON, text pages, HTML, WARC)."""
    from naba.sources.warc import WarcFilter

    warc_filter = _run(
        lambda: WarcFilter(
            frozenset(hosts),
            frozenset(languages),
            since.date() if since else None,
            until.date() if until else None,
        )
    )

    def run() -> Any:
        with (
            _open_naba(settings, wait=False) as naba,
            _progress("ingest", not as_json and err.is_terminal) as bar,
        ):
            return naba.ingest(paths, progress=bar, warc_filter=warc_filter)

    report = _run(run)
    if as_json:
        _emit(report.as_dict())
        return
    table = Table(title=f"ingest into {settings.db}")
    for column in ("read", "stored", "updated", "unchanged", "skipped", "failed", "seconds"):
        table.add_column(column, justify="right")
    data = report.as_dict()
    table.add_row(
        *(str(data[c]) for c in ("read", "stored", "updated", "unchanged", "skipped", "failed", "seconds"))
    )
    Console().print(table)
    for failure in report.failures[:20]:
        err.print(f"[yellow]failed[/yellow] {failure.location}: {failure.message}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def reindex(settings: Settings, as_json: bool) -> None:
    """Rebuild the search index from the database (after an analyzer change, or a lost index)."""

    def run() -> int:
        with _open_naba(settings, sync_index=False) as naba, _progress("reindex", not as_json) as bar:
            return int(naba.reindex(progress=bar))

    count = _run(run)
    _emit({"indexed": count}) if as_json else click.echo(f"indexed {count} articles")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(settings: Settings, as_json: bool) -> None:
    """What the database holds, and how far the search index and the understanding lag behind it."""

    def run() -> dict[str, Any]:
        with _open_naba(settings, sync_index=False) as naba:
            return dict(naba.stats())

    data = _run(run)
    if as_json:
        _emit(data)
        return
    for key, value in data.items():
        click.echo(f"{key:>16}  {value}")


@main.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def failures(settings: Settings, limit: int, as_json: bool) -> None:
    """List recorded failures, newest first."""
    from naba.store.sqlite import SQLiteStore

    store = SQLiteStore(settings.db)
    rows = store.failures(limit=limit)
    store.close()
    if as_json:
        _emit(
            [
                {
                    "stage": f.stage,
                    "location": f.location,
                    "error": f.error_type,
                    "message": f.message,
                    "when": f.when.isoformat(),
                }
                for f in rows
            ]
        )
        return
    for f in rows:
        click.echo(f"{f.when:%Y-%m-%d %H:%M} {f.stage} {f.location}: {f.error_type}: {f.message}")


# -- parse / extract --------------------------------------------------------------------------------------
@main.command()
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def parse(page: Path, as_json: bool) -> None:
    """Parse a glued text page (an aggregator page saved as text) into its articles."""
    from naba.extract.decode import decode_bytes
    from naba.extract.text_pages import parse_text_page

    raw = page.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    result = _run(lambda: parse_text_page(decode_bytes(raw).text, source=str(page), raw_sha256=digest))
    data = {
        "articles": [article_to_json(a) for a in result.articles],
        "related_headlines": list(result.related_headlines),
    }
    if as_json:
        _emit(data)
        return
    for article in result.articles:
        role = "embedded" if article.embedded_in else "main"
        click.echo(f"[{role}] {article.title} ({article.published or 'no date'})")
        for paragraph in article.paragraphs:
            click.echo(f"  {paragraph}")
    for headline in result.related_headlines:
        click.echo(f"[related] {headline}")


@main.command()
@click.argument("page")
@click.option("--url", help="The saved page's address (for a file).")
@click.option("--fetched-at", help="When the page was fetched (ISO 8601), to resolve relative datelines.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def extract(settings: Settings, page: str, url: str | None, fetched_at: str | None, as_json: bool) -> None:
    """Extract one article from an HTML file or a URL (fetched politely; nothing is stored)."""
    from naba.extract.generic import extract_html

    if page.startswith(("http://", "https://")):
        from naba.sources.http import fetch_once
        from naba.sources.pages import page_article

        fetched = _run(lambda: fetch_once(page, settings))
        article = _run(lambda: page_article(fetched, page))
    else:
        path = Path(page)
        if not path.is_file():
            raise click.BadParameter(f"no such file: {page}", param_hint="PAGE")
        when = dt.datetime.fromisoformat(fetched_at) if fetched_at else None
        article = _run(lambda: extract_html(path.read_bytes(), url=url, source=str(path), fetched_at=when))
    if as_json:
        _emit(article_to_json(article))
        return
    click.echo(article.title)
    click.echo(f"{article.published or 'no date'} · {article.publisher or ''}")
    for paragraph in article.paragraphs:
        click.echo(f"  {paragraph}")


# -- search -----------------------------------------------------------------------------------------------
@main.command()
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

    def run() -> Any:
        # A reader catches the index up to the database (a killed ingest may have left it behind), unless
        # another process is writing the index right now: that one catches up itself.
        with _open_naba(settings, wait=False) as naba:
            return naba.search(request)

    results = _run(run)
    if as_json:
        _emit(_results_json(results))
        return
    click.echo(f"{results.total} results")
    for rank, hit in enumerate(results.hits, start=request.offset + 1):
        title = "".join(f"[{s.text}]" if s.highlighted else s.text for s in hit.title_spans)
        click.echo(f"{rank:>3}. {title}  ({hit.article.publisher}, {hit.article.published})")
        click.echo("     " + "".join(f"[{s.text}]" if s.highlighted else s.text for s in hit.snippet_spans))


def _results_json(results: Any) -> dict[str, Any]:
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


# -- understanding --------------------------------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def understand(settings: Settings, as_json: bool) -> None:
    """Find duplicates, stories and threads among the articles stored since the last run."""

    def run() -> Any:
        with (
            _open_naba(settings, sync_index=False) as naba,
            _progress("understand", not as_json and err.is_terminal) as bar,
        ):
            return naba.understand(progress=bar)

    report = _run(run)
    data = report.as_dict()
    if as_json:
        _emit(data)
        return
    click.echo(" ".join(f"{key}={value}" for key, value in data.items()))


@main.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--all-days", is_flag=True, help="Rank every story, not only the latest day's.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stories(settings: Settings, limit: int, all_days: bool, as_json: bool) -> None:
    """The latest day's stories, ranked by outlets, size and recency."""
    from naba.engine.views import latest_day_start, story_brief
    from naba.store.sqlite import SQLiteStore

    store = SQLiteStore(settings.db)
    try:
        rows = store.stories(limit, since=None if all_days else latest_day_start(store))
    finally:
        store.close()
    if as_json:
        _emit({"stories": [story_brief(s) for s in rows]})
        return
    for s in rows:
        click.echo(f"{s.size:>4} articles {len(s.outlets):>3} outlets  {s.headline}  [{s.id}]")


@main.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def story(settings: Settings, story_id: str, as_json: bool) -> None:
    """One story: headline, articles (copies folded into "also from"), outlets and thread."""
    from naba.engine.views import story_json
    from naba.store.sqlite import SQLiteStore

    store = SQLiteStore(settings.db)
    try:
        found = store.story(story_id)
        data = story_json(store, found) if found else None
    finally:
        store.close()
    if data is None:
        err.print(f"[red]error:[/red] no story {escape(story_id)}")
        sys.exit(1)
    if as_json:
        _emit(data)
        return
    click.echo(f"{data['headline']}  ({data['size']} articles, {len(data['outlets'])} outlets)")
    if data["entities"]:
        click.echo("  entities: " + "، ".join(e["canonical"] for e in data["entities"]))
    if data["keywords"]:
        click.echo("  keywords: " + "، ".join(k["text"] for k in data["keywords"]))
    for a in data["articles"]:
        also = ", ".join(str(c["publisher"]) for c in a["also_from"])
        click.echo(
            f"  {a['published']}  {a['publisher']}: {a['title']}" + (f"  (also from {also})" if also else "")
        )
    for t in data["thread"]:
        click.echo(f"  thread: {t['headline']}  [{t['id']}]")


@main.command()
@click.argument("url_or_id")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option(
    "--deep", is_flag=True, help="Rebuild the related finder over the article's window (adds topical items)."
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def related(settings: Settings, url_or_id: str, limit: int, deep: bool, as_json: bool) -> None:
    """Articles related to one article (by id or URL), each with its reason."""
    from naba.engine.views import finder_related, related_json, resolve_article, stored_related

    def run() -> Any:
        with _open_naba(settings, sync_index=False) as naba:
            article_id = resolve_article(naba.store, url_or_id)
            if article_id is None:
                return None, []
            items = (
                finder_related(naba, article_id, limit)
                if deep
                else stored_related(naba.store, article_id, limit)
            )
            return article_id, items

    article_id, items = _run(run)
    if article_id is None:
        err.print(f"[red]error:[/red] no article {escape(url_or_id)}")
        sys.exit(1)
    if as_json:
        _emit({"article": article_id, "related": related_json(items)})
        return
    for item in items:
        click.echo(f"{item.related.score:>7.3f}  {item.article.title}  ({item.related.reason})")


@main.command()
@click.argument("name", required=False)
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--kind", type=click.Choice(["PER", "LOC", "ORG"]), help="Only persons, places or organizations."
)
@click.option("--all-days", is_flag=True, help="Rank over every day, not only the latest day's.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def entities(
    settings: Settings, name: str | None, limit: int, kind: str | None, all_days: bool, as_json: bool
) -> None:
    """The latest day's entities ranked by stories and outlets; with NAME, that entity's articles and stories."""
    from naba.engine.views import entities_json, entity_json, latest_day_start
    from naba.store.sqlite import SQLiteStore

    store = SQLiteStore(settings.db)
    try:
        if name is not None:
            data = entity_json(store, name)
        else:
            since = None if all_days else latest_day_start(store)
            data = entities_json(store, limit, since, _KIND_CHOICES.get(kind or ""))
    finally:
        store.close()
    if data is None:
        err.print(f"[red]error:[/red] no entity {escape(name or '')}")
        sys.exit(1)
    if as_json:
        _emit(data)
        return
    if name is None:
        for e in data["entities"]:
            click.echo(
                f"{e['stories']:>4} stories {e['outlets']:>3} outlets {e['articles']:>5} articles  "
                f"{e['kind']}  {e['canonical']}"
            )
        return
    aliases = "، ".join(a["name"] for a in data["aliases"])
    click.echo(f"{data['canonical']} ({data['kind']}, {data['articles_total']} articles)  aliases: {aliases}")
    for s in data["stories"]:
        click.echo(f"  story {s['last_seen']}  {s['headline']}  [{s['id']}]")
    for a in data["articles"]:
        click.echo(f"  {a['published']}  {a['publisher']}: {a['title']}")


_KIND_CHOICES: dict[str, EntityKindName] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


# -- reader -----------------------------------------------------------------------------------------------
@main.command()
@click.option("--host", default=None, help="Listen address (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 8000).")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Serve the web reader."""
    from naba.engine.naba import IndexFollower
    from naba.web.app import serve as serve_app

    # The reader answers at once; the follower brings the index up to the database in the background.
    naba = _run(lambda: _open_naba(settings, sync_index=False))
    err.print(
        f"naba reader on http://{host or settings.host}:{port or settings.port}/  ({naba.store.count()} articles)"
    )
    # Articles that `ingest` or `watch` store while the reader runs become searchable without a restart.
    follower = IndexFollower(settings).start()
    try:
        serve_app(naba, host or settings.host, port or settings.port)
    finally:
        follower.stop()


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--host", default=None)
@click.option("--port", default=None, type=int)
@click.option("--no-serve", is_flag=True, help="Ingest only.")
@click.option("--json", "as_json", is_flag=True, help="Print the ingest summary as JSON.")
@click.pass_context
def demo(
    ctx: click.Context, source: Path | None, host: str | None, port: int | None, no_serve: bool, as_json: bool
) -> None:
    """Ingest SOURCE (files, folders, zips, WARC) — by default the live Arabic feeds — and serve the reader."""
    if source is None:
        _demo_live(ctx, as_json)
    else:
        ctx.invoke(ingest, paths=(source,), hosts=(), languages=(), since=None, until=None, as_json=as_json)
        ctx.invoke(understand, as_json=as_json)
    if not no_serve:
        ctx.invoke(serve, host=host, port=port)


DEMO_ITEMS_PER_SOURCE = 15
DEMO_CONCURRENCY = 32


def _demo_live(ctx: click.Context, as_json: bool) -> None:
    """Follow naba's default Arabic feeds (first run) and poll each once; offline, say so in one line."""
    from naba.cli_sources import import_sources, run_watch

    settings: Settings = ctx.obj
    with _open_naba(settings, sync_index=False) as naba:
        followed = len(naba.store.list_sources())
    if not followed:
        _run(lambda: import_sources(settings, None))
    err.print("polling the followed Arabic news feeds once (Ctrl-C to skip)…")
    # A first look, not a crawl: a few items per source, many sources at once (each host is still polite).
    fetch_log = logging.getLogger("naba.sources")
    level = fetch_log.level
    fetch_log.setLevel(logging.ERROR)  # one summary line below, not a warning per unreachable feed
    try:
        report = _run(
            lambda: run_watch(
                settings,
                once=True,
                concurrency=DEMO_CONCURRENCY,
                as_json=False,
                max_items=DEMO_ITEMS_PER_SOURCE,
                quiet=True,
            )
        )
    finally:
        fetch_log.setLevel(level)
    if report.polls and not report.ok:
        err.print(
            f"No source was reachable ({report.polls} tried; offline?): pass a local one, e.g. make demo "
            "SOURCE=../shared/data/saudinewsnet/dataset — serving what the database holds.",
            soft_wrap=True,
        )
        return
    err.print(
        f"{report.ok} of {report.polls} sources answered: {report.stored} articles stored "
        "(`naba sources` shows each source's health; `naba watch` keeps polling)."
    )
    if report.stored or report.updated:
        ctx.invoke(understand, as_json=as_json)


register_fetch_commands(main)

if __name__ == "__main__":  # pragma: no cover
    main()
