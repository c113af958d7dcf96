"""The knowledge loader and its data files: every file loads, says what it is, and writes each fact once."""

from __future__ import annotations

import importlib.resources
from collections import Counter

import pytest

from naba import knowledge
from naba.extract.dates import _name_key as dateline_key
from naba.text.normalize import fold_key, normalize, normalize_for_stemming

DATA = importlib.resources.files("naba").joinpath("data")
KNOWLEDGE_FILES = sorted(
    p.name
    for p in DATA.iterdir()
    if p.name.endswith((".txt", ".tsv", ".toml")) and not p.name.startswith("ner-")
)


def _duplicates(keys: list[str]) -> list[str]:
    return [key for key, n in Counter(keys).items() if n > 1]


def test_every_accessor_loads() -> None:
    assert len(knowledge.word_list("stopwords.txt")) > 100
    assert len(knowledge.places()) > 400
    assert len(knowledge.organizations()) > 40
    assert len(knowledge.spelling_variants()) > 30
    assert len(knowledge.month_names()) > 90
    assert len(knowledge.dateline_words()) > 100
    assert len(knowledge.outlets()) > 70
    assert {a.key for a in knowledge.agencies()} >= {"spa", "afp", "reuters", "wires"}
    for name in knowledge.TAGGED_FILES:
        assert knowledge.terms(name)


