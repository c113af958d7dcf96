"""Score naba's dateline parser (and, with ``--peers``, dateparser and htmldate) on a dateline TSV.

Scoring follows ``../shared/docs/EVAL.md``, section "Datelines". Each row gives ``input``, ``reference_time``
("now"), ``expected_date`` (``none``: no date may come back), and optionally ``expected_time`` (HH:MM) and
``expected_utc_offset`` (+HH:MM). ``date_acc``: the calendar date as read equals the expected one (or nothing
comes back where none is expected); ``time_acc`` and ``offset_acc`` count only over the rows that give them.

Usage: ``python eval/dates.py [--gold FILE.tsv ...] [--peers] [--per-case]`` (default:
``../shared/eval/dates/dates-dev.tsv``). The last line printed is JSON:
``{"cases", "date_acc", "time_acc", "offset_acc"}`` (+ ``"peers"`` with the same keys).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from naba.extract.dates import parse_dateline

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO / ".." / "shared" / "eval" / "dates" / "dates-dev.tsv"


@dataclass(frozen=True)
class Case:
    text: str
    reference: dt.datetime
    date: str | None
    time: str | None
    offset: str | None
    note: str


@dataclass(frozen=True)
class Reading:
    """What a system read: ISO date, "HH:MM" and "+HH:MM" (each None when not read)."""

    date: str | None
    time: str | None
    offset: str | None


Reader = Callable[[Case], Reading]


def load_cases(path: Path) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Case(
            text=row["input"],
            reference=dt.datetime.fromisoformat(row["reference_time"]),
            date=None if row["expected_date"].strip() in ("", "none") else row["expected_date"].strip(),
            time=(row.get("expected_time") or "").strip() or None,
            offset=(row.get("expected_utc_offset") or "").strip() or None,
            note=row.get("note") or "",
        )
        for row in rows
    ]


def format_offset(offset: dt.timedelta | None) -> str | None:
    if offset is None:
        return None
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def read_naba(case: Case) -> Reading:
    parsed = parse_dateline(case.text, reference_time=case.reference)
    if parsed is None:
        return Reading(None, None, None)
    clock = parsed.time.strftime("%H:%M") if parsed.time else None
    return Reading(parsed.date.isoformat(), clock, format_offset(parsed.utc_offset))


def _reading_of(value: dt.datetime | None, has_time: bool = True) -> Reading:
    if value is None:
        return Reading(None, None, None)
    return Reading(
        value.date().isoformat(),
        value.strftime("%H:%M") if has_time else None,
        format_offset(value.utcoffset()),
    )


def read_dateparser(case: Case) -> Reading:
    """dateparser's ``search_dates`` (a dateline carries labels and weekdays ``parse`` rejects); first hit."""
    from dateparser.search import search_dates

    settings: Any = {"RELATIVE_BASE": case.reference.replace(tzinfo=None)}
    found = search_dates(case.text, languages=["ar", "en"], settings=settings)
    if not found:
        return Reading(None, None, None)
    value = found[0][1]
    # dateparser gives midnight when no clock was read; it cannot tell "00:00" from "no time".
    return _reading_of(value, (value.hour, value.minute) != (0, 0))


def read_htmldate(case: Case) -> Reading:
    from htmldate import find_date

    html = f"<html><body><p>{case.text}</p></body></html>"
    found = find_date(
        html,
        extensive_search=True,
        original_date=True,
        outputformat="%Y-%m-%d",
        max_date=case.reference.date().isoformat(),
    )
    return Reading(found, None, None)


PEERS: dict[str, Reader] = {"dateparser": read_dateparser, "htmldate": read_htmldate}


def score(cases: list[Case], reader: Reader, per_case: bool = False, name: str = "") -> dict[str, Any]:
    date_right = time_right = offset_right = times = offsets = 0
    for case in cases:
        try:
            got = reader(case)
        except Exception as exc:  # a peer crashing on a case reads nothing
            print(f"  {name}: {type(exc).__name__} on {case.text!r}: {exc}", file=sys.stderr)
            got = Reading(None, None, None)
        ok_date = got.date == case.date
        date_right += ok_date
        ok_time = ok_offset = True
        if case.time is not None:
            times += 1
            ok_time = got.time == case.time
            time_right += ok_time
        if case.offset is not None:
            offsets += 1
            ok_offset = got.offset == case.offset
            offset_right += ok_offset
        if per_case and not (ok_date and ok_time and ok_offset):
            want = (case.date, case.time, case.offset)
            print(
                f"  {name or 'naba'} ✗ {case.text!r}: expected {want}, got {(got.date, got.time, got.offset)}"
            )
    return {
        "cases": len(cases),
        "date_acc": round(date_right / len(cases), 4) if cases else None,
        "time_acc": round(time_right / times, 4) if times else None,
        "offset_acc": round(offset_right / offsets, 4) if offsets else None,
    }


def _table(rows: dict[str, dict[str, Any]]) -> str:
    keys = ["cases", "date_acc", "time_acc", "offset_acc"]
    lines = [f"{'system':<12}" + "".join(f"{k:>12}" for k in keys)]
    for name, figures in rows.items():
        cells = (figures[k] for k in keys)
        lines.append(f"{name:<12}" + "".join(f"{'—' if v is None else v:>12}" for v in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, action="append", help="dateline TSV (repeatable)")
    parser.add_argument("--peers", action="store_true", help="also score dateparser and htmldate")
    parser.add_argument("--per-case", action="store_true", help="print every case a system gets wrong")
    args = parser.parse_args(argv)
    cases = [case for path in (args.gold or [DEFAULT_GOLD]) for case in load_cases(path)]
    result = score(cases, read_naba, args.per_case, "naba")
    rows = {"naba": result}
    if args.peers:
        warnings.simplefilter("ignore")
        result["peers"] = {name: score(cases, reader, args.per_case, name) for name, reader in PEERS.items()}
        rows |= result["peers"]
    print(_table(rows))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
