"""The understand stage on real data: two SaudiNewsNet days, then a third incrementally; CLI and reader.

One database is built for the module (ingest 2015-08-02/03, understand) and the tests read it in order;
the incremental test adds 2015-08-04 last.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.conftest import CORPUS, SHARED, need_shared

from naba.cli import main
from naba.config import Settings, load_settings
from naba.identity import url_identity
from naba.pipeline import Naba
from naba.web.app import create_app
from naba.web.pages import article_href
from naba.web.story_pages import story_href

TABLES = ("understanding", "dup_groups", "dup_members", "stories", "story_redirects", "thread_links")


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(db)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, object]]:
    days = [need_shared(CORPUS / f"2015-08-0{d}.zip") for d in (2, 3)]
    db = tmp_path_factory.mktemp("understand") / "naba.db"
    settings = load_settings({"db": str(db)}, environ={})
    with Naba.open(settings) as naba:
        naba.ingest(days)
        report = naba.understand()
    return settings, report.as_dict()


def cli(settings: Settings, *args: str) -> object:
    result = CliRunner().invoke(main, ["--db", str(settings.db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_article_is_understood_and_wire_copies_share_a_group(
    built: tuple[Settings, dict[str, object]],
) -> None:
    settings, report = built
    assert report["new"] == 2657 and report["replayed"] == 0
    gold = [
        json.loads(line) for line in need_shared(SHARED / "eval" / "stories-dev.jsonl").open(encoding="utf-8")
    ]
    big, _ = Counter(r["dup"] for r in gold if r.get("dup")).most_common(1)[0]
    urls = [url_identity(r["url"]) for r in gold if r.get("dup") == big]
    with Naba.open(settings, sync_index=False) as naba:
        assert naba.store.understood_count() == naba.store.count()
        groups = Counter(u.dup_group for a in urls if (u := naba.store.understanding(a)) is not None)
        _, members = groups.most_common(1)[0]
        assert members >= 0.8 * len(urls), groups
        copies = naba.store.also_published_by(next(a for a in urls if naba.store.understanding(a)))
        assert sum(c.original for c in copies) <= 1 and len(copies) >= members - 1
        stories = {naba.store.story_of(a).id for a in urls if naba.store.story_of(a)}  # type: ignore[union-attr]
        assert len(stories) == 1  # copies of one wire text are one story


def test_rerun_changes_nothing(built: tuple[Settings, dict[str, object]]) -> None:
    settings, _ = built
    before = snapshot(Path(settings.db))
    again = cli(settings, "understand", "--json")
    assert isinstance(again, dict) and again["new"] == 0 and again["replayed"] == 0
    assert snapshot(Path(settings.db)) == before


def test_cli_json_shapes(built: tuple[Settings, dict[str, object]]) -> None:
    settings, _ = built
    listed = cli(settings, "stories", "--limit", "5", "--json")
    assert isinstance(listed, dict) and len(listed["stories"]) == 5
    top = listed["stories"][0]
    assert set(top) == {"id", "headline", "lead", "first_seen", "last_seen", "outlets", "top_terms", "size"}
    assert len(top["outlets"]) >= 5 and top["size"] >= 5
    story = cli(settings, "story", top["id"], "--json")
    assert isinstance(story, dict) and story["id"] == top["id"] and story["articles"]
    assert {"id", "title", "publisher", "url", "published", "also_from"} <= set(story["articles"][0])
    assert sum(1 + len(a["also_from"]) for a in story["articles"]) == story["size"]
    assert isinstance(story["thread"], list)
    related = cli(settings, "related", top["lead"], "--json")
    assert isinstance(related, dict) and related["article"] == top["lead"]
    assert related["related"] and {"id", "title", "score", "reason"} <= set(related["related"][0])
    assert related["related"][0]["reason"] in {"same story"} or related["related"][0]["reason"].startswith(
        "same"
    )


def test_reader_pages_on_a_real_store(built: tuple[Settings, dict[str, object]]) -> None:
    settings, _ = built
    with Naba.open(settings, sync_index=False) as naba:
        client = TestClient(create_app(naba))
        html = client.get("/stories").text
        assert 'href="/stories"' in html and "قصص اليوم" in html
        top = naba.store.stories(1)[0]
        assert story_href(top.id) in html
        page = client.get(story_href(top.id)).text
        assert "التسلسل الزمني" in page and "ونشره أيضًا" in page
        article = client.get(article_href(top.lead)).text
        assert "ضمن قصة" in article and "مقالات ذات صلة" in article
        assert client.get("/story/story%3Anope").status_code == 404


def test_a_third_day_continues_incrementally(built: tuple[Settings, dict[str, object]]) -> None:
    settings, _ = built
    third = need_shared(CORPUS / "2015-08-04.zip")
    before = snapshot(Path(settings.db))["understanding"]
    with Naba.open(settings) as naba:
        stored = naba.ingest([third]).stored
        report = naba.understand()
        assert report.new == stored and report.replayed > 0
        assert naba.store.understood_count() == naba.store.count()
    after = {row[0]: row for row in snapshot(Path(settings.db))["understanding"]}
    # Earlier articles keep their verdicts (columns 2-4) and the story they were assigned on arrival (6).
    assert all(after[row[0]][2:5] == row[2:5] and after[row[0]][6] == row[6] for row in before)
