"""Byline, dateline and credit lines: recognizing them in the text and reading authors and sources out of them.

* :func:`classify_line` tells a short line that is metadata, not body: a byline ("كتب: …", "بقلم …"), a source
  credit ("المصدر: …"), a lone agency credit ("(رويترز)", "وكالات") or a dateline (a date that fills the line).
* :func:`split_byline` turns a byline into person names and an original source: prefixes ("كتب", "بقلم",
  "بواسطة" …) are dropped; parts separated by " - " are places ("حسام أبو العلا - القاهرة"), agencies
  ("الرياض - واس" → source "واس"), the site's own name ("SITE - author"), or the author.
* :func:`source_in_text` reads a wire credit from the article text itself: "(أ ف ب)" ending the last paragraph
  or "الرياض - واس" / "القاهرة (رويترز) -" opening the first.

Agencies, places, labels and given names come from ``naba/data/`` (``agencies.toml``, ``places.tsv``, ``labels.tsv``,
``person-words.tsv``); a byline part is a place when it is a known one, and a one-word part next to a multi-word
name is dropped too (bylines give people at least two names). Everything is compared folded
(:func:`naba.text.normalize.fold_key`).
"""

from __future__ import annotations

import re
from typing import Final, Literal

from naba import knowledge
from naba.extract.dates import parse_dateline
from naba.text.normalize import fold_key

LineKind = Literal["byline", "source", "agency", "dateline"]

# Metadata lines are short; a body paragraph that merely starts with "كتب" is longer.
MAX_BYLINE_CHARS: Final = 60
MAX_CREDIT_CHARS: Final = 80
MAX_DATELINE_CHARS: Final = 90
# A dateline line is mostly its date: the matched date spans at least this share of the line.
MIN_DATE_SHARE: Final = 0.3
MAX_NAME_WORDS: Final = 6

BYLINE_PREFIXES: Final = tuple(fold_key(w) for w in knowledge.tagged("labels.tsv", "byline"))
SOURCE_LABELS: Final = tuple(fold_key(w) for w in knowledge.tagged("labels.tsv", "source"))
# The forms a line holding nothing else is read as a wire credit by (naba/data/agencies.toml, credit_lines).
AGENCIES: Final = frozenset(fold_key(form) for agency in knowledge.agencies() for form in agency.credit_lines)
# Places a byline part may name (naba/data/places.tsv, lexicon "byline").
PLACES: Final = frozenset(fold_key(p.name) for p in knowledge.places() if "byline" in p.uses)
# Given names that start with the letter و: in a byline they are a name, not "and" + a name.
_WAW_NAMES: Final = frozenset(
    key for key in (fold_key(w) for w in knowledge.tagged("person-words.tsv", "given")) if key.startswith("و")
)
_PARTS: Final = re.compile(r"\s+[-–—|/]+\s+|\s*[|]\s*")
_LEADING_PREFIX: Final = re.compile(
    r"^(?:" + "|".join(BYLINE_PREFIXES) + r")(?:\s*[:：\-–]\s*|\s+)", re.IGNORECASE
)
_CREDIT_END: Final = re.compile(r"[(\[]\s*([^()\[\]]{1,40}?)\s*[)\]]\s*[.。]?\s*$")
_CREDIT_START: Final = re.compile(
    r"^([^\s()\-–—]+(?:\s[^\s()\-–—]+){0,3})\s*(?:[(]\s*([^()]{1,30})\s*[)]|[\-–—]\s*([^\s\-–—][^\-–—]{0,25}?)\s*[\-–—:])"
)
# Wire credits inside the opening words: "(سونا)", "/ وام /", "- واس -" after a place and maybe a date
# ("الخرطوم 16-3-2025 (سونا) -", "أبوظبي في 12 مارس / وام /").
_CREDIT_MARKS: Final = re.compile(
    r"[(]\s*([^()]{1,30}?)\s*[)]|/\s*([^/]{1,25}?)\s*/|[\-–—]\s*([^\-–—\d][^\-–—]{0,25}?)\s*[\-–—:]"
)
# The place-and-date words before such a credit: "أبوظبي في 12 مارس" is four.
MAX_CREDIT_PREFIX_WORDS: Final = 5
# Labels that open the publication date on a line that also shows the update time.
_PUBLISH_LABEL: Final = re.compile(
    r"(?:تاريخ\s+النشر|نشر\s+(?:في|بتاريخ)|نُشر|نشر|published)\s*[:：]?", re.IGNORECASE
)
_SOURCE_LABEL: Final = re.compile(
    r"^\s*(?:ال)?مصدر(?:\s*الخبر)?\s*[:：]?\s*|^\s*source\s*:\s*", re.IGNORECASE
)
# Words of relative datelines ("منذ ساعتين", "أمس"): the only datelines without digits.
_RELATIVE_WORDS: Final = ("منذ", "امس", "قبل", "اليوم")
_UPDATE_LABELS: Final = tuple(fold_key(w) for w in knowledge.tagged("labels.tsv", "update"))


def is_credit_line(text: str) -> LineKind | None:
    """ "source" or "agency" for a short credit line, else ``None`` (cheaper than :func:`classify_line`)."""
    if len(text) > MAX_CREDIT_CHARS:
        return None
    if _SOURCE_LABEL.match(text):
        return "source"
    return "agency" if len(text) <= 30 and is_agency(text) else None


def is_agency(text: str) -> bool:
    return fold_key(text).strip(" .()-–—") in AGENCIES


