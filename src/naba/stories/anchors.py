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
* Optional kinds: person-name tokens and organizations (from the NER, :func:`person_keys`, :func:`org_keys`)
  and the stage cue (:func:`stage`: a match preview vs its result, read from the verbs of headline and lead).
* :func:`conflict_factor` is 1 when the two sets agree or one side names nothing of a kind, and is
  multiplied by ``1 - penalty`` for each kind (places, figures) where both sides name something and share
  nothing. It scales a similarity: strong textual agreement still joins despite a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from naba import knowledge
from naba.stories.places import agree, find_places, specific
from naba.text.normalize import fold_key, normalize

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

PERSON_TAG: Final = "per:"
ORG_TAG: Final = "org:"
_FIGURE = re.compile(r"^\d+(?:[.,٫]\d+)?%?$")
_YEAR = re.compile(r"^(?:19|20|14)\d\d$")


@dataclass(frozen=True, slots=True)
class Anchors:
    """Canonical places, normalized figures, person-name tokens and organizations of an article (or story)."""

    places: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()
    stage: frozenset[str] = frozenset()

    def tagged_keys(self) -> frozenset[str]:
        """Every anchor, tagged by kind (the document-frequency keys of :class:`AnchorFrequency`)."""
        return (
            frozenset(self.places)
            | frozenset(self.figures)
            | frozenset(PERSON_TAG + k for k in self.persons)
            | frozenset(ORG_TAG + k for k in self.orgs)
        )


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


# Person names: the NER's PER mentions of the headline and lead, compared by name token, not by full name.
# Outlets spell one person differently and cut names differently (عبدالله دواس آل منصور / عبدالله آل منصور /
# آل منصور), so exact names are disjoint in 37% of same-story pairs; two look-alike events name other people.
# Particles and honorifics (naba/data/person-words.tsv) are dropped; "عبد" joins the next word (عبد الله ->
# عبدالله).
PERSON_PARTICLES: Final = frozenset(
    normalize(t.text) for t in knowledge.terms("person-words.tsv") if t.tags & {"particle", "honorific"}
)
# Name tokens a mention needs to count (a one-word PER mention is often a mis-tagged club or verb).
PERSON_MIN_WORDS: Final = 1
# Shortest name token kept (shorter ones are initials, cut-off fragments or particles).
PERSON_MIN_TOKEN: Final = 3
_ABD = normalize("عبد")


def person_tokens(name: str) -> list[str]:
    """Normalized name tokens of a person name, particles and titles dropped (عبد joined to its word)."""
    words = normalize(name).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w == _ABD and i + 1 < len(words):
            w, i = w + words[i + 1], i + 1
        i += 1
        if w.startswith("ال") and len(w) > 4 and w not in PERSON_PARTICLES:
            w = w[2:]  # الشهراني / شهراني, آل منصور / المنصور
        if len(w) >= PERSON_MIN_TOKEN and w not in PERSON_PARTICLES and w.isalpha():
            out.append(w)
    return out


def person_keys(names: Iterable[str], mode: str = "tokens") -> frozenset[str]:
    """Comparison keys of person names: every name token (``tokens``) or the last one (``surname``)."""
    keys: set[str] = set()
    for name in names:
        tokens = person_tokens(name)
        if len(tokens) >= PERSON_MIN_WORDS:
            keys.update(tokens if mode == "tokens" else tokens[-1:])
    return frozenset(keys)


def org_keys(names: Iterable[str]) -> frozenset[str]:
    """Organizations by their normalized canonical name (two words or more: one word is often a mis-tag)."""
    return frozenset(k for k in map(fold_key, names) if " " in k)


# "Result vs preview": a match preview and its result (or a pre-session outlook and the close) share every
# name and place; the verbs differ. Headlines use the present tense for both (أرسنال يختبر / أرسنال يهزم), so
# the cue is the verb itself (naba/data/stage-words.tsv). Words in search normalization, read with a leading و/ف
# stripped.
PREVIEW_WORDS: Final = frozenset(normalize(w) for w in knowledge.tagged("stage-words.tsv", "preview"))
RESULT_WORDS: Final = frozenset(normalize(w) for w in knowledge.tagged("stage-words.tsv", "result"))
PREVIEW: Final = "preview"
RESULT: Final = "result"
# Lead tokens read for the stage cue after the headline (which counts twice).
STAGE_LEAD_TERMS: Final = 25


def stage(title_terms: Sequence[str], body_terms: Sequence[str]) -> frozenset[str]:
    """``{"preview"}`` or ``{"result"}`` when the headline and lead lean to one side, else empty."""
    score = 0
    for weight, terms in ((2, title_terms), (1, body_terms[:STAGE_LEAD_TERMS])):
        for t in terms:
            w = t[1:] if len(t) > 4 and t[0] in "وف" else t
            if w in PREVIEW_WORDS or t in PREVIEW_WORDS:
                score -= weight
            elif w in RESULT_WORDS or t in RESULT_WORDS:
                score += weight
    return frozenset({RESULT} if score > 0 else {PREVIEW} if score < 0 else ())


