"""The front page over every day of an understood database: source diversity, clean headlines, real leads.

    .venv/bin/python eval/front_page.py --db naba.db [--timezone Asia/Riyadh] [--top 10]

For each calendar day (in the reader's zone) that holds articles, builds the front page
(:func:`naba.engine.front.front_page`, exactly what ``/`` shows) and counts, over its top ``--top`` cards:

* ``max_leads_per_outlet``: the most cards one outlet leads on one day (target: at most 2 of 10);
* ``agency_prefixed_titles``: headlines still opening with a desk label and a slash («عام /»), read with a
  pattern written here independently of the extraction rules (any of the agency's desk words, or any one or
  two words before " / " at the start);
* ``dateline_leads``: leads that are a dateline line — a short text holding a Hijri or Gregorian date with
  «الموافق», or ending with an agency credit right after a year (again a pattern of this script's own);
* ``cards``, ``days``, and per day the number of stories shown.

Ends with one line of JSON holding the figures (CONVENTIONS.md 12). There is no dev/blind split here: the
figures are counts of violations of hard rules over the whole corpus, not fitted quality.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import zoneinfo
from collections import Counter
from pathlib import Path

from naba.config import load_settings
from naba.engine.front import front_page
from naba.engine.naba import Naba
from naba.extract.headlines import lead_paragraph

_PREFIX = re.compile(r"^\s*\S+(\s\S+)?\s*/\s")
_DESK = re.compile(r"^\s*(عام|اقتصادي|إقتصادي|سياسي|ثقافي|رياضي|اجتماعي|تقرير)\s*/")
_DATELINE = re.compile(
    r"(\d{1,4}\s*(هـ|ه)\s*(الموافق)?)|(الموافق\s*\d)|(\d{4}\s*م?\s*(واس|\(واس\)|رويترز|أ ف ب)\s*$)"
)
DATELINE_MAX_CHARS = 130


def is_prefixed(title: str) -> bool:
    return bool(_DESK.match(title)) or (bool(_PREFIX.match(title)) and len(title.split(" / ", 1)[0]) <= 12)


def is_dateline(lead: str | None) -> bool:
    return lead is not None and len(lead) <= DATELINE_MAX_CHARS and bool(_DATELINE.search(lead))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, type=Path, help="an understood naba database")
    parser.add_argument("--timezone", default="Asia/Riyadh")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    tz = zoneinfo.ZoneInfo(args.timezone)
    settings = load_settings({"db": str(args.db)}, environ={})
    worst: Counter[str] = Counter()
    prefixed: list[str] = []
    datelines: list[str] = []
    cards = days = 0
    with Naba.open(settings) as naba:
        span = naba.store.published_span()
        if span is None:
            print("no articles", file=sys.stderr)
            return 1
        day = dt.datetime.fromtimestamp(span[0], tz).date()
        last = dt.datetime.fromtimestamp(span[1], tz).date()
        while day <= last:
            page = front_page(naba.store, day, tz)
            top = page.stories[: args.top]
            if top:
                days += 1
            leads = Counter(s.lead_outlet for s in top if s.lead_outlet)
            worst[day.isoformat()] = max(leads.values(), default=0)
            for story in top:
                cards += 1
                if is_prefixed(story.headline.title):
                    prefixed.append(story.headline.title)
                lead = lead_paragraph(story.headline.paragraphs)
                if is_dateline(lead):
                    datelines.append(lead or "")
            day += dt.timedelta(days=1)
    for title in prefixed[:10]:
        print("prefixed:", title, file=sys.stderr)
    for lead in datelines[:10]:
        print("dateline lead:", lead, file=sys.stderr)
    figures = {
        "days": days,
        "cards": cards,
        "top": args.top,
        "max_leads_per_outlet": max(worst.values(), default=0),
        "days_over_2_leads": sum(1 for v in worst.values() if v > 2),
        "agency_prefixed_titles": len(prefixed),
        "dateline_leads": len(datelines),
    }
    print(json.dumps(figures, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