def _strip_prefix(folded_text: str, original: str) -> str:
    """``original`` without a byline prefix (matched on the folded text, whose length may differ)."""
    match = _LEADING_PREFIX.match(folded_text)
    if not match:
        return original
    words_dropped = len(match.group(0).split())
    rest = original.split(None, words_dropped)
    tail = rest[-1] if len(rest) > words_dropped else ""
    return tail.lstrip(" :：-–")


def is_update_label(text: str) -> bool:
    return fold_key(text).startswith(_UPDATE_LABELS)


def classify_line(text: str) -> LineKind | None:
    """What kind of metadata line ``text`` is, or ``None`` for body text."""
    if len(text) > MAX_DATELINE_CHARS:
        return None
    folded = fold_key(text)
    if (
        len(text) <= MAX_CREDIT_CHARS
        and folded.startswith(SOURCE_LABELS)
        and not folded.startswith("المصدري")
    ):
        return "source"
    if is_agency(text) and len(text) <= 30:
        return "agency"
    if (
        len(text) <= MAX_BYLINE_CHARS
        and _LEADING_PREFIX.match(folded)
        and not re.search(r"[.،؟!]\s*\S", text)
    ):
        return "byline"
    if not (any(ch.isdigit() for ch in text) or any(w in folded for w in _RELATIVE_WORDS)):
        return None
    parsed = parse_dateline(text)
    if parsed is not None and len(parsed.matched) >= MIN_DATE_SHARE * len(text):
        return "dateline"
    return None


def source_from_line(text: str) -> str | None:
    """The credited source of an "المصدر: X" line (the label may touch the value: "<span>المصدر</span><a>X")."""
    match = _SOURCE_LABEL.match(text)
    if not match:
        return None
    value = text[match.end() :].strip(" :：-–—.")
    return value or None


def matches_site(key: str, site_names: frozenset[str]) -> bool:
    """Whether folded ``key`` is one of the site's names (or contains / is contained in one, for long names)."""
    compact = key.replace(" ", "")
    return bool(key) and any(
        key == n
        or (
            len(n) > 3
            and len(compact) > 3
            and (n.replace(" ", "") in compact or compact in n.replace(" ", ""))
        )
        for n in site_names
    )


def split_byline(text: str, site_names: frozenset[str] = frozenset()) -> tuple[list[str], str | None]:
    """Person names and the original source in one byline string."""
    cleaned = " ".join(text.split()).strip(" -–—|:،,")
    cleaned = _strip_prefix(fold_key(cleaned), cleaned).strip(" -–—|:،,")
    parts = [p.strip(" -–—|:،,") for p in _PARTS.split(cleaned) if p.strip(" -–—|:،,")]
    source: str | None = None
    names: list[str] = []
    for part in parts:
        key = fold_key(part)
        if key in AGENCIES or key.strip("()") in AGENCIES:
            source = source or part.strip("()")
        elif key in PLACES or matches_site(key, site_names):
            continue
        else:
            names.append(part)
    if len(names) > 1 and any(len(n.split()) > 1 for n in names):
        names = [n for n in names if len(n.split()) > 1]
    # Only a part short enough to be one name is split; longer text is not a byline and _looks_like_name drops it.
    names = [
        n for part in names for n in (_split_pair(part) if len(part.split()) <= MAX_NAME_WORDS else [part])
    ]
    names = [n for n in names if _looks_like_name(n)]
    return names, source


def _split_pair(name: str) -> list[str]:
    """ "فاطمة الزعابي وحسن البلوشي" → two people: "و" glued to a word (or standing alone) joins two names of at
    least two words each; a given name that itself starts with و ("وليد", "وائل") is not a conjunction."""
    words = name.replace("،", " ، ").split()
    for i in range(2, len(words) - 1):
        word = words[i]
        joined = word in ("و", "،")
        if not joined and not (word.startswith("و") and len(word) > 2 and fold_key(word) not in _WAW_NAMES):
            continue
        left = words[:i]
        right = words[i + 1 :] if joined else [word[1:], *words[i + 1 :]]
        if len(right) >= 2:
            return [" ".join(left), *_split_pair(" ".join(right))]
    return [name]


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= MAX_NAME_WORDS and not any(ch.isdigit() for ch in text) and "http" not in text


def source_in_text(first: str, last: str) -> tuple[str, str] | None:
    """A wire credit in the text: (source, evidence) for "(رويترز)" ending it or "الرياض - واس" opening it."""
    end = _CREDIT_END.search(last)
    if end and is_agency(end.group(1)):
        return end.group(1).strip(), "text:end-credit"
    start = _CREDIT_START.match(first)
    if start:
        agency = start.group(2) or start.group(3) or ""
        if agency and is_agency(agency):
            return agency.strip(), "text:wire-dateline"
    for mark in _CREDIT_MARKS.finditer(first[:120]):
        if len(first[: mark.start()].split()) > MAX_CREDIT_PREFIX_WORDS:
            break
        agency = next(g for g in mark.groups() if g is not None)
        if is_agency(agency):
            return agency.strip(), "text:wire-dateline"
    return None


def agency_at_end(text: str) -> str | None:
    """The agency closing a dateline line ("الرياض 18 رمضان 1446 هـ الموافق 18 مارس 2025 م واس")."""
    words = text.strip(" .()-–—/").split()
    for n in (3, 2, 1):
        if len(words) > n and is_agency(" ".join(words[-n:])):
            return " ".join(words[-n:]).strip("()/")
    return None


def after_publish_label(text: str) -> str | None:
    """The part of an update line from its publication label on ("آخر تحديث: X · نشر: Y" → "نشر: Y")."""
    match = _PUBLISH_LABEL.search(text, 1)
    return text[match.start() :] if match else None
