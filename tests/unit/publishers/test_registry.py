"""The publishers registry: coverage of the data, lookups by URL and name, and credits in text."""

from __future__ import annotations

import dataclasses
import re

import pytest

from naba.publishers import (
    Agency,
    Feed,
    Phrase,
    Publisher,
    PublisherRegistry,
    Region,
    Selector,
    agency_in_text,
    default_registry,
    publisher_by_name,
    publisher_for_saudinewsnet,
    publisher_for_url,
    source_in_text,
    verified,
)
from naba.publishers.registry import name_key

REGISTRY = default_registry()
OUTLETS = [p for p in REGISTRY.publishers if not isinstance(p, Agency)]
ARABIC = re.compile(r"[\u0600-\u06ff]")
# Every source key in ../shared/data/saudinewsnet (README and records; the records spell one differently).
SAUDINEWSNET_SOURCES = {
    "aawsat": "aawsat", "aleqtisadiya": "aleqt", "aljazirah": "al-jazirah", "almadina": "al-madina",
    "alriyadh": "alriyadh", "alwatan": "alwatan-sa", "alweeam": "alweeam", "alyaum": "alyaum",
    "arreyadi": "arreyadi", "arreyadiyah": "arriyadiyah", "arriyadiyah": "arriyadiyah", "okaz": "okaz",
    "sabq": "sabq", "was": "spa", "3alyoum": "3alyoum",
}  # fmt: skip
REQUIRED_AGENCIES = [
    "spa",
    "wam",
    "qna",
    "kuna",
    "bna",
    "ona",
    "mena",
    "petra",
    "sana",
    "wafa",
    "nna",
    "ina",
    "saba",
    "aps",
    "tap",
    "map",
    "suna",
    "anadolu",
    "reuters",
    "afp",
    "ap",
    "dpa",
    "xinhua",
    "sputnik",
    "tass",
    "irna",
    "wires",
]


# --- the data -------------------------------------------------------------------------------------------


def test_at_least_30_outlets_across_4_arab_regions() -> None:
    regions = {p.region for p in OUTLETS}
    assert len(OUTLETS) >= 30
    assert {Region.GULF, Region.LEVANT, Region.EGYPT, Region.MAGHREB} <= regions
    for region in (Region.GULF, Region.LEVANT, Region.EGYPT, Region.MAGHREB, Region.PAN_ARAB):
        assert sum(p.region is region for p in OUTLETS) >= 5, region


def test_every_entry_has_arabic_and_english_names_and_a_country() -> None:
    for p in REGISTRY.publishers:
        assert ARABIC.search(p.name_ar), p.key
        assert p.name_en.isascii() and p.name_en.strip(), p.key
        assert re.fullmatch(r"[A-Z]{2}", p.country), p.key


def test_sites_are_unique_lower_case_and_without_www() -> None:
    sites = [s for p in REGISTRY.publishers for s in p.sites]
    assert len(sites) == len(set(sites))
    for site in sites:
        assert site == site.lower() and not site.startswith(("www.", "http")), site


def test_every_outlet_has_a_site_and_keys_are_unique() -> None:
    assert all(p.sites for p in OUTLETS)
    keys = [p.key for p in REGISTRY.publishers]
    assert len(keys) == len(set(keys))


def test_required_agencies_are_present() -> None:
    present = {a.key for a in REGISTRY.agencies}
    assert set(REQUIRED_AGENCIES) <= present


def test_unverified_hints_are_marked() -> None:
    """Nothing in the shipped data was checked against a live site, so nothing may claim to be."""
    hints: list[Feed | Selector | Phrase] = []
    for p in REGISTRY.publishers:
        hints += [*p.feeds, *p.selectors, *p.boilerplate]
    assert hints, "the registry carries some feed and boilerplate hints"
    assert verified(hints) == ()
    assert all(f.url.startswith("https://") for p in REGISTRY.publishers for f in p.feeds)


