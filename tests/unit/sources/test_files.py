"""Bad input: each gets a clear message naming the file (and line), the run goes on, nothing stored is lost."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from naba.config import Settings
from naba.engine.naba import Naba
from naba.sources.files import read_inputs

GOOD = {
    "source": "sabq",
    "url": "https://sabq.org/a1",
    "date_extracted": "2015-08-02 10:00:00",
    "title": "أمير الرياض يستقبل وفد الغرفة التجارية",
    "author": "",
    "content": "استقبل أمير منطقة الرياض وفد الغرفة التجارية.\nوناقش الاجتماع سبل دعم القطاع الخاص.",
}


def article_json(n: int, body: str = "نص الخبر الأول.") -> dict[str, object]:
    return {
        "url": f"https://example.sa/{n}",
        "title": f"عنوان {n}",
        "body_paragraphs": [body],
        "publisher": "ex",
    }


def failures_of(path: Path) -> list[tuple[str, str]]:
    return [
        (item.failure.location, item.failure.message)
        for item in read_inputs([path], max_input_bytes=10_000_000)
        if item.failure is not None
    ]


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_bytes(b"")
    [(location, message)] = failures_of(tmp_path / "empty.json")
    assert location.endswith("empty.json") and "empty" in message


def test_binary_file_as_text_page(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 10)
    [(location, message)] = failures_of(tmp_path / "blob.txt")
    assert location.endswith("blob.txt") and "binary" in message


def test_unsupported_suffix(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    [(_, message)] = failures_of(tmp_path / "photo.jpg")
    assert "unsupported" in message


def test_invalid_json_lines_are_reported_by_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(article_json(1), ensure_ascii=False),
        "{not json",
        "[1, 2]",
        json.dumps(article_json(2)),
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = list(read_inputs([tmp_path / "a.jsonl"], max_input_bytes=10_000_000))
    failed = [i.failure.location for i in items if i.failure]
    assert failed == [f"{tmp_path / 'a.jsonl'}:2", f"{tmp_path / 'a.jsonl'}:3"]
    assert sum(len(i.articles) for i in items) == 2


def test_truncated_zip(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("day.json", json.dumps([GOOD] * 50, ensure_ascii=False))
    (tmp_path / "cut.zip").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    [(location, message)] = failures_of(tmp_path / "cut.zip")
    assert location.endswith("cut.zip") and "zip" in message


def test_too_large_text_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # 50 MB of Arabic text
        chunk = ("سطر من نص عربي طويل جدا " * 40 + "\n").encode()
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    [(_, message)] = failures_of(big)
    assert "over the" in message and "limit" in message


def test_windows_1256_html_without_declared_charset(tmp_path: Path) -> None:
    body = "".join(
        f"<p>{s}</p>"
        for s in [
            "أعلنت الهيئة العامة للإحصاء اليوم عن ارتفاع معدل التضخم في المملكة خلال الشهر الماضي.",
            "وأوضحت الهيئة في تقريرها أن أسعار المواد الغذائية سجلت أعلى زيادة بين مكونات السلة.",
            "وتوقع محللون أن يستمر الارتفاع خلال الأشهر المقبلة مع تغير أسعار الطاقة عالميا.",
        ]
    )
    html = f"<html><head><title>ارتفاع التضخم</title></head><body><article><h1>ارتفاع التضخم</h1>{body}</article></body></html>"
    (tmp_path / "old.html").write_bytes(html.encode("windows-1256"))
    [item] = list(read_inputs([tmp_path / "old.html"], max_input_bytes=10_000_000))
    assert item.failure is None
    assert "التضخم" in item.articles[0].body_text
    assert item.articles[0].evidence["encoding"] == "windows-1256"


def test_saudinewsnet_record_without_title_or_body(tmp_path: Path) -> None:
    no_title = dict(GOOD, url="https://sabq.org/a2", title="")
    nothing = dict(GOOD, url="https://sabq.org/a3", title="", content="  ")
    (tmp_path / "day.json").write_text(
        json.dumps([GOOD, no_title, nothing], ensure_ascii=False), encoding="utf-8"
    )
    items = list(read_inputs([tmp_path / "day.json"], max_input_bytes=10_000_000))
    assert [len(i.articles) for i in items] == [1, 1, 0]
    assert items[2].failure is not None and items[2].failure.location.endswith("day.json[2]")
    assert "neither a title nor body" in items[2].failure.message
    assert items[0].articles[0].published is not None
    assert items[0].articles[0].published.isoformat() == "2015-08-02T10:00:00+03:00"


def test_missing_path(tmp_path: Path) -> None:
    [(_, message)] = failures_of(tmp_path / "nowhere")
    assert "no such file" in message


def test_duplicate_urls_in_one_file_first_wins_and_reingest_is_idempotent(
    tmp_path: Path, settings: Settings
) -> None:
    lines = [article_json(1, "النسخة الأولى."), article_json(1, "النسخة الثانية.")]
    path = tmp_path / "dups.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    with Naba.open(settings) as naba:
        first = naba.ingest([path])
        second = naba.ingest([path])
        stored = naba.store.get(naba.store.latest(limit=1)[0].article.id)
    assert (first.stored, first.skipped) == (1, 1)
    assert (second.stored, second.updated, second.unchanged, second.skipped) == (0, 0, 1, 1)
    assert stored is not None and stored.article.body_paragraphs == ("النسخة الأولى.",)


def test_bad_inputs_do_not_stop_the_run_or_lose_stored_articles(tmp_path: Path, settings: Settings) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(article_json(1), ensure_ascii=False), encoding="utf-8")
    with Naba.open(settings) as naba:
        naba.ingest([good])
        (tmp_path / "bad").mkdir()
        (tmp_path / "bad" / "a.jsonl").write_text("{oops", encoding="utf-8")
        (tmp_path / "bad" / "b.json").write_bytes(b"")
        (tmp_path / "bad" / "c.jsonl").write_text(
            json.dumps(article_json(2), ensure_ascii=False), encoding="utf-8"
        )
        report = naba.ingest([tmp_path / "bad"])
        assert (report.failed, report.stored) == (2, 1)
        assert naba.store.count() == 2
        assert {f.location for f in naba.store.failures()} == {
            f"{tmp_path / 'bad' / 'a.jsonl'}:1",
            str(tmp_path / "bad" / "b.json"),
        }


def test_raise_policy_stops_at_first_bad_input(tmp_path: Path, settings: Settings) -> None:
    import dataclasses

    from naba.errors import InputError

    (tmp_path / "a.jsonl").write_text("{oops", encoding="utf-8")
    strict = dataclasses.replace(settings, error_policy="raise")
    with Naba.open(strict) as naba, pytest.raises(InputError, match="invalid JSON"):
        naba.ingest([tmp_path / "a.jsonl"])


def test_decode_mostly_utf8_and_real_windows_1256() -> None:
    from naba.extract.decode import decode_bytes

    arabic = "أعلنت الحكومة اليوم عن خطة جديدة لدعم المشروعات الصغيرة في المحافظات كافة. " * 3
    broken = arabic.encode() + b"\xff\xfe" + arabic.encode()
    decoded = decode_bytes(broken)
    assert decoded.encoding == "utf-8" and "أعلنت الحكومة" in decoded.text
    legacy = decode_bytes(arabic.encode("windows-1256"))
    assert legacy.encoding == "windows-1256" and legacy.text == arabic


def test_double_encoded_arabic_is_repaired() -> None:
    from naba.extract.decode import decode_bytes

    page = "<p>أعلنت الحكومة اليوم عن خطة جديدة لدعم المشروعات الصغيرة في المحافظات</p>"
    for wrong in ("windows-1256", "latin-1"):
        mojibake = page.encode("utf-8").decode(wrong).encode("utf-8")
        decoded = decode_bytes(mojibake)
        assert decoded.text == page
        assert decoded.evidence.endswith(f"mojibake-repaired-from-{wrong}")
    assert decode_bytes(page.encode()).evidence == "detected"
