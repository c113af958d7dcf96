"""A gazetteer of places for telling look-alike stories apart (the same kind of event in another town).

Contract
--------
* Every name here is written from general knowledge: the world's countries, Arab capitals and major cities,
  the thirteen Saudi regions, their seats and governorates, and a few well-known places of the news. None is
  taken from an evaluation set or extracted from a corpus.
* Names are stored in naba's search normalization (hamza, ة/ه, ى/ي folded), as they appear in
  :attr:`~naba.types.AnalyzedArticle.title_phrase_terms`; :data:`PLACES` maps each one- or two-word name to a
  canonical key (a variant spelling or a long form maps to the short name's key).
* :func:`find_places` reads phrase terms (normalized tokens, clitics attached) and returns the canonical keys
  of the places they name, stripping the proclitics ``و ف ب ل ك`` and reading ``لل`` as ``ال``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from naba.text.normalize import normalize

# Canonical name -> variant spellings and long forms (all map to the canonical name).
_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    # Saudi regions and their seats
    "الرياض": (),
    "مكة": ("مكة المكرمة", "مكه"),
    "المدينة": ("المدينة المنورة",),
    "القصيم": ("بريدة", "عنيزة", "الرس", "البكيرية", "المذنب", "البدائع"),
    "المنطقة الشرقية": ("الدمام",),
    "عسير": ("أبها", "خميس مشيط", "بيشة", "محايل", "محايل عسير", "النماص", "سراة عبيدة", "ظهران الجنوب"),
    "تبوك": ("ضباء", "تيماء", "أملج"),
    "حائل": ("بقعاء",),
    "الحدود الشمالية": (),
    "عرعر": (),
    "رفحاء": (),
    "طريف": (),
    "جازان": ("جيزان", "صبيا", "أبو عريش", "صامطة", "فرسان", "العارضة"),
    "نجران": ("شرورة", "حبونا", "بدر الجنوب", "يدمة"),
    "الباحة": ("بلجرشي", "المندق", "المخواة", "قلوة"),
    "الجوف": ("سكاكا", "دومة الجندل", "القريات"),
    # Saudi governorates and cities
    "جدة": ("جده",),
    "الطائف": (),
    "رابغ": (),
    "الليث": (),
    "القنفذة": (),
    "الجموم": (),
    "خليص": (),
    "ينبع": (),
    "العلا": (),
    "خيبر": (),
    "الحناكية": (),
    "العيص": (),
    "مهد الذهب": (),
    "الظهران": (),
    "القطيف": ("صفوى", "سيهات", "تاروت", "العوامية"),
    "الأحساء": ("الاحساء", "الهفوف", "المبرز"),
    "الجبيل": (),
    "حفر الباطن": (),
    "الخفجي": (),
    "النعيرية": (),
    "بقيق": ("أبقيق",),
    "الخرج": (),
    "الدوادمي": (),
    "المجمعة": (),
    "الزلفي": (),
    "وادي الدواسر": (),
    "الأفلاج": (),
    "القويعية": (),
    "الدرعية": (),
    # Arab countries, capitals and major cities
    "السعودية": ("المملكة العربية السعودية",),
    "الإمارات": ("الإمارات العربية المتحدة", "أبوظبي", "أبو ظبي", "دبي", "الشارقة", "عجمان", "الفجيرة"),
    "الكويت": (),
    "قطر": ("الدوحة",),
    "البحرين": ("المنامة",),
    "عمان": ("سلطنة عمان", "مسقط"),
    "اليمن": ("صنعاء", "عدن", "تعز", "الحديدة", "مأرب", "صعدة", "حضرموت", "المكلا", "لحج", "أبين", "شبوة"),
    "العراق": ("بغداد", "البصرة", "الموصل", "أربيل", "كركوك", "الأنبار", "الفلوجة", "الرمادي", "تكريت"),
    "سوريا": ("سورية", "دمشق", "حلب", "حمص", "إدلب", "درعا", "اللاذقية", "الرقة", "دير الزور"),
    "لبنان": ("بيروت", "طرابلس لبنان", "صيدا"),
    "الأردن": (),
    "فلسطين": ("غزة", "قطاع غزة", "الضفة الغربية", "رام الله", "القدس", "الخليل", "نابلس"),
    "مصر": ("القاهرة", "الإسكندرية", "سيناء", "السويس", "الجيزة", "الأقصر", "أسوان"),
    "السودان": ("الخرطوم", "دارفور"),
    "ليبيا": ("طرابلس", "بنغازي", "مصراتة"),
    "تونس": (),
    "الجزائر": (),
    "المغرب": ("الرباط", "الدار البيضاء", "طنجة", "مراكش", "فاس"),
    "موريتانيا": ("نواكشوط",),
    "الصومال": ("مقديشو",),
    "جيبوتي": (),
    "جزر القمر": (),
    # Other countries and major cities of the news
    "إيران": ("طهران",),
    "تركيا": ("أنقرة", "اسطنبول", "إسطنبول"),
    "إسرائيل": ("تل أبيب",),
    "أفغانستان": ("كابل",),
    "باكستان": ("إسلام أباد", "كراتشي", "لاهور"),
    "الهند": ("نيودلهي", "مومباي"),
    "بنغلاديش": ("دكا",),
    "الصين": ("بكين", "شنغهاي", "هونغ كونغ"),
    "اليابان": ("طوكيو",),
    "كوريا الجنوبية": ("سيول",),
    "كوريا الشمالية": ("بيونغ يانغ",),
    "إندونيسيا": ("اندونيسيا", "جاكرتا"),
    "ماليزيا": ("كوالالمبور",),
    "الفلبين": ("مانيلا",),
    "تايلاند": ("بانكوك",),
    "فيتنام": (),
    "سريلانكا": (),
    "نيبال": (),
    "ميانمار": ("بورما",),
    "روسيا": ("موسكو",),
    "أوكرانيا": ("كييف",),
    "الولايات المتحدة": ("أمريكا", "أميركا", "واشنطن", "نيويورك", "كاليفورنيا", "تكساس", "فلوريدا"),
    "كندا": ("أوتاوا", "تورنتو"),
    "المكسيك": (),
    "البرازيل": ("ريو دي جانيرو",),
    "الأرجنتين": (),
    "تشيلي": (),
    "كولومبيا": (),
    "فنزويلا": (),
    "كوبا": ("هافانا",),
    "جامايكا": (),
    "بريطانيا": ("المملكة المتحدة", "لندن", "إنجلترا", "انجلترا", "اسكتلندا"),
    "فرنسا": ("باريس",),
    "ألمانيا": ("برلين",),
    "إيطاليا": ("روما",),
    "إسبانيا": ("اسبانيا", "مدريد", "برشلونة"),
    "البرتغال": ("لشبونة",),
    "اليونان": ("أثينا",),
    "هولندا": ("أمستردام",),
    "بلجيكا": ("بروكسل",),
    "سويسرا": ("جنيف", "زيورخ"),
    "النمسا": ("فيينا",),
    "السويد": (),
    "النرويج": (),
    "الدنمارك": (),
    "فنلندا": (),
    "بولندا": (),
    "المجر": (),
    "رومانيا": (),
    "صربيا": (),
    "كرواتيا": (),
    "البوسنة": (),
    "أيرلندا": (),
    "أستراليا": ("استراليا", "سيدني"),
    "نيوزيلندا": (),
    "نيجيريا": (),
    "النيجر": (),
    "تشاد": (),
    "السنغال": (),
    "إثيوبيا": (),
    "إريتريا": (),
    "كينيا": ("نيروبي",),
    "تنزانيا": (),
    "أوغندا": (),
    "جنوب أفريقيا": (),
    "جنوب السودان": ("جوبا",),
    "الكاميرون": (),
    "غانا": (),
    "ساحل العاج": (),
    "بنين": (),
    "توغو": (),
    "غينيا": (),
    "بوركينا فاسو": (),
    "زيمبابوي": (),
    "موزمبيق": (),
    "مدغشقر": (),
    "ريونيون": ("لا ريونيون",),
    "كازاخستان": (),
    "أوزبكستان": (),
    "أذربيجان": (),
    "أرمينيا": (),
    "جورجيا": (),
}


# Saudi governorates listed above as places of their own -> the region that contains them: a report naming
# only the region agrees with one naming a governorate in it; two governorates of one region disagree.
_REGION_OF: Final[dict[str, tuple[str, ...]]] = {
    "مكة": ("جدة", "الطائف", "رابغ", "الليث", "القنفذة", "الجموم", "خليص"),
    "المدينة": ("ينبع", "العلا", "خيبر", "الحناكية", "العيص", "مهد الذهب"),
    "المنطقة الشرقية": (
        "الظهران",
        "القطيف",
        "الأحساء",
        "الجبيل",
        "حفر الباطن",
        "الخفجي",
        "النعيرية",
        "بقيق",
    ),
    "الرياض": (
        "الخرج",
        "الدوادمي",
        "المجمعة",
        "الزلفي",
        "وادي الدواسر",
        "الأفلاج",
        "القويعية",
        "الدرعية",
    ),
    "الحدود الشمالية": ("عرعر", "رفحاء", "طريف"),
}


def _norm(name: str) -> str:
    return " ".join(normalize(name).split())


def _build() -> dict[str, str]:
    places: dict[str, str] = {}
    for canonical, variants in _GROUPS.items():
        key = _norm(canonical)
        for name in (canonical, *variants):
            places.setdefault(_norm(name), key)
    return places


PLACES: Final[dict[str, str]] = _build()
PARENT: Final[dict[str, str]] = {
    _norm(place): _norm(region) for region, places in _REGION_OF.items() for place in places
}


def specific(places: Iterable[str]) -> frozenset[str]:
    """``places`` without the regions of the governorates also named (المدينة + خيبر -> خيبر)."""
    named = set(places)
    return frozenset(p for p in named if not any(PARENT.get(q) == p for q in named))


def agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when the two sets share a place, or one names a governorate of a region the other names."""
    if a & b:
        return True
    return any(PARENT.get(p) in b for p in a) or any(PARENT.get(q) in a for q in b)


_PROCLITICS: Final = ("و", "ف", "ب", "ل", "ك")


def _forms(token: str) -> list[str]:
    """The token and its readings with one or two proclitics removed (بالرياض -> الرياض, للباحه -> الباحه)."""
    forms = [token]
    rest = token
    for _ in range(2):
        if len(rest) > 3 and rest[0] in _PROCLITICS:
            rest = rest[1:]
            forms.append("ا" + rest if rest.startswith("ل") and forms[-1].startswith("لل") else rest)
            forms.append(rest)
    return forms


def _lookup(names: Iterable[str]) -> str | None:
    return next((PLACES[n] for n in names if n in PLACES), None)


def find_places(terms: Sequence[str]) -> set[str]:
    """Canonical keys of the places named in ``terms`` (normalized phrase tokens), two-word names first."""
    found: set[str] = set()
    i = 0
    while i < len(terms):
        if i + 1 < len(terms):
            hit = _lookup(f"{f} {terms[i + 1]}" for f in _forms(terms[i]))
            if hit is not None:
                found.add(hit)
                i += 2
                continue
        hit = _lookup(_forms(terms[i]))
        if hit is not None:
            found.add(hit)
        i += 1
    return found
