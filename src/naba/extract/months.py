"""Month, weekday and zone tables for dateline parsing: data only, no behaviour.

Arabic pages use four Gregorian month series (see ``../shared/docs/ARABIC.md``); a site may print two at
once ("3 آب/أغسطس 2015"). Names are written here as sites write them, hamza and all; the parser folds alef
forms (أ إ آ → ا) on both sides before matching, so "اغسطس" and "أغسطس" need only one entry.
Hijri month names (:data:`HIJRI_MONTHS`, Umm al-Qura) and the words of relative datelines ("منذ ساعتين",
"أمس", "2 hours ago": :data:`RELATIVE_UNITS`, :data:`NUMBER_WORDS`, :data:`RELATIVE_DAYS`) are here too.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

# 1. Egyptian / pan-Arab series (transliterated Latin names), with the common spelling variants.
EGYPTIAN_MONTHS: Final[dict[str, int]] = {
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4,
    "إبريل": 4,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "أغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
}

# 2. Levantine (Syriac) series; the two-word months also appear without the article ("تشرين أول").
LEVANTINE_MONTHS: Final[dict[str, int]] = {
    "كانون الثاني": 1,
    "كانون ثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "أيلول": 9,
    "تشرين الأول": 10,
    "تشرين أول": 10,
    "تشرين الثاني": 11,
    "تشرين ثاني": 11,
    "كانون الأول": 12,
    "كانون أول": 12,
}

# 3. Algerian / Tunisian series (French names); months shared with series 1 are not repeated.
MAGHREBI_MONTHS: Final[dict[str, int]] = {
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "أوت": 8,
}

# 4. Moroccan series; months shared with series 1 or 3 are not repeated.
MOROCCAN_MONTHS: Final[dict[str, int]] = {
    "يوليوز": 7,
    "غشت": 8,
    "شتنبر": 9,
    "نونبر": 11,
    "دجنبر": 12,
}

# English names and abbreviations, matched case-insensitively ("30th, November 2023", "Aug 3, 2015").
ENGLISH_MONTHS: Final[dict[str, int]] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

ARABIC_MONTHS: Final[dict[str, int]] = {
    **EGYPTIAN_MONTHS,
    **LEVANTINE_MONTHS,
    **MAGHREBI_MONTHS,
    **MOROCCAN_MONTHS,
}

# Clock markers: ص / صباحاً = AM, م / مساءً = PM (diacritics are stripped before matching).
AM_MARKERS: Final[frozenset[str]] = frozenset({"ص", "صباحا", "صباح", "فجرا", "am", "a.m."})
PM_MARKERS: Final[frozenset[str]] = frozenset({"م", "مساء", "مساءا", "ظهرا", "عصرا", "ليلا", "pm", "p.m."})

# Zones named in words. The offsets are the zones' standard offsets; Cairo and Jerusalem observe summer
# time, which a bare "بتوقيت القاهرة" does not tell apart, so the standard offset is the documented reading.
# "بتوقيت عمان" is left out on purpose: the same letters spell Amman (+03:00) and Oman (+04:00).
NAMED_ZONES: Final[dict[str, dt.timedelta]] = {
    "GMT": dt.timedelta(0),
    "UTC": dt.timedelta(0),
    "غرينتش": dt.timedelta(0),
    "غرينيتش": dt.timedelta(0),
    "جرينتش": dt.timedelta(0),
    "بتوقيت مكة المكرمة": dt.timedelta(hours=3),
    "بتوقيت مكة": dt.timedelta(hours=3),
    "بتوقيت الرياض": dt.timedelta(hours=3),
    "بتوقيت السعودية": dt.timedelta(hours=3),
    "بتوقيت الدوحة": dt.timedelta(hours=3),
    "بتوقيت الكويت": dt.timedelta(hours=3),
    "بتوقيت بغداد": dt.timedelta(hours=3),
    "بتوقيت أبوظبي": dt.timedelta(hours=4),
    "بتوقيت الإمارات": dt.timedelta(hours=4),
    "بتوقيت القاهرة": dt.timedelta(hours=2),
    "بتوقيت القدس": dt.timedelta(hours=2),
    "بتوقيت بيروت": dt.timedelta(hours=2),
    "بتوقيت تونس": dt.timedelta(hours=1),
    "بتوقيت الجزائر": dt.timedelta(hours=1),
    "بتوقيت الرباط": dt.timedelta(hours=1),
}

# Weekdays as datelines print them (both spellings of Monday); alef forms are folded before matching.
WEEKDAYS: Final[tuple[str, ...]] = (
    "الأحد",
    "الاثنين",
    "الإثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
)

# Hijri (Umm al-Qura) month names with the alternative names and spellings sites print: the genitive "ذي"
# ("10 ذي الحجة"), the article dropped ("ربيع أول"), الآخر/الثاني and الآخرة/الثانية. The parser also folds
# alef maqsura to yeh, so "جمادي" needs no entry of its own.
HIJRI_MONTHS: Final[dict[str, int]] = {
    "محرم": 1,
    "المحرم": 1,
    "صفر": 2,
    "ربيع الأول": 3,
    "ربيع أول": 3,
    "ربيع الآخر": 4,
    "ربيع آخر": 4,
    "ربيع الثاني": 4,
    "ربيع ثاني": 4,
    "جمادى الأولى": 5,
    "جمادى الأول": 5,
    "جمادى أولى": 5,
    "جمادى الآخرة": 6,
    "جمادى الآخر": 6,
    "جمادى الثانية": 6,
    "جمادى الثاني": 6,
    "جمادى آخرة": 6,
    "جمادى ثانية": 6,
    "رجب": 7,
    "شعبان": 8,
    "رمضان": 9,
    "شوال": 10,
    "ذو القعدة": 11,
    "ذي القعدة": 11,
    "ذو القعده": 11,
    "ذي القعده": 11,
    "ذو الحجة": 12,
    "ذي الحجة": 12,
    "ذو الحجه": 12,
    "ذي الحجه": 12,
}

# Relative datelines: unit word → (its length of time, the count the word itself implies). Singular words
# imply 1 ("منذ ساعة"), dual words 2 ("منذ ساعتين"); plural words need a number ("منذ 3 ساعات"), so they imply
# None and "منذ ساعات" (some hours ago) reads as nothing. A month is taken as 30 days: an approximate date
# beats none for "منذ شهر", and relative datelines that coarse are rare on article pages.
_MINUTE: Final = dt.timedelta(minutes=1)
_HOUR: Final = dt.timedelta(hours=1)
_DAY: Final = dt.timedelta(days=1)
_WEEK: Final = dt.timedelta(weeks=1)
_MONTH: Final = dt.timedelta(days=30)
RELATIVE_UNITS: Final[dict[str, tuple[dt.timedelta, int | None]]] = {
    "ثانية": (dt.timedelta(seconds=1), 1),
    "ثوان": (dt.timedelta(seconds=1), None),
    "ثواني": (dt.timedelta(seconds=1), None),
    "دقيقة": (_MINUTE, 1),
    "دقيقه": (_MINUTE, 1),
    "دقيقتين": (_MINUTE, 2),
    "دقيقتان": (_MINUTE, 2),
    "دقائق": (_MINUTE, None),
    "ساعة": (_HOUR, 1),
    "ساعه": (_HOUR, 1),
    "ساعتين": (_HOUR, 2),
    "ساعتان": (_HOUR, 2),
    "ساعات": (_HOUR, None),
    "يوم": (_DAY, 1),
    "يومين": (_DAY, 2),
    "يومان": (_DAY, 2),
    "أيام": (_DAY, None),
    "أسبوع": (_WEEK, 1),
    "أسبوعين": (_WEEK, 2),
    "أسبوعان": (_WEEK, 2),
    "أسابيع": (_WEEK, None),
    "شهر": (_MONTH, 1),
    "شهرين": (_MONTH, 2),
    "شهران": (_MONTH, 2),
    "أشهر": (_MONTH, None),
    "شهور": (_MONTH, None),
    "second": (dt.timedelta(seconds=1), None),
    "sec": (dt.timedelta(seconds=1), None),
    "minute": (_MINUTE, None),
    "min": (_MINUTE, None),
    "hour": (_HOUR, None),
    "hr": (_HOUR, None),
    "day": (_DAY, None),
    "week": (_WEEK, None),
    "month": (_MONTH, None),
}

# Counts written as words before a plural unit ("منذ ثلاث ساعات", "an hour ago"); masculine and feminine forms.
NUMBER_WORDS: Final[dict[str, int]] = {
    "واحد": 1,
    "واحدة": 1,
    "ثلاث": 3,
    "ثلاثة": 3,
    "أربع": 4,
    "أربعة": 4,
    "خمس": 5,
    "خمسة": 5,
    "ست": 6,
    "ستة": 6,
    "سبع": 7,
    "سبعة": 7,
    "ثماني": 8,
    "ثمان": 8,
    "ثمانية": 8,
    "تسع": 9,
    "تسعة": 9,
    "عشر": 10,
    "عشرة": 10,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
}

# Day words of relative datelines → days before the reference day ("أمس الأول" is the day before yesterday).
RELATIVE_DAYS: Final[dict[str, int]] = {
    "اليوم": 0,
    "أمس": 1,
    "الأمس": 1,
    "البارحة": 1,
    "أمس الأول": 2,
    "أول أمس": 2,
    "أول من أمس": 2,
    "today": 0,
    "yesterday": 1,
}
