"""The ISRI Arabic root stemmer (Taghva, Elkoury and Coombs 2005), ported from NLTK's ``nltk.stem.isri``.

Contract
--------
* :func:`isri_root` returns what ``nltk.stem.isri.ISRIStemmer().stem(word)`` returns, for every string.
  ``tests/unit/text/test_isri.py`` checks this on every word type of a SaudiNewsNet day against NLTK itself.

Why our own copy of 300 lines
-----------------------------
NLTK cannot be imported in part: ``from nltk.stem.isri import ISRIStemmer`` runs ``nltk/__init__``, which
imports SciPy's statistics and more — 2.5 to 4 s of start-up on the 2-core machines, paid by every
``naba search`` and every worker process, for one pure-Python function. The port is the same algorithm step
for step (NLTK's modifications included: its 49 stop words, the تفاعيل pattern, no hamza normalization);
NLTK stays a development dependency for the equivalence test. NLTK is Apache-2.0 licensed.
"""

from __future__ import annotations

import re
from typing import Final

# Prefixes and suffixes by length, in NLTK's order (the first that matches is removed).
_P3: Final = ("كال", "بال", "ولل", "وال")
_P2: Final = ("ال", "لل")
_P1: Final = ("ل", "ب", "ف", "س", "و", "ي", "ت", "ن", "ا")
_S3: Final = ("تمل", "همل", "تان", "تين", "كمل")
_S2: Final = (
    "ون", "ات", "ان", "ين", "تن", "كم", "هن", "نا", "يا", "ها", "تم", "كن", "ني", "وا", "ما", "هم",
)  # fmt: skip
_S1: Final = ("ة", "ه", "ي", "ك", "ت", "ا", "ن")
# NLTK's 49 stop words, returned unchanged.
_STOP_WORDS: Final = frozenset(
    [
        "يكون",
        "وليس",
        "وكان",
        "كذلك",
        "التي",
        "وبين",
        "عليها",
        "مساء",
        "الذي",
        "وكانت",
        "ولكن",
        "والتي",
        "تكون",
        "اليوم",
        "اللذين",
        "عليه",
        "كانت",
        "لذلك",
        "أمام",
        "هناك",
        "منها",
        "مازال",
        "لازال",
        "لايزال",
        "مايزال",
        "اصبح",
        "أصبح",
        "أمسى",
        "امسى",
        "أضحى",
        "اضحى",
        "مابرح",
        "مافتئ",
        "ماانفك",
        "لاسيما",
        "ولايزال",
        "الحالي",
        "اليها",
        "الذين",
        "فانه",
        "والذي",
        "وهذا",
        "لهذا",
        "فكان",
        "ستكون",
        "اليه",
        "يمكن",
        "بهذا",
        "الذى",
    ]
)
_SHORT_VOWELS: Final = re.compile("[\u064b-\u0652]")
_INITIAL_HAMZA: Final = re.compile("^[\u0622\u0623\u0625]")


def isri_root(token: str) -> str:
    """The ISRI root (or the normalized stem when no pattern applies) of one Arabic word."""
    token = _SHORT_VOWELS.sub("", token)
    if token in _STOP_WORDS:
        return token
    token = _suffix32(_prefix32(token))
    if len(token) >= 4 and token[:2] == "وو":  # connective و before a word beginning with و
        token = token[1:]
    token = _INITIAL_HAMZA.sub("ا", token)
    if len(token) == 4:
        return _pattern4(token)
    if len(token) == 5:
        return _end5(_pattern53(token))
    if len(token) == 6:
        return _end6(_pattern6(token))
    if len(token) == 7:
        token = _suffix1(token)
        if len(token) == 7:
            token = _prefix1(token)
        if len(token) == 6:
            token = _end6(_pattern6(token))
    return token


def _prefix32(word: str) -> str:
    if len(word) >= 6:
        for prefix in _P3:
            if word.startswith(prefix):
                return word[3:]
    if len(word) >= 5:
        for prefix in _P2:
            if word.startswith(prefix):
                return word[2:]
    return word


def _suffix32(word: str) -> str:
    if len(word) >= 6:
        for suffix in _S3:
            if word.endswith(suffix):
                return word[:-3]
    if len(word) >= 5:
        for suffix in _S2:
            if word.endswith(suffix):
                return word[:-2]
    return word


