"""Parse one Arabic (or English) dateline string into a calendar date, an optional clock time and zone.

Contract of :func:`parse_dateline`:

* Input is one dateline as printed ("تاريخ النشر: 30th, November 2023 GMT", "الخميس ٣٠ نوفمبر ٢٠٢٣ - 10:30 م
  بتوقيت مكة المكرمة"); labels and weekdays around the date are ignored. Which label a date sits under
  (publication or "آخر تحديث") is the caller's business.
* Eastern Arabic and Persian digits count as digits; diacritics, tatweel and invisible marks are ignored;
  alef forms are folded, so month names match however the hamza is written.
* The first date in the string wins (position order); among patterns starting at the same place, registry
  order decides. A date that cannot exist (31 April, year outside 1900..2100 — e.g. a Hijri year) is skipped.
* With ``reference_time``, a date after it is never returned (the next candidate is tried, else ``None``).
  A date without a known zone is future only if it is after the reference day everywhere on earth.
* A clock time is read within :data:`MAX_CLOCK_GAP` characters of the date (after it first, then before);
  ص/صباحاً/AM and م/مساءً/PM convert 12-hour clocks. The zone is, in order of trust: an offset written
  against the clock ("09:15:00+03:00"), "GMT+3"/"UTC+03:00", a signed "+03:00" standing alone, then a zone
  in words (:data:`naba.extract.months.NAMED_ZONES`).
* :meth:`ParsedDate.as_published` gives what an :class:`~naba.types.Article` stores: an aware datetime when
  both a time and an offset are known, else the date (naba never guesses a zone).

Date patterns live in the :data:`DATE_PATTERNS` registry (name → regex + builder). Hijri and relative
datelines ("منذ ساعتين", which needs ``reference_time``) are later patterns with builders of their own; the
builder signature already receives ``reference_time`` for them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from naba.extract.months import AM_MARKERS, ARABIC_MONTHS, ENGLISH_MONTHS, NAMED_ZONES, PM_MARKERS
from naba.text.chars import (
    ALEF,
    ALEF_FORMS,
    ASCII_DIGITS,
    DIACRITICS,
    EASTERN_DIGITS,
    INVISIBLE_MARKS,
    PERSIAN_DIGITS,
    TATWEEL,
)

# Years a news dateline can carry; anything else is a Hijri year, an ID or a phone number.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100
# How far (in characters) a clock may sit from its date: "30-11-2023 | 05:30 م" is 3 apart, "30 نوفمبر، 2023
# الساعة 3:15 م" 1; 40 leaves room for a weekday or a label between them without reaching a second dateline.
MAX_CLOCK_GAP: Final = 40
# UTC offsets in use run from -12:00 to +14:00; the latter is also the latest calendar day on earth.
MAX_OFFSET: Final = dt.timedelta(hours=14)

_DROPPED: Final = frozenset(DIACRITICS + TATWEEL + INVISIBLE_MARKS)
_FOLD: Final = str.maketrans(
    {
        **{d: a for d, a in zip(EASTERN_DIGITS + PERSIAN_DIGITS, ASCII_DIGITS * 2, strict=True)},
        **dict.fromkeys(ALEF_FORMS, ALEF),
        "\u2212": "-",
    }
)


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A dateline as read: the calendar date, the clock time and UTC offset when stated, the text matched."""

    date: dt.date
    time: dt.time | None
    utc_offset: dt.timedelta | None
    matched: str

    def as_published(self, default_offset: dt.timedelta | None = None) -> dt.date | dt.datetime:
        """An aware datetime when a time and an offset (stated, else ``default_offset``) are known, else the date."""
        offset = self.utc_offset if self.utc_offset is not None else default_offset
        if self.time is None or offset is None:
            return self.date
        return dt.datetime.combine(self.date, self.time, tzinfo=dt.timezone(offset))


Builder = Callable[[re.Match[str], dt.datetime | None], ParsedDate | None]


@dataclass(frozen=True, slots=True)
class DatePattern:
    """One way of writing a date: a regex over folded text and a builder from its match."""

    regex: re.Pattern[str]
    build: Builder


