"""Keywords of an article or of a group of articles, multi-word where Arabic needs it (إطلاق سراح).

Contract
--------
* Candidates are n-grams of 1 to :data:`MAX_NGRAM` consecutive words inside one clause (punctuation and
  line breaks end a clause) with no stopword (:mod:`naba.text.stopwords`) and no number at either edge;
  a stopword may sit inside (وقف إطلاق النار keeps no inner stopword, but حزب الله has none either).
* A candidate's identity is its analyzer key: the stems of its words (``naba.text.analyzer``), so
  ``إطلاق سراح`` and ``لإطلاق سراح`` count as one; its display form is its most frequent surface form
  (with a one-letter proclitic removed from the first word when the rest is also a seen form).
* Score = term frequency (sub-linear) x inverse document frequency from a caller-supplied
  :class:`DocumentFrequencies` (online counts; unseen phrases get the maximum IDF), x a length bonus for
  phrases that occur as a unit, x :data:`ENTITY_BOOST` for phrases that are entity mentions.
  A shorter candidate is dropped when most of its occurrences are inside kept longer ones.
* :func:`article_keywords` scores one text; :func:`group_keywords` scores a group (a story) with document
  frequency inside the group rewarding phrases many of its articles share.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from naba.text.analyzer import get_analyzer
from naba.text.normalize import normalize
from naba.text.stopwords import STOPWORDS
from naba.text.tokenize import TOKEN_RE

MAX_NGRAM: Final = 3
DEFAULT_TOP: Final = 10
ENTITY_BOOST: Final = 1.5
# Each extra word multiplies the score: a phrase that recurs as a unit is more telling than its words.
PHRASE_BONUS: Final = 1.3
MIN_PHRASE_COUNT: Final = 2  # a multi-word phrase must recur (in the article or the group) to be a keyword
# A word or phrase inside kept longer keywords is dropped unless at least 1/SUBSUMED_RATIO of its occurrences
# are outside them.
SUBSUMED_RATIO: Final = 2.0
_CLAUSE_BREAK: Final = re.compile(r"[\n.!?؟,،;؛:\"«»()\[\]{}\-–—]")
_EXTRA_STOPWORDS: Final = frozenset(
    normalize(w)
    for w in (
        "قال",
        "قالت",
        "وقال",
        "وقالت",
        "أضاف",
        "وأضاف",
        "أكد",
        "وأكد",
        "اليوم",
        "أمس",
        "الماضي",
        "العام",
        "الجاري",
        "أيضا",
        "أيضاً",
        "نحو",
        "كما",
        "وكان",
        "يوم",
        "الذي",
        "التي",
        "بعد",
        "قبل",
        "أنه",
        "إنه",
        "بأن",
        "وذلك",
        "لدي",
        "لدى",
        "هذه",
        "هذا",
        "وفي",
        "عبر",
    )
)


class DocumentFrequencies(Protocol):
    """Online document counts the caller keeps (e.g. per day of the store): keys are phrase keys."""

    def document_count(self) -> int: ...

    def frequency(self, key: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword: display ``text``, analyzer ``key`` (stems), ``score`` and raw ``count``."""

    text: str
    key: str
    score: float
    count: int


