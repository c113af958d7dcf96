"""``naba understand`` and its read commands: ``stories``, ``story``, ``related``, ``entities``."""

from __future__ import annotations

import click

from naba.cli.common import emit, fail, open_engine, progress, run
from naba.config import Settings
from naba.engine import views
from naba.engine.records import EntitiesView, EntityDetail, RelatedView, to_json
from naba.engine.understand import UnderstandReport
from naba.store.base import EntityKindName

_KIND_CHOICES: dict[str, EntityKindName] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def understand(settings: Settings, as_json: bool) -> None:
    """Find duplicates, stories and threads among the articles stored since the last run."""

    def understand_new() -> UnderstandReport:
        with (
            open_engine(settings, sync_index=False) as naba,
            progress("understand", not as_json) as bar,
        ):
            return naba.understand(progress=bar)

    data = run(understand_new).as_dict()
    if as_json:
        emit(data)
        return
    click.echo(" ".join(f"{key}={value}" for key, value in data.items()))


@click.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--all-days", is_flag=True, help="Rank every story, not only the latest day's.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stories(settings: Settings, limit: int, all_days: bool, as_json: bool) -> None:
    """The latest day's stories, ranked by outlets, size and recency."""
    with open_engine(settings, sync_index=False, read_only=True) as naba:
        data = views.top_stories(naba.store, limit, all_days=all_days)
    if as_json:
        emit(to_json(data))
        return
    for s in data.stories:
        click.echo(f"{s.size:>4} articles {len(s.outlets):>3} outlets  {s.headline}  [{s.id}]")


@click.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def story(settings: Settings, story_id: str, as_json: bool) -> None:
    """One story: headline, articles (copies folded into "also from"), outlets and thread."""
    with open_engine(settings, sync_index=False, read_only=True) as naba:
        data = views.story_view(naba.store, story_id)
    if data is None:
        fail(f"no story {story_id}")
    if as_json:
        emit(to_json(data))
        return
    click.echo(f"{data.headline}  ({data.size} articles, {len(data.outlets)} outlets)")
    if data.entities:
        click.echo("  entities: " + "، ".join(e.canonical for e in data.entities))
    if data.keywords:
        click.echo("  keywords: " + "، ".join(k.text for k in data.keywords))
    for a in data.articles:
        also = ", ".join(str(c.publisher) for c in a.also_from)
        click.echo(f"  {a.published}  {a.publisher}: {a.title}" + (f"  (also from {also})" if also else ""))
    for t in data.thread:
        click.echo(f"  thread: {t.headline}  [{t.id}]")


@click.command()
@click.argument("url_or_id")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def related(settings: Settings, url_or_id: str, limit: int, as_json: bool) -> None:
    """Articles related to one article (by id or URL), each with its reason."""

    def find() -> RelatedView | None:
        with open_engine(settings, sync_index=False, read_only=True) as naba:
            return views.related_view(naba.store, url_or_id, limit)

    found = run(find)
    if found is None:
        fail(f"no article {url_or_id}")
    if as_json:
        emit(to_json(found))
        return
    for item in found.related:
        click.echo(f"{item.score:>7.3f}  {item.title}  ({item.reason})")


@click.command()
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
    data: EntitiesView | EntityDetail | None
    with open_engine(settings, sync_index=False, read_only=True) as naba:
        if name is not None:
            data = views.entity_detail(naba.store, name)
        else:
            data = views.top_entities_view(
                naba.store, limit, _KIND_CHOICES.get(kind or ""), all_days=all_days
            )
    if data is None:
        fail(f"no entity {name or ''}")
    if as_json:
        emit(to_json(data))
        return
    if isinstance(data, EntitiesView):
        for e in data.entities:
            click.echo(
                f"{e.stories:>4} stories {e.outlets:>3} outlets {e.articles:>5} articles  {e.kind}  {e.canonical}"
            )
        return
    aliases = "، ".join(a.name for a in data.aliases)
    click.echo(f"{data.canonical} ({data.kind}, {data.articles_total} articles)  aliases: {aliases}")
    for s in data.stories:
        click.echo(f"  story {s.last_seen}  {s.headline}  [{s.id}]")
    for a in data.articles:
        click.echo(f"  {a.published}  {a.publisher}: {a.title}")