def _suffix1(word: str) -> str:
    for suffix in _S1:
        if word.endswith(suffix):
            return word[:-1]
    return word


def _prefix1(word: str) -> str:
    for prefix in _P1:
        if word.startswith(prefix):
            return word[1:]
    return word


def _pattern4(w: str) -> str:
    """Four letters to a three-letter root: مفعل، فاعل، فعال/فعول/فعيل، فعلة, else a short affix off."""
    if w[0] == "م":
        return w[1:]
    if w[1] == "ا":
        return w[:1] + w[2:]
    if w[2] in "اوي":
        return w[:2] + w[3]
    if w[3] == "ة":
        return w[:-1]
    w = _suffix1(w)
    return _prefix1(w) if len(w) == 4 else w


def _pattern53(w: str) -> str:
    """Five letters to a three-letter root, one pattern per branch (the pattern is in each comment)."""
    if w[2] in "ات" and w[0] == "ا":  # افتعل - افاعل
        return w[1] + w[3:]
    if w[3] in "ايو" and w[0] == "م":  # مفعول - مفعال - مفعيل
        return w[1:3] + w[4]
    if w[0] in "اتم" and w[4] == "ة":  # مفعلة - تفعلة - افعلة
        return w[1:4]
    if w[0] in "ميت" and w[2] == "ت":  # مفتعل - يفتعل - تفتعل
        return w[1] + w[3:]
    if w[0] in "مت" and w[2] == "ا":  # مفاعل - تفاعل
        return w[1] + w[3:]
    if w[2] in "او" and w[4] == "ة":  # فعولة - فعالة
        return w[:2] + w[3]
    if w[0] in "ام" and w[1] == "ن":  # انفعل - منفعل
        return w[2:]
    if w[3] == "ا" and w[0] == "ا":  # افعال
        return w[1:3] + w[4]
    if w[4] == "ن" and w[3] == "ا":  # فعلان
        return w[:3]
    if w[3] == "ي" and w[0] == "ت":  # تفعيل
        return w[1:3] + w[4]
    if w[3] == "و" and w[1] == "ا":  # فاعول
        return w[0] + w[2] + w[4]
    if w[2] == "ا" and w[1] == "و":  # فواعل
        return w[0] + w[3:]
    if w[3] == "ئ" and w[2] == "ا":  # فعائل
        return w[:2] + w[4]
    if w[4] == "ة" and w[1] == "ا":  # فاعلة
        return w[0] + w[2:4]
    if w[4] == "ي" and w[2] == "ا":  # فعالي
        return w[:2] + w[3]
    w = _suffix1(w)
    return _prefix1(w) if len(w) == 5 else w


def _pattern54(w: str) -> str:
    """Five letters to a four-letter root: تفعلل/افعلل/مفعلل، فعللة، فعالل."""
    if w[0] in "اتم":
        return w[1:]
    if w[4] == "ة":
        return w[:4]
    if w[2] == "ا":
        return w[:2] + w[3:]
    return w


def _end5(w: str) -> str:
    if len(w) == 4:
        return _pattern4(w)
    if len(w) == 5:
        return _pattern54(w)
    return w


def _pattern6(w: str) -> str:
    """Six letters to a three-letter root: استفعل/مستفعل، مفعالة، افتعال، افعوعل، تفاعيل."""
    if w.startswith(("است", "مست")):
        return w[3:]
    if w[0] == "م" and w[3] == "ا" and w[5] == "ة":
        return w[1:3] + w[4]
    if w[0] == "ا" and w[2] == "ت" and w[4] == "ا":
        return w[1] + w[3] + w[5]
    if w[0] == "ا" and w[3] == "و" and w[2] == w[4]:
        return w[1] + w[4:]
    if w[0] == "ت" and w[2] == "ا" and w[4] == "ي":
        return w[1] + w[3] + w[5]
    w = _suffix1(w)
    return _prefix1(w) if len(w) == 6 else w


def _pattern64(w: str) -> str:
    """Six letters to a four-letter root: افعلال، متفعلل."""
    if w[0] == "ا" and w[4] == "ا":
        return w[1:4] + w[5]
    if w.startswith("مت"):
        return w[2:]
    return w


def _end6(w: str) -> str:
    if len(w) == 5:
        return _end5(_pattern53(w))
    if len(w) == 6:
        return _pattern64(w)
    return w
