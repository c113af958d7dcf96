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

* Hijri dates ("18 شوال 1436 هـ", "16 جمادى الأولى 1445هـ", "١٤٤٥/٠٥/١٦ هـ") are converted by the Umm al-Qura
  calendar (``hijridate``, exact for :data:`MIN_HIJRI_YEAR`..:data:`MAX_HIJRI_YEAR`). In a dual dateline
  (either order, often joined by "الموافق") the Gregorian date is authoritative: a Gregorian date within
  :data:`MAX_DUAL_GAP` characters after a Hijri one replaces it when the two agree within
  :data:`MAX_DUAL_DRIFT` (the cross-check; a printed Hijri date may follow a local moon sighting). One that
  disagrees belongs to something else, and the Hijri reading stands.
* Relative datelines ("منذ 3 ساعات", "قبل يومين", "أمس", "اليوم", "2 hours ago") are resolved against
  ``reference_time`` and read as nothing without one. Minutes and hours give a time in the reference's
  offset; days, weeks and months give a date (the day in the reference's offset). A relative dateline is read
  only when the text holds no absolute date, and day words ("اليوم", "أمس") only where they stand as a
  dateline (at the start or after punctuation, followed by the end, punctuation, a clock or a weekday), so
  "اليوم السابع" or "صحيفة اليوم ..." is not today.

Date patterns live in the :data:`DATE_PATTERNS` registry (name → regex + builder + calendar kind).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from hijridate import Hijri

from naba.extract.months import (
    AM_MARKERS,
    ARABIC_MONTHS,
    ENGLISH_MONTHS,
    HIJRI_MONTHS,
    NAMED_ZONES,
    NUMBER_WORDS,
    PM_MARKERS,
    RELATIVE_DAYS,
    RELATIVE_UNITS,
    WEEKDAYS,
)
from naba.text.chars import (
    ALEF,
    ALEF_FORMS,
    ALEF_MAQSURA,
    ASCII_DIGITS,
    DIACRITICS,
    EASTERN_DIGITS,
    INVISIBLE_MARKS,
    PERSIAN_DIGITS,
    TATWEEL,
    YEH,
)

# Years a news dateline can carry; anything else is a Hijri year, an ID or a phone number.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100
# How far (in characters) a clock may sit from its date: "30-11-2023 | 05:30 م" is 3 apart, "30 نوفمبر، 2023
# الساعة 3:15 م" 1; 40 leaves room for a weekday or a label between them without reaching a second dateline.
MAX_CLOCK_GAP: Final = 40
# UTC offsets in use run from -12:00 to +14:00; the latter is also the latest calendar day on earth.
MAX_OFFSET: Final = dt.timedelta(hours=14)
# The Umm al-Qura years hijridate converts exactly; a 4-digit year in this range in a date shape is Hijri.
MIN_HIJRI_YEAR: Final = 1343
MAX_HIJRI_YEAR: Final = 1500
# Dual datelines: "29 ربيع الآخر 1445 هـ الموافق 13 نوفمبر 2023 م" puts 12 characters between the dates; 40
# leaves room for a weekday and a separator, like MAX_CLOCK_GAP. Printed Hijri dates follow local sightings and
# differ from Umm al-Qura by a day, rarely two.
MAX_DUAL_GAP: Final = 40
MAX_DUAL_DRIFT: Final = dt.timedelta(days=2)

_DROPPED: Final = frozenset(DIACRITICS + TATWEEL + INVISIBLE_MARKS)
_FOLD: Final = str.maketrans(
    {
        **{d: a for d, a in zip(EASTERN_DIGITS + PERSIAN_DIGITS, ASCII_DIGITS * 2, strict=True)},
        **dict.fromkeys(ALEF_FORMS, ALEF),
        ALEF_MAQSURA: YEH,  # "جمادى"/"جمادي", "ذي"/"ذى": sites type either
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
Calendar = Literal["gregorian", "hijri", "relative"]


@dataclass(frozen=True, slots=True)
class DatePattern:
    """One way of writing a date: a regex over folded text, a builder from its match, the kind of date."""

    regex: re.Pattern[str]
    build: Builder
    kind: Calendar = "gregorian"


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


_HIJRI_NUMBER: Final = {_name_key(k): v for k, v in HIJRI_MONTHS.items()}
_HIJRI_MONTH: Final = rf"(?:{_alternation(list(_HIJRI_NUMBER))})(?!\w)"
_HIJRI_YEAR: Final = r"(?P<year>1[34]\d{2})(?!\d)"
# "هـ" folds to "ه" (tatweel dropped); glued ("1445هـ") or spaced, never the start of a word ("1445 هذا").
_HIJRI_SUFFIX: Final = r"(?:\s*ه(?!\w)\.?)?"


def _hijri_date(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None or not MIN_HIJRI_YEAR <= year <= MAX_HIJRI_YEAR:
        return None
    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):  # 30 of a 29-day month, month 13: not a date
        return None


def _build_hijri_named(match: re.Match[str], _reference: dt.datetime | None) -> ParsedDate | None:
    month = _HIJRI_NUMBER.get(_name_key(match["month"]))
    day = _hijri_date(int(match["year"]), month, int(match["day"]))
    return None if day is None else ParsedDate(day, None, None, "")


def _build_hijri_numeric(match: re.Match[str], _reference: dt.datetime | None) -> ParsedDate | None:
    day = _hijri_date(int(match["year"]), int(match["month"]), int(match["day"]))
    return None if day is None else ParsedDate(day, None, None, "")


_UNIT: Final = {_name_key(k).casefold(): v for k, v in RELATIVE_UNITS.items()}
_COUNT: Final = {_name_key(k).casefold(): v for k, v in NUMBER_WORDS.items()}
_DAYS_BACK: Final = {_name_key(k).casefold(): v for k, v in RELATIVE_DAYS.items()}
_ARABIC_UNIT: Final = _alternation([k for k in _UNIT if not k.isascii()])
_ENGLISH_UNIT: Final = _alternation([k for k in _UNIT if k.isascii()])
_ARABIC_COUNT: Final = _alternation([k for k in _COUNT if not k.isascii()])
_ENGLISH_COUNT: Final = _alternation([k for k in _COUNT if k.isascii()])
_WEEKDAY: Final = _alternation(list(WEEKDAYS))
# Where a day word stands as a dateline: after the start or punctuation, before the end, punctuation, a clock
# or a weekday ("أمس الخميس").
_DAY_WORD_BEFORE: Final = r"(?:^|(?<=[^\w\s])|(?<=[^\w\s]\s))"
_DAY_WORD_AFTER: Final = rf"(?=\s*(?:$|[^\w\s]|\d|الساعة|at\s|(?:{_WEEKDAY})(?!\w)))"


def _reference_day(reference: dt.datetime) -> dt.date:
    return reference.date()  # the calendar day in the reference's own offset


def _build_relative_span(match: re.Match[str], reference: dt.datetime | None) -> ParsedDate | None:
    """ "منذ 3 ساعات": an instant (minutes, hours) or a day (days and longer) before ``reference``."""
    if reference is None:
        return None
    step, implied = _UNIT[_name_key(match["unit"]).casefold()]
    raw = match["n"]
    count = implied if raw is None else int(raw) if raw.isdigit() else _COUNT.get(_name_key(raw).casefold())
    if count is None:  # "منذ ساعات": some hours ago, no reading
        return None
    try:
        instant = reference - step * count
    except OverflowError:
        return None
    if instant.year < MIN_YEAR:
        return None
    if step >= dt.timedelta(days=1):
        return ParsedDate(instant.date(), None, None, "")
    return ParsedDate(instant.date(), instant.time().replace(microsecond=0), reference.utcoffset(), "")


def _build_relative_day(match: re.Match[str], reference: dt.datetime | None) -> ParsedDate | None:
    """ "أمس", "اليوم": the reference day, or so many days before it."""
    if reference is None:
        return None
    back = _DAYS_BACK[_name_key(match["rel"]).casefold()]
    return ParsedDate(_reference_day(reference) - dt.timedelta(days=back), None, None, "")


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
    # "18 شوال 1436 هـ", "16 جمادى الأولى 1445هـ", "10 ذي الحجة 1445"
    "hijri_day_month_year": DatePattern(
        re.compile(
            rf"(?<!\d)(?P<day>\d{{1,2}})\s*[,،]?\s*(?:من\s+)?(?P<month>{_HIJRI_MONTH})\s*[,،]?\s*"
            rf"{_HIJRI_YEAR}{_HIJRI_SUFFIX}",
            _FLAGS,
        ),
        _build_hijri_named,
        "hijri",
    ),
    # "١٤٤٥/٠٥/١٦ هـ": a year in the Hijri range is what tells it from a Gregorian numeric date
    "hijri_year_month_day": DatePattern(
        re.compile(
            rf"(?<!\d){_HIJRI_YEAR}\s*[-/.]\s*(?P<month>\d{{1,2}})\s*[-/.]\s*(?P<day>\d{{1,2}})(?!\d)"
            rf"{_HIJRI_SUFFIX}"
        ),
        _build_hijri_numeric,
        "hijri",
    ),
    # "16/05/1445هـ"
    "hijri_day_month_year_numeric": DatePattern(
        re.compile(
            rf"(?<![\d.])(?P<day>\d{{1,2}})\s*[-/.]\s*(?P<month>\d{{1,2}})\s*[-/.]\s*{_HIJRI_YEAR}"
            rf"{_HIJRI_SUFFIX}"
        ),
        _build_hijri_numeric,
        "hijri",
    ),
    # "منذ 3 ساعات", "قبل يومين", "منذ ثلاث دقائق"
    "relative_arabic": DatePattern(
        re.compile(
            rf"(?<!\w)(?:منذ|قبل)\s+(?:(?:حوالي|نحو)\s+)?(?:(?P<n>\d{{1,4}}|{_ARABIC_COUNT})\s*)?"
            rf"(?P<unit>{_ARABIC_UNIT})(?!\w)",
            _FLAGS,
        ),
        _build_relative_span,
        "relative",
    ),
    # "2 hours ago", "an hour ago", "5 mins ago"
    "relative_english": DatePattern(
        re.compile(
            rf"(?<!\w)(?P<n>\d{{1,4}}|{_ENGLISH_COUNT})\s*(?P<unit>{_ENGLISH_UNIT})s?\s+ago(?!\w)", _FLAGS
        ),
        _build_relative_span,
        "relative",
    ),
    # "أمس", "أمس الساعة 10:30 م", "اليوم - 09:15", "yesterday"
    "relative_day": DatePattern(
        re.compile(
            rf"{_DAY_WORD_BEFORE}\s*(?P<rel>{_alternation(list(_DAYS_BACK))})(?!\w){_DAY_WORD_AFTER}",
            _FLAGS,
        ),
        _build_relative_day,
        "relative",
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


@dataclass(frozen=True, slots=True)
class _Reading:
    """One dateline being read: the original text, its folded form and index map, and the reference."""

    text: str
    folded: str
    index: list[int]
    reference: dt.datetime | None


_Candidate = tuple[re.Match[str], DatePattern]


def _candidates(folded: str) -> list[_Candidate]:
    """Absolute dates in position order (registry order at one position), then relative ones."""
    found = [
        (pattern.kind == "relative", match.start(), order, match, pattern)
        for order, pattern in enumerate(DATE_PATTERNS.values())
        for match in pattern.regex.finditer(folded)
    ]
    found.sort(key=lambda c: (c[0], c[1], c[2]))
    return [(match, pattern) for *_, match, pattern in found]


def _read(reading: _Reading, match: re.Match[str], pattern: DatePattern) -> ParsedDate | None:
    found = pattern.build(match, reading.reference)
    if found is None:
        return None
    parsed = _complete(reading.text, reading.folded, reading.index, match, found)
    if reading.reference is not None and _is_future(parsed, reading.reference):
        return None
    return parsed


def _dual_gregorian(
    reading: _Reading, hijri: ParsedDate, hijri_match: re.Match[str], candidates: list[_Candidate]
) -> ParsedDate | None:
    """The Gregorian half of a Hijri-first dual dateline, when there is one and it agrees with the Hijri."""
    for match, pattern in candidates:
        gap = match.start() - hijri_match.end()
        if pattern.kind != "gregorian" or not 0 <= gap <= MAX_DUAL_GAP:
            continue
        gregorian = _read(reading, match, pattern)
        if gregorian is not None and abs(gregorian.date - hijri.date) <= MAX_DUAL_DRIFT:
            start = reading.index[hijri_match.start()]
            end = max(reading.text.find(gregorian.matched, start) + len(gregorian.matched), start)
            return dataclasses.replace(gregorian, matched=reading.text[start:end])
    return None


def parse_dateline(text: str, *, reference_time: dt.datetime | None = None) -> ParsedDate | None:
    """The first real, non-future date in ``text`` with its clock and zone; ``None`` when there is none."""
    folded, index = fold_dateline(text)
    reference = reference_time
    if reference is not None and reference.tzinfo is None:
        reference = reference.replace(tzinfo=dt.UTC)  # a naive "now" is read as UTC, as naba stores times
    reading = _Reading(text, folded, index, reference)
    candidates = _candidates(folded)
    for match, pattern in candidates:
        parsed = _read(reading, match, pattern)
        if parsed is None:
            continue
        if pattern.kind == "hijri":  # a dual dateline's Gregorian date is authoritative
            return _dual_gregorian(reading, parsed, match, candidates) or parsed
        return parsed
    return None
