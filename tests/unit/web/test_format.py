"""Arabic date and numeral formatting for the reader."""

from __future__ import annotations

import datetime as dt

import pytest

from naba.web.format import (
    MONTHS,
    format_clock,
    format_datetime,
    format_day,
    format_number,
    iso_datetime,
    latin_digits,
    localize_digits,
    parse_digits,
)

UTC = dt.UTC
RIYADH = dt.timezone(dt.timedelta(hours=3))


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (dt.datetime(2015, 8, 3, 22, 36, tzinfo=UTC), "arab", "٣ أغسطس ٢٠١٥، ١٠:٣٦ م"),
        (dt.datetime(2015, 8, 3, 22, 36, tzinfo=UTC), "latn", "3 أغسطس 2015، 10:36 م"),
        (dt.datetime(2024, 1, 1, 0, 5, tzinfo=UTC), "arab", "١ يناير ٢٠٢٤، ١٢:٠٥ ص"),  # midnight is 12 AM
        (dt.datetime(2024, 12, 31, 12, 0, tzinfo=UTC), "latn", "31 ديسمبر 2024، 12:00 م"),  # noon is 12 PM
        (
            dt.datetime(2024, 5, 9, 9, 7, tzinfo=RIYADH),
            "latn",
            "9 مايو 2024، 9:07 ص",
        ),  # shown in its own offset
        (dt.date(2015, 8, 2), "arab", "٢ أغسطس ٢٠١٥"),  # a bare date has no time
    ],
)
def test_format_datetime(value: dt.date, digits: str, expected: str) -> None:
    assert format_datetime(value, digits) == expected  # type: ignore[arg-type]


def test_format_datetime_converts_to_a_given_zone() -> None:
    value = dt.datetime(2015, 8, 3, 22, 36, tzinfo=UTC)
    assert format_datetime(value, "latn", tz=RIYADH) == "4 أغسطس 2015، 1:36 ص"


def test_naive_datetime_is_shown_as_is_even_with_tz() -> None:
    assert format_datetime(dt.datetime(2015, 8, 3, 13, 0), "latn", tz=RIYADH) == "3 أغسطس 2015، 1:00 م"


def test_every_month_has_its_name() -> None:
    names = [format_day(dt.date(2020, month, 1), "latn").split()[1] for month in range(1, 13)]
    assert names == list(MONTHS)
    assert len(set(names)) == 12


def test_format_day_with_weekday() -> None:
    assert format_day(dt.date(2015, 8, 3), "arab", weekday=True) == "الاثنين ٣ أغسطس ٢٠١٥"
    assert (
        format_day(dt.datetime(2015, 8, 9, 23, 0, tzinfo=UTC), "latn", weekday=True) == "الأحد 9 أغسطس 2015"
    )


def test_format_clock() -> None:
    assert format_clock(dt.time(0, 0), "arab") == "١٢:٠٠ ص"
    assert format_clock(dt.time(11, 59), "latn") == "11:59 ص"
    assert format_clock(dt.time(13, 1), "latn") == "1:01 م"


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0, "arab", "٠"),
        (7, "latn", "7"),
        (1234567, "arab", "١٬٢٣٤٬٥٦٧"),
        (1234567, "latn", "1,234,567"),
        (999, "arab", "٩٩٩"),
    ],
)
def test_format_number(value: int, digits: str, expected: str) -> None:
    assert format_number(value, digits) == expected  # type: ignore[arg-type]


def test_localize_digits_touches_only_ascii_digits() -> None:
    assert localize_digits("صفحة 12 من 3", "arab") == "صفحة ١٢ من ٣"
    assert localize_digits("صفحة 12", "latn") == "صفحة 12"
    assert localize_digits("iPhone ٦", "arab") == "iPhone ٦"


def test_latin_digits_reads_both_arabic_digit_sets() -> None:
    assert latin_digits("٢٠١٥-٠٨-٠٣") == "2015-08-03"
    assert latin_digits("۱۲۳۴۵۶۷۸۹۰") == "1234567890"  # Extended Arabic-Indic (Persian/Urdu keyboards)
    assert latin_digits("abc 12") == "abc 12"


def test_digits_round_trip() -> None:
    text = "0123456789"
    assert latin_digits(localize_digits(text, "arab")) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("arab", "arab"), ("LATN", "latn"), (" latn ", "latn"), ("roman", None), ("", None), (None, None)],
)
def test_parse_digits(raw: str | None, expected: str | None) -> None:
    assert parse_digits(raw) == expected


def test_iso_datetime_keeps_the_offset() -> None:
    assert iso_datetime(dt.datetime(2015, 8, 3, 22, 36, tzinfo=RIYADH)) == "2015-08-03T22:36:00+03:00"
    assert iso_datetime(dt.date(2015, 8, 3)) == "2015-08-03"


def test_publisher_labels_come_from_the_registry() -> None:
    from naba.web.pages import publisher_label

    assert publisher_label("alriyadh") == "جريدة الرياض"  # a SaudiNewsNet source key
    assert publisher_label("was") == publisher_label("spa.gov.sa")
    assert publisher_label("مدونة لا يعرفها أحد") == "مدونة لا يعرفها أحد"