def fold_dateline(text: str) -> tuple[str, list[int]]:
    """Digits to ASCII, alef forms to bare alef, marks dropped; also the original index of each folded char."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROPPED:
            continue
        chars.append(ch.translate(_FOLD))
        index.append(i)
    return "".join(chars), index


def _name_key(name: str) -> str:
    return " ".join(fold_dateline(name)[0].casefold().split())


def _alternation(names: list[str]) -> str:
    """Longest first, so "كانون الثاني" wins over a shorter name; inner spaces match any run of spaces."""
    keys = sorted({_name_key(n) for n in names}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in k.split(" ")) for k in keys)


_MONTH_NUMBER: Final = {_name_key(k): v for k, v in {**ARABIC_MONTHS, **ENGLISH_MONTHS}.items()}
_MONTH: Final = rf"(?:{_alternation(list(_MONTH_NUMBER))})(?!\w)\.?"
_ORDINAL: Final = r"(?:st|nd|rd|th)?"
_YEAR: Final = r"(?P<year>\d{4})(?!\d)"


def _month_of(name: str) -> int | None:
    return _MONTH_NUMBER.get(_name_key(name.rstrip(".")))


def _make_date(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:  # 31 April, 30 February: not a date, try the next candidate
        return None


def _build_named(match: re.Match[str], _reference: dt.datetime | None) -> ParsedDate | None:
    day = _make_date(int(match["year"]), _month_of(match["month"]), int(match["day"]))
    return None if day is None else ParsedDate(day, None, None, "")


def _build_numeric(match: re.Match[str], _reference: dt.datetime | None) -> ParsedDate | None:
    day, month = int(match["day"]), int(match["month"])
    if month > 12 >= day:  # "11/30/2023": a US month-first date; day-first is the Arab default
        day, month = month, day
    value = _make_date(int(match["year"]), month, day)
    return None if value is None else ParsedDate(value, None, None, "")


_FLAGS: Final = re.IGNORECASE
DATE_PATTERNS: Final[dict[str, DatePattern]] = {
    # "30 نوفمبر 2023", "30th, November 2023", "24 نوفمبر/ تشرين الثاني 2023", "3 آب/أغسطس 2015"
    "day_month_year": DatePattern(
        re.compile(
            rf"(?<!\d)(?P<day>\d{{1,2}}){_ORDINAL}\s*[,،]?\s*(?:of\s+|من\s+)?(?P<month>{_MONTH})"
            rf"(?:\s*[/(]\s*(?:{_MONTH})\s*\)?)?\s*[,،]?\s*{_YEAR}",
            _FLAGS,
        ),
        _build_named,
    ),
    # "Aug 3, 2015", "November 30th, 2023"
    "month_day_year": DatePattern(
        re.compile(
            rf"(?<!\w)(?P<month>{_MONTH})\s*(?P<day>\d{{1,2}}){_ORDINAL}(?!\d)\s*[,،]?\s*{_YEAR}", _FLAGS
        ),
        _build_named,
    ),
    # "2015/7/21", "2023-11-30T09:15:00+03:00"
    "year_month_day": DatePattern(
        re.compile(r"(?<!\d)(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<day>\d{1,2})(?!\d)"),
        _build_numeric,
    ),
    # "21-07-2015", "30/11/2023"
    "day_month_year_numeric": DatePattern(
        re.compile(rf"(?<![\d.])(?P<day>\d{{1,2}})\s*[-/.]\s*(?P<month>\d{{1,2}})\s*[-/.]\s*{_YEAR}"),
        _build_numeric,
    ),
}

_MERIDIEM: Final = {_name_key(m): 0 for m in AM_MARKERS} | {_name_key(m): 12 for m in PM_MARKERS}
_CLOCK: Final = re.compile(
    r"(?<![\d:])(?:الساعة\s*)?(?P<h>\d{1,2})\s*:\s*(?P<m>\d{2})(?:\s*:\s*(?P<s>\d{2}))?(?:[.,]\d+)?"
    rf"(?:\s*(?P<ampm>{_alternation(list(_MERIDIEM))})(?![\w.]))?",
    _FLAGS,
)
_OFFSET_AT_CLOCK: Final = re.compile(r"(?:(?P<z>Z)|(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2}))(?!\d)")
_OFFSET_GMT: Final = re.compile(
    r"\b(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?!\d)", _FLAGS
)
_OFFSET_ALONE: Final = re.compile(r"(?:(?<=[\s(\[])|^)(?P<sign>[+-])(?P<h>\d{2}):(?P<m>\d{2})(?!\d)")
_ZONE_NUMBER: Final = {_name_key(k): v for k, v in NAMED_ZONES.items()}
_ZONE_WORDS: Final = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(k).replace(re.escape("بتوقيت "), r"ب?توقيت\s+").replace(r"\ ", r"\s+")
        for k in sorted(_ZONE_NUMBER, key=len, reverse=True)
    )
    + r")(?!\w)",
    _FLAGS,
)


def _clock_near(folded: str, start: int, end: int) -> re.Match[str] | None:
    after = _CLOCK.search(folded, end, min(len(folded), end + MAX_CLOCK_GAP + 20))
    if after and after.start() - end <= MAX_CLOCK_GAP:
        return after
    before = [
        m
        for m in _CLOCK.finditer(folded, max(0, start - MAX_CLOCK_GAP - 20), start)
        if start - m.end() <= MAX_CLOCK_GAP
    ]
    return before[-1] if before else None


def _clock_time(match: re.Match[str]) -> dt.time | None:
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if match["ampm"] and 1 <= hour <= 12:  # "14:05 م" is already a 24-hour clock; the marker adds nothing
        hour = hour % 12 + _MERIDIEM[_name_key(match["ampm"])]
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def _signed(match: re.Match[str]) -> dt.timedelta | None:
    if match.groupdict().get("z"):
        return dt.timedelta(0)
    offset = dt.timedelta(hours=int(match["h"]), minutes=int(match["m"] or 0))
    offset = -offset if match["sign"] == "-" else offset
    return offset if abs(offset) <= MAX_OFFSET else None


def _zone(folded: str, clock: re.Match[str] | None) -> tuple[dt.timedelta, re.Match[str]] | None:
    """The stated UTC offset, most trusted form first (see the module docstring)."""
    candidates: list[re.Match[str] | None] = []
    if clock is not None:
        candidates.append(_OFFSET_AT_CLOCK.match(folded, clock.end()))
    candidates += [_OFFSET_GMT.search(folded), _OFFSET_ALONE.search(folded)]
    for match in candidates:
        if match is not None and (offset := _signed(match)) is not None:
            return offset, match
    words = _ZONE_WORDS.search(folded)
    if words is None:
        return None
    return _ZONE_NUMBER[_name_key(re.sub(r"^ب?توقيت", "بتوقيت", _name_key(words.group())))], words


def _is_future(parsed: ParsedDate, reference: dt.datetime) -> bool:
    value = parsed.as_published()
    if isinstance(value, dt.datetime):
        return value > reference
    if parsed.utc_offset is not None:
        return value > reference.astimezone(dt.timezone(parsed.utc_offset)).date()
    return value > (reference.astimezone(dt.UTC) + MAX_OFFSET).date()


def _complete(
    text: str, folded: str, index: list[int], match: re.Match[str], found: ParsedDate
) -> ParsedDate:
    """Add the clock and zone near the date, and the original text the whole reading spans."""
    spans = [match.span()]
    clock = _clock_near(folded, *match.span()) if found.time is None else None
    time = _clock_time(clock) if clock else found.time
    if clock is not None and time is not None:
        spans.append(clock.span())
    offset = found.utc_offset
    if offset is None and (zone := _zone(folded, clock if time else None)) is not None:
        offset = zone[0]
        spans.append(zone[1].span())
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    matched = text[index[start] : index[end - 1] + 1]
    return dataclasses.replace(found, time=time, utc_offset=offset, matched=matched)


def parse_dateline(text: str, *, reference_time: dt.datetime | None = None) -> ParsedDate | None:
    """The first real, non-future date in ``text`` with its clock and zone; ``None`` when there is none."""
    folded, index = fold_dateline(text)
    reference = reference_time
    if reference is not None and reference.tzinfo is None:
        reference = reference.replace(tzinfo=dt.UTC)  # a naive "now" is read as UTC, as naba stores times
    candidates = [
        (match.start(), order, match, pattern)
        for order, pattern in enumerate(DATE_PATTERNS.values())
        for match in pattern.regex.finditer(folded)
    ]
    for _start, _order, match, pattern in sorted(candidates, key=lambda c: (c[0], c[1])):
        found = pattern.build(match, reference)
        if found is None:
            continue
        parsed = _complete(text, folded, index, match, found)
        if reference is not None and _is_future(parsed, reference):
            continue
        return parsed
    return None
