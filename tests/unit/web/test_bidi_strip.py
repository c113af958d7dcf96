"""Bidi embedding, override and isolate controls are removed from everything the reader prints.

``strip_bidi_controls`` is the one function; ``printable`` applies it to every ``{{ … }}`` of every template
(the environment's ``finalize``); links keep their target with the controls percent-encoded.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from naba.text import chars
from naba.web.format import strip_bidi_controls
from naba.web.pages import TEMPLATES_DIR, SearchForm, make_environment, printable, safe_external_url

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI.
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# LRM RLM ALM, and the zero-width characters that are not bidi controls: all kept.
KEPT = "\u200e\u200f\u061c\u200b\u200c\u200d"


def test_the_controls_are_the_nine_named_code_points() -> None:
    assert chars.BIDI_CONTROLS == CONTROLS
    assert [unicodedata.name(c) for c in chars.BIDI_EMBEDDINGS] == [
        "LEFT-TO-RIGHT EMBEDDING",
        "RIGHT-TO-LEFT EMBEDDING",
        "POP DIRECTIONAL FORMATTING",
        "LEFT-TO-RIGHT OVERRIDE",
        "RIGHT-TO-LEFT OVERRIDE",
    ]


@pytest.mark.parametrize("control", list(CONTROLS))
def test_each_control_is_removed(control: str) -> None:
    assert strip_bidi_controls(f"{control}سد{control} النهضة{control}") == "سد النهضة"


@pytest.mark.parametrize(
    "text",
    [
        "مفاوضات سد النهضة تستأنف في الخرطوم",
        "شركة Apple تفتتح متجرها في دبي (أ ف ب)\u200f.",
        "السعر ٢٥٫٥ ريال\u061c، أي 25.5",
        f"نص{KEPT}بعلامات",
        "",
    ],
)
def test_text_without_controls_is_unchanged(text: str) -> None:
    assert strip_bidi_controls(text) is text


def test_legitimate_marks_survive_next_to_controls() -> None:
    assert strip_bidi_controls(f"\u202e(رويترز)\u200f{CONTROLS}\u061c") == "(رويترز)\u200f\u061c"


@given(st.text(alphabet=st.sampled_from(CONTROLS + KEPT + "سد النهضة Apple<>&\"'")))
def test_only_the_controls_go_and_cleaning_twice_is_cleaning_once(text: str) -> None:
    cleaned = strip_bidi_controls(text)
    assert cleaned == "".join(c for c in text if c not in CONTROLS)
    assert strip_bidi_controls(cleaned) == cleaned


def test_markup_stays_markup_so_it_is_not_escaped_twice() -> None:
    cleaned = strip_bidi_controls(markupsafe.Markup("<mark>\u202eسد</mark>"))
    assert isinstance(cleaned, markupsafe.Markup)
    assert cleaned == "<mark>سد</mark>"


class Spoof:
    def __str__(self) -> str:
        return "\u202e<b>gpj.exe"


class Html:
    def __html__(self) -> str:
        return "<i>\u2067مائل\u2069</i>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\u202bعنوان\u202c", "عنوان"),
        (12, 12),
        (2.5, 2.5),
        (None, None),
        (Spoof(), "&lt;b&gt;gpj.exe"),  # escaped here, then cleaned
        (Html(), "<i>مائل</i>"),  # its own HTML, cleaned
    ],
)
def test_printable_cleans_every_kind_of_value(value: object, expected: object) -> None:
    assert printable(value) == expected


def test_the_environment_cleans_text_titles_attributes_and_macros() -> None:
    env = make_environment()
    template = env.from_string(
        "{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}"
        '<title>{{ t }}</title><a title="{{ t }}" href="{{ h }}">{{ m(t) }}</a>{{ t|upper }}{{ n }}'
    )
    html = template.render(t=f"{CONTROLS}<خبر>{CONTROLS}", h=f"/x{CONTROLS}", n=7)
    assert not re.search(f"[{CONTROLS}]", html)
    assert html == (
        '<title>&lt;خبر&gt;</title><a title="&lt;خبر&gt;" href="/x"><b>&lt;خبر&gt;</b></a>&lt;خبر&gt;7'
    )


def test_the_templates_themselves_hold_no_control() -> None:
    files = sorted(Path(TEMPLATES_DIR).glob("*.html"))
    assert files
    for path in files:
        assert not re.search(f"[{CONTROLS}]", path.read_text(encoding="utf-8")), path.name


def test_links_keep_their_target_with_the_controls_percent_encoded() -> None:
    assert safe_external_url("https://example.org/أخبار/\u202e1?q=\u2066x#\u2069") == (
        "https://example.org/أخبار/%E2%80%AE1?q=%E2%81%A6x#%E2%81%A9"
    )
    assert safe_external_url("https://example.org/خبر") == "https://example.org/خبر"


@pytest.mark.parametrize(
    "url", ["https://exa\u202emple.org/a", "https://\u2067example.org/", "javascript:alert(1)\u202e", None]
)
def test_hosts_with_a_control_and_unsafe_links_are_dropped(url: str | None) -> None:
    assert safe_external_url(url) is None


def test_search_form_source_is_matched_to_the_stored_key() -> None:
    form = SearchForm.parse("سد", "صحيفة الأفق", None, None, None)
    stored = ["\u202bجريدة النهار", "صحيفة\u202e الأفق"]
    assert form.known_source(stored).source == "صحيفة\u202e الأفق"
    exact = SearchForm.parse("سد", "\u202bجريدة النهار", None, None, None)
    assert exact.known_source(stored) is exact
    unknown = SearchForm.parse("سد", "غير معروف", None, None, None)
    assert unknown.known_source(stored).source == "غير معروف"
    assert SearchForm.parse("سد", None, None, None, None).known_source(stored).source is None


def test_dates_print_unchanged() -> None:
    assert printable(dt.date(2015, 8, 3)) == "2015-08-03"