@pytest.mark.parametrize("name", KNOWLEDGE_FILES)
def test_every_file_says_what_it_is_where_it_comes_from_and_its_licence(name: str) -> None:
    header = []
    for line in DATA.joinpath(name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    text = "\n".join(header)
    assert len(header) >= 3, name
    assert "Licence:" in text, name
    assert "Source:" in text or "Provenance:" in text, name


def test_every_knowledge_file_is_read() -> None:
    read = {
        "stopwords.txt",
        *knowledge.TAGGED_FILES,
        "places.tsv",
        "organizations.tsv",
        "spelling-variants.tsv",
    }
    read |= {"months.tsv", "dateline-words.tsv", "outlets.toml", "agencies.toml"}
    read |= {"headline-labels.tsv", "plural-nouns.tsv", "platforms.txt"}
    read |= {"sections.tsv", "section-signals.tsv", "countries.tsv"}
    assert set(KNOWLEDGE_FILES) - {"sources.opml"} == read


# --- each fact written once ------------------------------------------------------------------------------------
def test_word_lists_write_each_entry_once() -> None:
    assert not _duplicates([normalize(w) for w in knowledge.word_list("stopwords.txt")])
    for name in knowledge.TAGGED_FILES:
        assert not _duplicates([fold_key(t.text) for t in knowledge.terms(name)]), name
    assert not _duplicates([fold_key(f.name) for f in knowledge.forms("organizations.tsv")])
    # Spelling variants are compared as the stemmer sees them (ة kept).
    assert not _duplicates([normalize_for_stemming(f.name) for f in knowledge.forms("spelling-variants.tsv")])
    assert not _duplicates([dateline_key(m.name) for m in knowledge.month_names()])
    assert not _duplicates([w.word.casefold() for w in knowledge.dateline_words()])


def test_places_write_each_name_once_but_for_homographs() -> None:
    # عمان (Oman) and عمّان (Amman) are two places spelled with the same letters; no other form repeats.
    repeated = _duplicates([fold_key(p.name) for p in knowledge.places()])
    assert repeated == [fold_key("عمان")]
    assert {p.name for p in knowledge.places() if fold_key(p.name) == fold_key("عمان")} == {"عمان", "عمّان"}


def test_agencies_and_outlets_are_named_once() -> None:
    records = (*knowledge.outlets(), *knowledge.agencies())
    assert not _duplicates([r.key for r in records])
    names = [(fold_key(n), r.key) for r in records for n in {*r.names, *getattr(r, "abbreviations", ())}]
    owners: dict[str, set[str]] = {}
    for name, key in names:
        owners.setdefault(name, set()).add(key)
    assert {n: k for n, k in owners.items() if len(k) > 1} == {}


def test_organizations_do_not_repeat_outlet_or_agency_names() -> None:
    publisher_names = {
        fold_key(n)
        for r in (*knowledge.outlets(), *knowledge.agencies())
        for n in (*r.names, *getattr(r, "abbreviations", ()))
    }
    assert not {fold_key(f.name) for f in knowledge.forms("organizations.tsv")} & publisher_names


def test_place_forms_are_not_organizations() -> None:
    places = {fold_key(p.name) for p in knowledge.places()}
    assert not places & {fold_key(f.name) for f in knowledge.forms("organizations.tsv")}


# --- selections are selections -------------------------------------------------------------------------------
def test_entity_names_and_credit_lines_are_among_the_records_names() -> None:
    for record in (*knowledge.outlets(), *knowledge.agencies()):
        forms = {*record.names, *getattr(record, "abbreviations", ())}
        assert set(record.entity_names) <= forms, record.key
        assert set(getattr(record, "credit_lines", ())) <= forms, record.key
    assert all(a.credit_lines for a in knowledge.agencies())


def test_story_places_resolve() -> None:
    from naba.stories.places import PARENT, PLACES

    assert PLACES[fold_key("القاهرة")] == fold_key("مصر")  # a city abroad counts as its country
    assert PLACES[fold_key("مكة المكرمة")] == fold_key("مكة")  # a long form counts as its place
    assert PLACES[fold_key("أبها")] == fold_key("عسير")  # a region's seat counts as the region
    assert PLACES[fold_key("كابل")] == fold_key("أفغانستان")  # a spelling counts as its place's country
    assert PLACES[fold_key("جدة")] == fold_key("جدة") and PARENT[fold_key("جدة")] == fold_key("مكة")


# --- malformed files fail loudly -----------------------------------------------------------------------------
def _fake(monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> None:
    real = knowledge._read
    monkeypatch.setattr(knowledge, "_read", lambda n: text if n == name else real(n))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# what\nname\twrong\n", "header must be"),
        ("name\tsame_as\nقطر\t\n\tقطر\n", "the first not empty"),
        ("name\tsame_as\nدولة قطر\tقطر\n", "is not an earlier canonical name"),
        ("name\tsame_as\nقطر\t\tx\n", "expected up to 2 cells"),
    ],
)
def test_a_malformed_table_names_file_and_line(
    monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    name = f"broken-{abs(hash(text))}.tsv"
    _fake(monkeypatch, name, text)
    with pytest.raises(ValueError, match=message) as raised:
        knowledge.forms(name)
    assert f"naba/data/{name}:" in str(raised.value)


def test_an_unknown_tag_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    row = knowledge._Row("x.tsv", 3, {"tags": "ui nonsense"})
    with pytest.raises(ValueError, match=r"x.tsv:3: unknown tags \['nonsense'\]"):
        row.tags("tags", frozenset({"ui"}))


def test_a_selection_outside_the_records_names_is_refused() -> None:
    table = {"key": "x", "name_ar": "س", "name_en": "X", "sites": [], "country": "ZZ", "region": "gulf"}
    with pytest.raises(ValueError, match="are not among its names"):
        knowledge._publisher("test", {**table, "entity_names": ["ص"]}, agency=False)
    with pytest.raises(ValueError, match="unexpected keyword argument 'nickname'"):
        knowledge._publisher("test", {**table, "nickname": "y"}, agency=False)


def test_headline_labels_and_plural_nouns() -> None:
    labels = knowledge.headline_labels()
    assert {x.kind for x in labels} == {"section", "part", "ordinal"}
    assert next(x.value for x in labels if x.text == "اقتصادي") == "economy"
    article = knowledge.plural_nouns()["article"]
    assert (article["one"], article["two"], article["few"], article["many"], article["other"]) == (
        "مقال واحد",
        "مقالان",
        "{n} مقالات",
        "{n} مقالًا",
        "{n} مقال",
    )
    assert "فيسبوك" in knowledge.word_list("platforms.txt")


def test_section_and_country_tables_load_checked() -> None:
    keys = [s.key for s in knowledge.sections()]
    assert keys[:3] == ["politics", "economy", "sports"] and "opinion" in keys
    assert {s.section for s in knowledge.section_signals()} <= set(keys)
    codes = {w.text: w.code for w in knowledge.country_words() if w.kind == "country"}
    assert codes["السعودية"] == "SA" and codes["الولايات المتحدة"] == "US"
