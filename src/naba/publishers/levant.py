"""Outlets of the Levant (Jordan, Lebanon, Syria, Palestine) and Iraq.

LBCI's host and page furniture were read from the saved page in ``../shared/eval/extraction-real``.
"""

from __future__ import annotations

from typing import Final

from naba.publishers.model import Feed, Publisher, Region

_LEV = Region.LEVANT

ALGHAD: Final = Publisher(
    key="alghad",
    name_ar="الغد",
    name_en="Al Ghad",
    other_names_ar=("صحيفة الغد", "الغد الأردنية"),
    sites=("alghad.com",),
    country="JO",
    region=_LEV,
)
AMMON: Final = Publisher(
    key="ammon",
    name_ar="عمون",
    name_en="Ammon News",
    other_names_ar=("وكالة عمون الإخبارية",),
    sites=("ammonnews.net",),
    country="JO",
    region=_LEV,
)
ROYA: Final = Publisher(
    key="roya",
    name_ar="رؤيا",
    name_en="Roya News",
    other_names_ar=("قناة رؤيا", "رؤيا الإخباري"),
    sites=("royanews.tv",),
    country="JO",
    region=_LEV,
)
ADDUSTOUR: Final = Publisher(
    key="addustour",
    name_ar="الدستور",
    name_en="Addustour",
    other_names_ar=("جريدة الدستور الأردنية",),
    sites=("addustour.com",),
    country="JO",
    region=_LEV,
)
ANNAHAR: Final = Publisher(
    key="annahar",
    name_ar="النهار",
    name_en="An-Nahar",
    other_names_ar=("جريدة النهار", "النهار اللبنانية"),
    other_names_en=("Annahar",),
    sites=("annahar.com",),
    country="LB",
    region=_LEV,
)
ALAKHBAR_LB: Final = Publisher(
    key="al-akhbar",
    name_ar="الأخبار",
    name_en="Al Akhbar",
    other_names_ar=("جريدة الأخبار اللبنانية",),
    sites=("al-akhbar.com",),
    country="LB",
    region=_LEV,
)
LBCI: Final = Publisher(
    key="lbci",
    name_ar="إل بي سي آي",
    name_en="LBCI",
    other_names_ar=("المؤسسة اللبنانية للإرسال",),
    other_names_en=("LBC", "LBCIV7", "Lebanese Broadcasting Corporation International"),
    sites=("lbcgroup.tv",),
    country="LB",
    region=_LEV,
)
MTV_LB: Final = Publisher(
    key="mtv-lebanon",
    name_ar="إم تي في",
    name_en="MTV Lebanon",
    other_names_ar=("قناة إم تي في اللبنانية",),
    sites=("mtv.com.lb",),
    country="LB",
    region=_LEV,
)
ALMODON: Final = Publisher(
    key="almodon",
    name_ar="المدن",
    name_en="Almodon",
    other_names_ar=("جريدة المدن الإلكترونية",),
    sites=("almodon.com",),
    country="LB",
    region=_LEV,
)
ENAB_BALADI: Final = Publisher(
    key="enab-baladi",
    name_ar="عنب بلدي",
    name_en="Enab Baladi",
    sites=("enabbaladi.net",),
    country="SY",
    region=_LEV,
    feeds=(Feed("https://www.enabbaladi.net/feed"),),
)
SYRIA_TV: Final = Publisher(
    key="syria-tv",
    name_ar="تلفزيون سوريا",
    name_en="Syria TV",
    sites=("syria.tv",),
    country="SY",
    region=_LEV,
)
ALQUDS: Final = Publisher(
    key="alquds",
    name_ar="القدس",
    name_en="Al-Quds",
    other_names_ar=("صحيفة القدس", "جريدة القدس"),
    sites=("alquds.com",),
    country="PS",
    region=_LEV,
)
MAAN: Final = Publisher(
    key="maan",
    name_ar="معا",
    name_en="Maan News",
    other_names_ar=("وكالة معا الإخبارية", "وكالة معا"),
    sites=("maannews.net",),
    country="PS",
    region=_LEV,
)
ALSUMARIA: Final = Publisher(
    key="alsumaria",
    name_ar="السومرية",
    name_en="Alsumaria",
    other_names_ar=("السومرية نيوز", "قناة السومرية"),
    sites=("alsumaria.tv",),
    country="IQ",
    region=Region.IRAQ,
)
SHAFAQ: Final = Publisher(
    key="shafaq",
    name_ar="شفق نيوز",
    name_en="Shafaq News",
    sites=("shafaq.com",),
    country="IQ",
    region=Region.IRAQ,
)
RUDAW: Final = Publisher(
    key="rudaw",
    name_ar="روداو",
    name_en="Rudaw",
    other_names_ar=("شبكة روداو الإعلامية",),
    sites=("rudaw.net/arabic",),
    country="IQ",
    region=Region.IRAQ,
)

LEVANT: Final[tuple[Publisher, ...]] = (
    ALGHAD,
    AMMON,
    ROYA,
    ADDUSTOUR,
    ANNAHAR,
    ALAKHBAR_LB,
    LBCI,
    MTV_LB,
    ALMODON,
    ENAB_BALADI,
    SYRIA_TV,
    ALQUDS,
    MAAN,
    ALSUMARIA,
    SHAFAQ,
    RUDAW,
)
