"""Score naba's glued text page parser on folders of ``<name>.txt`` + ``<name>.expected.json`` pairs.

Scoring follows ``../shared/docs/EVAL.md``, section "Glued text pages". Expected article ``i`` is compared with
parsed article ``i`` (page order). Facts per expected article: role (main ⇔ ``embedded_in`` is null), title,
published_date (the calendar date of ``published`` in its own offset), original_source, keywords (→ ``tags``,
as a set), paragraph_count (``lead`` + ``body_paragraphs``), body_starts_with, body_ends_with, and each
``body_must_not_contain`` string; a key absent from the expected article is not a fact. Each expected related
headline is one fact (found among the page's related headlines). Strings compare after whitespace folding.
A page is right when all its facts are.

Usage: ``python eval/text_pages.py [--gold DIR ...]`` (default: ``../shared/seed`` next to the repository).
The last line printed is JSON: ``{"pages", "pages_all_right", "facts", "facts_right"}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from naba.extract.text_pages import TextPage, parse_text_page
from naba.types import Article

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO.parent / "shared" / "seed"


def fold(text: str) -> str:
    return " ".join(text.split())


def published_date(article: Article) -> str | None:
    value = article.published
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # the calendar day in the article's own offset
        return value.date().isoformat()
    return value.isoformat()


def _body(article: Article) -> str:
    return fold(" ".join(article.paragraphs))


Check = Callable[[Article, Any], bool]
ARTICLE_FACTS: dict[str, Check] = {
    "role": lambda a, want: (a.embedded_in is None) == (want == "main"),
    "title": lambda a, want: fold(a.title) == fold(want),
    "published_date": lambda a, want: published_date(a) == want,
    "original_source": lambda a, want: (
        (fold(a.original_source) if a.original_source else None) == (fold(want) if want else None)
    ),
    "keywords": lambda a, want: {fold(t) for t in a.tags} == {fold(t) for t in want},
    "paragraph_count": lambda a, want: len(a.paragraphs) == want,
    "body_starts_with": lambda a, want: _body(a).startswith(fold(want)),
    "body_ends_with": lambda a, want: _body(a).endswith(fold(want)),
}


def score_page(page: TextPage, expected: dict[str, Any]) -> list[tuple[str, bool]]:
    """Every fact of one page as (name, right)."""
    facts: list[tuple[str, bool]] = []
    for i, want in enumerate(expected.get("articles", [])):
        got = page.articles[i] if i < len(page.articles) else None
        for name, check in ARTICLE_FACTS.items():
            if name in want:
                facts.append((f"article[{i}].{name}", got is not None and check(got, want[name])))
        for banned in want.get("body_must_not_contain", []):
            facts.append(
                (f"article[{i}].must_not:{banned}", got is not None and fold(banned) not in _body(got))
            )
    found = {fold(h) for h in page.related_headlines}
    for headline in expected.get("related_headlines", []):
        facts.append((f"related:{headline[:30]}", fold(headline) in found))
    return facts


def pairs(gold_dirs: list[Path]) -> list[tuple[Path, Path]]:
    out = []
    for gold in gold_dirs:
        for expected in sorted(gold.glob("*.expected.json")):
            page = expected.with_name(expected.name.removesuffix(".expected.json") + ".txt")
            if page.exists():
                out.append((page, expected))
    return out


def run(gold_dirs: list[Path]) -> dict[str, int]:
    totals = {"pages": 0, "pages_all_right": 0, "facts": 0, "facts_right": 0}
    print(f"{'page':<40} {'facts':>5} {'right':>5}  wrong")
    for page_path, expected_path in pairs(gold_dirs):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        page = parse_text_page(page_path.read_text(encoding="utf-8"), source=str(page_path))
        facts = score_page(page, expected)
        right = sum(ok for _, ok in facts)
        wrong = ", ".join(name for name, ok in facts if not ok)
        print(f"{page_path.stem:<40} {len(facts):>5} {right:>5}  {wrong}")
        totals["pages"] += 1
        totals["pages_all_right"] += right == len(facts)
        totals["facts"] += len(facts)
        totals["facts_right"] += right
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gold", type=Path, action="append", help="folder of page + expected pairs (repeatable)"
    )
    args = parser.parse_args(argv)
    totals = run(args.gold or [DEFAULT_GOLD])
    print(json.dumps(totals, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
