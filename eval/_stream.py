"""Shared machinery of the stream evaluations (dedupe, stories, related): gold, window, stream, metrics.

EVAL.md "Duplicates, stories, related": the window is the set of days occurring in the gold file; every article
of those days is read from the corpus with naba's own reader and fed in ``date_extracted`` order (ties by
url); the end state is scored on labeled articles only. Not part of the product.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from naba.engine.analysis import analyze_texts, to_analyzed
from naba.sources.files import SAUDI_OFFSET, read_inputs
from naba.text.analyzer import DEFAULT_ANALYZER
from naba.types import AnalyzedArticle, Article

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
DEFAULT_GOLD = SHARED / "eval" / "stories-dev.jsonl"
DEFAULT_CORPUS = SHARED / "data" / "saudinewsnet" / "dataset"
MAX_INPUT_BYTES = 1 << 30
_ZIP_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True, slots=True)
class GoldRow:
    url: str
    source: str
    day: dt.date
    title: str
    story: str
    thread: str | None
    dup: str | None


def load_gold(path: Path) -> list[GoldRow]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        rows.append(
            GoldRow(
                r["url"],
                r["source"],
                dt.date.fromisoformat(r["date_extracted"][:10]),
                r["title"],
                r["story"],
                r.get("thread"),
                r.get("dup"),
            )
        )
    return rows


def _zips_for(corpus: Path, days: set[dt.date]) -> list[Path]:
    """Zips named by a day within one day of the window (crawl day vs date_extracted), else all of them."""
    if corpus.is_file():
        return [corpus]
    chosen = []
    for zp in sorted(corpus.glob("*.zip")):
        m = _ZIP_DAY.search(zp.name)
        if m is None:
            return sorted(corpus.glob("*.zip"))
        day = dt.date.fromisoformat(m.group(1))
        if any(abs((day - d).days) <= 1 for d in days):
            chosen.append(zp)
    return chosen


def _local_day(article: Article) -> dt.date | None:
    pub = article.published
    if isinstance(pub, dt.datetime):
        return pub.astimezone(SAUDI_OFFSET).date()
    return pub


def load_window(corpus: Path, days: set[dt.date]) -> list[Article]:
    """Every article of the window's days, in date_extracted order (ties by url), read by naba's reader."""
    articles: dict[str, Article] = {}
    for item in read_inputs(_zips_for(corpus, days), max_input_bytes=MAX_INPUT_BYTES):
        for a in item.articles:
            if _local_day(a) in days and a.id not in articles:
                articles[a.id] = a
    return sorted(articles.values(), key=_order_key)


def _order_key(a: Article) -> tuple[dt.datetime, str]:
    pub = a.published
    when = pub if isinstance(pub, dt.datetime) else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return when, a.url or a.id


def analyze(articles: Sequence[Article], analyzer: str = DEFAULT_ANALYZER) -> list[AnalyzedArticle]:
    texts = [(a.title, a.body_text) for a in articles]
    return [
        to_analyzed(a, analyzer, t) for a, t in zip(articles, analyze_texts(analyzer, texts), strict=True)
    ]


def load_stream(gold: Path, corpus: Path) -> tuple[list[GoldRow], list[AnalyzedArticle]]:
    rows = load_gold(gold)
    articles = load_window(corpus, {r.day for r in rows})
    return rows, analyze(articles)


# -- metrics --------------------------------------------------------------------------------------------
def pairs_of(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for g in groups:
        members = sorted(set(g))
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return out


def prf(predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> tuple[float, float, float]:
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def groups_of(labels: dict[str, str]) -> list[list[str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for url, label in labels.items():
        by[label].append(url)
    return list(by.values())


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed P/R/F1 over the urls of ``gold`` (predicted labels are restricted to them)."""
    pred_groups = {k: set(v) for k, v in _label_sets(predicted, gold).items()}
    gold_groups = {k: set(v) for k, v in _label_sets(gold, gold).items()}
    ps, rs = [], []
    for url in gold:
        p_set, g_set = pred_groups[predicted[url]], gold_groups[gold[url]]
        inter = len(p_set & g_set)
        ps.append(inter / len(p_set))
        rs.append(inter / len(g_set))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _label_sets(labels: dict[str, str], universe: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for url in universe:
        out[labels[url]].append(url)
    return out


def print_table(title: str, rows: dict[str, dict[str, float]], keys: Sequence[str]) -> None:
    print(title)
    print(f"{'system':<28}" + "".join(f"{k:>12}" for k in keys))
    for name, row in rows.items():
        cells = "".join(
            f"{row[k]:>12.4f}" if isinstance(row[k], float) else f"{row[k]:>12}" for k in keys if k in row
        )
        print(f"{name:<28}{cells}")
