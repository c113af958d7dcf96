"""Hypothesis fuzz of naba.extract.dates.parse_dateline: any text, never a crash, never a future date.

Arbitrary Unicode and Arabic-heavy text built from the pieces datelines are made of (month names of every
series, Hijri months, relative words, digits of three scripts, clocks, zones, separators). Runs are bounded by
``max_examples`` and a per-example deadline. Crashers found are kept in ``REGRESSIONS`` below.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naba.extract.dates import parse_dateline
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

PIECES = sorted(
    {
        *ARABIC_MONTHS,
        *ENGLISH_MONTHS,
        *HIJRI_MONTHS,
        *NAMED_ZONES,
        *NUMBER_WORDS,
        *RELATIVE_DAYS,
        *RELATIVE_UNITS,
        *WEEKDAYS,
        *AM_MARKERS,
        *PM_MARKERS,
        "منذ",
        "قبل",
        "ago",
        "الموافق",
        "هـ",
        "م",
        "الساعة",
        "آخر تحديث:",
        "GMT+3",
        "UTC-05:00",
        "+03:00",
        "Z",
        "T",
    }
)
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
SEPARATORS = [" ", "  ", "/", "-", ":", "،", ",", "|", "(", ")", ".", "\u200f", "\u0640", "\u064e", "\n"]
numbers = st.text(alphabet=DIGITS, min_size=1, max_size=5)
piece = st.one_of(st.sampled_from(PIECES), numbers, st.sampled_from(SEPARATORS))
arabic_heavy = st.lists(piece, max_size=14).map("".join)
texts = st.one_of(st.text(max_size=80), arabic_heavy)
references = st.one_of(
    st.none(),
    st.datetimes(
        min_value=dt.datetime(1950, 1, 1),
        max_value=dt.datetime(2090, 1, 1),
        timezones=st.sampled_from(
            [dt.UTC, dt.timezone(dt.timedelta(hours=3)), dt.timezone(-dt.timedelta(hours=5))]
        ),
    ),
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2090, 1, 1)),  # naive: read as UTC
)


def _check(text: str, reference: dt.datetime | None) -> None:
    parsed = parse_dateline(text, reference_time=reference)
    if parsed is None:
        return
    assert parsed.matched and parsed.matched in text
    if reference is None:
        return
    ref = reference if reference.tzinfo else reference.replace(tzinfo=dt.UTC)
    value = parsed.as_published()
    if isinstance(value, dt.datetime):
        assert value <= ref
    else:  # a bare date is future only if it is after the reference day everywhere on earth
        assert value <= (ref.astimezone(dt.UTC) + dt.timedelta(hours=14)).date()


@settings(max_examples=500, deadline=500)
@given(texts, references)
def test_parse_dateline_never_crashes_nor_goes_future(text: str, reference: dt.datetime | None) -> None:
    _check(text, reference)


# Crashers and near-misses found by the fuzzer or by hand, kept as regression cases.
REGRESSIONS: list[tuple[str, dt.datetime | None]] = [
    ("منذ 9999 شهر", dt.datetime(1950, 1, 1, tzinfo=dt.UTC)),  # before MIN_YEAR: no reading, no overflow
    ("منذ 9999 أسبوع", dt.datetime(1, 3, 1, tzinfo=dt.UTC)),  # would underflow datetime.min
    ("اليوم", dt.datetime(1, 1, 1, tzinfo=dt.UTC)),
    ("1 رمضان 9999", None),  # Hijri year out of the tables
    ("0 شوال 1436 هـ", None),
    ("٠٠/٠٠/١٤٤٥ هـ", None),
    ("99:99 منذ ساعة +99:99", dt.datetime(2023, 1, 1, tzinfo=dt.UTC)),
    ("أمس\u200f - \u064e", dt.datetime(2023, 1, 1)),
]


@pytest.mark.parametrize(("text", "reference"), REGRESSIONS)
def test_regressions(text: str, reference: dt.datetime | None) -> None:
    _check(text, reference)