def article_anchors(
    title_terms: Sequence[str],
    body_terms: Sequence[str],
    persons: Iterable[str] = (),
    orgs: Iterable[str] = (),
    person_mode: str = "tokens",
) -> Anchors:
    """Places and figures of the headline and lead (phrase terms), and its person and organization keys."""
    text = list(title_terms) + list(body_terms[:LEAD_TERMS])
    return Anchors(
        specific(find_places(text)),
        frozenset(figures(text)),
        person_keys(persons, person_mode),
        org_keys(orgs),
        stage(title_terms, body_terms),
    )


class AnchorFrequency:
    """Online document frequency of anchors (see the module contract)."""

    def __init__(self, share: float = BACKGROUND_SHARE) -> None:
        self.share = share
        self.n = 0
        self.df: dict[str, int] = {}

    def add(self, anchors: Anchors) -> None:
        self.n += 1
        for key in anchors.tagged_keys():
            self.df[key] = self.df.get(key, 0) + 1

    def distinctive(self, anchors: Anchors) -> Anchors:
        """``anchors`` without the background ones (none dropped before BACKGROUND_MIN_ARTICLES)."""
        if self.n < BACKGROUND_MIN_ARTICLES:
            return anchors
        ceiling = self.share * self.n

        def keep(keys: frozenset[str], tag: str = "") -> frozenset[str]:
            return frozenset(k for k in keys if self.df.get(tag + k, 0) <= ceiling)

        return Anchors(
            keep(anchors.places),
            keep(anchors.figures),
            keep(anchors.persons, PERSON_TAG),
            keep(anchors.orgs, ORG_TAG),
            anchors.stage,
        )


def _count(counts: dict[str, int], keys: Iterable[str], n: int = 1) -> None:
    for key in keys:
        counts[key] = counts.get(key, 0) + n


@dataclass
class AnchorCounts:
    """How many members of a story name each anchor."""

    members: int = 0
    places: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    orgs: dict[str, int] = field(default_factory=dict)
    stage: dict[str, int] = field(default_factory=dict)

    def _kinds(self) -> tuple[dict[str, int], ...]:
        return (self.places, self.figures, self.persons, self.orgs, self.stage)

    def add(self, anchors: Anchors) -> None:
        self.members += 1
        sets = (anchors.places, anchors.figures, anchors.persons, anchors.orgs, anchors.stage)
        for counts, keys in zip(self._kinds(), sets, strict=True):
            _count(counts, keys)

    def update(self, other: AnchorCounts) -> None:
        self.members += other.members
        for mine, theirs in zip(self._kinds(), other._kinds(), strict=True):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n

    def core(self, share: float = CORE_SHARE) -> Anchors:
        floor = max(1.0, share * self.members)

        def named(counts: dict[str, int]) -> frozenset[str]:
            return frozenset(k for k, n in counts.items() if n >= floor)

        return Anchors(
            specific(named(self.places)),
            named(self.figures),
            named(self.persons),
            named(self.orgs),
            named(self.stage),
        )


def conflict_factor(
    a: Anchors,
    b: Anchors,
    place_penalty: float,
    figure_penalty: float,
    person_penalty: float = 0.0,
    org_penalty: float = 0.0,
    stage_penalty: float = 0.0,
) -> float:
    """Similarity multiplier: ``1 - penalty`` per kind where both sides name anchors and share none."""
    factor = 1.0
    if a.places and b.places and not agree(a.places, b.places):
        factor *= 1.0 - place_penalty
    if a.figures and b.figures and not a.figures & b.figures:
        factor *= 1.0 - figure_penalty
    if person_penalty and a.persons and b.persons and not a.persons & b.persons:
        factor *= 1.0 - person_penalty
    if org_penalty and a.orgs and b.orgs and not a.orgs & b.orgs:
        factor *= 1.0 - org_penalty
    if stage_penalty and a.stage and b.stage and not a.stage & b.stage:
        factor *= 1.0 - stage_penalty
    return factor


def specific_figure(figure: str) -> bool:
    """A figure that names one event: a decimal (3.2, 8807.24) or three digits and more (291, 8807)."""
    return "." in figure or len(figure) >= 3


def _figure_key(figure: str) -> str:
    # Outlets round index levels differently (8807.24 / 8807): three or more integer digits compare alone.
    whole = figure.split(".")[0]
    return whole if len(whole) >= 3 else figure


def figures_agree(a: Anchors, b: Anchors) -> bool:
    """True when two story cores share a specific figure (an index level, a percentage, a count >= 100)."""
    keys = {_figure_key(f) for f in a.figures if specific_figure(f)}
    return any(_figure_key(f) in keys for f in b.figures if specific_figure(f))


def figures_conflict(a: Anchors, b: Anchors) -> bool:
    """True when both name figures and share none (the same bulletin with another day's counts)."""
    return bool(a.figures and b.figures and not a.figures & b.figures)
