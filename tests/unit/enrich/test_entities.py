"""Entities: the seed page's must-find entities and aliases, offsets, rules, injection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from naba.enrich.aliases import AliasResolver
from naba.enrich.entities import Entity, EntityExtractor, extract_entities
from naba.text.normalize import normalize

SEED_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "seed"
KINDS = {"person": "PER", "organization": "ORG", "location": "LOC"}

pytestmark = pytest.mark.slow  # loads the CRF model


def _seed() -> tuple[str, dict[str, Any]]:
    if not (SEED_DIR / "seed-page.txt").exists():
        pytest.skip("../shared/seed is not available")
    text = (SEED_DIR / "seed-page.txt").read_text(encoding="utf-8")
    expected = json.loads((SEED_DIR / "seed-page.expected.json").read_text(encoding="utf-8"))
    return text, expected


@pytest.fixture(scope="module")
def seed_entities() -> list[Entity]:
    text, _ = _seed()
    return extract_entities(text)


def _found(entities: list[Entity], name: str, kind: str, resolver: AliasResolver) -> bool:
    wanted = resolver.canonical(name)
    return any(
        e.kind == kind and (normalize(e.name) == normalize(name) or e.canonical == wanted) for e in entities
    )


def _must_find() -> list[tuple[str, str]]:
    if not (SEED_DIR / "seed-page.expected.json").exists():
        return [("person", "")]  # the test skips
    expected = json.loads((SEED_DIR / "seed-page.expected.json").read_text(encoding="utf-8"))
    return [(label, name) for label, names in expected["entities_must_find"].items() for name in names]


@pytest.mark.parametrize(("label", "name"), _must_find())
def test_seed_entities_must_find(seed_entities: list[Entity], label: str, name: str) -> None:
    assert _found(seed_entities, name, KINDS[label], AliasResolver()), name


def test_seed_aliases_must_resolve() -> None:
    _, expected = _seed()
    resolver = AliasResolver()
    for group in expected["aliases_must_resolve"]:
        assert len({resolver.canonical(name) for name in group}) == 1, group


def test_seed_aliases_resolve_in_extracted_text(seed_entities: list[Entity]) -> None:
    """Mentions of one entity in the page share one canonical name."""
    by_canonical: dict[str, set[str]] = {}
    for e in seed_entities:
        by_canonical.setdefault(e.canonical, set()).add(normalize(e.name))
    assert {normalize("حركة المقاومة الإسلامية"), normalize("حماس")} <= by_canonical["حماس"]
    assert normalize("قطاع غزة") in by_canonical["غزة"]


def test_offsets_point_into_the_text(seed_entities: list[Entity]) -> None:
    text, _ = _seed()
    for e in seed_entities:
        surface = " ".join(text[e.start : e.end].split())
        # the name is the surface, except that a written لل gets the article's alef back
        assert surface == e.name or "ا" + surface == e.name, (surface, e.name)


def test_proclitic_is_cut_from_the_mention() -> None:
    text = "وسلمت المرأتان للصليب الأحمر، وشكرت موسكو لحماس."
    names = {(e.name, e.kind) for e in extract_entities(text)}
    assert ("الصليب الأحمر", "ORG") in names
    assert ("حماس", "ORG") in names


def test_diacritic_on_a_proclitic_goes_with_it() -> None:
    text = "وَالولايات المتحدة دعمت الاتفاق."
    places = [e for e in extract_entities(text) if e.kind == "LOC"]
    assert [(e.name, e.canonical) for e in places] == [("الولايات المتحدة", "الولايات المتحدة")]
    assert text[places[0].start : places[0].end] == "الولايات المتحدة"


def test_alias_rules_are_principled() -> None:
    r = AliasResolver()
    assert r.canonical("واشنطن") != r.canonical("الولايات المتحدة")  # a capital is not its country
    assert r.canonical("دولة الكويت") == r.canonical("الكويت")
    assert r.canonical("ترمب") == r.canonical("ترامب")  # transliteration variants (naba.text.variants)
    assert r.canonical("عيدان ألكساندر") == r.canonical("عيدان الكسندر")
    assert r.canonical("مدينة حلب") == "حلب"
    assert r.same_entity("المملكة العربية السعودية", "السعودية")


def test_names_after_titles_and_introducers() -> None:
    text = "وقال الرئيس الفرنسي إيمانويل ماكرون إن بلاده ستدعم الاتفاق. وأفرج عن صحفي يدعى ماركو ليندر أمس."
    persons = {e.name for e in extract_entities(text) if e.kind == "PER"}
    assert "إيمانويل ماكرون" in persons
    assert "ماركو ليندر" in persons


def test_one_word_mention_takes_the_full_name() -> None:
    text = "التقى الرئيس الروسي فلاديمير بوتين الوفد. وقال بوتين إن الحوار مستمر."
    persons = [e for e in extract_entities(text) if e.kind == "PER"]
    assert {e.canonical for e in persons} == {"فلاديمير بوتين"}


def test_extractor_is_injectable() -> None:
    class Fake:
        def extract(self, text: str) -> list[Entity]:
            return [Entity("X", "X", "PER", 0, 1)]

    fake: EntityExtractor = Fake()
    assert extract_entities("أي نص", extractor=fake) == [Entity("X", "X", "PER", 0, 1)]


def test_empty_text() -> None:
    assert extract_entities("") == []
    assert extract_entities("   \n ") == []


def test_extended_given_names_are_a_feature_not_a_rule() -> None:
    from naba.enrich import gazetteers as gz
    from naba.enrich.ner_features import EXTRA, sentence_features

    assert "names" in EXTRA  # the shipped model was trained with this feature group
    assert not gz.MORE_FIRST_NAMES & gz.FIRST_NAMES
    feats = sentence_features(["قال", "أسامة", "الخطيب"], {})
    assert "f=first2" in feats[1] and "f=first2" not in feats[2]


def test_stacked_features_follow_the_document() -> None:
    from naba.enrich.ner_features import stack_features

    sentences = [["التقى", "كريفوي", "الوزير"], ["وقال", "كريفوي"]]
    first = [
        [("O", 0.0, {}), ("B-PER", 0.95, {"PER": 0.95}), ("O", 0.0, {})],
        [("O", 0.0, {}), ("O", 0.2, {"PER": 0.2})],
    ]
    feats = stack_features(sentences, first)
    assert "ds=PER5" in feats[1][1]  # the other mention was a confident person
    assert "s1=B-PER" in feats[0][1] and "ds=none" in feats[0][0]
