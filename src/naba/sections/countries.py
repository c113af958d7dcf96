"""The countries an article is about (ISO 3166-1 alpha-2, main first).

Contract
--------
* Evidence, read folded (:func:`naba.text.normalize.fold_key`) with the proclitics و ف ب ل ك stripped (لل read
  as ال): places of ``places.tsv`` (a city or region counts for the country its ``in`` chain reaches; the
  cities it lists without one get theirs from ``countries.tsv``), demonyms (سعودي → SA, with their definite,
  feminine and plural forms), and offices and institutions that name a country («خادم الحرمين الشريفين»,
  «البيت الأبيض»), all from ``countries.tsv``.
* Where the evidence is: the title counts :data:`WEIGHTS` ``title`` a mention, a place in the byline (the
  dateline: «جدة - واس», «عدن - رويترز») ``byline``, the opening :data:`BODY_CHARS` characters of the text 1.
* A national or local institution named without a country (وزارة الصحة، أمانة جدة، الدفاع المدني; ``domestic``
  rows of ``countries.tsv``) counts for the outlet's home country, but only when the article names no other
  country: a Saudi paper's report on a ministry is about Saudi Arabia; «وزارة الداخلية الإسبانية» is not.
* The outlet's home country and the credited wire agency's are weak priors (``home_prior``), added only when the text names some country:
  they break near-ties towards home, and never make a country on their own.
* The main country has the highest score (ties: the first named); others follow when their score is at least
  :data:`WEIGHTS` ``second_share`` of the main one's, at most :data:`MAX_COUNTRIES` in all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from naba import knowledge
from naba.knowledge import HOME_CODE
from naba.text.normalize import fold_key
from naba.types import Article


@dataclass(frozen=True, slots=True)
class CountryWeights:
    """How much a mention counts where it is, the home prior, and the share of the main country's score a
    second country needs."""

    title: float
    byline: float
    home_prior: float
    second_share: float


# Set before any evaluation from how Arabic news is written (the title and dateline say where a story happens;
# the body names neighbours and allies in passing), then checked by cross-validation over outlets on byline
# datelines (scripts/fit_sections.py), never on the labeled dev articles.
WEIGHTS: Final = CountryWeights(title=3.0, byline=3.0, home_prior=1.0, second_share=0.5)
BODY_CHARS: Final = 1200
MAX_COUNTRIES: Final = 3
_MAX_PHRASE: Final = 4
_PROCLITICS: Final = ("و", "ف", "ب", "ل", "ك")
_WORD = re.compile(r"\w+")


def _keys(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold_key(text)))


def _demonym_forms(base: str, definite_only: bool) -> list[str]:
    stems = [base, base + "ه", base + "ون", base + "ين", base + "ات"]
    forms = ["ال" + s for s in stems] + stems[1:]
    return forms if definite_only else [base, *forms]


@functools.cache
def lexicon() -> dict[tuple[str, ...], str]:
    """Every folded phrase that names a country -> its code (see the module contract)."""
    words = knowledge.country_words()
    code_of_country = {w.text: w.code for w in words if w.kind == "country"}
    code_of_place = {w.text: w.code for w in words if w.kind == "place"}
    skipped = {_keys(w.text) for w in words if w.kind == "skip"}
    places = knowledge.places()
    canonical = {p.name: p for p in places if not p.same_as}

    def code(name: str, depth: int = 0) -> str | None:
        place = canonical.get(name)
        if place is None or depth > 4:
            return None
        if name in code_of_country:
            return code_of_country[name]
        if name in code_of_place:
            return code_of_place[name]
        return code(place.within, depth + 1) if place.within else None

    out: dict[tuple[str, ...], str] = {}
    for p in places:
        found = code(p.same_as or p.name)
        key = _keys(p.name)
        if found and key and key not in skipped:
            out.setdefault(key, found)
    for w in words:
        if w.kind in ("demonym", "demonym-definite"):
            for form in _demonym_forms(fold_key(w.text), w.kind == "demonym-definite"):
                out.setdefault((form,), w.code)
        elif w.kind in ("office", "domestic"):
            out[_keys(w.text)] = w.code
    return out


def _readings(token: str) -> list[str]:
    """The token, and the token with one or two proclitics removed (بالرياض → الرياض, للسعودية → السعودية)."""
    out = [token]
    rest = token
    for _ in range(2):
        if len(rest) > 3 and rest[0] in _PROCLITICS:
            rest = rest[1:]
            out.append(rest)
            if rest.startswith("ل") and not rest.startswith("ال"):
                out.append("ا" + rest)
    if token.startswith("لل") and len(token) > 4:
        out.append("ال" + token[2:])
    return out


def mentions(text: str) -> list[str]:
    """The country codes ``text`` names, one per mention, in order (longest phrase first at each position)."""
    lex = lexicon()
    tokens = _keys(text)
    found: list[str] = []
    i = 0
    while i < len(tokens):
        step = 1
        for n in range(min(_MAX_PHRASE, len(tokens) - i), 0, -1):
            head, rest = tokens[i], tokens[i + 1 : i + n]
            code = next((lex[k] for r in _readings(head) if (k := (r, *rest)) in lex), None)
            if code is not None:
                found.append(code)
                step = n
                break
        i += step
    return found


def _add(scores: dict[str, float], order: dict[str, int], codes: Iterable[str], weight: float) -> None:
    for code in codes:
        scores[code] = scores.get(code, 0.0) + weight
        order.setdefault(code, len(order))


def rank(scores: dict[str, float], order: dict[str, int], second_share: float) -> tuple[str, ...]:
    """Codes by score (ties: first named), cut at ``second_share`` of the best and :data:`MAX_COUNTRIES`."""
    if not scores:
        return ()
    ranked = sorted(scores, key=lambda c: (-scores[c], order[c]))
    top = scores[ranked[0]]
    return tuple(c for c in ranked if scores[c] >= second_share * top)[:MAX_COUNTRIES]


def countries_of(
    article: Article, homes: Sequence[str] = (), weights: CountryWeights = WEIGHTS
) -> tuple[str, ...]:
    """The countries ``article`` is about, main first; ``homes`` are its outlet's and its credited agency's
    countries (weak priors)."""
    scores: dict[str, float] = {}
    order: dict[str, int] = {}
    title, body = mentions(article.title), mentions(article.body_text[:BODY_CHARS])
    _add(scores, order, (c for c in title if c != HOME_CODE), weights.title)
    for author in article.authors:
        _add(scores, order, (c for c in mentions(author) if c != HOME_CODE), weights.byline)
    _add(scores, order, (c for c in body if c != HOME_CODE), 1.0)
    home = homes[0] if homes else None
    # A domestic institution (وزارة، أمانة، الدفاع المدني) is the home country's only when no other country is named.
    if home and set(scores) <= {home}:
        _add(scores, order, (home for c in title if c == HOME_CODE), weights.title)
        _add(scores, order, (home for c in body if c == HOME_CODE), 1.0)
    if scores:
        _add(scores, order, homes, weights.home_prior)
    return rank(scores, order, weights.second_share)