def test_ambiguous_data_is_refused_at_build_time() -> None:
    okaz = REGISTRY.by_key("okaz")
    assert okaz is not None
    twin = dataclasses.replace(okaz, key="okaz-2", sites=("okaz2.example",), saudinewsnet_sources=())
    with pytest.raises(ValueError, match="name"):
        PublisherRegistry([okaz, twin])
    with pytest.raises(ValueError, match="site"):
        PublisherRegistry(
            [
                okaz,
                dataclasses.replace(
                    okaz,
                    key="x",
                    name_ar="س",
                    name_en="X",
                    other_names_ar=(),
                    other_names_en=(),
                    saudinewsnet_sources=(),
                ),
            ]
        )


# --- SaudiNewsNet ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "key"), sorted(SAUDINEWSNET_SOURCES.items()))
def test_every_saudinewsnet_source_maps_to_its_outlet(source: str, key: str) -> None:
    found = publisher_for_saudinewsnet(source)
    assert found is not None and found.key == key
    assert ARABIC.search(found.name_ar)


def test_saudinewsnet_hosts_map_to_the_same_outlet() -> None:
    # Hosts as they appear in the corpus's URLs.
    assert publisher_for_url("https://www.spa.gov.sa/viewstory.php?newsid=1") is publisher_for_saudinewsnet(
        "was"
    )
    assert publisher_for_url("http://www.arriyadiyah.com/123") is publisher_for_saudinewsnet("arriyadiyah")
    assert publisher_for_url("http://sabq.org/abc") is publisher_for_saudinewsnet("sabq")


# --- by URL ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.aljazeera.net/news/2023/1/1/x", "aljazeera"),
        ("https://aljazeera.net/", "aljazeera"),
        ("https://amp.alyaum.com/articles/1", "alyaum"),
        ("http://m.youm7.com/story/2020/8/24/x/4943459", "youm7"),
        ("https://www.youm7.com/amp/2020/8/24/x", "youm7"),
        ("https://news.okaz.com.sa/a", "okaz"),  # any subdomain: parent-domain walk
        ("HTTPS://WWW.HESPRESS.COM/x", "hespress"),
        ("https://www.bbc.com/arabic/world-123", "bbc-arabic"),  # outlet under a path of a larger site
        ("https://www.france24.com/ar/المغرب/2023", "france24-arabic"),
        ("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html", "cnn-arabic"),
        ("https://arabic.sputniknews.com/arab_world/1/", "sputnik"),
        ("https://www.spa.gov.sa/w123", "spa"),
        ("https://www-aljazeera-net.cdn.ampproject.org/c/s/www.aljazeera.net/amp/news/x", "aljazeera"),
        ("elbaladtv.net/x/", "sada-elbalad"),  # scheme-less
        ("https://www.alwatan.com.sa:443/article/1", "alwatan-sa"),
    ],
)
def test_publisher_for_url(url: str, key: str) -> None:
    found = publisher_for_url(url)
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    "url",
    [
        "https://www.bbc.com/news/world",  # BBC, but not its Arabic service
        "https://edition.cnn.com/x",
        "https://example.com/aljazeera.net",
        "https://aljazeera.net.evil.example/",
        "https://com.sa/",
        "not a url",
        "http://[::1",
        "",
    ],
)
def test_unknown_or_bad_urls_give_none(url: str) -> None:
    assert publisher_for_url(url) is None


def test_eval_real_pages_hosts_are_known() -> None:
    """The outlets of the saved real pages (../shared/eval/extraction-real) are all registered."""
    hosts = ["www.alyaum.com", "www.assabah.com.tn", "arabic.cnn.com", "elbaladtv.net", "www.lbcgroup.tv",
             "arabic.sputniknews.com", "www.youm7.com"]  # fmt: skip
    assert all(publisher_for_url(f"https://{h}/a") is not None for h in hosts)


