"""``naba parse`` and ``naba extract``: one page in, its article(s) out; nothing is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import click

from naba.article_json import article_to_json
from naba.cli.common import emit, run
from naba.config import Settings
from naba.engine.fetch import extract_url
from naba.extract.decode import decode_bytes
from naba.extract.generic import extract_html
from naba.extract.text_pages import parse_text_page


@click.command()
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def parse(page: Path, as_json: bool) -> None:
    """Parse a glued text page (an aggregator page saved as text) into its articles."""
    raw = page.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    result = run(lambda: parse_text_page(decode_bytes(raw).text, source=str(page), raw_sha256=digest))
    data = {
        "articles": [article_to_json(a) for a in result.articles],
        "related_headlines": list(result.related_headlines),
    }
    if as_json:
        emit(data)
        return
    for article in result.articles:
        role = "embedded" if article.embedded_in else "main"
        click.echo(f"[{role}] {article.title} ({article.published or 'no date'})")
        for paragraph in article.paragraphs:
            click.echo(f"  {paragraph}")
    for headline in result.related_headlines:
        click.echo(f"[related] {headline}")


@click.command()
@click.argument("page")
@click.option("--url", help="The saved page's address (for a file).")
@click.option("--fetched-at", help="When the page was fetched (ISO 8601), to resolve relative datelines.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def extract(settings: Settings, page: str, url: str | None, fetched_at: str | None, as_json: bool) -> None:
    """Extract one article from an HTML file or a URL (fetched politely; nothing is stored)."""
    if page.startswith(("http://", "https://")):
        article = run(lambda: extract_url(settings, page))
    else:
        path = Path(page)
        if not path.is_file():
            raise click.BadParameter(f"no such file: {page}", param_hint="PAGE")
        when = dt.datetime.fromisoformat(fetched_at) if fetched_at else None
        article = run(lambda: extract_html(path.read_bytes(), url=url, source=str(path), fetched_at=when))
    if as_json:
        emit(article_to_json(article))
        return
    click.echo(article.title)
    click.echo(f"{article.published or 'no date'} · {article.publisher or ''}")
    for paragraph in article.paragraphs:
        click.echo(f"  {paragraph}")
