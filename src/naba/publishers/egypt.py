"""Outlets of Egypt and Sudan.

Youm7's and Sada El Balad's names and hosts were read from the saved pages in
``../shared/eval/extraction-real`` (elbaladtv.net names itself "قناة صدى البلد" and links ``/feed/``).
"""

from __future__ import annotations

from typing import Final

from naba.publishers.model import Feed, Phrase, Publisher, Region

_EG, _EGYPT = "EG", Region.EGYPT

AHRAM: Final = Publisher(
    key="ahram",
    name_ar="الأهرام",
    name_en="Al-Ahram",
    other_names_ar=("بوابة الأهرام", "جريدة الأهرام"),
    other_names_en=("Ahram Online",),
    sites=("ahram.org.eg",),
    country=_EG,
    region=_EGYPT,
)
ALMASRY_ALYOUM: Final = Publisher(
    key="almasryalyoum",
    name_ar="المصري اليوم",
    name_en="Al-Masry Al-Youm",
    other_names_ar=("جريدة المصري اليوم",),
    other_names_en=("Almasry Alyoum",),
    sites=("almasryalyoum.com",),
    country=_EG,
    region=_EGYPT,
)
YOUM7: Final = Publisher(
    key="youm7",
    name_ar="اليوم السابع",
    name_en="Youm7",
    other_names_ar=("موقع اليوم السابع",),
    other_names_en=("Youm7.com", "El Youm El Sabea"),
    sites=("youm7.com",),
    country=_EG,
    region=_EGYPT,
    boilerplate=(Phrase("اقرأ أيضا"),),
)
SHOROUK: Final = Publisher(
    key="shorouk",
    name_ar="الشروق",
    name_en="Al-Shorouk",
    other_names_ar=("بوابة الشروق", "الشروق المصرية"),
    other_names_en=("Shorouk News",),
    sites=("shorouknews.com",),
    country=_EG,
    region=_EGYPT,
)
MASRAWY: Final = Publisher(
    key="masrawy",
    name_ar="مصراوي",
    name_en="Masrawy",
    sites=("masrawy.com",),
    country=_EG,
    region=_EGYPT,
)
SADA_ELBALAD: Final = Publisher(
    key="sada-elbalad",
    name_ar="صدى البلد",
    name_en="Sada El Balad",
    other_names_ar=("قناة صدى البلد", "بوابة صدى البلد"),
    other_names_en=("Elbalad News",),
    sites=("elbalad.news", "elbaladtv.net"),
    country=_EG,
    region=_EGYPT,
    feeds=(Feed("https://elbaladtv.net/feed/"),),
    boilerplate=(Phrase("إقرأ أيضاً"),),
)
ALWAFD: Final = Publisher(
    key="alwafd",
    name_ar="الوفد",
    name_en="Al-Wafd",
    other_names_ar=("بوابة الوفد", "جريدة الوفد"),
    sites=("alwafd.news",),
    country=_EG,
    region=_EGYPT,
)
AKHBAR_ELYOM: Final = Publisher(
    key="akhbarelyom",
    name_ar="أخبار اليوم",
    name_en="Akhbar El Yom",
    other_names_ar=("بوابة أخبار اليوم",),
    sites=("akhbarelyom.com",),
    country=_EG,
    region=_EGYPT,
)
CAIRO24: Final = Publisher(
    key="cairo24",
    name_ar="القاهرة 24",
    name_en="Cairo 24",
    sites=("cairo24.com",),
    country=_EG,
    region=_EGYPT,
)
SUDAN_TRIBUNE: Final = Publisher(
    key="sudan-tribune",
    name_ar="سودان تربيون",
    name_en="Sudan Tribune",
    sites=("sudantribune.net",),
    country="SD",
    region=Region.SUDAN,
)

EGYPT: Final[tuple[Publisher, ...]] = (
    AHRAM,
    ALMASRY_ALYOUM,
    YOUM7,
    SHOROUK,
    MASRAWY,
    SADA_ELBALAD,
    ALWAFD,
    AKHBAR_ELYOM,
    CAIRO24,
    SUDAN_TRIBUNE,
)