# --- by name --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("الجزيرة", "aljazeera"),
        ("الجزيره", "aljazeera"),  # ta marbuta typed as ha
        ("الجزيرة نت", "aljazeera"),
        ("صحيفة الجزيرة", "al-jazirah"),  # the Saudi daily, not the channel
        ("الأهرام", "ahram"),
        ("الاهرام", "ahram"),  # hamza dropped
        ("الإمارات اليوم", "emaratalyoum"),
        ("الامارات اليوم", "emaratalyoum"),
        ("الشرق الأوسط", "aawsat"),
        ("الشرق الاوسط", "aawsat"),
        ("الرأي", "alrai-kw"),  # hamza on alef folds to the Kuwaiti paper's own spelling
        ("صحيفة عكاظ", "okaz"),
        ("جريدة عكاظ", "okaz"),  # generic word dropped when the full name is unknown
        ("عُكاظ", "okaz"),  # diacritics
        ("عكـــاظ", "okaz"),  # tatweel
        ("صحيفة الوطن", "alwatan-sa"),
        ("اليوم السابع", "youm7"),
        ("Al-Jazeera", "aljazeera"),
        ("al jazeera", "aljazeera"),
        ("Asharq Al-Awsat", "aawsat"),
        ("The New Arab", "alaraby"),
        ("the Okaz", "okaz"),
        ("واس", "spa"),
        ("وكالة الأنباء السعودية", "spa"),
        ("فرانس برس", "afp"),
        ("«سبق»", "sabq"),
    ],
)
def test_publisher_by_name(name: str, key: str) -> None:
    found = publisher_by_name(name)
    assert found is not None and found.key == key


@pytest.mark.parametrize("name", ["", "   ", "الرياض", "صحيفة", "جريدة لا وجود لها", "CNN International"])
def test_unknown_names_give_none(name: str) -> None:
    assert publisher_by_name(name) is None


def test_every_listed_name_finds_its_own_entry() -> None:
    for p in REGISTRY.publishers:
        forms = p.credit_forms if isinstance(p, Agency) else p.names
        for form in forms:
            assert publisher_by_name(form) is p, (p.key, form)


# --- credits in text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("(واس)", "spa"),
        ("الرياض - واس", "spa"),
        ("الرياض – واس: أعلن مجلس الوزراء", "spa"),
        ("الرياض 12 مايو 2023 (واس) - أعلن", "spa"),
        ("(الرياض - واس)", "spa"),
        ("دبي، 3 مايو – وام: أعلنت", "wam"),
        ("الدوحة - قنا", "qna"),
        ("الكويت - كونا - قال", "kuna"),
        ("المنامة - بنا", "bna"),
        ("مسقط - العمانية", "ona"),
        ("القاهرة - أ ش أ", "mena"),
        ("القاهرة - أ.ش.أ: قال", "mena"),
        ("عمان - بترا", "petra"),
        ("دمشق - سانا", "sana"),
        ("رام الله - وفا", "wafa"),
        ("بيروت - الوكالة الوطنية للإعلام", "nna"),
        ("بغداد - واع", "ina"),
        ("صنعاء - سبأ", "saba"),
        ("الجزائر - وأج", "aps"),
        ("تونس - وات", "tap"),
        ("الرباط - و م ع", "map"),
        ("الرباط - لاماب", "map"),
        ("الخرطوم - سونا", "suna"),
        ("أنقرة - الأناضول", "anadolu"),
        ("قتل خمسة أشخاص في الهجوم. — (أ ف ب)", "afp"),
        ("(أ.ف.ب)", "afp"),
        ("(ا ف ب)", "afp"),
        ("باريس - فرانس برس", "afp"),
        ("(AFP)", "afp"),
        ("(رويترز)", "reuters"),
        ("(رويترز، أ ف ب)", "reuters"),  # the first credited agency
        ("Source: Reuters", "reuters"),
        ("نقلاً عن وكالة رويترز", "reuters"),
        ("واشنطن - أسوشيتد برس", "ap"),
        ("(أ ب)", "ap"),
        ("برلين - د ب أ", "dpa"),
        ("بكين - شينخوا", "xinhua"),
        ("موسكو - سبوتنيك", "sputnik"),
        ("موسكو - تاس", "tass"),
        ("طهران - إرنا", "irna"),
        ("طهران - ارنا", "irna"),
        ("بيروت - وكالات", "wires"),
        ("تتواصل المعارك في المدينة - وكالات.", "wires"),
        ("(وكالات)", "wires"),
        ("المصدر: واس", "spa"),
    ],
)
def test_agency_in_text(text: str, key: str) -> None:
    found = agency_in_text(text)
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    "text",
    [
        "سافر الوفد إلى قنا أمس",  # Qena, not QNA
        "مر بنا الوقت سريعا",  # "with us", not BNA
        "زار السياح مدينة بترا",  # Petra the site
        "الرياض - واسعة الانتشار",  # not واس
        "في الأسبوع الأول من شهر - آب",  # the month آب, not AP
        "قالت رويترز إن الاجتماع انتهى",  # a citation in running text, not a credit
        "المصدر: الجزيرة",  # an outlet, not an agency: see source_in_text
        "",
    ],
)
def test_no_agency_outside_credit_positions(text: str) -> None:
    assert agency_in_text(text) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("المصدر: الجزيرة", "aljazeera"),
        ("المصدر: الجزيرة + وكالات", "aljazeera"),
        ("المصدر : صحيفة عكاظ", "okaz"),
        ("مصدر الخبر - الشرق الأوسط", "aawsat"),
        ("نقلا عن صحيفة الوطن", "alwatan-sa"),
        ("الرياض - واس", "spa"),
        ("— (أ ف ب)", "afp"),
    ],
)
def test_source_in_text(text: str, key: str) -> None:
    found = source_in_text(text)
    assert found is not None and found.key == key


