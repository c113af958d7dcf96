"""The CLI as a user runs it: parse, ingest, search, failures, reindex, all with --json."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import SHARED, need_shared

from naba.cli import main


def run(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_parse_seed_page_json() -> None:
    seed = need_shared(SHARED / "seed" / "seed-page.txt")
    expected = json.loads((SHARED / "seed" / "seed-page.expected.json").read_text(encoding="utf-8"))
    data = run("parse", str(seed), "--json")
    assert [a["title"] for a in data["articles"]] == [a["title"] for a in expected["articles"]]
    assert data["related_headlines"] == expected["related_headlines"]
    main_article, embedded = data["articles"]
    assert main_article["embedded_in"] is None and embedded["embedded_in"] == main_article["id"]
    assert main_article["published"] == "2023-11-30"
    assert main_article["original_source"] == "الجزيرة"
    assert main_article["tags"] == ["إطلاق سراح"]
    assert len(main_article["provenance"]["raw_sha256"]) == 64


def test_ingest_search_failures_reindex(tmp_path: Path, one_day_zip: Path) -> None:
    db = str(tmp_path / "cli.db")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n", encoding="utf-8")
    report = run("--db", db, "ingest", str(one_day_zip), str(bad), "--json")
    assert report["stored"] > 1200 and report["failed"] >= 1
    assert any(f["location"] == f"{bad}:1" for f in report["failures"])
    again = run("--db", db, "ingest", str(one_day_zip), "--json")
    assert again["stored"] == 0 and again["unchanged"] == report["stored"]

    found = run("--db", db, "search", "الأميركية", "--json", "--limit", "5")
    assert found["total"] > 0 and len(found["hits"]) == 5
    assert any(
        span["highlighted"] for hit in found["hits"] for span in hit["snippet"] + hit["title_highlights"]
    )
    assert [f["count"] for f in found["facets_outlets"]] and sum(
        f["count"] for f in found["facets_days"]
    ) <= found["total"]
    by_date = run("--db", db, "search", "الأميركية", "--json", "--limit", "5", "--sort", "date")
    dates = [hit["article"]["published"] for hit in by_date["hits"]]
    assert by_date["total"] == found["total"] and dates == sorted(dates, reverse=True)

    listed = run("--db", db, "failures", "--json")
    assert any(f["location"] == f"{bad}:1" for f in listed)
    assert run("--db", db, "reindex", "--json")["indexed"] == report["stored"]


def test_extract_html_json(tmp_path: Path) -> None:
    paragraphs = "".join(
        f"<p>{text}</p>"
        for text in (
            "قال وزير المالية إن الحكومة ستطرح سندات جديدة خلال الربع المقبل لتمويل مشروعات البنية التحتية.",
            "وأضاف الوزير في مؤتمر صحفي أن الطلب على الإصدارات السابقة تجاوز المعروض بثلاثة أضعاف.",
            "وتوقع اقتصاديون أن تسهم الخطوة في تنويع مصادر التمويل وتقليل الاعتماد على الاحتياطيات.",
        )
    )
    page = tmp_path / "p.html"
    page.write_text(
        f'<html lang="ar"><head><meta charset="utf-8"><title>سندات جديدة</title></head>'
        f"<body><article><h1>سندات جديدة</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    data = run("extract", str(page), "--url", "https://ex.sa/bonds", "--json")
    assert data["url"] == "https://ex.sa/bonds" and data["language"] == "ar"
    assert any("سندات" in p for p in data["body_paragraphs"])


def test_log_json_gives_one_object_per_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n", encoding="utf-8")
    args = [
        "--log-json",
        "--error-policy",
        "skip",
        "--db",
        str(tmp_path / "l.db"),
        "ingest",
        str(bad),
        "--json",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(r["level"] == "warning" and "bad.jsonl:1" in r["message"] for r in records)


def test_a_read_command_on_a_missing_database_says_so_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    for command in (["search", "الأمريكية"], ["stories"], ["entities"], ["stats", "--json"], ["failures"]):
        result = CliRunner().invoke(main, ["--db", str(db), *command], catch_exceptions=False)
        assert result.exit_code == 1, command
        assert f"no naba database at {db}" in " ".join(result.output.split()), command
        assert list(tmp_path.iterdir()) == [], command
