"""Arabic display formatting for the reader: numerals, numbers, plurals, dates, and ingested text made safe
to print.

Numbers, plural forms and dates come from CLDR through Babel (locale ``ar``), not from hand-written rules:
:func:`format_number` groups digits as CLDR says, :func:`count_phrase` picks the CLDR plural category of a
number and says the noun in it (the phrases per category are data: ``naba/data/plural-nouns.tsv``), month and
weekday names and the meridiem are CLDR's. Two numeral systems are supported and chosen by the reader:
``arab`` (Arabic-Indic digits ٠١٢٣٤٥٦٧٨٩, the default) and ``latn`` (Western digits 0-9).

Times are shown in the reader's time zone (the ``timezone`` setting, default Asia/Riyadh): every page passes
it as ``tz``. An aware datetime is converted; without ``tz`` it is shown in the offset it carries; a naive
one is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from typing import Final, Literal, TypeGuard

from babel import Locale
from babel.dates import format_datetime as babel_datetime
from babel.dates import get_month_names
from babel.numbers import format_decimal

from naba import knowledge
from naba.text.chars import BIDI_CONTROLS

Digits = Literal["arab", "latn"]
DIGIT_SYSTEMS: Final[tuple[Digits, ...]] = ("arab", "latn")
DEFAULT_DIGITS: Final[Digits] = "arab"
LOCALE: Final = Locale("ar")

# U+0660..U+0669 ARABIC-INDIC DIGIT ZERO..NINE, and the Extended (Persian/Urdu) U+06F0..U+06F9, which
# readers also type into forms.
_TO_ARAB: Final = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
_TO_LATN: Final = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "01234567890123456789",
)
ARABIC_COMMA: Final = "\u060c"  # ،

# CLDR's Gregorian month names for Arabic (يناير .. ديسمبر, the series most pan-Arab outlets print).
MONTHS: Final[tuple[str, ...]] = tuple(get_month_names("wide", locale=LOCALE)[m] for m in range(1, 13))
# CLDR patterns: day, day with weekday, clock (h:mm a gives ص / م).
DAY_PATTERN: Final = "d MMMM y"
WEEKDAY_PATTERN: Final = "EEEE d MMMM y"
CLOCK_PATTERN: Final = "h:mm a"

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
    """An integer grouped as CLDR says for Arabic: ``12٬345`` (arab) or ``12,345`` (latn)."""
    # Babel applies the numbering system's symbols (the Arabic thousands separator ٬) but writes ASCII digits.
    return localize_digits(format_decimal(value, locale=LOCALE, numbering_system=digits), digits)


def plural_category(value: int) -> str:
    """The CLDR plural category of ``value`` in Arabic: zero, one, two, few, many or other."""
    return LOCALE.plural_form(abs(value))


def count_phrase(value: int, noun: str, digits: Digits) -> str:
    """``value`` of ``noun`` (a key of ``plural-nouns.tsv``) in correct Arabic: «مقال واحد»، «مقالان»،
    «٣ مقالات»، «١١ مقالًا»، «١٠٠ مقال»."""
    phrase = knowledge.plural_nouns()[noun][plural_category(value)]
    return phrase.replace("{n}", format_number(value, digits))


@functools.cache
def zone(name: str) -> dt.tzinfo:
    """The IANA time zone ``name`` (validated when settings load)."""
    return zoneinfo.ZoneInfo(name)


def _in_zone(value: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    if tz is not None and value.tzinfo is not None:
        return value.astimezone(tz)
    return value


def _babel(value: dt.datetime, pattern: str, digits: Digits) -> str:
    # Babel reads a naive datetime as UTC and converts to ``tzinfo``; the value is already in the zone to show.
    naive = value.replace(tzinfo=None)
    return localize_digits(babel_datetime(naive, pattern, tzinfo=dt.UTC, locale=LOCALE), digits)


def format_day(value: dt.date, digits: Digits, *, weekday: bool = False, tz: dt.tzinfo | None = None) -> str:
    """A calendar day: ``٣ أغسطس ٢٠١٥``, or ``الاثنين ٣ أغسطس ٢٠١٥`` with ``weekday``; a datetime is first
    converted to ``tz``."""
    if isinstance(value, dt.datetime):
        moment = _in_zone(value, tz)
    else:
        moment = dt.datetime(value.year, value.month, value.day)
    return _babel(moment, WEEKDAY_PATTERN if weekday else DAY_PATTERN, digits)


def format_clock(value: dt.time | dt.datetime, digits: Digits, *, tz: dt.tzinfo | None = None) -> str:
    """A 12-hour clock time with CLDR's Arabic meridiem: ``١٠:٣٦ م``; midnight is ``١٢:٠٠ ص``."""
    if isinstance(value, dt.datetime):
        moment = _in_zone(value, tz)
    else:
        moment = dt.datetime.combine(dt.date(2000, 1, 1), value)
    return _babel(moment, CLOCK_PATTERN, digits)


def format_datetime(value: dt.date, digits: Digits, *, tz: dt.tzinfo | None = None) -> str:
    """A publication time for display: ``٣ أغسطس ٢٠١٥، ١٠:٣٦ م``; a bare date shows the day only.

    An aware datetime is converted to ``tz`` when given, else shown in its own offset.
    """
    if not isinstance(value, dt.datetime):
        return format_day(value, digits)
    moment = _in_zone(value, tz)
    return f"{format_day(moment, digits)}{ARABIC_COMMA} {format_clock(moment, digits)}"


def local_date(value: dt.date, tz: dt.tzinfo) -> dt.date:
    """The calendar day ``value`` falls on in ``tz`` (a bare date is its own day)."""
    if isinstance(value, dt.datetime):
        return _in_zone(value, tz).date()
    return value


def iso_datetime(value: dt.date) -> str:
    """The machine-readable form for ``<time datetime>``: ISO 8601, with offset when there is one."""
    return value.isoformat()