class CounterFrequencies:
    """A simple in-memory :class:`DocumentFrequencies` (tests, batch jobs): add each document's keys once."""

    def __init__(self) -> None:
        self._docs = 0
        self._df: Counter[str] = Counter()

    def add_document(self, text: str) -> None:
        self.add_candidates(candidates(text))

    def add_candidates(self, found: Iterable[Candidate]) -> None:
        """Count one document from its already computed :func:`candidates`."""
        self._docs += 1
        self._df.update({c.key for c in found})

    def document_count(self) -> int:
        return self._docs

    def frequency(self, key: str) -> int:
        return self._df[key]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One occurrence of a candidate phrase: its key (stems) and surface form."""

    key: str
    surface: str
    words: int


def _is_stop(norm: str) -> bool:
    return norm in STOPWORDS or norm in _EXTRA_STOPWORDS or len(norm) < 2 or norm.isdigit()


def _word_key(norm_word: str) -> str:
    """The analyzer stem, after the proclitics Snowball keeps before a non-article alef (ولإطلاق -> إطلاق)."""
    word = norm_word
    if len(word) > 4 and word[0] in "وف":
        word = word[1:]
    if len(word) > 4 and word[0] in "بلك" and word[1] == "ا" and word[1:3] != "ال":
        word = word[1:]
    terms = get_analyzer().terms(word)
    return terms[0] if terms else word


def candidates(text: str) -> list[Candidate]:
    """Every candidate occurrence of ``text`` (see the module contract)."""
    out: list[Candidate] = []
    for clause in _CLAUSE_BREAK.split(text):
        words = [m.group() for m in TOKEN_RE.finditer(clause)]
        norms = [normalize(w) for w in words]
        keys = [_word_key(n) for n in norms]
        for i in range(len(words)):
            if _is_stop(norms[i]):
                continue
            for n in range(1, MAX_NGRAM + 1):
                j = i + n
                if j > len(words):
                    break
                if _is_stop(norms[j - 1]):
                    continue
                out.append(Candidate(" ".join(keys[i:j]), " ".join(words[i:j]), n))
    return out


def _idf(key: str, df: DocumentFrequencies | None) -> float:
    if df is None or df.document_count() == 0:
        return 1.0
    n = df.document_count()
    return math.log((n + 1) / (df.frequency(key) + 0.5))


def _display(surfaces: Counter[str]) -> str:
    best = surfaces.most_common(1)[0][0]
    first = best.split(" ", 1)
    if first[0][:1] in "وفبلك" and len(first[0]) > 3:
        bare = " ".join([first[0][1:], *first[1:]])
        if bare in surfaces:
            return bare
    return best


def _rank(
    counts: Counter[str],
    sizes: dict[str, int],
    surfaces: dict[str, Counter[str]],
    weights: dict[str, float],
    top: int,
) -> list[Keyword]:
    scored = sorted(
        ((weights[k], k) for k in counts if sizes[k] == 1 or counts[k] >= MIN_PHRASE_COUNT),
        key=lambda item: (-item[0], item[1]),
    )
    kept: list[Keyword] = []
    for score, key in scored:
        if len(kept) >= top:
            break
        if _mostly_inside(key, counts[key], kept):
            continue
        kept.append(Keyword(_display(surfaces[key]), key, round(score, 4), counts[key]))
        kept = [k for k in kept if not _mostly_inside(k.key, k.count, kept)]
    return kept[:top]


def _inside(short: str, long: str) -> bool:
    return short != long and f" {short} " in f" {long} "


def _mostly_inside(key: str, count: int, kept: Sequence[Keyword]) -> bool:
    """Whether most occurrences of ``key`` are inside longer kept keywords (إطلاق inside إطلاق سراح)."""
    inside = sum(k.count for k in kept if _inside(key, k.key))
    return inside > 0 and (count - inside) * SUBSUMED_RATIO < count


def _entity_keys(entities: Iterable[str]) -> set[str]:
    return {" ".join(_word_key(normalize(w)) for w in name.split()) for name in entities}


def article_keywords(
    text: str,
    df: DocumentFrequencies | None = None,
    entities: Sequence[str] = (),
    top: int = DEFAULT_TOP,
    found: Sequence[Candidate] | None = None,
) -> list[Keyword]:
    """Top keywords of one article (``entities``: names found in it, boosted; ``found``: its
    :func:`candidates` when the caller already computed them)."""
    return _score([list(found) if found is not None else candidates(text)], df, entities, top, group=False)


def group_keywords(
    texts: Sequence[str],
    df: DocumentFrequencies | None = None,
    entities: Sequence[str] = (),
    top: int = DEFAULT_TOP,
) -> list[Keyword]:
    """Top keywords of a group of articles (a story): phrases shared by many of its articles rank first."""
    return _score([candidates(t) for t in texts], df, entities, top, group=True)


def _score(
    texts: list[list[Candidate]],
    df: DocumentFrequencies | None,
    entities: Sequence[str],
    top: int,
    group: bool,
) -> list[Keyword]:
    counts: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    sizes: dict[str, int] = {}
    surfaces: dict[str, Counter[str]] = {}
    for cands in texts:
        for c in cands:
            counts[c.key] += 1
            sizes[c.key] = c.words
            surfaces.setdefault(c.key, Counter())[c.surface] += 1
        spread.update({c.key for c in cands})
    boosted = _entity_keys(entities)
    weights: dict[str, float] = {}
    for key, count in counts.items():
        weight = (1 + math.log(count)) * _idf(key, df) * PHRASE_BONUS ** (sizes[key] - 1)
        if group:
            weight *= spread[key] / len(texts)
        weights[key] = weight * (ENTITY_BOOST if key in boosted else 1.0)
    return _rank(counts, sizes, surfaces, weights, top)
