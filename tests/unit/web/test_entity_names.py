"""Entity aliases on entity pages: true variants of one name, never fragments of it."""

from __future__ import annotations

from naba.web.story_pages import true_variants


def test_fragments_of_a_name_are_not_aliases() -> None:
    shown = true_variants(
        "سلمان بن عبدالعزيز ال سعود",
        ["سعود", "عبدالعزيز", "عبد العزيز", "سلمان بن عبد العزيز آل سعود", "الملك سلمان"],
    )
    assert shown == ["سلمان بن عبد العزيز آل سعود", "الملك سلمان"]


def test_long_forms_and_spellings_are_aliases() -> None:
    assert true_variants("حماس", ["حركة المقاومة الإسلامية", "حركة حماس"]) == [
        "حركة المقاومة الإسلامية",
        "حركة حماس",
    ]
    assert true_variants("اثيوبيا", ["أثيوبيا"]) == ["أثيوبيا"]
