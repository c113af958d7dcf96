"""Per-page scoring for the extractor tests, by the rules of ``../shared/docs/EVAL.md`` (section Extraction).

A small subset of ``eval/extraction.py``: body token P/R/F1 and boilerplate kept out, per page, so tests can
pin floors page by page.
"""

from __future__ import annotations

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
