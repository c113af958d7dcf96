"""``naba sections``: train the section classifier, label new articles, list a section or a country."""

from __future__ import annotations

import click

from naba.cli.common import emit, open_engine, progress, run
from naba.config import Settings
from naba.engine.records import SectionView, to_json
from naba.engine.section_views import section_view
from naba.engine.sections import SectionsReport
from naba.sections import SECTION_KEYS


@click.group()
def sections() -> None:
    """Sections (politics, economy, sports, …) and countries of the stored articles."""


def _report(data: SectionsReport, as_json: bool) -> None:
    if as_json:
        emit(data.as_dict())
        return
    click.echo(" ".join(f"{key}={value}" for key, value in data.as_dict().items()))


@sections.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def train(settings: Settings, as_json: bool) -> None:
    """Fit the classifier on the publishers' own section labels, keep it, and relabel every article."""

    def go() -> SectionsReport:
        with open_engine(settings, sync_index=False) as naba, progress("sections", not as_json) as bar:
            return naba.train_sections(progress=bar)

    _report(run(go), as_json)


@sections.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def update(settings: Settings, as_json: bool) -> None:
    """Label the articles stored since the last run (``naba understand`` does this too)."""

    def go() -> SectionsReport:
        with open_engine(settings, sync_index=False) as naba, progress("sections", not as_json) as bar:
            return naba.update_sections(progress=bar)

    _report(run(go), as_json)


@sections.command(name="list")
@click.option("--section", type=click.Choice(SECTION_KEYS), help="Only this section.")
@click.option("--country", help="Only articles about this country (ISO 3166-1 alpha-2, e.g. SA).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(settings: Settings, section: str | None, country: str | None, limit: int, as_json: bool) -> None:
    """The newest articles of a section and/or about a country, and how many articles each section has."""

    def go() -> SectionView:
        with open_engine(settings, sync_index=False, read_only=True) as naba:
            return section_view(naba.store, section=section, country=country, limit=limit)

    data = run(go)
    if as_json:
        emit(to_json(data))
        return
    click.echo("  ".join(f"{c.section.key}={c.count}" for c in data.sections))
    for a in data.articles:
        click.echo(f"{a.section:<13} {','.join(a.countries):<9} {a.title}  ({a.publisher}, {a.published})")
