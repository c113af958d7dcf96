"""Outlets of the Maghreb: Morocco, Algeria, Tunisia, Libya.

Assabah (Tunisia) was read from the saved page in ``../shared/eval/extraction-real`` ("الصباح | Assabah",
"تابعونا على"). Names shared with Mashriq papers are qualified: Algeria's Echorouk and Ennahar keep their
"أونلاين" names, since the bare "الشروق" and "النهار" are the Egyptian and Lebanese dailies.
"""

from __future__ import annotations

from typing import Final

from naba.publishers.model import Phrase, Publisher, Region

_MAG = Region.MAGHREB

HESPRESS: Final = Publisher(
    key="hespress",
    name_ar="هسبريس",
    name_en="Hespress",
    sites=("hespress.com",),
    country="MA",
    region=_MAG,
)
ALYAOUM24: Final = Publisher(
    key="alyaoum24",
    name_ar="اليوم 24",
    name_en="Alyaoum24",
    sites=("alyaoum24.com",),
    country="MA",
    region=_MAG,
)
HIBAPRESS: Final = Publisher(
    key="hibapress",
    name_ar="هبة بريس",
    name_en="Hibapress",
    sites=("hibapress.com",),
    country="MA",
    region=_MAG,
)
LE360: Final = Publisher(
    key="le360",
    name_ar="لو360",
    name_en="Le360",
    sites=("le360.ma",),
    country="MA",
    region=_MAG,
)
ECHOROUK: Final = Publisher(
    key="echorouk",
    name_ar="الشروق أونلاين",
    name_en="Echorouk Online",
    other_names_ar=("الشروق الجزائرية", "جريدة الشروق اليومي"),
    other_names_en=("Echorouk",),
    sites=("echoroukonline.com",),
    country="DZ",
    region=_MAG,
)
ELKHABAR: Final = Publisher(
    key="elkhabar",
    name_ar="الخبر",
    name_en="El Khabar",
    other_names_ar=("جريدة الخبر",),
    sites=("elkhabar.com",),
    country="DZ",
    region=_MAG,
)
ENNAHAR: Final = Publisher(
    key="ennahar",
    name_ar="النهار أونلاين",
    name_en="Ennahar Online",
    other_names_ar=("النهار الجزائرية",),
    other_names_en=("Ennahar",),
    sites=("ennaharonline.com",),
    country="DZ",
    region=_MAG,
)
ASSABAH_TN: Final = Publisher(
    key="assabah-tn",
    name_ar="الصباح",
    name_en="Assabah",
    other_names_ar=("جريدة الصباح", "الصباح نيوز"),
    other_names_en=("Assabah News",),
    sites=("assabah.com.tn",),
    country="TN",
    region=_MAG,
    boilerplate=(Phrase("تابعونا على"),),
)
MOSAIQUE: Final = Publisher(
    key="mosaiquefm",
    name_ar="موزاييك أف أم",
    name_en="Mosaique FM",
    other_names_ar=("موزاييك",),
    sites=("mosaiquefm.net",),
    country="TN",
    region=_MAG,
)
ALWASAT_LY: Final = Publisher(
    key="alwasat-ly",
    name_ar="بوابة الوسط",
    name_en="Al Wasat",
    other_names_ar=("الوسط الليبية",),
    sites=("alwasat.ly",),
    country="LY",
    region=_MAG,
)

MAGHREB: Final[tuple[Publisher, ...]] = (
    HESPRESS,
    ALYAOUM24,
    HIBAPRESS,
    LE360,
    ECHOROUK,
    ELKHABAR,
    ENNAHAR,
    ASSABAH_TN,
    MOSAIQUE,
    ALWASAT_LY,
)
