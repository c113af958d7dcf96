"""Throughput of naba's analyzer vs PyStemmer alone on SaudiNewsNet text (plain script, prints a table).

Usage: ``.venv/bin/python bench/bench_analyzer.py [--corpus DIR] [--docs N]``

Rows: PyStemmer ``stemWords`` over ``\\w+`` tokens (no cache, no normalization); naba ``terms`` on a cold
cache (first pass) and warm (second pass over the same text, as during ingest of a large corpus where most
forms repeat); naba ``phrase_terms``; naba ``tokenize`` (offsets, Token records). Tokens = ``\\w+`` matches.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import Stemmer

from naba.text.analyzer import Analyzer, get_analyzer

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "dataset"
WORD = re.compile(r"\w+")


def load_texts(corpus: Path, limit: int) -> list[str]:
    texts: list[str] = []
    for zp in sorted(corpus.glob("*.zip")):
        with zipfile.ZipFile(zp) as zf:
            for name in zf.namelist():
                for rec in json.loads(zf.read(name)):
                    texts.append(f"{rec.get('title') or ''}\n{rec.get('content') or ''}")
                    if len(texts) >= limit:
                        return texts
    return texts


def timed(fn: Callable[[str], object], texts: list[str]) -> float:
    t0 = time.perf_counter()
    for t in texts:
        fn(t)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--docs", type=int, default=5000)
    args = ap.parse_args()
    texts = load_texts(args.corpus, args.docs)
    n_tokens = sum(len(WORD.findall(t)) for t in texts)
    stemmer = Stemmer.Stemmer("arabic")
    fresh = Analyzer("ar-search-v1", get_analyzer().config)
    rows = [
        ("PyStemmer stemWords (no cache)", timed(lambda t: stemmer.stemWords(WORD.findall(t)), texts)),
        ("naba terms, cold cache", timed(fresh.terms, texts)),
        ("naba terms, warm cache", timed(fresh.terms, texts)),
        ("naba phrase_terms", timed(fresh.phrase_terms, texts)),
        ("naba tokenize (Token records)", timed(fresh.tokenize, texts)),
        ("naba terms_with_offsets", timed(fresh.terms_with_offsets, texts)),
        ("naba terms + phrase_terms, one pass (ingest path)", timed(fresh.terms_and_phrase_terms, texts)),
    ]
    print(f"{len(texts)} SaudiNewsNet articles, {n_tokens:,} tokens (\\w+)")
    print(f"{'analyzer':<50}{'seconds':>10}{'tokens/s':>14}")
    for name, secs in rows:
        print(f"{name:<50}{secs:>10.2f}{n_tokens / secs:>14,.0f}")
    figures = {name: round(n_tokens / secs) for name, secs in rows}
    print(json.dumps({"bench": "analyzer", "docs": len(texts), "tokens": n_tokens, "tokens_per_s": figures}))


if __name__ == "__main__":
    main()
