"""The seed page's articles for the related tests, plus the shared builders."""

from __future__ import annotations

from pathlib import Path

from tests.analyzed_articles import fillers, make

from naba.engine.analysis import analyze_texts, to_analyzed
from naba.types import AnalyzedArticle

__all__ = ["fillers", "make", "seed_articles"]

SEED = Path(__file__).resolve().parents[3] / ".." / "shared" / "seed" / "seed-page.txt"


def seed_articles() -> list[AnalyzedArticle]:
    """The seed page's articles (skips when ../shared is missing)."""
    import hashlib

    import pytest

    from naba.extract.text_pages import parse_text_page

    if not SEED.exists():
        pytest.skip(f"{SEED} is missing")
    raw = SEED.read_bytes()
    page = parse_text_page(raw.decode("utf-8"), source=str(SEED), raw_sha256=hashlib.sha256(raw).hexdigest())
    texts = [(a.title, a.body_text) for a in page.articles]
    return [
        to_analyzed(a, "ar-search-v1", t)
        for a, t in zip(page.articles, analyze_texts("ar-search-v1", texts), strict=True)
    ]
