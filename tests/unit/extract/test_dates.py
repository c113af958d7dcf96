"""Golden table for naba.extract.dates.parse_dateline, plus the contract's edge rules."""

from __future__ import annotations

import datetime as dt

import pytest

from naba.extract.dates import DATE_PATTERNS, ParsedDate, parse_dateline

REF = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)

# input, expected date, expected "HH:MM" or None, expected offset or None
GOLDEN: list[tuple[str, str, str | None, dt.timedelta | None]] = [
    ("تاريخ النشر: 30th, November 2023 GMT", "2023-11-30", None, dt.timedelta(0)),
    ("الخميس 30 نوفمبر 2023", "2023-11-30", None, None),
    ("الخميس، 30 تشرين الثاني 2023", "2023-11-30", None, None),
    ("5 كانون الثاني 2024", "2024-01-05", None, None),
    ("1 كانون أول 2019", "2019-12-01", None, None),
    ("٣٠ نوفمبر ٢٠٢٣", "2023-11-30", None, None),
    ("۳۰ نوفمبر ۲۰۲۳", "2023-11-30", None, None),
    ("٢١ يوليو ٢٠١٥", "2015-07-21", None, None),
    ("24 نوفمبر/ تشرين الثاني 2023", "2023-11-24", None, None),
    ("3 آب/أغسطس 2015", "2015-08-03", None, None),
    ("3 اغسطس 2015", "2015-08-03", None, None),
    ("10 إبريل 2016", "2016-04-10", None, None),
    ("9 يونيه 2016", "2016-06-09", None, None),
    ("03 جانفي 2024", "2024-01-03", None, None),
    ("12 فيفري 2024", "2024-02-12", None, None),
    ("15 أوت 2023", "2023-08-15", None, None),
    ("2 جويلية 2022", "2022-07-02", None, None),
    ("4 ماي 2022", "2022-05-04", None, None),
    ("14 يوليوز 2021", "2021-07-14", None, None),
    ("20 غشت 2021", "2021-08-20", None, None),
    ("شتنبر 2021", "", None, None),  # no day: not a dateline
    ("9 شتنبر 2021", "2021-09-09", None, None),
    ("11 نونبر 2020", "2020-11-11", None, None),
    ("7 دجنبر 2020", "2020-12-07", None, None),
    ("نشر في: 12 مايو 2025 - 10:30 م", "2025-05-12", "22:30", None),
    ("12 أيار 2025 الساعة 10:30 صباحاً", "2025-05-12", "10:30", None),
    ("12 أيار 2025 الساعة 12:10 ص", "2025-05-12", "00:10", None),
    ("12 أيار 2025 الساعة 9:05 مساءً", "2025-05-12", "21:05", None),
    ("الخميس 30-11-2023 | 05:30 م", "2023-11-30", "17:30", None),
    ("2023/11/30 14:05", "2023-11-30", "14:05", None),
    ("2015/7/21", "2015-07-21", None, None),
    ("21-07-2015", "2015-07-21", None, None),
    ("30/11/2023", "2023-11-30", None, None),
    ("11/30/2023", "2023-11-30", None, None),  # month-first only when day-first is impossible
    ("٢٠٢٣-١١-٣٠T٠٩:١٥:٠٠+٠٣:٠٠", "2023-11-30", "09:15", 3 * H),
    ("2023-11-30T09:15:00Z", "2023-11-30", "09:15", dt.timedelta(0)),
    ("آخر تحديث: الأربعاء 29 نوفمبر 2023 - 21:47 بتوقيت مكة المكرمة", "2023-11-29", "21:47", 3 * H),
    ("الأربعاء 29 نوفمبر 2023 - 21:47 بتوقيت القاهرة", "2023-11-29", "21:47", 2 * H),
    ("30 نوفمبر، 2023 الساعة 3:15 م (غرينتش)", "2023-11-30", "15:15", dt.timedelta(0)),
    ("Aug 3, 2015 14:05 GMT+3", "2015-08-03", "14:05", 3 * H),
    ("November 30th, 2023", "2023-11-30", None, None),
    ("الاثنين 3 أغسطس 2015 الساعة 10:36 (+03:00)", "2015-08-03", "10:36", 3 * H),
    ("الأحد 2 أغسطس 2015م", "2015-08-02", None, None),
    ("الاثنين 3 أغسطس 2015 - 18 شوال 1436 هـ", "2015-08-03", None, None),
    ("الاثنين 29 ربيع الآخر 1445 هـ الموافق 13 نوفمبر 2023 م", "2023-11-13", None, None),
    ("31 أبريل 2023", "", None, None),  # no such day
    ("١٤٤٥/٠٥/١٦ هـ", "", None, None),  # Hijri: a later pattern, never misread as Gregorian
    ("منذ ساعتين", "", None, None),  # relative: a later pattern
    ("بلغ عدد الزوار 2.3 مليون", "", None, None),
]


