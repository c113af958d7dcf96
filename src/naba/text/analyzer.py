"""Named, versioned analyzer presets: the one entry point the rest of naba uses for Arabic text.

Contract
--------
* ``get_analyzer(name)`` returns a shared :class:`Analyzer`; ``name`` is stored with every index, and any
  change of behaviour is a new preset name (``ar-search-v2`` …), never an edit of an existing one.
* ``tokenize(text)`` -> :class:`naba.types.Token` list with ``text[t.start:t.end] == t.surface``.
* ``terms(text)`` -> index/query terms: normalized, clitic-stripped, stemmed, variant-folded, stopwords and
  one-letter words dropped; never empty strings.
* ``phrase_terms(text)`` -> normalized tokens only (no stemming, no folding), stopwords kept, one per token,
  so phrase positions are consecutive.
* ``terms_with_offsets(text)`` -> ``(term, start, end)`` with offsets into the original text (a hashtag's
  words all carry the hashtag's span).
* ``terms`` and ``phrase_terms`` are the ingest hot path: the text is normalized once, split with one regex,
  and each distinct token is analyzed once per process (bounded cache, :data:`CACHE_MAX_ENTRIES`).

Calibration (bm25s k1=1.5 b=0.75, document = title x2 + body, whole 31,030-article corpus; stories-dev
retrieval: 555 title queries, 374 hard; queries-dev search: 30 queries; dev sets scored as a whole):

    analyzer / candidate                  MRR@10  nDCG@10  hardMRR  hard nDCG | cond.nDCG@10  nDCG@10
    raw (word, lower)                      0.8218  0.7323   0.5298   0.5004   |    0.8694     0.6026
    snowball (PyStemmer)                  0.8481  0.7615   0.5590   0.5396   |    0.9274     0.5999
    light10 (Lucene rules)                0.8318  0.7478   0.5494   0.5214   |    0.9267     0.6161
    ar-search-v1 (shipped)                0.8375  0.7547   0.5546   0.5284   |    0.9313     0.6275
      - without variant folding           0.8377  0.7552   0.5546   0.5289   |    0.9281     0.6266
      - without stopwords                 0.8354  0.7549   0.5559   0.5294   |    0.9286     0.6168
      - و stripped only if 4+ remain      0.8380  0.7562   0.5524   0.5287   |    0.9309     0.6276
      - suffix guard 3 letters            0.8364  0.7537   0.5539   0.5268   |    0.9319     0.6314
      + pronoun suffixes هما كما هم هن كم نا 0.8414  0.7561   0.5516   0.5274   |    0.9317     0.6219
      + surface form kept as 2nd term     0.8404  0.7563   0.5560   0.5362   |    0.9223     0.6241
      + bare ب ك ل when 4+ remain          0.8386  0.7633   0.5522   0.5368   |    0.9274     0.6441
      + bare ب ك ل when 5+ remain          0.8398  0.7606   0.5511   0.5326   |    0.9274     0.6368
      + pronoun suffixes and ب ك ل (4+)    0.8410  0.7636   0.5529   0.5360   |    0.9274     0.6330

``ar-search-v1`` is the best on the short-query set (the headline of search quality) and beats raw and
light10 on title retrieval, but it does NOT yet beat Snowball on title retrieval (MRR@10 0.8375 vs 0.8481,
hard 0.5546 vs 0.5590): Snowball also strips bare prepositions and verb prefixes, which helps long title
queries and hurts short ones. Closing that gap is the work of a v2 preset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from naba.text.normalize import normalize
from naba.text.stem import LightStemmer
from naba.text.stopwords import STOPWORDS
from naba.text.tokenize import PLAIN_TOKEN_RE, find_tokens, hashtag_words
from naba.text.variants import build_stem_map
from naba.types import Token

DEFAULT_ANALYZER: Final = "ar-search-v1"
CACHE_MAX_ENTRIES: Final = 2_000_000  # ~distinct forms of several years of news; cleared when exceeded
MIN_WORD_LEN: Final = 2  # one-letter words are detached clitics (و, ب) or initials: no search value


@dataclass(frozen=True, slots=True)
class AnalyzerConfig:
    """What a preset does; presets are values of this type, registered under a versioned name."""

    stemmer: LightStemmer = field(default_factory=LightStemmer)
    fold_variants: bool = True
    drop_stopwords: bool = True
    keep_surface: bool = False  # also emit the unstemmed normalized word when it differs from the stem


class Analyzer:
    """A configured analyzer with a per-process cache of token -> terms."""

    def __init__(self, name: str, config: AnalyzerConfig) -> None:
        self.name = name
        self.config = config
        self._variants = build_stem_map(config.stemmer.stem) if config.fold_variants else {}
        self._stopwords = STOPWORDS if config.drop_stopwords else frozenset()
        self._cache: dict[str, tuple[str, ...]] = {}

    # --- per-token analysis (cached) -------------------------------------------------------------------
    def _word_terms(self, word: str) -> tuple[str, ...]:
        if (len(word) < MIN_WORD_LEN and not word.isdigit()) or word in self._stopwords:
            return ()
        stem = self.config.stemmer.stem(word)
        stem = self._variants.get(stem, stem)
        if self.config.keep_surface and stem != word:
            return (stem, word)
        return (stem,)

    def _token_terms(self, normalized: str) -> tuple[str, ...]:
        """Terms of one normalized token (a hashtag gives one term per word; a URL is one term)."""
        if normalized.startswith("#"):
            words = hashtag_words(normalized)
        elif normalized[:4] in ("http", "www."):
            return (normalized,)
        else:
            words = [normalized]
        return tuple(t for w in words for t in self._word_terms(w) if t)

    def _cached_terms(self, normalized: str) -> tuple[str, ...]:
        terms = self._cache.get(normalized)
        if terms is None:
            if len(self._cache) >= CACHE_MAX_ENTRIES:
                self._cache.clear()
            terms = self._cache[normalized] = self._token_terms(normalized)
        return terms

    # --- public API --------------------------------------------------------------------------------------
    def terms(self, text: str) -> list[str]:
        """Index/query terms of ``text`` (see the module contract)."""
        out: list[str] = []
        cache = self._cache
        for tok in PLAIN_TOKEN_RE.findall(normalize(text)):
            terms = cache.get(tok)
            out.extend(terms if terms is not None else self._cached_terms(tok))
        return out

    def phrase_terms(self, text: str) -> list[str]:
        """Normalized tokens, stopwords kept, hashtags split into words, one term per position."""
        out: list[str] = []
        for tok in _tokens(normalize(text)):
            if tok.startswith("#"):
                out.extend(hashtag_words(tok))
            else:
                out.append(tok)
        return out

    def tokenize(self, text: str) -> list[Token]:
        """Tokens with offsets into ``text``; ``stem`` is the token's first term, or its normalized form."""
        tokens: list[Token] = []
        for _kind, surface, start, end in find_tokens(text):
            normalized = normalize(surface)
            terms = self._terms_of_surface(normalized)
            tokens.append(Token(surface, normalized, terms[0] if terms else normalized, start, end))
        return tokens

    def terms_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        """Every term of ``text`` with the original offsets of the token it came from."""
        out: list[tuple[str, int, int]] = []
        for _kind, surface, start, end in find_tokens(text):
            out.extend((term, start, end) for term in self._terms_of_surface(normalize(surface)))
        return out

    def _terms_of_surface(self, normalized_surface: str) -> list[str]:
        # NFKC may expand one surface token (a ligature such as U+FDFA) into several words.
        return [t for tok in _tokens(normalized_surface) for t in self._cached_terms(tok)]


def _tokens(normalized_text: str) -> list[str]:
    return PLAIN_TOKEN_RE.findall(normalized_text)


PRESETS: Final[dict[str, AnalyzerConfig]] = {
    "ar-search-v1": AnalyzerConfig(),
}
_INSTANCES: dict[str, Analyzer] = {}


def get_analyzer(name: str = DEFAULT_ANALYZER) -> Analyzer:
    """The shared analyzer registered under ``name``; raises ``KeyError`` listing the known names."""
    if name not in _INSTANCES:
        if name not in PRESETS:
            raise KeyError(f"unknown analyzer {name!r}; known: {sorted(PRESETS)}")
        _INSTANCES[name] = Analyzer(name, PRESETS[name])
    return _INSTANCES[name]
