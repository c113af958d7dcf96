"""Per-page scoring for the extractor tests, by the rules of ``../shared/docs/EVAL.md`` (section Extraction).

A small subset of ``eval/extraction.py``: body token P/R/F1 and boilerplate kept out, per page, so tests can
pin floors page by page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from naba.types import Article

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text))


def folded(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class PageScore:
    tp: int
    fp: int
    fn: int
    boiler_total: int
    boiler_ok: int

    @property
    def f1(self) -> float:
        if not self.tp:
            return 0.0 if (self.fp or self.fn) else 1.0
        p, r = self.tp / (self.tp + self.fp), self.tp / (self.tp + self.fn)
        return 2 * p * r / (p + r)


def score(article: Article, gold: dict[str, Any]) -> PageScore:
    text = "\n".join(article.paragraphs)
    got = tokens(text)
    body = gold.get("body_paragraphs")
    if body is None:
        tp = fp = fn = 0
    else:
        want = tokens("\n".join(([gold["lead"]] if gold.get("lead") else []) + list(body)))
        tp = sum((got & want).values())
        fp, fn = sum(got.values()) - tp, sum(want.values()) - tp
    flat = folded(text)
    absent = list(gold.get("must_not_contain") or []) + list(gold.get("boilerplate_samples") or [])
    present = list(gold.get("must_contain") or [])
    ok = sum(folded(s) not in flat for s in absent) + sum(folded(s) in flat for s in present)
    return PageScore(tp, fp, fn, len(absent) + len(present), ok)


def same_published(got: dt.date | None, gold: str | None) -> bool:
    """``published`` right by EVAL.md: a gold timestamp is matched to the minute as an instant (an answer without
    a time or offset is wrong); a gold date by the answer's calendar date."""
    if not gold:
        return got is None
    if got is None:
        return False
    if len(gold) == 10:
        return (got.date() if isinstance(got, dt.datetime) else got) == dt.date.fromisoformat(gold)
    want = dt.datetime.fromisoformat(gold)
    if not isinstance(got, dt.datetime) or got.tzinfo is None:
        return False
    minute = dt.timedelta(minutes=1)
    return abs(got.astimezone(dt.UTC) - want.astimezone(dt.UTC)) < minute
