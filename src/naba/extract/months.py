"""Month, weekday, clock, zone and relative-dateline tables for dateline parsing, read from ``naba/data/``.

The names are data (``months.tsv``, ``dateline-words.tsv``; their headers say what each holds and where it
comes from); this module only shapes them into the lookup tables :mod:`naba.extract.dates` builds its patterns
from. Arabic pages use four Gregorian month series (see ``../shared/docs/ARABIC.md``) and may print two at once
("3 آب/أغسطس 2015"); the parser folds alef forms (أ إ آ → ا) and ى on both sides before matching.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from naba import knowledge

_WORDS: Final = knowledge.dateline_words()

# Gregorian month names of the four Arabic series, and English names and abbreviations (matched
# case-insensitively: "30th, November 2023", "Aug 3, 2015"), and Hijri (Umm al-Qura) month names.
ARABIC_MONTHS: Final[dict[str, int]] = {
    m.name: m.number
    for m in knowledge.month_names()
    if m.calendar == "gregorian" and "english" not in m.series
}
ENGLISH_MONTHS: Final[dict[str, int]] = {
    m.name: m.number for m in knowledge.month_names() if "english" in m.series
}
HIJRI_MONTHS: Final[dict[str, int]] = {
    m.name: m.number for m in knowledge.month_names() if m.calendar == "hijri"
}

# Clock markers: ص / صباحاً = AM, م / مساءً = PM (diacritics are stripped before matching).
AM_MARKERS: Final[frozenset[str]] = frozenset(w.word for w in _WORDS if w.meaning == "am")
PM_MARKERS: Final[frozenset[str]] = frozenset(w.word for w in _WORDS if w.meaning == "pm")

# Zones named in words, at their standard offsets (dateline-words.tsv says why).
NAMED_ZONES: Final[dict[str, dt.timedelta]] = {
    w.word: w.length for w in _WORDS if w.meaning == "zone" and w.length is not None
}

# Weekdays as datelines print them (both spellings of Monday).
WEEKDAYS: Final[tuple[str, ...]] = tuple(w.word for w in _WORDS if w.meaning == "weekday")

# Relative datelines: unit word → (its length of time, the count the word itself implies, or None).
RELATIVE_UNITS: Final[dict[str, tuple[dt.timedelta, int | None]]] = {
    w.word: (w.length, w.count) for w in _WORDS if w.meaning == "unit" and w.length is not None
}

# Counts written as words before a plural unit ("منذ ثلاث ساعات", "an hour ago").
NUMBER_WORDS: Final[dict[str, int]] = {
    w.word: w.number for w in _WORDS if w.meaning == "count" and w.number is not None
}

# Day words of relative datelines → days before the reference day ("أمس الأول" is the day before yesterday).
RELATIVE_DAYS: Final[dict[str, int]] = {
    w.word: w.number for w in _WORDS if w.meaning == "days-back" and w.number is not None
}