@pytest.mark.parametrize(("text", "date", "clock", "offset"), GOLDEN)
def test_golden(text: str, date: str, clock: str | None, offset: dt.timedelta | None) -> None:
    parsed = parse_dateline(text, reference_time=REF)
    if not date:
        assert parsed is None
        return
    assert parsed is not None
    assert parsed.date == dt.date.fromisoformat(date)
    assert (parsed.time.strftime("%H:%M") if parsed.time else None) == clock
    assert parsed.utc_offset == offset
    assert parsed.matched and parsed.matched in text


def test_matched_is_original_text() -> None:
    parsed = parse_dateline("نُشر بتاريخ: الثلاثاء ٢١ يوليو ٢٠١٥ - ١٠:٣٠ ص")
    assert parsed is not None
    assert parsed.matched == "٢١ يوليو ٢٠١٥ - ١٠:٣٠ ص"


def test_never_future() -> None:
    assert parse_dateline("30 نوفمبر 2099", reference_time=REF) is None
    assert parse_dateline("30 نوفمبر 2099") is not None  # without a reference nothing is "future"
    # A later date is skipped in favour of a real one further on.
    parsed = parse_dateline("30 نوفمبر 2099 - 1 مايو 2020", reference_time=REF)
    assert parsed is not None and parsed.date == dt.date(2020, 5, 1)


def test_future_depends_on_zone() -> None:
    ref = dt.datetime(2023, 11, 30, 22, 0, tzinfo=dt.UTC)
    # 1 Dec has begun in Makkah at 22:00 UTC, so a Makkah-time "1 December" is not future...
    assert parse_dateline("1 ديسمبر 2023 بتوقيت مكة المكرمة", reference_time=ref) is not None
    # ...but 1 December at 23:30 Makkah time is.
    assert parse_dateline("1 ديسمبر 2023 - 23:30 بتوقيت مكة المكرمة", reference_time=ref) is None
    # Without a zone, 1 December already exists somewhere on earth.
    assert parse_dateline("1 ديسمبر 2023", reference_time=ref) is not None
    # A naive reference is read as UTC.
    assert parse_dateline("2 ديسمبر 2023", reference_time=ref.replace(tzinfo=None)) is None


def test_as_published() -> None:
    day = dt.date(2023, 11, 30)
    assert ParsedDate(day, None, dt.timedelta(0), "").as_published() == day
    assert ParsedDate(day, dt.time(10, 36), None, "").as_published() == day
    aware = ParsedDate(day, dt.time(10, 36), 3 * H, "").as_published()
    assert isinstance(aware, dt.datetime)
    assert aware.utcoffset() == 3 * H and aware.hour == 10
    defaulted = ParsedDate(day, dt.time(10, 36), None, "").as_published(default_offset=dt.timedelta(0))
    assert isinstance(defaulted, dt.datetime) and defaulted.utcoffset() == dt.timedelta(0)


def test_patterns_are_a_registry() -> None:
    # Hijri and relative datelines slot in as new entries; the four Gregorian shapes are there now.
    assert {"day_month_year", "month_day_year", "year_month_day", "day_month_year_numeric"} <= set(
        DATE_PATTERNS
    )
