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
from naba.engine.naba import Naba
from naba.identity import url_identity
from naba.web.app import create_app
from naba.web.pages import article_href
from naba.web.story_pages import entity_href, story_href

TABLES = (
    "understanding",
    "dup_groups",
    "dup_members",
    "stories",
    "story_redirects",
    "thread_links",
    "article_entities",
    "entity_names",
    "article_keywords",
)


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
    assert set(top) == {
        "id",
        "headline",
        "lead",
        "first_seen",
        "last_seen",
        "outlets",
        "top_terms",
        "size",
        "entities",
        "keywords",
        "lead_outlet",
    }
    assert top["lead_outlet"]  # the outlet of the headline shown
    assert top["entities"] and {"canonical", "kind", "articles", "outlets", "stories", "mentions"} == set(
        top["entities"][0]
    )
    assert top["keywords"] and {"text", "key", "articles", "score"} == set(top["keywords"][0])
    assert len(top["outlets"]) >= 5 and top["size"] >= 5
    story = cli(settings, "story", top["id"], "--json")
    assert isinstance(story, dict) and story["id"] == top["id"] and story["articles"]
    assert {"id", "title", "publisher", "url", "published", "also_from"} <= set(story["articles"][0])
    assert sum(1 + len(a["also_from"]) for a in story["articles"]) == story["size"]
    assert isinstance(story["thread"], list)
    assert story["entities"] == top["entities"] and story["keywords"] == top["keywords"]
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
        assert "قصص اليوم" in html  # the day's stories by the store's ranking; the home page is the front page
        top = naba.store.stories(1)[0]
        assert story_href(top.id) in html
        page = client.get(story_href(top.id)).text
        assert "التسلسل الزمني" in page and "ونشره أيضًا" in page
        article = client.get(article_href(top.lead)).text
        assert "ضمن قصة" in article and "مقالات ذات صلة" in article
        assert client.get("/story/story%3Anope").status_code == 404


def test_entities_and_keywords_are_persisted(built: tuple[Settings, dict[str, object]]) -> None:
    settings, _ = built
    with Naba.open(settings, sync_index=False) as naba:
        store = naba.store
        trip = next(
            s
            for s in store.stories(2000, since=None)
            if "خادم الحرمين" in s.headline and "المغرب" in s.headline
        )
        assert "المغرب" in [e.canonical for e in store.story_entities(trip.id, 5)]
        assert store.story_keywords(trip.id)
        mentions = store.article_entities(trip.lead)
        assert mentions and all(m.count >= 1 and m.first_offset >= 0 for m in mentions)
        assert store.article_keywords(trip.lead)
        # Aliases resolve to one canonical row per article and one entity: the surface forms are its aliases.
        usa = store.entity("الولايات المتحدة الأمريكية")
        assert usa is not None and usa.canonical == "الولايات المتحدة" and usa.kind == "LOC"
        assert {"أمريكا", "الولايات المتحدة الأمريكية"} <= {n for n, _ in usa.aliases}
        con = sqlite3.connect(settings.db)
        try:
            dupes = con.execute(
                "SELECT count(*) FROM (SELECT article, canonical FROM article_entities "
                "GROUP BY article, canonical HAVING count(*) > 1)"
            ).fetchone()[0]
            no_terms = con.execute(
                "SELECT count(*) FROM understanding u WHERE NOT EXISTS "
                "(SELECT 1 FROM article_keywords k WHERE k.article = u.article)"
            ).fetchone()[0]
        finally:
            con.close()
        assert dupes == 0 and no_terms < 0.05 * store.understood_count()
        articles = store.entity_articles("المغرب", 20)
        assert trip.lead in {a.article for a in store.entity_articles("المغرب", 1000)}
        times = [a.published_ts or 0.0 for a in articles]
        assert times == sorted(times, reverse=True)
        assert trip.id in {s.id for s in store.entity_stories("المغرب", 200)}


def test_entities_cli_json_shapes(built: tuple[Settings, dict[str, object]]) -> None:
    settings, _ = built
    listed = cli(settings, "entities", "--limit", "10", "--json")
    assert isinstance(listed, dict) and listed["since"] and len(listed["entities"]) == 10
    ranked = listed["entities"]
    assert set(ranked[0]) == {"canonical", "kind", "articles", "outlets", "stories", "mentions"}
    keys = [(-e["stories"], -e["outlets"]) for e in ranked]
    assert keys == sorted(keys)
    places = cli(settings, "entities", "--kind", "LOC", "--limit", "5", "--json")
    assert (
        isinstance(places, dict) and places["entities"] and {e["kind"] for e in places["entities"]} == {"LOC"}
    )
    detail = cli(settings, "entities", "المغرب", "--json")
    assert isinstance(detail, dict) and detail["canonical"] == "المغرب" and detail["kind"] == "LOC"
    assert {"canonical", "kind", "aliases", "articles_total", "articles", "stories"} == set(detail)
    assert detail["articles"] and {"id", "title", "publisher", "url", "published", "story"} == set(
        detail["articles"][0]
    )
    published = [a["published"] for a in detail["articles"] if a["published"]]
    assert published == sorted(published, reverse=True)
    assert detail["stories"] and "entities" in detail["stories"][0]
    missing = CliRunner().invoke(main, ["--db", str(settings.db), "entities", "لا-أحد-بهذا-الاسم", "--json"])
    assert missing.exit_code == 1


def test_entity_pages_on_a_real_store(built: tuple[Settings, dict[str, object]]) -> None:
    settings, _ = built
    with Naba.open(settings, sync_index=False) as naba:
        client = TestClient(create_app(naba))
        assert 'href="/entity/' in client.get("/stories").text
        top = naba.store.stories(1)[0]
        assert entity_href(top.entities[0].canonical) in client.get(story_href(top.id)).text
        mentions = naba.store.article_entities(top.lead)
        assert entity_href(mentions[0].canonical) in client.get(article_href(top.lead)).text
        page = client.get(entity_href("المغرب"))
        assert page.status_code == 200 and '<html lang="ar" dir="rtl">' in page.text
        assert "مكان" in page.text and "القصص" in page.text and "المقالات" in page.text
        assert client.get(entity_href("لا-أحد-بهذا-الاسم")).status_code == 404


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
    # Only the new articles got entity rows; replayed ones keep theirs.
    con = sqlite3.connect(settings.db)
    try:
        missing = con.execute(
            "SELECT count(*) FROM understanding u WHERE NOT EXISTS "
            "(SELECT 1 FROM article_keywords k WHERE k.article = u.article)"
        ).fetchone()[0]
    finally:
        con.close()
    assert missing < 0.05 * len(after)
