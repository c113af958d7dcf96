"""The spellings a typed query word is read as, chosen by the index's document frequencies (no index needed:
a dictionary stands in for it)."""

from __future__ import annotations

from naba.search.service import parse_query, spellings
from naba.text.analyzer import get_analyzer


def test_spellings_restore_hamza_seats_and_teh_marbuta() -> None:
    assert spellings("السعوديه")[0] == "السعوديه"
    assert "السعودية" in spellings("السعوديه")
    assert "رئاسة" in spellings("رياسه")
    assert "مسؤول" in spellings("مسوول")
    assert spellings("وزير")[0] == "وزير"
    assert "شاطئ" in spellings("شاطي")  # a final seat
    assert "الوزراء" in spellings("الوزرا")  # a final hamza after alef


def test_a_word_typed_with_heh_reads_as_the_spelling_the_index_knows() -> None:
    analyzer = get_analyzer()
    known = {t: 100 for t in analyzer.terms("السعودية الطائرة") + analyzer.phrase_terms("السعودية الطائرة")}
    parsed = parse_query("السعوديه الطايره", analyzer, lambda field, term: known.get(term, 1))
    correct = parse_query("السعودية الطائرة", analyzer, lambda field, term: known.get(term, 1))
    assert parsed.terms == correct.terms
    assert [w.form for w in parsed.words] == [w.form for w in correct.words]


def test_a_real_word_wins_ties_and_is_left_alone() -> None:
    analyzer = get_analyzer()
    parsed = parse_query("وجه", analyzer, lambda field, term: 5)
    assert parsed.terms == tuple(analyzer.terms("وجه"))


def test_without_an_index_the_words_are_read_as_typed() -> None:
    analyzer = get_analyzer()
    parsed = parse_query('السعوديه "خادم الحرمين"', analyzer)
    assert parsed.terms == tuple(analyzer.terms("السعوديه"))
    assert parsed.phrases == (tuple(analyzer.phrase_terms("خادم الحرمين")),)


def test_free_words_give_the_terms_the_whole_text_gives() -> None:
    # Reading word by word (for the spelling choice) must not change what a plain query searches for.
    analyzer = get_analyzer()
    text = "وزير الخارجية الأمريكي جون كيري يصل إلى الرياض في زيارة للمملكة"
    assert parse_query(text, analyzer).terms == tuple(analyzer.terms(text))
