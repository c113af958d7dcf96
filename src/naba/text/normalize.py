"""Arabic search normalization: pure, idempotent, named steps.

Contract
--------
* Every step is a pure ``str -> str`` function; :func:`normalize` applies :data:`STEPS` in order and
  repeats until nothing changes, so ``normalize(normalize(s)) == normalize(s)`` for every string
  (property-tested). No stemming and no spelling-variant folding happen here.
* Steps may delete characters (marks, tatweel) or change length (NFKC ligatures, case folding), so offsets
  into the original text are never computed on normalized text: the tokenizer finds tokens in the
  original and normalizes each token on its own.

Teh marbuta policy
------------------
``ة`` is folded to ``ه`` in the search normalization (phrase tokens, identity-free comparisons), because
readers and sites type both (``مدرسه`` / ``مدرسة``). The stemmer must see ``ة`` (Snowball's suffix rules
expect it), so index terms are made from :func:`normalize_for_stemming`, which is the same normalization
without that one step; the stemmer folds ``ة`` in its output.
The same holds for ``ى -> ي``: final ``ى``/``ي`` are interchanged in live text (الدورى / الدوري).

The folding key
---------------
:func:`fold_key` is the one key names, words and lexicon phrases are compared by (gazetteers, places, agency
credits, boilerplate labels, bylines): :func:`normalize` with whitespace runs collapsed to one space. Callers
that read punctuation as a separator (publisher names) replace it with spaces first and fold the result.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Final

from naba.text import chars

Step = Callable[[str], str]


def _table(mapping: dict[str, str], delete: str = "") -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in mapping.items()}
    table.update({ord(c): None for c in delete})
    return table


_MARKS_TABLE: Final = _table({}, chars.DIACRITICS + chars.COMBINING_HAMZA_MARKS + chars.TATWEEL)
_INVISIBLE_TABLE: Final = _table({}, chars.INVISIBLE_MARKS)
_ALEF_TABLE: Final = _table(dict.fromkeys(chars.ALEF_FORMS, chars.ALEF))
_MAQSURA_TABLE: Final = _table(
    {chars.ALEF_MAQSURA: chars.YEH, chars.FARSI_YEH: chars.YEH, chars.KEHEH: chars.KAF}
)
_TEH_MARBUTA_TABLE: Final = _table({chars.TEH_MARBUTA: chars.HEH})
_DIGIT_TABLE: Final = _table(
    {
        **dict(zip(chars.EASTERN_DIGITS, chars.ASCII_DIGITS, strict=True)),
        **dict(zip(chars.PERSIAN_DIGITS, chars.ASCII_DIGITS, strict=True)),
        chars.ARABIC_DECIMAL_SEPARATOR: ".",
        chars.ARABIC_THOUSANDS_SEPARATOR: ",",
        chars.ARABIC_PERCENT: "%",
    }
)
_PUNCT_TABLE: Final = _table(
    {
        chars.ARABIC_COMMA: ",",
        chars.ARABIC_SEMICOLON: ";",
        chars.ARABIC_QUESTION_MARK: "?",
        chars.LEFT_GUILLEMET: '"',
        chars.RIGHT_GUILLEMET: '"',
        chars.ARABIC_FULL_STOP: ".",
    }
)


def nfkc(text: str) -> str:
    """Unicode NFKC: folds presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) and composes hamza marks."""
    return unicodedata.normalize("NFKC", text)


def strip_diacritics(text: str) -> str:
    """Remove tashkeel (U+064B–U+0652), superscript alef (U+0670), stray combining hamza/madda and tatweel."""
    return text.translate(_MARKS_TABLE)


def strip_invisible(text: str) -> str:
    """Remove bidi and zero-width marks (LRM, RLM, ZWSP, ZWNJ, ZWJ, isolates, ALM)."""
    return text.translate(_INVISIBLE_TABLE)


def fold_alef(text: str) -> str:
    """أ إ آ ٱ -> ا."""
    return text.translate(_ALEF_TABLE)


def fold_alef_maqsura(text: str) -> str:
    """ى -> ي (and Persian ی -> ي, ک -> ك, which appear in copied text)."""
    return text.translate(_MAQSURA_TABLE)


def fold_teh_marbuta(text: str) -> str:
    """ة -> ه (see the module docstring for the policy)."""
    return text.translate(_TEH_MARBUTA_TABLE)


def fold_digits(text: str) -> str:
    """Eastern Arabic and Persian digits -> ASCII; ٫ ٬ ٪ -> . , %."""
    return text.translate(_DIGIT_TABLE)


def map_punctuation(text: str) -> str:
    """، ؛ ؟ « » ۔ -> , ; ? " " ."""
    return text.translate(_PUNCT_TABLE)


def fold_case(text: str) -> str:
    """Lower-case Latin (and any other cased script)."""
    return text.lower()


# The full search normalization, in order. NFKC comes first so that the later steps see canonical letters.
STEPS: Final[tuple[tuple[str, Step], ...]] = (
    ("nfkc", nfkc),
    ("strip_invisible", strip_invisible),
    ("strip_diacritics", strip_diacritics),
    ("fold_alef", fold_alef),
    ("fold_alef_maqsura", fold_alef_maqsura),
    ("fold_teh_marbuta", fold_teh_marbuta),
    ("fold_digits", fold_digits),
    ("map_punctuation", map_punctuation),
    ("fold_case", fold_case),
)

# Everything after NFKC is a character map; composing the maps into one table makes normalize() one pass.
_COMBINED_TABLE: Final = {
    **_DIGIT_TABLE,
    **_PUNCT_TABLE,
    **_TEH_MARBUTA_TABLE,
    **_MAQSURA_TABLE,
    **_ALEF_TABLE,
    **_MARKS_TABLE,
    **_INVISIBLE_TABLE,
}
_STEMMING_TABLE: Final = {k: v for k, v in _COMBINED_TABLE.items() if k != ord(chars.TEH_MARBUTA)}
_MAX_ROUNDS: Final = 4  # NFKC/lower after deletions converge in 1-2 rounds; the cap only guards pathologies


def _one_round(text: str, table: dict[int, str | None] = _COMBINED_TABLE) -> str:
    return unicodedata.normalize("NFKC", text).translate(table).lower()


def normalize_for_stemming(text: str) -> str:
    """:func:`normalize` without ``fold_teh_marbuta``: the input the stemmer expects; idempotent."""
    return _converge(text, _STEMMING_TABLE)


def normalize(text: str) -> str:
    """The full search normalization (all of :data:`STEPS`), no stemming; idempotent."""
    return _converge(text, _COMBINED_TABLE)


def _converge(text: str, table: dict[int, str | None]) -> str:
    out = _one_round(text, table)
    if unicodedata.is_normalized("NFKC", out):
        # The maps only emit NFKC-stable, lower-case characters; only a deletion that lets NFKC compose
        # anew (e.g. alef + stray madda) needs another round.
        return out
    for _ in range(_MAX_ROUNDS):
        again = _one_round(out, table)
        if again == out:
            break
        out = again
    return out


def fold_key(text: str) -> str:
    """The folding key: :func:`normalize`, whitespace runs collapsed to one space, ends trimmed; idempotent."""
    return " ".join(normalize(text).split())


def normalize_stepwise(text: str) -> str:
    """The same result as :func:`normalize`, applying the named steps one by one (for tests and debugging)."""
    out = text
    for _ in range(_MAX_ROUNDS + 1):
        prev = out
        for _name, step in STEPS:
            out = step(out)
        if out == prev:
            break
    return out
