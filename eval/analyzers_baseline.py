"""Baseline analyzers used only by the evaluations: raw, snowball (PyStemmer) and light10.

* ``raw``: ``\\w+`` tokens, lower-cased; no other analysis.
* ``snowball``: raw tokens through PyStemmer's Snowball ``arabic`` stemmer (which folds hamza itself).
* ``light10``: Lucene's ArabicNormalizationFilter + ArabicStemFilter rules, reimplemented (Larkey's light10):
  alef forms -> ا, ى -> ي, ة -> ه, tatweel and harakat removed; then one prefix of ال وال بال كال فال لل و
  (و only when 4+ letters, others when 2+ letters remain) and the suffixes ها ان ات ون ين يه ية ه ة ي in that
  order, each when 2+ letters remain. No stopwords (Lucene's ArabicAnalyzer adds a stop list).
* ``naba``: the shipped ``ar-search-v1`` analyzer's ``terms``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import Stemmer

from naba.text.analyzer import Analyzer, AnalyzerConfig, get_analyzer

Analyze = Callable[[str], list[str]]
_WORD = re.compile(r"\w+")


def raw(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def make_snowball() -> Analyze:
    stemmer = Stemmer.Stemmer("arabic")
    cache: dict[str, str] = {}

    def analyze(text: str) -> list[str]:
        out = []
        for tok in _WORD.findall(text.lower()):
            s = cache.get(tok)
            if s is None:
                s = cache[tok] = stemmer.stemWord(tok)
            out.append(s)
        return out

    return analyze


_L10_TABLE = {ord(c): "ا" for c in "آأإ"} | {ord("ى"): "ي", ord("ة"): "ه", ord("ـ"): None}
_L10_TABLE |= {c: None for c in range(0x064B, 0x0653)}
_L10_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_L10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


def light10_stem(word: str) -> str:
    for p in _L10_PREFIXES:
        if word.startswith(p):
            if (len(p) == 1 and len(word) < 4) or len(word) < len(p) + 2:
                continue
            word = word[len(p) :]
            break
    for s in _L10_SUFFIXES:
        if word.endswith(s) and len(word) >= len(s) + 2:
            word = word[: -len(s)]
    return word


def make_light10() -> Analyze:
    cache: dict[str, str] = {}

    def analyze(text: str) -> list[str]:
        out = []
        for tok in _WORD.findall(text.lower()):
            s = cache.get(tok)
            if s is None:
                s = cache[tok] = light10_stem(tok.translate(_L10_TABLE))
            if s:
                out.append(s)
        return out

    return analyze


def make_naba(config: AnalyzerConfig | None = None) -> Analyze:
    analyzer = get_analyzer() if config is None else Analyzer("candidate", config)
    return analyzer.terms


def baselines() -> dict[str, Analyze]:
    return {"raw": raw, "snowball": make_snowball(), "light10": make_light10(), "naba": make_naba()}
