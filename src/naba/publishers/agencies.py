"""Wire agencies: national agencies of the Arab states and the international agencies Arabic news credits.

Credit forms come from ARABIC.md ("Wire agencies and attribution") and general knowledge of how Arabic
papers print them; the registry matches them normalized (hamza forms, dots and spaces in abbreviations such
as "أ.ف.ب" / "أ ف ب" are folded). Short forms that are also ordinary words or places (قنا = Qena, بنا,
سبأ, بترا = Petra) are only recognised in credit positions, never as bare words in running text.
"""

from __future__ import annotations

from typing import Final

from naba.publishers.model import Agency, Feed, Region

SPA: Final = Agency(
    key="spa",
    name_ar="وكالة الأنباء السعودية",
    name_en="Saudi Press Agency",
    abbreviations=("واس", "SPA"),
    sites=("spa.gov.sa",),
    country="SA",
    region=Region.GULF,
    saudinewsnet_sources=("was",),
)
WAM: Final = Agency(
    key="wam",
    name_ar="وكالة أنباء الإمارات",
    name_en="Emirates News Agency",
    abbreviations=("وام", "WAM"),
    sites=("wam.ae",),
    country="AE",
    region=Region.GULF,
)
QNA: Final = Agency(
    key="qna",
    name_ar="وكالة الأنباء القطرية",
    name_en="Qatar News Agency",
    abbreviations=("قنا", "QNA"),
    sites=("qna.org.qa",),
    country="QA",
    region=Region.GULF,
)
KUNA: Final = Agency(
    key="kuna",
    name_ar="وكالة الأنباء الكويتية",
    name_en="Kuwait News Agency",
    abbreviations=("كونا", "KUNA"),
    sites=("kuna.net.kw",),
    country="KW",
    region=Region.GULF,
)
BNA: Final = Agency(
    key="bna",
    name_ar="وكالة أنباء البحرين",
    name_en="Bahrain News Agency",
    abbreviations=("بنا", "BNA"),
    sites=("bna.bh",),
    country="BH",
    region=Region.GULF,
)
ONA: Final = Agency(
    key="ona",
    name_ar="وكالة الأنباء العمانية",
    name_en="Oman News Agency",
    abbreviations=("العمانية", "ONA"),
    sites=("omannews.gov.om",),
    country="OM",
    region=Region.GULF,
)
SABA: Final = Agency(
    key="saba",
    name_ar="وكالة الأنباء اليمنية سبأ",
    name_en="Saba News Agency",
    abbreviations=("سبأ", "SABA"),
    other_names_ar=("وكالة سبأ",),
    sites=("saba.ye",),
    country="YE",
    region=Region.GULF,
)
MENA: Final = Agency(
    key="mena",
    name_ar="وكالة أنباء الشرق الأوسط",
    name_en="Middle East News Agency",
    abbreviations=("أ ش أ", "MENA"),
    sites=("mena.org.eg",),
    country="EG",
    region=Region.EGYPT,
)
PETRA: Final = Agency(
    key="petra",
    name_ar="وكالة الأنباء الأردنية",
    name_en="Jordan News Agency",
    abbreviations=("بترا", "Petra"),
    other_names_ar=("وكالة الأنباء الأردنية بترا",),
    sites=("petra.gov.jo",),
    country="JO",
    region=Region.LEVANT,
)
SANA: Final = Agency(
    key="sana",
    name_ar="الوكالة العربية السورية للأنباء",
    name_en="Syrian Arab News Agency",
    abbreviations=("سانا", "SANA"),
    sites=("sana.sy",),
    country="SY",
    region=Region.LEVANT,
)
WAFA: Final = Agency(
    key="wafa",
    name_ar="وكالة الأنباء والمعلومات الفلسطينية",
    name_en="Palestinian News and Info Agency",
    abbreviations=("وفا", "WAFA"),
    other_names_ar=("وكالة وفا",),
    sites=("wafa.ps",),
    country="PS",
    region=Region.LEVANT,
)
NNA: Final = Agency(
    key="nna",
    name_ar="الوكالة الوطنية للإعلام",
    name_en="National News Agency",
    abbreviations=("NNA",),
    other_names_ar=("الوكالة الوطنية",),
    other_names_en=("NNA Lebanon",),
    sites=("nna-leb.gov.lb",),
    country="LB",
    region=Region.LEVANT,
)
INA: Final = Agency(
    key="ina",
    name_ar="وكالة الأنباء العراقية",
    name_en="Iraqi News Agency",
    abbreviations=("واع", "INA"),
    sites=("ina.iq",),
    country="IQ",
    region=Region.IRAQ,
)
SUNA: Final = Agency(
    key="suna",
    name_ar="وكالة السودان للأنباء",
    name_en="Sudan News Agency",
    abbreviations=("سونا", "SUNA"),
    sites=("suna-sd.net",),
    country="SD",
    region=Region.SUDAN,
)
APS: Final = Agency(
    key="aps",
    name_ar="وكالة الأنباء الجزائرية",
    name_en="Algeria Press Service",
    abbreviations=("وأج", "APS"),
    sites=("aps.dz",),
    country="DZ",
    region=Region.MAGHREB,
)
TAP: Final = Agency(
    key="tap",
    name_ar="وكالة تونس إفريقيا للأنباء",
    name_en="Tunis Afrique Presse",
    abbreviations=("وات", "TAP"),
    other_names_ar=("وكالة تونس أفريقيا للأنباء",),
    sites=("tap.info.tn",),
    country="TN",
    region=Region.MAGHREB,
)
MAP: Final = Agency(
    key="map",
    name_ar="وكالة المغرب العربي للأنباء",
    name_en="Maghreb Arabe Presse",
    abbreviations=("لاماب", "و م ع", "MAP"),
    sites=("mapexpress.ma", "map.ma"),
    country="MA",
    region=Region.MAGHREB,
)
ANADOLU: Final = Agency(
    key="anadolu",
    name_ar="وكالة الأناضول",
    name_en="Anadolu Agency",
    abbreviations=("الأناضول", "AA"),
    other_names_en=("Anadolu",),
    sites=("aa.com.tr",),
    country="TR",
    region=Region.INTERNATIONAL,
)
REUTERS: Final = Agency(
    key="reuters",
    name_ar="رويترز",
    name_en="Reuters",
    other_names_ar=("وكالة رويترز",),
    sites=("reuters.com",),
    country="GB",
    region=Region.INTERNATIONAL,
)
AFP: Final = Agency(
    key="afp",
    name_ar="وكالة فرانس برس",
    name_en="Agence France-Presse",
    abbreviations=("أ ف ب", "AFP"),
    other_names_ar=("فرانس برس", "فرانس بريس", "وكالة الصحافة الفرنسية", "الفرنسية"),
    other_names_en=("France-Presse", "France Presse"),
    sites=("afp.com",),
    country="FR",
    region=Region.INTERNATIONAL,
)
AP: Final = Agency(
    key="ap",
    name_ar="أسوشيتد برس",
    name_en="Associated Press",
    abbreviations=("أ ب", "AP"),
    other_names_ar=("أسوشييتد برس", "أسوشيتيد برس", "الأسوشيتد برس", "وكالة أسوشيتد برس", "اسوشيتدبرس"),
    sites=("apnews.com", "ap.org"),
    country="US",
    region=Region.INTERNATIONAL,
)
DPA: Final = Agency(
    key="dpa",
    name_ar="وكالة الأنباء الألمانية",
    name_en="Deutsche Presse-Agentur",
    abbreviations=("د ب أ", "dpa"),
    other_names_ar=("الألمانية",),
    sites=("dpa.com",),
    country="DE",
    region=Region.INTERNATIONAL,
)
XINHUA: Final = Agency(
    key="xinhua",
    name_ar="شينخوا",
    name_en="Xinhua",
    other_names_ar=("وكالة شينخوا", "وكالة أنباء شينخوا", "وكالة أنباء الصين الجديدة"),
    other_names_en=("Xinhua News Agency",),
    sites=("xinhuanet.com", "arabic.news.cn", "news.cn"),
    country="CN",
    region=Region.INTERNATIONAL,
)
SPUTNIK: Final = Agency(
    key="sputnik",
    name_ar="سبوتنيك",
    name_en="Sputnik",
    other_names_ar=("وكالة سبوتنيك", "سبوتنيك عربي"),
    other_names_en=("Sputnik Arabic",),
    sites=("sputniknews.com", "arabic.sputniknews.com", "sarabic.ae"),
    country="RU",
    region=Region.INTERNATIONAL,
    feeds=(Feed("https://arabic.sputniknews.com/export/rss2/archive/index.xml"),),
)
TASS: Final = Agency(
    key="tass",
    name_ar="تاس",
    name_en="TASS",
    other_names_ar=("وكالة تاس", "إيتار تاس", "ايتار-تاس"),
    other_names_en=("ITAR-TASS",),
    sites=("tass.com", "tass.ru"),
    country="RU",
    region=Region.INTERNATIONAL,
)
IRNA: Final = Agency(
    key="irna",
    name_ar="إرنا",
    name_en="Islamic Republic News Agency",
    abbreviations=("IRNA",),
    other_names_ar=("وكالة إرنا", "وكالة الجمهورية الإسلامية للأنباء"),
    sites=("irna.ir",),
    country="IR",
    region=Region.INTERNATIONAL,
)
# "وكالات" credits several agencies at once: a credit with no single origin and no site.
WIRES: Final = Agency(
    key="wires",
    name_ar="وكالات",
    name_en="Agencies",
    other_names_ar=("وكالات الأنباء", "الوكالات"),
    other_names_en=("Wires", "News agencies"),
    sites=(),
    country="ZZ",
    region=Region.INTERNATIONAL,
)

AGENCIES: Final[tuple[Agency, ...]] = (
    SPA,
    WAM,
    QNA,
    KUNA,
    BNA,
    ONA,
    SABA,
    MENA,
    PETRA,
    SANA,
    WAFA,
    NNA,
    INA,
    SUNA,
    APS,
    TAP,
    MAP,
    ANADOLU,
    REUTERS,
    AFP,
    AP,
    DPA,
    XINHUA,
    SPUTNIK,
    TASS,
    IRNA,
    WIRES,
)
