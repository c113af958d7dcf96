"""Named Arabic code points and the character classes built from them.

Every code point the analyzer treats specially is named here, so that rules elsewhere read as words
(``ALEF_HAMZA_ABOVE``) rather than as escapes. Nothing here has behaviour; it is data only.
"""

from __future__ import annotations

from typing import Final

# Letters
HAMZA: Final = "\u0621"  # ء
ALEF_MADDA: Final = "\u0622"  # آ
ALEF_HAMZA_ABOVE: Final = "\u0623"  # أ
WAW_HAMZA: Final = "\u0624"  # ؤ
ALEF_HAMZA_BELOW: Final = "\u0625"  # إ
YEH_HAMZA: Final = "\u0626"  # ئ
ALEF: Final = "\u0627"  # ا
BEH: Final = "\u0628"  # ب
TEH_MARBUTA: Final = "\u0629"  # ة
TEH: Final = "\u062a"  # ت
FEH: Final = "\u0641"  # ف
KAF: Final = "\u0643"  # ك
LAM: Final = "\u0644"  # ل
MEEM: Final = "\u0645"  # م
NOON: Final = "\u0646"  # ن
HEH: Final = "\u0647"  # ه
WAW: Final = "\u0648"  # و
ALEF_MAQSURA: Final = "\u0649"  # ى
YEH: Final = "\u064a"  # ي
ALEF_WASLA: Final = "\u0671"  # ٱ
TATWEEL: Final = "\u0640"  # ـ (kashida)
FARSI_YEH: Final = "\u06cc"  # ی (Persian/Urdu yeh, seen in copied text)
KEHEH: Final = "\u06a9"  # ک (Persian kaf)

# Diacritics (tashkeel): fathatan .. sukun, and the superscript (dagger) alef.
FATHATAN: Final = "\u064b"
SUKUN: Final = "\u0652"
SUPERSCRIPT_ALEF: Final = "\u0670"
DIACRITICS: Final = "".join(chr(c) for c in range(ord(FATHATAN), ord(SUKUN) + 1)) + SUPERSCRIPT_ALEF
# Combining maddah / hamza above / hamza below. NFKC composes them with a preceding alef, waw or yeh;
# any that survive composition are dropped (their letter folds to the bare form anyway).
COMBINING_HAMZA_MARKS: Final = "\u0653\u0654\u0655"

# Invisible formatting marks: LRM, RLM, ZWSP, ZWNJ, ZWJ, the isolates LRI RLI FSI PDI, the Arabic letter mark.
LRM: Final = "\u200e"
RLM: Final = "\u200f"
ZWSP: Final = "\u200b"
ZWNJ: Final = "\u200c"
ZWJ: Final = "\u200d"
BIDI_ISOLATES: Final = "\u2066\u2067\u2068\u2069"
ARABIC_LETTER_MARK: Final = "\u061c"
INVISIBLE_MARKS: Final = LRM + RLM + ZWSP + ZWNJ + ZWJ + BIDI_ISOLATES + ARABIC_LETTER_MARK

# The bidi embeddings and overrides LRE RLE PDF LRO RLO. With the isolates they are the bidi controls that
# open or close a directional scope (LRM, RLM and ALM do not: each is one zero-width strongly directed mark).
BIDI_EMBEDDINGS: Final = "\u202a\u202b\u202c\u202d\u202e"
BIDI_CONTROLS: Final = BIDI_EMBEDDINGS + BIDI_ISOLATES

# Alef variants folded to bare alef.
ALEF_FORMS: Final = ALEF_MADDA + ALEF_HAMZA_ABOVE + ALEF_HAMZA_BELOW + ALEF_WASLA

# Digits
EASTERN_DIGITS: Final = "".join(chr(c) for c in range(0x0660, 0x066A))  # ٠..٩
PERSIAN_DIGITS: Final = "".join(chr(c) for c in range(0x06F0, 0x06FA))  # ۰..۹
ASCII_DIGITS: Final = "0123456789"
ARABIC_DECIMAL_SEPARATOR: Final = "\u066b"  # ٫
ARABIC_THOUSANDS_SEPARATOR: Final = "\u066c"  # ٬
ARABIC_PERCENT: Final = "\u066a"  # ٪

# Punctuation
ARABIC_COMMA: Final = "\u060c"  # ،
ARABIC_SEMICOLON: Final = "\u061b"  # ؛
ARABIC_QUESTION_MARK: Final = "\u061f"  # ؟
LEFT_GUILLEMET: Final = "\u00ab"  # «
RIGHT_GUILLEMET: Final = "\u00bb"  # »
ARABIC_FULL_STOP: Final = "\u06d4"  # ۔
