"""naba on PostgreSQL as a user runs it: ``--db postgresql://…`` (and ``NABA_DB``) for every command, the
schema by ``naba migrate`` (never on a read), and ingest, search, understand and the CLI's reads on real
SaudiNewsNet articles, on the session's throwaway server (tests/pg_server.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from naba.cli import main


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.output if result.exit_code == 0 else " ".join(result.output.split())


def run(*args: str, env: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    code, output = invoke(*args, env=env)
    assert code == 0, output
    return json.loads(output)  # type: ignore[no-any-return]


def test_a_database_url_never_becomes_a_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = invoke("--db", "mysql://root@127.0.0.1/naba", "stats")
    assert code == 1 and "unsupported database URL scheme mysql://" in output
    # Nothing listens on port 1: the error names the server (without the password), and creates nothing.
    code, output = invoke("--db", "postgresql://naba:secret@127.0.0.1:1/naba", "ingest", str(tmp_path))
    assert code == 1 and "127.0.0.1:1" in output and "secret" not in output
    code, _ = invoke("stats", env={"NABA_DB": "postgresql://naba@127.0.0.1:1/naba"})
    assert code == 1
    assert list(tmp_path.iterdir()) == []


def test_reads_never_migrate_and_migrate_applies_every_migration(pg_url: str) -> None:
    code, output = invoke("--db", pg_url, "stats", "--json")
    assert code == 1 and "naba migrate" in output
    first = run("--db", pg_url, "migrate", "--json")
    assert first["before"] == 0 and first["applied"] == sorted(first["applied"]) and first["after"] >= 6
    again = run("--db", pg_url, "migrate", "--json")
    assert again["applied"] == [] and again["after"] == first["after"]
    stats = run("--db", pg_url, "stats", "--json")
    assert stats["articles"] == 0 and stats["schema_version"] == first["after"]
    assert "@127.0.0.1" in stats["db"]


@pytest.mark.slow
def test_ingest_search_understand_and_reads_on_real_articles(pg_url: str, one_day_zip: Path) -> None:
    env = {"NABA_DB": pg_url}
    report = run("ingest", str(one_day_zip), "--json", env=env)
    assert report["stored"] > 1200
    again = run("ingest", str(one_day_zip), "--json", env=env)
    assert again["stored"] == 0 and again["unchanged"] == report["stored"]

    found = run("search", "الأميركية", "--json", "--limit", "5", env=env)
    assert found["total"] > 0 and len(found["hits"]) == 5
    assert any(marked for hit in found["hits"] for _, marked in hit["snippet"] + hit["title_highlights"])
    scores = [hit["score"] for hit in found["hits"]]
    assert scores == sorted(scores, reverse=True)
    title = found["hits"][0]["article"]["title"]
    words = title.split()[:3]
    phrase = run("search", f'"{" ".join(words)}"', "--json", env=env)
    assert phrase["total"] >= 1 and title in {h["article"]["title"] for h in phrase["hits"]}
    publisher = found["hits"][0]["article"]["publisher"]
    filtered = run("search", "الأميركية", "--source", publisher, "--json", "--limit", "50", env=env)
    assert filtered["hits"] and {h["article"]["publisher"] for h in filtered["hits"]} == {publisher}
    # Spelling as typed (ه for ة, no hamza seat) reads as the spelling PostgreSQL's frequencies know best.
    for typed, correct in (("وزاره الصحه", "وزارة الصحة"), ("هييه", "هيئة")):
        right = run("search", correct, "--json", "--limit", "10", env=env)
        wrong = run("search", typed, "--json", "--limit", "10", env=env)
        assert right["total"] > 0 and wrong["total"] == right["total"]
        assert [h["article"]["id"] for h in wrong["hits"]] == [h["article"]["id"] for h in right["hits"]]

    understood = run("understand", "--json", env=env)
    assert understood["new"] == report["stored"] + report.get("embedded", 0) or understood["new"] > 1200
    stats = run("stats", "--json", env=env)
    assert stats["understand_lag"] == 0 and stats["index_lag"] == 0
    assert stats["index_docs"] == stats["articles"]
    stories = run("stories", "--all-days", "--json", env=env)["stories"]
    assert stories
    story = run("story", stories[0]["id"], "--json", env=env)
    assert story["headline"] == stories[0]["headline"]
    entities = run("entities", "--json", env=env)
    assert entities
    assert run("reindex", "--json", env=env)["indexed"] == stats["articles"]
