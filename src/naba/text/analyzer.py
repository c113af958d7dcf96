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
retrieval: 555 title queries, 374 hard; queries-dev search: 30 queries; dev sets scored as a whole, never
per query; ``eval/retrieval.py`` and ``eval/search.py``):

    analyzer / candidate                         MRR@10  nDCG@10  hardMRR  hard nDCG | cond.nDCG@10
    raw (word, lower)                             0.8218  0.7323   0.5298   0.5004   |    0.8694
    snowball (PyStemmer)                          0.8481  0.7615   0.5590   0.5396   |    0.9274
    light10 (Lucene rules)                        0.8318  0.7478   0.5494   0.5214   |    0.9267
    naba light10-style stemmer, stacked clitics   0.8375  0.7547   0.5546   0.5284   |    0.9313
      + pronoun suffixes, bare ب ك ل (4+)          0.8410  0.7636   0.5529   0.5360   |    0.9274
      + stem and surface form as two terms        0.8404  0.7563   0.5560   0.5362   |    0.9223
      + ISRI root as a second term                0.8440  0.7649   0.5538   0.5415   |    0.9446
    Snowball after naba's normalization           0.8487  0.7651   0.5568   0.5413   |    0.9276
      + article chains reduced (وال -> ال)         0.8463  0.7641   0.5562   0.5392   |    0.9329
      + stem bigrams as extra terms               0.8350  0.7510   0.5508   0.5318   |    0.9159
      + ISRI root as a second term                0.8529  0.7712   0.5591   0.5477   |    0.9454
      + stopwords dropped                         0.8532  0.7717   0.5611   0.5481   |    0.9464
      + bare -ات plural fixed                      0.8534  0.7710   0.5628   0.5485   |    0.9464
      roots only for words of 5+ letters (v1)     see the README table (eval/retrieval.py, eval/search.py)

``ar-search-v1`` = Snowball with naba's fixes + ISRI roots of words of 5+ letters + stopwords dropped +
spelling variants folded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from naba.text.chars import HEH, TEH_MARBUTA
from naba.text.normalize import fold_teh_marbuta, normalize, normalize_for_stemming
from naba.text.stem import ArabicStemmer
from naba.text.stopwords import STOPWORDS
from naba.text.tokenize import PLAIN_TOKEN_RE, find_tokens, hashtag_words
from naba.text.variants import build_stem_map
from naba.types import Token

DEFAULT_ANALYZER: Final = "ar-search-v1"
CACHE_MAX_ENTRIES: Final = 2_000_000  # ~distinct forms of several years of news; cleared when exceeded
MIN_WORD_LEN: Final = 2  # one-letter words are detached clitics (و, ب) or initials: no search value


# Root terms carry a mark that no token can contain, so a root never collides with a stem or a word.
ROOT_MARK: Final = "√"


@dataclass(frozen=True, slots=True)
class AnalyzerConfig:
    """What a preset does; presets are values of this type, registered under a versioned name."""

    fold_variants: bool = True
    drop_stopwords: bool = True
    emit_roots: bool = True


class Analyzer:
    """A configured analyzer with a per-process cache of token -> terms."""

    def __init__(self, name: str, config: AnalyzerConfig) -> None:
        self.name = name
        self.config = config
        self._stemmer = ArabicStemmer()
        self._variants = build_stem_map(self._stemmer.stem) if config.fold_variants else {}
        self._stopwords = STOPWORDS if config.drop_stopwords else frozenset()
        self._cache: dict[str, tuple[str, ...]] = {}
        self._surface_cache: dict[str, tuple[str, ...]] = {}

    # --- per-token analysis (cached) -------------------------------------------------------------------
    def _word_terms(self, word: str) -> tuple[str, ...]:
        """Stem (variant-folded) and, for long words, the root of one word normalized for stemming."""
        if (len(word) < MIN_WORD_LEN and not word.isdigit()) or fold_teh_marbuta(word) in self._stopwords:
            return ()
        stem = self._stemmer.stem(word)
        canonical = self._variants.get(stem)
        if canonical is not None:
            return (canonical,)  # a listed name: no root
        root = self._stemmer.root(word) if self.config.emit_roots else None
        return (stem, ROOT_MARK + root) if root else (stem,)

    def _token_terms(self, normalized: str) -> tuple[str, ...]:
        """Terms of one normalized token (a hashtag gives the terms of each word; a URL is one term)."""
        if normalized.startswith("#"):
            words = hashtag_words(normalized)
        elif normalized[:4] in ("http", "www."):
            return (normalized,)
        else:
            words = [normalized]
        return tuple(t for w in words for t in self._word_terms(w))

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
        return self._terms_of_tokens(_tokens(normalize_for_stemming(text)))

    def phrase_terms(self, text: str) -> list[str]:
        """Normalized tokens, stopwords kept, hashtags split into words, one term per position."""
        return _phrase_terms_of_tokens(_tokens(normalize(text)))

    def terms_and_phrase_terms(self, text: str) -> tuple[list[str], list[str]]:
        """``(terms(text), phrase_terms(text))`` from one normalization and one tokenization (the ingest path).

        The two normalizations differ only by ``ة -> ه``, a one-character map that neither splits nor joins
        tokens, so folding the stemming tokens gives exactly the phrase tokens.
        """
        tokens = _tokens(normalize_for_stemming(text))
        # Only ة differs: replacing it where present is much cheaper than a translate per token.
        folded = [tok.replace(TEH_MARBUTA, HEH) if TEH_MARBUTA in tok else tok for tok in tokens]
        return self._terms_of_tokens(tokens), _phrase_terms_of_tokens(folded)

    def _terms_of_tokens(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        cache = self._cache
        for tok in tokens:
            terms = cache.get(tok)
            out.extend(terms if terms is not None else self._cached_terms(tok))
        return out

    def tokenize(self, text: str) -> list[Token]:
        """Tokens with offsets into ``text``; ``stem`` is the token's first term, or its normalized form."""
        tokens: list[Token] = []
        for _kind, surface, start, end in find_tokens(text):
            normalized = normalize(surface)
            terms = self._terms_of_surface(surface)
            tokens.append(Token(surface, normalized, terms[0] if terms else normalized, start, end))
        return tokens

    def terms_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        """Every term of ``text`` with the original offsets of the token it came from."""
        out: list[tuple[str, int, int]] = []
        for _kind, surface, start, end in find_tokens(text):
            out.extend((term, start, end) for term in self._terms_of_surface(surface))
        return out

    def _terms_of_surface(self, surface: str) -> tuple[str, ...]:
        # Highlighting calls this per token of whole bodies: cache by surface form so each distinct form is
        # normalized once. NFKC may expand one surface token (a ligature such as U+FDFA) into several words.
        terms = self._surface_cache.get(surface)
        if terms is None:
            if len(self._surface_cache) >= CACHE_MAX_ENTRIES:
                self._surface_cache.clear()
            terms = tuple(
                t for tok in _tokens(normalize_for_stemming(surface)) for t in self._cached_terms(tok)
            )
            self._surface_cache[surface] = terms
        return terms


def _tokens(normalized_text: str) -> list[str]:
    return PLAIN_TOKEN_RE.findall(normalized_text)


def _phrase_terms_of_tokens(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        if tok.startswith("#"):
            out.extend(hashtag_words(tok))
        else:
            out.append(tok)
    return out


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
