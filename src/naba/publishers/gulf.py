"""Outlets of the Arabian Peninsula: Saudi Arabia (all SaudiNewsNet sources), the UAE, Qatar, Kuwait,
Bahrain and Oman.

SaudiNewsNet ``source`` keys and hosts were read from the corpus in ``../shared/data/saudinewsnet`` (its
README writes ``arreyadiyah``; the records say ``arriyadiyah`` on www.arriyadiyah.com, so both are kept).
Al-Jazirah's display name is qualified ("صحيفة الجزيرة") because the bare "الجزيرة" is Al Jazeera's.
"""

from __future__ import annotations

from typing import Final

from naba.publishers.model import Feed, Phrase, Publisher, Region

_SA, _GULF = "SA", Region.GULF

ALEQT: Final = Publisher(
    key="aleqt",
    name_ar="الاقتصادية",
    name_en="Al Eqtisadiah",
    other_names_ar=("صحيفة الاقتصادية",),
    other_names_en=("Aleqtisadiya", "Al-Eqtisadiya"),
    sites=("aleqt.com",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("aleqtisadiya",),
)
AL_JAZIRAH: Final = Publisher(
    key="al-jazirah",
    name_ar="صحيفة الجزيرة",
    name_en="Al-Jazirah",
    other_names_ar=("جريدة الجزيرة", "الجزيرة السعودية"),
    other_names_en=("Al Jazirah newspaper",),
    sites=("al-jazirah.com",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("aljazirah",),
)
AL_MADINA: Final = Publisher(
    key="al-madina",
    name_ar="المدينة",
    name_en="Al-Madina",
    other_names_ar=("صحيفة المدينة", "جريدة المدينة"),
    sites=("al-madina.com",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("almadina",),
)
ALRIYADH: Final = Publisher(
    key="alriyadh",
    name_ar="جريدة الرياض",
    name_en="Al Riyadh",
    other_names_ar=("صحيفة الرياض",),
    other_names_en=("Alriyadh",),
    sites=("alriyadh.com",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("alriyadh",),
)
ALWATAN_SA: Final = Publisher(
    key="alwatan-sa",
    name_ar="الوطن",
    name_en="Al Watan",
    other_names_ar=("صحيفة الوطن", "الوطن السعودية"),
    other_names_en=("Al-Watan (Saudi Arabia)",),
    sites=("alwatan.com.sa",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("alwatan",),
)
ALWEEAM: Final = Publisher(
    key="alweeam",
    name_ar="الوئام",
    name_en="Al Weeam",
    other_names_ar=("صحيفة الوئام",),
    sites=("alweeam.com.sa",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("alweeam",),
)
ALYAUM: Final = Publisher(
    key="alyaum",
    name_ar="اليوم",
    name_en="Alyaum",
    other_names_ar=("صحيفة اليوم", "جريدة اليوم"),
    other_names_en=("Al Yaum",),
    sites=("alyaum.com",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("alyaum",),
    feeds=(Feed("https://www.alyaum.com/rss"),),
)
ARREYADI: Final = Publisher(
    key="arreyadi",
    name_ar="الرياضي",
    name_en="Arreyadi",
    other_names_ar=("صحيفة الرياضي",),
    sites=("arreyadi.com.sa",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("arreyadi",),
)
ARRIYADIYAH: Final = Publisher(
    key="arriyadiyah",
    name_ar="الرياضية",
    name_en="Arriyadiyah",
    other_names_ar=("صحيفة الرياضية",),
    other_names_en=("Arreyadiyah",),
    sites=("arriyadiyah.com", "arreyadiyah.com"),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("arriyadiyah", "arreyadiyah"),
)
OKAZ: Final = Publisher(
    key="okaz",
    name_ar="عكاظ",
    name_en="Okaz",
    other_names_ar=("صحيفة عكاظ",),
    sites=("okaz.com.sa",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("okaz",),
)
SABQ: Final = Publisher(
    key="sabq",
    name_ar="سبق",
    name_en="Sabq",
    other_names_ar=("صحيفة سبق", "سبق الإلكترونية"),
    sites=("sabq.org",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("sabq",),
    boilerplate=(Phrase("تابعوا آخر الأخبار"), Phrase("انضم إلى قناتنا")),
)
AIN_ALYOUM: Final = Publisher(
    key="3alyoum",
    name_ar="عين اليوم",
    name_en="Ain Alyoum",
    other_names_ar=("صحيفة عين اليوم",),
    other_names_en=("3alyoum",),
    sites=("3alyoum.com",),
    country=_SA,
    region=_GULF,
    saudinewsnet_sources=("3alyoum",),
)
ALKHALEEJ: Final = Publisher(
    key="alkhaleej",
    name_ar="الخليج",
    name_en="Al Khaleej",
    other_names_ar=("صحيفة الخليج",),
    sites=("alkhaleej.ae",),
    country="AE",
    region=_GULF,
)
ALBAYAN: Final = Publisher(
    key="albayan",
    name_ar="البيان",
    name_en="Al Bayan",
    other_names_ar=("صحيفة البيان",),
    sites=("albayan.ae",),
    country="AE",
    region=_GULF,
)
EMARAT_ALYOUM: Final = Publisher(
    key="emaratalyoum",
    name_ar="الإمارات اليوم",
    name_en="Emarat Al Youm",
    sites=("emaratalyoum.com",),
    country="AE",
    region=_GULF,
)
ALETIHAD: Final = Publisher(
    key="aletihad",
    name_ar="الاتحاد",
    name_en="Al Ittihad",
    other_names_ar=("صحيفة الاتحاد",),
    other_names_en=("Aletihad",),
    sites=("aletihad.ae",),
    country="AE",
    region=_GULF,
)
ALRAYA: Final = Publisher(
    key="alraya",
    name_ar="الراية",
    name_en="Al Raya",
    other_names_ar=("صحيفة الراية",),
    sites=("raya.com",),
    country="QA",
    region=_GULF,
)
ALSHARQ_QA: Final = Publisher(
    key="alsharq-qa",
    name_ar="الشرق القطرية",
    name_en="Al Sharq",
    other_names_ar=("صحيفة الشرق",),
    sites=("al-sharq.com",),
    country="QA",
    region=_GULF,
)
ALQABAS: Final = Publisher(
    key="alqabas",
    name_ar="القبس",
    name_en="Al Qabas",
    other_names_ar=("جريدة القبس",),
    sites=("alqabas.com",),
    country="KW",
    region=_GULF,
)
ALRAI_KW: Final = Publisher(
    key="alrai-kw",
    name_ar="الراي",
    name_en="Al Rai",
    other_names_ar=("جريدة الراي", "الراي الكويتية"),
    other_names_en=("Alrai Media",),
    sites=("alraimedia.com",),
    country="KW",
    region=_GULF,
)
ALAYAM_BH: Final = Publisher(
    key="alayam-bh",
    name_ar="الأيام",
    name_en="Al Ayam",
    other_names_ar=("صحيفة الأيام البحرينية",),
    sites=("alayam.com",),
    country="BH",
    region=_GULF,
)
AKHBAR_ALKHALEEJ: Final = Publisher(
    key="akhbar-alkhaleej",
    name_ar="أخبار الخليج",
    name_en="Akhbar Al Khaleej",
    sites=("akhbar-alkhaleej.com",),
    country="BH",
    region=_GULF,
)
OMAN_DAILY: Final = Publisher(
    key="omandaily",
    name_ar="جريدة عمان",
    name_en="Oman Daily",
    other_names_ar=("صحيفة عمان",),
    sites=("omandaily.om",),
    country="OM",
    region=_GULF,
)
ATHEER: Final = Publisher(
    key="atheer",
    name_ar="أثير",
    name_en="Atheer",
    other_names_ar=("صحيفة أثير",),
    sites=("atheer.om",),
    country="OM",
    region=_GULF,
)

GULF: Final[tuple[Publisher, ...]] = (
    ALEQT,
    AL_JAZIRAH,
    AL_MADINA,
    ALRIYADH,
    ALWATAN_SA,
    ALWEEAM,
    ALYAUM,
    ARREYADI,
    ARRIYADIYAH,
    OKAZ,
    SABQ,
    AIN_ALYOUM,
    ALKHALEEJ,
    ALBAYAN,
    EMARAT_ALYOUM,
    ALETIHAD,
    ALRAYA,
    ALSHARQ_QA,
    ALQABAS,
    ALRAI_KW,
    ALAYAM_BH,
    AKHBAR_ALKHALEEJ,
    OMAN_DAILY,
    ATHEER,
)
