"""Month, weekday and zone tables for dateline parsing: data only, no behaviour.

Arabic pages use four Gregorian month series (see ``../shared/docs/ARABIC.md``); a site may print two at
once ("3 آب/أغسطس 2015"). Names are written here as sites write them, hamza and all; the parser folds alef
forms (أ إ آ → ا) on both sides before matching, so "اغسطس" and "أغسطس" need only one entry.
Hijri month names (:data:`HIJRI_MONTHS`) are listed so a dual dateline can be recognised; relative phrases are a
later issue.
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

# Hijri (Umm al-Qura) month names, with the common alternative names. A Hijri date is not converted (that
# needs the Umm al-Qura tables); a dateline reader only has to recognise one printed next to the Gregorian date.
HIJRI_MONTHS: Final[dict[str, int]] = {
    "محرم": 1,
    "صفر": 2,
    "ربيع الأول": 3,
    "ربيع الآخر": 4,
    "ربيع الثاني": 4,
    "جمادى الأولى": 5,
    "جمادى الآخرة": 6,
    "جمادى الثانية": 6,
    "رجب": 7,
    "شعبان": 8,
    "رمضان": 9,
    "شوال": 10,
    "ذو القعدة": 11,
    "ذو الحجة": 12,
}