def test_outlets_are_only_credited_after_a_label() -> None:
    assert source_in_text("(الجزيرة)") is None
    assert source_in_text("القاهرة - اليوم السابع") is None


# --- lookups never read unverified hints ----------------------------------------------------------------

_POISON_FEED = Feed("https://poison.invalid/feed", verified=False)
_POISON_SELECTOR = Selector("#poison", "body", verified=False)
_POISON_PHRASE = Phrase("واس", verified=False)


def _strip_hints(p: Publisher) -> Publisher:
    return dataclasses.replace(p, feeds=(), selectors=(), boilerplate=())


def _poison_hints(p: Publisher) -> Publisher:
    return dataclasses.replace(
        p, feeds=(_POISON_FEED,), selectors=(_POISON_SELECTOR,), boilerplate=(_POISON_PHRASE,)
    )


LOOKUPS = [
    ("url", "https://www.aljazeera.net/x"), ("url", "https://poison.invalid/feed"), ("url", "https://m.okaz.com.sa/"),
    ("name", "الجزيره"), ("name", "#poison"), ("name", "صحيفة الوطن"), ("text", "الرياض - واس"),
    ("text", "المصدر: الجزيرة"), ("text", "(أ ف ب)"), ("snn", "was"),
]  # fmt: skip


def _run(registry: PublisherRegistry, kind: str, query: str) -> str | None:
    found = {
        "url": registry.for_url, "name": registry.by_name, "snn": registry.by_saudinewsnet_source,
        "text": registry.source_in_text,
    }[kind](query)  # fmt: skip
    return found.key if found else None


@pytest.mark.parametrize("transform", [_strip_hints, _poison_hints], ids=["stripped", "poisoned"])
def test_lookups_do_not_depend_on_unverified_hints(transform: object) -> None:
    assert callable(transform)
    changed = PublisherRegistry(transform(p) for p in REGISTRY.publishers)
    for kind, query in LOOKUPS:
        assert _run(changed, kind, query) == _run(REGISTRY, kind, query), (kind, query)


def test_name_key_folds_the_usual_variants() -> None:
    assert name_key("الإمارات  اليوم") == name_key("الامارات اليوم")
    assert name_key("Al-Jazeera") == name_key("al jazeera")
    assert name_key("الجزيرة") == name_key("الجزيره")
