"""Anchors: the places and figures that pin a news text to one event, and the conflict between two sets.

Look-alike events share their formulaic wording — a sun-work-ban raid in Khaybar and one in al-Jawf, the
election committee of Madinah and that of al-Ahsa, the market close of one day and of the next — so their
TF-IDF vectors are close. What tells them apart is *where* and *how much*: a place named in the headline or
lead, a figure (a count, a percentage, an index level, a score). Two reports of one event usually share at
least one of them; two look-alike events usually share none.

Contract
--------
* :func:`article_anchors` reads an article's headline and first :data:`LEAD_TERMS` body tokens (phrase terms:
  normalized, unstemmed) and returns its :class:`Anchors`: canonical place keys (:mod:`naba.stories.places`)
  and normalized figures (years and one-digit numbers are left out: they recur in unrelated texts).
* :class:`AnchorFrequency` learns, online, how many articles name each anchor; :meth:`AnchorFrequency.distinctive`
  drops anchors named by more than :data:`BACKGROUND_SHARE` of the stream so far — the home country and capital
  of an outlet (السعودية, الرياض in a dateline) name no event.
* :class:`AnchorCounts` counts a story's anchors over its members; :meth:`AnchorCounts.core` keeps those
  named by at least :data:`CORE_SHARE` of them (a story is pinned by what most of its reports say, not by
  one outlier).
* :func:`conflict_factor` is 1 when the two sets agree or one side names nothing of a kind, and is
  multiplied by ``1 - penalty`` for each kind (places, figures) where both sides name something and share
  nothing. It scales a similarity: strong textual agreement still joins despite a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from naba.stories.places import agree, find_places, specific

# Body tokens read after the headline: the lead names the event's place and figures; later paragraphs drift
# into background (other towns, last year's figures). eval/stories.py, whole dev window, on labeled pairs with
# title Jaccard >= 0.2: disjoint places 20 tokens -> 10.6% of same-story pairs / 57% of different-story
# pairs, 40 -> 3.9% / 51%, 80 -> 3.6% / 47%.
LEAD_TERMS: Final = 40
# Share of a story's members that must name an anchor for it to be in the story's core. Whole dev window,
# B-cubed F1 (background 0.03 / 0.05 / 0.08 / off): core 0 (any member) -> 0.925 / 0.928 / 0.927 / 0.926,
# 0.34 -> 0.927 / 0.927 / 0.927 / 0.921, 0.5 -> 0.926 / 0.926 / 0.926 / 0.920. 0.34 keeps recall highest.
CORE_SHARE: Final = 0.34

# An anchor named by more than this share of the articles seen is background (see AnchorFrequency).
# eval/stories.py, whole dev window: السعودية is named by 9% of articles, الرياض 6%, the next (الولايات
# المتحدة) 4.4%; with those two dropped, labeled same-story pairs with disjoint places fall from 3.9% to 0.9%
# while different-story look-alike pairs stay at 63%. B-cubed F1 is flat over 0.03-0.08 (see CORE_SHARE).
BACKGROUND_SHARE: Final = 0.05
# Articles seen before the background share is applied (a share of a handful of articles means nothing).
BACKGROUND_MIN_ARTICLES: Final = 200

_FIGURE = re.compile(r"^\d+(?:[.,٫]\d+)?%?$")
_YEAR = re.compile(r"^(?:19|20|14)\d\d$")


@dataclass(frozen=True, slots=True)
class Anchors:
    """Canonical places and normalized figures of an article (or the core of a story)."""

    places: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()


def _figure(token: str) -> str | None:
    if not _FIGURE.match(token):
        return None
    token = token.rstrip("%")
    if _YEAR.match(token):
        return None
    head, _, tail = token.replace("٫", ",").partition(",")
    if tail and len(tail) == 3 and "." not in tail:  # 8,800: thousands separator
        token = head + tail
    else:
        token = token.replace(",", ".").replace("٫", ".")
    if "." in token:
        token = token.rstrip("0").rstrip(".")
    if len(token.split(".")[0]) < 2 and "." not in token:
        return None
    return token


def figures(terms: Iterable[str]) -> set[str]:
    """Normalized figures among phrase terms (3.20% -> "3.2", 8,800 -> "8800"); years and 0-9 dropped."""
    return {f for f in map(_figure, terms) if f is not None}


def article_anchors(title_terms: Sequence[str], body_terms: Sequence[str]) -> Anchors:
    """Places and figures of the headline and lead (phrase terms)."""
    text = list(title_terms) + list(body_terms[:LEAD_TERMS])
    return Anchors(specific(find_places(text)), frozenset(figures(text)))


class AnchorFrequency:
    """Online document frequency of anchors (see the module contract)."""

    def __init__(self, share: float = BACKGROUND_SHARE) -> None:
        self.share = share
        self.n = 0
        self.df: dict[str, int] = {}

    def add(self, anchors: Anchors) -> None:
        self.n += 1
        for key in anchors.places | anchors.figures:
            self.df[key] = self.df.get(key, 0) + 1

    def distinctive(self, anchors: Anchors) -> Anchors:
        """``anchors`` without the background ones (none dropped before BACKGROUND_MIN_ARTICLES)."""
        if self.n < BACKGROUND_MIN_ARTICLES:
            return anchors
        ceiling = self.share * self.n
        return Anchors(
            frozenset(k for k in anchors.places if self.df.get(k, 0) <= ceiling),
            frozenset(k for k in anchors.figures if self.df.get(k, 0) <= ceiling),
        )


@dataclass
class AnchorCounts:
    """How many members of a story name each anchor."""

    members: int = 0
    places: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)

    def add(self, anchors: Anchors) -> None:
        self.members += 1
        for key in anchors.places:
            self.places[key] = self.places.get(key, 0) + 1
        for key in anchors.figures:
            self.figures[key] = self.figures.get(key, 0) + 1

    def update(self, other: AnchorCounts) -> None:
        self.members += other.members
        for mine, theirs in ((self.places, other.places), (self.figures, other.figures)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n

    def core(self, share: float = CORE_SHARE) -> Anchors:
        floor = max(1.0, share * self.members)
        return Anchors(
            specific(k for k, n in self.places.items() if n >= floor),
            frozenset(k for k, n in self.figures.items() if n >= floor),
        )


def conflict_factor(a: Anchors, b: Anchors, place_penalty: float, figure_penalty: float) -> float:
    """Similarity multiplier: ``1 - penalty`` per kind where both sides name anchors and share none."""
    factor = 1.0
    if a.places and b.places and not agree(a.places, b.places):
        factor *= 1.0 - place_penalty
    if a.figures and b.figures and not a.figures & b.figures:
        factor *= 1.0 - figure_penalty
    return factor
