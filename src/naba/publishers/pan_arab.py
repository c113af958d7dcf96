"""Pan-Arab outlets: satellite channels, London dailies and the Arabic services of foreign broadcasters.

``country`` is the headquarters (or the owner's country for Saudi-owned London papers). Asharq Al-Awsat is
a SaudiNewsNet source. CNN Arabic's name and host were read from the saved page in
``../shared/eval/extraction-real``.
"""

from __future__ import annotations

from typing import Final

from naba.publishers.model import Feed, Publisher, Region

_PAN = Region.PAN_ARAB

ALJAZEERA: Final = Publisher(
    key="aljazeera",
    name_ar="الجزيرة",
    name_en="Al Jazeera",
    other_names_ar=("الجزيرة نت", "قناة الجزيرة"),
    other_names_en=("Aljazeera.net", "Al Jazeera Arabic"),
    sites=("aljazeera.net",),
    country="QA",
    region=_PAN,
)
ALARABIYA: Final = Publisher(
    key="alarabiya",
    name_ar="العربية",
    name_en="Al Arabiya",
    other_names_ar=("العربية نت", "قناة العربية"),
    other_names_en=("Alarabiya.net",),
    sites=("alarabiya.net",),
    country="AE",
    region=_PAN,
)
SKYNEWS_ARABIA: Final = Publisher(
    key="skynewsarabia",
    name_ar="سكاي نيوز عربية",
    name_en="Sky News Arabia",
    sites=("skynewsarabia.com",),
    country="AE",
    region=_PAN,
)
AAWSAT: Final = Publisher(
    key="aawsat",
    name_ar="الشرق الأوسط",
    name_en="Asharq Al-Awsat",
    other_names_ar=("صحيفة الشرق الأوسط",),
    other_names_en=("Aawsat",),
    sites=("aawsat.com",),
    country="SA",
    region=_PAN,
    saudinewsnet_sources=("aawsat",),
)
ASHARQ_NEWS: Final = Publisher(
    key="asharq",
    name_ar="الشرق للأخبار",
    name_en="Asharq News",
    other_names_ar=("الشرق بلومبرغ",),
    sites=("asharq.com",),
    country="SA",
    region=_PAN,
)
INDEPENDENT_ARABIA: Final = Publisher(
    key="independentarabia",
    name_ar="اندبندنت عربية",
    name_en="Independent Arabia",
    other_names_ar=("إندبندنت عربية",),
    sites=("independentarabia.com",),
    country="GB",
    region=_PAN,
)
ALQUDS_ALARABI: Final = Publisher(
    key="alquds-alarabi",
    name_ar="القدس العربي",
    name_en="Al-Quds Al-Arabi",
    sites=("alquds.co.uk",),
    country="GB",
    region=_PAN,
)
ALARABY: Final = Publisher(
    key="alaraby",
    name_ar="العربي الجديد",
    name_en="Al-Araby Al-Jadeed",
    other_names_en=("The New Arab",),
    sites=("alaraby.co.uk",),
    country="GB",
    region=_PAN,
)
ARABI21: Final = Publisher(
    key="arabi21",
    name_ar="عربي21",
    name_en="Arabi21",
    other_names_ar=("عربي 21",),
    sites=("arabi21.com",),
    country="GB",
    region=_PAN,
)
ALMAYADEEN: Final = Publisher(
    key="almayadeen",
    name_ar="الميادين",
    name_en="Al Mayadeen",
    other_names_ar=("الميادين نت", "قناة الميادين"),
    sites=("almayadeen.net",),
    country="LB",
    region=_PAN,
)
BBC_ARABIC: Final = Publisher(
    key="bbc-arabic",
    name_ar="بي بي سي عربي",
    name_en="BBC Arabic",
    other_names_ar=("بي بي سي",),
    other_names_en=("BBC News Arabic",),
    sites=("bbc.com/arabic", "bbc.co.uk/arabic"),
    country="GB",
    region=_PAN,
    feeds=(Feed("https://feeds.bbci.co.uk/arabic/rss.xml"),),
)
CNN_ARABIC: Final = Publisher(
    key="cnn-arabic",
    name_ar="سي إن إن بالعربية",
    name_en="CNN Arabic",
    other_names_ar=("سي ان ان بالعربية", "سي إن إن"),
    other_names_en=("CNNArabic", "CNNArabic.com"),
    sites=("arabic.cnn.com", "cnnarabic.com"),
    country="US",
    region=_PAN,
)
RT_ARABIC: Final = Publisher(
    key="rt-arabic",
    name_ar="روسيا اليوم",
    name_en="RT Arabic",
    other_names_ar=("آر تي عربي", "RT عربي"),
    sites=("arabic.rt.com",),
    country="RU",
    region=_PAN,
    feeds=(Feed("https://arabic.rt.com/rss/"),),
)
FRANCE24_ARABIC: Final = Publisher(
    key="france24-arabic",
    name_ar="فرانس 24",
    name_en="France 24 Arabic",
    other_names_ar=("فرانس24",),
    sites=("france24.com/ar",),
    country="FR",
    region=_PAN,
    feeds=(Feed("https://www.france24.com/ar/rss"),),
)
DW_ARABIC: Final = Publisher(
    key="dw-arabic",
    name_ar="دويتشه فيله",
    name_en="DW Arabic",
    other_names_ar=("DW عربية", "دويتشه فيله عربية"),
    sites=("dw.com/ar",),
    country="DE",
    region=_PAN,
)
ALHURRA: Final = Publisher(
    key="alhurra",
    name_ar="الحرة",
    name_en="Alhurra",
    other_names_ar=("قناة الحرة",),
    sites=("alhurra.com",),
    country="US",
    region=_PAN,
)
EURONEWS_ARABIC: Final = Publisher(
    key="euronews-arabic",
    name_ar="يورونيوز",
    name_en="Euronews Arabic",
    other_names_ar=("يورو نيوز",),
    sites=("arabic.euronews.com",),
    country="FR",
    region=_PAN,
)

PAN_ARAB: Final[tuple[Publisher, ...]] = (
    ALJAZEERA,
    ALARABIYA,
    SKYNEWS_ARABIA,
    AAWSAT,
    ASHARQ_NEWS,
    INDEPENDENT_ARABIA,
    ALQUDS_ALARABI,
    ALARABY,
    ARABI21,
    ALMAYADEEN,
    BBC_ARABIC,
    CNN_ARABIC,
    RT_ARABIC,
    FRANCE24_ARABIC,
    DW_ARABIC,
    ALHURRA,
    EURONEWS_ARABIC,
)
