"""Golden table for naba.extract.dates.parse_dateline, plus the contract's edge rules."""

from __future__ import annotations

import datetime as dt

import pytest

from naba.extract.dates import DATE_PATTERNS, MAX_DUAL_GAP, ParsedDate, parse_dateline

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
    ("١٤٤٥/٠٥/١٦ هـ", "2023-11-30", None, None),  # numeric Hijri, never misread as Gregorian
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
    assert {"day_month_year", "month_day_year", "year_month_day", "day_month_year_numeric"} <= set(
        DATE_PATTERNS
    )
    kinds = {p.kind for p in DATE_PATTERNS.values()}
    assert kinds == {"gregorian", "hijri", "relative"}


# Hijri (Umm al-Qura) datelines as Gulf sites print them: input, expected Gregorian date.
HIJRI: list[tuple[str, str]] = [
    ("18 شوال 1436 هـ", "2015-08-03"),
    ("18 شوال 1436هـ", "2015-08-03"),
    ("16 جمادى الأولى 1445هـ", "2023-11-30"),
    ("16 جمادي الاولى 1445 هـ", "2023-11-30"),  # alef maqsura typed as yeh, bare alef
    ("1 رمضان 1445", "2024-03-11"),  # no suffix: the month name is enough
    ("10 ذو الحجة 1445", "2024-06-16"),
    ("10 ذي الحجة 1445 هـ", "2024-06-16"),  # genitive form
    ("29 ربيع الآخر 1445 هـ", "2023-11-13"),
    ("29 ربيع الثاني 1445 هـ", "2023-11-13"),
    ("15 جمادى الآخرة 1445 هـ", "2023-12-28"),
    ("15 جمادى الثانية 1445 هـ", "2023-12-28"),
    ("1 محرم 1446 هـ", "2024-07-07"),
    ("الجمعة ١٢ ربيع الأول ١٤٤٥ هـ", "2023-09-27"),
    ("١٤٤٥/٠٥/١٦ هـ", "2023-11-30"),
    ("1445/5/16هـ", "2023-11-30"),
    ("16/05/1445هـ", "2023-11-30"),
    ("29 رجب 1445 هـ", "2024-02-10"),
    ("30 رجب 1445 هـ", ""),  # Rajab 1445 has 29 days in Umm al-Qura
    ("31 رمضان 1445 هـ", ""),  # no Hijri month has 31 days
    ("10 رمضان 1600 هـ", ""),  # outside the Umm al-Qura tables
    ("رمضان 1445 هـ", ""),  # no day: not a dateline
    ("العدد 1445 - 16 صفحة", ""),  # an issue number is not a Hijri year
]


@pytest.mark.parametrize(("text", "date"), HIJRI)
def test_hijri(text: str, date: str) -> None:
    parsed = parse_dateline(text, reference_time=REF)
    if not date:
        assert parsed is None
        return
    assert parsed is not None and parsed.date == dt.date.fromisoformat(date)
    assert parsed.time is None and parsed.matched in text


# Dual datelines: the Gregorian date is authoritative, in either order, when both halves agree.
DUAL: list[tuple[str, str]] = [
    ("الاثنين 3 أغسطس 2015 - 18 شوال 1436 هـ", "2015-08-03"),
    ("الثلاثاء 5 شوال 1436 هـ - 21 يوليو 2015 م", "2015-07-21"),
    ("الاثنين 29 ربيع الآخر 1445 هـ الموافق 13 نوفمبر 2023 م", "2023-11-13"),
    ("السبت 9 ذي الحجة 1445هـ الموافق 15 يونيو 2024م", "2024-06-15"),
    ("الخميس 16 جمادى الأولى 1445 هـ | 30 تشرين الثاني 2023", "2023-11-30"),
    # A sighting a day off Umm al-Qura: still one dateline, the Gregorian half wins.
    ("17 شوال 1436 هـ الموافق 3 أغسطس 2015 م", "2015-08-03"),
    # Halves that disagree are not one dateline: the first (Hijri) date stands.
    ("18 شوال 1436 هـ - وكان قد نشر في 3 مايو 2015", "2015-08-03"),
]


@pytest.mark.parametrize(("text", "date"), DUAL)
def test_dual_hijri_gregorian(text: str, date: str) -> None:
    parsed = parse_dateline(text, reference_time=REF)
    assert parsed is not None and parsed.date == dt.date.fromisoformat(date)
    assert parsed.matched in text


def test_dual_matched_spans_both_halves() -> None:
    text = "الاثنين 29 ربيع الآخر 1445 هـ الموافق 13 نوفمبر 2023 م"
    parsed = parse_dateline(text)
    assert parsed is not None and parsed.matched.startswith("29 ربيع") and "نوفمبر 2023" in parsed.matched


