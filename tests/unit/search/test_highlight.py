"""Highlights are cut from the original text: stems and variants match, spans reassemble the text exactly."""

from __future__ import annotations

from naba.search.highlight import SNIPPET_CHARS, match_ranges, snippet, to_spans
from naba.search.service import parse_query
from naba.text.analyzer import get_analyzer

ANALYZER = get_analyzer()


def marked(text: str, query: str) -> list[str]:
    parsed = parse_query(query, ANALYZER)
    return [text[s:e] for s, e in match_ranges(text, parsed, ANALYZER)]


def test_stemmed_and_variant_matches_are_marked_in_the_original() -> None:
    text = "قالت الخارجيةُ الأميركية إن المساعدات وصلت، وأكد المسؤولون الأمريكيون ذلك."
    assert marked(text, "الأمريكية") == ["الأميركية", "الأمريكيون"]
    assert marked(text, "مساعدات") == ["المساعدات"]


def test_phrase_is_marked_as_one_range() -> None:
    text = "وصل خادمُ الحرمين الشريفين إلى طنجة، وخادم المسجد هناك."
    assert marked(text, '"خادم الحرمين الشريفين"') == ["خادمُ الحرمين الشريفين"]


def test_guillemets_are_not_a_phrase_operator() -> None:
    parsed = parse_query("«تنظيم إرهابي» الإمارات", ANALYZER)
    assert parsed.phrases == ()
    assert parsed.terms


def test_spans_reassemble_the_text() -> None:
    text = "الرياض تستضيف مؤتمر الطاقة <b>و</b> الرياض عاصمة"
    ranges = match_ranges(text, parse_query("الرياض", ANALYZER), ANALYZER)
    spans = to_spans(text, ranges)
    assert "".join(s.text for s in spans) == text
    assert [s.text for s in spans if s.highlighted] == ["الرياض", "الرياض"]


def test_snippet_centres_on_the_densest_matches() -> None:
    filler = "كلام عام لا صلة له بالموضوع " * 40
    text = filler + "أعلنت وزارة الطاقة خطة الطاقة المتجددة الجديدة للطاقة النظيفة. " + filler
    ranges = match_ranges(text, parse_query("الطاقة", ANALYZER), ANALYZER)
    spans = snippet(text, ranges)
    shown = "".join(s.text for s in spans)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert len(shown) <= SNIPPET_CHARS + 40
    assert sum(1 for s in spans if s.highlighted) >= 3
