"""Entities on a small hand-written JSONL: aliases of one organization resolve to one entity end to end.

Three Arabic articles written for this test name Hamas as "حركة المقاومة الإسلامية", "حماس" and
"حركة حماس", and the United States in two spellings; after ``naba ingest`` and ``naba understand`` each
article has one row per entity, the entity lists the forms it was seen in, and the CLI and the entity page
find it by any of them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.integration.web.test_reader import make_article

from naba.article_json import article_to_json
from naba.cli import main
from naba.config import Settings, load_settings
from naba.engine.naba import Naba
from naba.web.app import create_app
from naba.web.story_pages import entity_href

UTC = dt.UTC
TEXTS = [
    (
        "وفد من حركة المقاومة الإسلامية يزور القاهرة",
        "وصل وفد من حركة المقاومة الإسلامية (حماس) إلى القاهرة لبحث التهدئة في قطاع غزة. "
        "وقال متحدث باسم حماس إن الوفد سيلتقي مسؤولين مصريين.",
    ),
    (
        "حماس تبحث التهدئة مع مصر",
        "قالت حركة حماس إن محادثاتها في القاهرة تناولت معبر رفح. "
        "وأضافت حماس أن الولايات المتحدة الأمريكية لم تشارك في المحادثات.",
    ),
    (
        "واشنطن تتابع محادثات القاهرة",
        "قالت الولايات المتحدة إنها تتابع محادثات حماس في القاهرة، "
        "وإن الولايات المتحدة الأميركية تدعم التهدئة في غزة.",
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("entities")
    source = folder / "articles.jsonl"
    lines = []
    for i, (title, body) in enumerate(TEXTS):
        article = make_article(
            f"https://example.org/news/{i}",
            title,
            publisher=f"outlet{i}",
            published=dt.datetime(2015, 8, 2, 8 + i, tzinfo=UTC),  # type: ignore[arg-type]
            paragraphs=tuple(body.split(". ")),
            url=f"https://example.org/news/{i}",
        )
        lines.append(json.dumps(article_to_json(article), ensure_ascii=False))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load_settings({"db": str(folder / "naba.db"), "ingest_workers": 1}, environ={})
    with Naba.open(settings) as naba:
        assert naba.ingest([source]).stored == len(TEXTS)
        assert naba.understand().new == len(TEXTS)
    return settings


def cli(settings: Settings, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(main, ["--db", str(settings.db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_aliases_resolve_to_one_entity_row_per_article(built: Settings) -> None:
    con = sqlite3.connect(built.db)
    try:
        rows = con.execute(
            "SELECT article, count(*) FROM article_entities WHERE canonical = 'حماس' GROUP BY article"
        ).fetchall()
        names = {r[0] for r in con.execute("SELECT name FROM entity_names WHERE canonical = 'حماس'")}
    finally:
        con.close()
    assert len(rows) == len(TEXTS) and all(n == 1 for _, n in rows)
    assert {"حركة المقاومة الإسلامية", "حماس"} <= names


def test_cli_finds_the_entity_by_an_alias(built: Settings) -> None:
    detail = cli(built, "entities", "حركة المقاومة الإسلامية", "--json")
    assert detail["canonical"] == "حماس" and detail["kind"] == "ORG"
    assert len(detail["articles"]) == len(TEXTS)  # type: ignore[arg-type]
    usa = cli(built, "entities", "الولايات المتحدة الأميركية", "--json")
    assert usa["canonical"] == "الولايات المتحدة"
    listed = cli(built, "entities", "--json")
    top = listed["entities"][0]  # type: ignore[index]
    assert top["canonical"] == "حماس" and top["outlets"] == len(TEXTS)


def test_entity_page_lists_aliases_and_articles_newest_first(built: Settings) -> None:
    with Naba.open(built, sync_index=False) as naba:
        html = TestClient(create_app(naba)).get(entity_href("حماس")).text
    assert '<html lang="ar" dir="rtl">' in html and "منظمة" in html
    assert "حركة المقاومة الإسلامية" in html
    order = [html.index(title) for title, _ in reversed(TEXTS) if "حماس" in title or "المقاومة" in title]
    assert order == sorted(order)