def test_dual_gap_is_bounded() -> None:
    far = "18 شوال 1436 هـ" + " " + "نص " * MAX_DUAL_GAP + "4 أغسطس 2015"
    parsed = parse_dateline(far)
    assert parsed is not None and parsed.date == dt.date(2015, 8, 3)


NOW = dt.datetime(2023, 11, 30, 12, 0, tzinfo=dt.UTC)
# Relative datelines against NOW: input, expected date, "HH:MM" or None, offset or None.
RELATIVE: list[tuple[str, str, str | None, dt.timedelta | None]] = [
    ("منذ دقيقة", "2023-11-30", "11:59", dt.timedelta(0)),
    ("منذ دقيقتين", "2023-11-30", "11:58", dt.timedelta(0)),
    ("منذ 5 دقائق", "2023-11-30", "11:55", dt.timedelta(0)),
    ("منذ ٥ دقائق", "2023-11-30", "11:55", dt.timedelta(0)),
    ("نُشر منذ ساعة", "2023-11-30", "11:00", dt.timedelta(0)),
    ("منذ ساعتين", "2023-11-30", "10:00", dt.timedelta(0)),
    ("منذ 3 ساعات", "2023-11-30", "09:00", dt.timedelta(0)),
    ("منذ ثلاث ساعات", "2023-11-30", "09:00", dt.timedelta(0)),
    ("منذ 14 ساعة", "2023-11-29", "22:00", dt.timedelta(0)),
    ("قبل 3 ساعات", "2023-11-30", "09:00", dt.timedelta(0)),
    ("منذ يوم", "2023-11-29", None, None),
    ("منذ يومين", "2023-11-28", None, None),
    ("قبل 4 أيام", "2023-11-26", None, None),
    ("منذ أسبوع", "2023-11-23", None, None),
    ("منذ أسبوعين", "2023-11-16", None, None),
    ("أمس", "2023-11-29", None, None),
    ("الأمس", "2023-11-29", None, None),
    ("أول أمس", "2023-11-28", None, None),
    ("أمس الخميس", "2023-11-29", None, None),
    ("نشر: أمس الساعة 10:30 م", "2023-11-29", "22:30", None),
    ("اليوم - 09:15 بتوقيت مكة المكرمة", "2023-11-30", "09:15", 3 * H),
    ("اليوم", "2023-11-30", None, None),
    ("2 hours ago", "2023-11-30", "10:00", dt.timedelta(0)),
    ("an hour ago", "2023-11-30", "11:00", dt.timedelta(0)),
    ("3 days ago", "2023-11-27", None, None),
    ("Yesterday", "2023-11-29", None, None),
    ("منذ ساعات", "", None, None),  # "some hours": no count, no reading
    ("اليوم السابع", "", None, None),  # a newspaper's name, not today
    ("قال الوزير اليوم إن", "", None, None),  # prose, not a dateline
    ("اليوم 23:30 بتوقيت مكة المكرمة", "", None, None),  # later than NOW: never a future date
]


@pytest.mark.parametrize(("text", "date", "clock", "offset"), RELATIVE)
def test_relative(text: str, date: str, clock: str | None, offset: dt.timedelta | None) -> None:
    parsed = parse_dateline(text, reference_time=NOW)
    if not date:
        assert parsed is None
        return
    assert parsed is not None
    assert parsed.date == dt.date.fromisoformat(date)
    assert (parsed.time.strftime("%H:%M") if parsed.time else None) == clock
    assert parsed.utc_offset == offset
    assert parsed.matched in text


def test_relative_needs_a_reference() -> None:
    for text in ("منذ ساعتين", "أمس", "اليوم", "2 hours ago"):
        assert parse_dateline(text) is None


def test_relative_in_reference_offset() -> None:
    cairo = dt.datetime(2023, 11, 30, 1, 0, tzinfo=dt.timezone(2 * H))
    parsed = parse_dateline("منذ ساعتين", reference_time=cairo)
    assert parsed is not None and parsed.date == dt.date(2023, 11, 29) and parsed.utc_offset == 2 * H
    assert parse_dateline("أمس", reference_time=cairo) == ParsedDate(dt.date(2023, 11, 29), None, None, "أمس")


def test_absolute_date_beats_relative() -> None:
    parsed = parse_dateline("اليوم، الخميس 23 نوفمبر 2023", reference_time=NOW)
    assert parsed is not None and parsed.date == dt.date(2023, 11, 23)
