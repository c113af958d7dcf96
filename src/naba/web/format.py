"""Arabic display formatting for the reader: numerals, numbers, dates, and ingested text made safe to print.

Pure functions, no locale database: the month and weekday names are spelled out here so the output does not
depend on the machine's installed locales. Two numeral systems are supported and chosen by the reader:
``arab`` (Arabic-Indic digits ٠١٢٣٤٥٦٧٨٩, the default) and ``latn`` (Western digits 0-9).

Datetimes are shown in the offset they carry: an article's time stays the wall-clock time its publisher
printed unless the caller passes ``tz`` to convert it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal, TypeGuard

from naba.text.chars import BIDI_CONTROLS

Digits = Literal["arab", "latn"]
DIGIT_SYSTEMS: Final[tuple[Digits, ...]] = ("arab", "latn")
DEFAULT_DIGITS: Final[Digits] = "arab"

# U+0660..U+0669 ARABIC-INDIC DIGIT ZERO..NINE, and the Extended (Persian/Urdu) U+06F0..U+06F9, which
# readers also type into forms.
_TO_ARAB: Final = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
_TO_LATN: Final = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "01234567890123456789",
)
ARABIC_COMMA: Final = "\u060c"  # ،
ARABIC_THOUSANDS_SEPARATOR: Final = "\u066c"  # ٬

# The Gregorian month names used across Egypt, the Gulf and most pan-Arab outlets (the Levantine
# كانون الثاني/شباط/آذار series is understood too, but this one is the most widely read).
MONTHS: Final[tuple[str, ...]] = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
# Indexed by date.weekday(): Monday is 0.
WEEKDAYS: Final[tuple[str, ...]] = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
AM: Final = "ص"  # صباحًا
PM: Final = "م"  # مساءً

_BIDI_CONTROL: Final = re.compile(f"[{BIDI_CONTROLS}]")
_NO_BIDI_CONTROLS: Final = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi_controls(text: str) -> str:
    """``text`` without the bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069).

    Every value a reader template prints goes through this (the Jinja ``finalize`` hook in
    :func:`naba.web.pages.make_environment`). Those controls open a directional scope that only a matching
    PDF/PDI closes; ingested text carries them unbalanced (or on purpose: after an RLO, ``gpj.exe`` displays
    as ``exe.jpg``), and in a ``<title>``, an attribute or a text run they reverse or re-embed everything up to
    the end of the paragraph. The reader isolates ingested strings with markup instead (``dir="auto"``,
    ``<bdi>``), which the browser always closes. LRM, RLM and ALM (U+200E, U+200F, U+061C) are kept: each is
    one zero-width character of strong direction that opens nothing, so it cannot leak past its own text, and
    publishers use them to place punctuation and Latin or digit runs correctly inside Arabic sentences.

    A :class:`markupsafe.Markup` stays ``Markup`` (its ``translate`` returns its own type), so an already
    escaped fragment is not escaped twice.
    """
    if _BIDI_CONTROL.search(text) is None:
        return text
    return text.translate(_NO_BIDI_CONTROLS)


def is_digits(value: object) -> TypeGuard[Digits]:
    return value in DIGIT_SYSTEMS


def parse_digits(value: str | None) -> Digits | None:
    """The numeral system named by ``value`` (``arab`` or ``latn``, any case), or None."""
    if value is None:
        return None
    lowered = value.strip().lower()
    return lowered if is_digits(lowered) else None


def localize_digits(text: str, digits: Digits) -> str:
    """Write the ASCII digits of ``text`` in the chosen numeral system; other characters are kept."""
    return text.translate(_TO_ARAB) if digits == "arab" else text


def latin_digits(text: str) -> str:
    """Replace Arabic-Indic and Extended Arabic-Indic digits with ASCII digits (for parsing reader input)."""
    return text.translate(_TO_LATN)


def format_number(value: int, digits: Digits) -> str:
    """An integer with thousands grouped: ``12٬345`` (arab) or ``12,345`` (latn)."""
    grouped = f"{value:,}"
    if digits == "arab":
        grouped = grouped.replace(",", ARABIC_THOUSANDS_SEPARATOR)
    return localize_digits(grouped, digits)


def format_day(value: dt.date, digits: Digits, *, weekday: bool = False) -> str:
    """A calendar day: ``٣ أغسطس ٢٠١٥``, or ``الاثنين ٣ أغسطس ٢٠١٥`` with ``weekday``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if weekday:
        text = f"{WEEKDAYS[value.weekday()]} {text}"
    return localize_digits(text, digits)


def format_clock(value: dt.time | dt.datetime, digits: Digits) -> str:
    """A 12-hour clock time with the Arabic meridiem letter: ``١٠:٣٦ م``; midnight is ``١٢:٠٠ ص``."""
    hour12 = value.hour % 12 or 12
    meridiem = PM if value.hour >= 12 else AM
    return localize_digits(f"{hour12}:{value.minute:02d} {meridiem}", digits)


def format_datetime(value: dt.date, digits: Digits, *, tz: dt.tzinfo | None = None) -> str:
    """A publication time for display: ``٣ أغسطس ٢٠١٥، ١٠:٣٦ م``; a bare date shows the day only.

    An aware datetime is shown in its own offset, or converted to ``tz`` when given.
    """
    if not isinstance(value, dt.datetime):
        return format_day(value, digits)
    if tz is not None and value.tzinfo is not None:
        value = value.astimezone(tz)
    return f"{format_day(value, digits)}{ARABIC_COMMA} {format_clock(value, digits)}"


def iso_datetime(value: dt.date) -> str:
    """The machine-readable form for ``<time datetime>``: ISO 8601, with offset when there is one."""
    return value.isoformat()
