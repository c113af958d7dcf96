"""Byline, dateline and credit lines: recognizing them in the text and reading authors and sources out of them.

* :func:`classify_line` tells a short line that is metadata, not body: a byline ("كتب: …", "بقلم …"), a source
  credit ("المصدر: …"), a lone agency credit ("(رويترز)", "وكالات") or a dateline (a date that fills the line).
* :func:`split_byline` turns a byline into person names and an original source: prefixes ("كتب", "بقلم",
  "بواسطة" …) are dropped; parts separated by " - " are places ("حسام أبو العلا - القاهرة"), agencies
  ("الرياض - واس" → source "واس"), the site's own name ("SITE - author"), or the author.
* :func:`source_in_text` reads a wire credit from the article text itself: "(أ ف ب)" or "- وكالات" ending the last
  paragraph or "الرياض - واس" / "القاهرة (رويترز) -" opening the first; :func:`outlet_in_lead` reads an outlet
  named by the opening words ("نشر موقع ميدل إيست آي …", "ذكرت صحيفة الغارديان …").
* Credit lines: "المصدر: X", "رابط الخبر بصحيفة X", a short "نقلا عن X" line, and a line holding only a credit in
  brackets, "(واس)" or an outlet's "(الاقتصادية)" (:func:`credit_of_line` gives the credited name).
* Authors are persons only: a byline part holding a desk, account or organization word ("محرر الموقع", "admin",
  "فريق التحرير", "صحيفة …"; labels.tsv, tag ``desk``), a handle or an e-mail gives no author. A bare name on its
  own line is read by its shape (:func:`is_bare_name`): two to five Arabic words, a known given name first or a
  family name ("آل …", "بن …", "ال…ي") last, no function word, place or desk word.

Agencies, places, labels and given names come from ``naba/data/`` (``agencies.toml``, ``places.tsv``, ``labels.tsv``,
``person-words.tsv``); a byline part is a place when it is a known one, and a one-word part next to a multi-word
name is dropped too (bylines give people at least two names). Everything is compared folded
(:func:`naba.text.normalize.fold_key`).
"""

from __future__ import annotations

import re
from typing import Final, Literal

from naba import knowledge
from naba.extract.dates import parse_dateline
from naba.publishers import publisher_by_name
from naba.text.normalize import fold_key

LineKind = Literal["byline", "source", "agency", "dateline"]

# Metadata lines are short; a body paragraph that merely starts with "كتب" is longer.
MAX_BYLINE_CHARS: Final = 60
MAX_CREDIT_CHARS: Final = 80
MAX_DATELINE_CHARS: Final = 90
# A dateline line is mostly its date: the matched date spans at least this share of the line.
MIN_DATE_SHARE: Final = 0.3
MAX_NAME_WORDS: Final = 6

BYLINE_PREFIXES: Final = tuple(fold_key(w) for w in knowledge.tagged("labels.tsv", "byline"))
SOURCE_LABELS: Final = tuple(fold_key(w) for w in knowledge.tagged("labels.tsv", "source"))
# The forms a line holding nothing else is read as a wire credit by (naba/data/agencies.toml, credit_lines).
AGENCIES: Final = frozenset(fold_key(form) for agency in knowledge.agencies() for form in agency.credit_lines)
# Places a byline part may name (naba/data/places.tsv, lexicon "byline").
PLACES: Final = frozenset(fold_key(p.name) for p in knowledge.places() if "byline" in p.uses)
# Given names that start with the letter و: in a byline they are a name, not "and" + a name.
_WAW_NAMES: Final = frozenset(
    key for key in (fold_key(w) for w in knowledge.tagged("person-words.tsv", "given")) if key.startswith("و")
)
# Words that make a byline a desk, an account or an organization (labels.tsv, tag desk).
DESK_WORDS: Final = frozenset(fold_key(w) for w in knowledge.tagged("labels.tsv", "desk"))
GIVEN_NAMES: Final = frozenset(fold_key(w) for w in knowledge.tagged("person-words.tsv", "given"))
NAME_PARTICLES: Final = frozenset(fold_key(w) for w in knowledge.tagged("person-words.tsv", "particle"))
FUNCTION_WORDS: Final = frozenset(fold_key(w) for w in knowledge.word_list("stopwords.txt"))
REPORT_VERBS: Final = frozenset(fold_key(w) for w in knowledge.tagged("labels.tsv", "report-verb"))
OUTLET_TYPES: Final = frozenset(fold_key(w) for w in knowledge.tagged("name-heads.tsv", "outlet-type"))
# "وكالة" heads agencies of every kind (space, energy, news): a report opening "أعلنت وكالة …" is credited to a
# news agency only when the name after it is a known publisher.
AGENCY_WORD: Final = fold_key("وكالة")
# A bare name line and the name in a credit: at most this many words.
MAX_BARE_NAME_WORDS: Final = 5
MAX_CREDIT_NAME_WORDS: Final = 4
_ARABIC_WORD: Final = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u064b-\u0652\u0640]+")
_HANDLE: Final = re.compile(r"@|^[a-z0-9_.]+$")
_SENTENCE_PUNCT: Final = re.compile(r"[.،؛؟!?:;]")
_PARTS: Final = re.compile(r"\s+[-–—ـ|/]+\s+|\s*[|]\s*")
# "منال الأحمدي من جدة", "جون أوثرز من لندن": a name and the place it was filed from.
_FROM_PLACE: Final = re.compile(r"^(?P<name>.+?)\s+(?:من|في)\s+(?P<place>\S+(?:\s\S+)?)$")
_LEADING_PREFIX: Final = re.compile(
    r"^(?:" + "|".join(BYLINE_PREFIXES) + r")(?:\s*[:：\-–]\s*|\s+)", re.IGNORECASE
)
_CREDIT_END: Final = re.compile(r"[(\[]\s*([^()\[\]]{1,40}?)\s*[)\]]\s*[.。]?\s*$")
# "… - وكالات" ending the text: a dash, then a credit of at most three words.
_DASH_CREDIT_END: Final = re.compile(r"\s[\-–—]\s*([^\s\-–—()][^\-–—()]{0,25}?)\s*[.。]?\s*$")
_CREDIT_START: Final = re.compile(
    r"^([^\s()\-–—]+(?:\s[^\s()\-–—]+){0,3})\s*(?:[(]\s*([^()]{1,30})\s*[)]|[\-–—]\s*([^\s\-–—][^\-–—]{0,25}?)\s*[\-–—:])"
)
# Wire credits inside the opening words: "(سونا)", "/ وام /", "- واس -" after a place and maybe a date
# ("الخرطوم 16-3-2025 (سونا) -", "أبوظبي في 12 مارس / وام /").
_CREDIT_MARKS: Final = re.compile(
    r"[(]\s*([^()]{1,30}?)\s*[)]|/\s*([^/]{1,25}?)\s*/|[\-–—]\s*([^\-–—\d][^\-–—]{0,25}?)\s*[\-–—:]"
)
# The place-and-date words before such a credit: "أبوظبي في 12 مارس" is four.
MAX_CREDIT_PREFIX_WORDS: Final = 5
# Labels that open the publication date on a line that also shows the update time.
_PUBLISH_LABEL: Final = re.compile(
    r"(?:تاريخ\s+النشر|نشر\s+(?:في|بتاريخ)|نُشر|نشر|published)\s*[:：]?", re.IGNORECASE
)
_SOURCE_LABEL: Final = re.compile(
    r"^\s*(?:ال)?مصدر(?:\s*الخبر)?\s*[:：]?\s*|^\s*source\s*:\s*", re.IGNORECASE
)
# Words of relative datelines ("منذ ساعتين", "أمس"): the only datelines without digits.
_RELATIVE_WORDS: Final = ("منذ", "امس", "قبل", "اليوم")
_UPDATE_LABELS: Final = tuple(fold_key(w) for w in knowledge.tagged("labels.tsv", "update"))


def is_credit_line(text: str) -> LineKind | None:
    """ "source" or "agency" for a short credit line, else ``None`` (cheaper than :func:`classify_line`)."""
    if len(text) > MAX_CREDIT_CHARS:
        return None
    if _SOURCE_LABEL.match(text):
        return "source"
    if len(text) <= 30 and is_agency(text):
        return "agency"
    if credit_of_line(text) is None:
        return None
    return "agency" if _BRACKETED.match(text) else "source"


def is_agency(text: str) -> bool:
    return fold_key(text).strip(" .()-–—") in AGENCIES


def _strip_prefix(folded_text: str, original: str) -> str:
    """``original`` without a byline prefix (matched on the folded text, whose length may differ)."""
    match = _LEADING_PREFIX.match(folded_text)
    if not match:
        return original
    words_dropped = len(match.group(0).split())
    rest = original.split(None, words_dropped)
    tail = rest[-1] if len(rest) > words_dropped else ""
    return tail.lstrip(" :：-–")


def is_update_label(text: str) -> bool:
    return fold_key(text).startswith(_UPDATE_LABELS)


def classify_line(text: str) -> LineKind | None:
    """What kind of metadata line ``text`` is, or ``None`` for body text."""
    if len(text) > MAX_DATELINE_CHARS:
        return None
    folded = fold_key(text)
    if (
        len(text) <= MAX_CREDIT_CHARS
        and folded.startswith(SOURCE_LABELS)
        and not folded.startswith("المصدري")
        and (_SOURCE_LABEL.match(text) or credit_of_line(text) is not None)
    ):
        return "source"
    if is_agency(text) and len(text) <= 30:
        return "agency"
    if len(text) <= MAX_CREDIT_CHARS and credit_of_line(text) is not None:
        return "agency" if _BRACKETED.match(text) else "source"
    if (
        len(text) <= MAX_BYLINE_CHARS
        and _LEADING_PREFIX.match(folded)
        and not re.search(r"[.،؟!]\s*\S", text)
    ):
        return "byline"
    if is_wire_byline(text):
        return "byline"
    if not (any(ch.isdigit() for ch in text) or any(w in folded for w in _RELATIVE_WORDS)):
        return None
    parsed = parse_dateline(text)
    if parsed is not None and len(parsed.matched) >= MIN_DATE_SHARE * len(text):
        return "dateline"
    return None


def source_from_line(text: str) -> str | None:
    """The credited source of an "المصدر: X" line (the label may touch the value: "<span>المصدر</span><a>X"),
    or of any other credit line (:func:`credit_of_line`)."""
    match = _SOURCE_LABEL.match(text)
    if not match:
        return credit_of_line(text)
    value = text[match.end() :].strip(" :：-–—.")
    return value or None


# A line holding only a bracketed credit: "(واس)", "( وام )", "[الاقتصادية]".
_BRACKETED: Final = re.compile(r"^\s*[(\[]\s*([^()\[\]]{1,40}?)\s*[)\]]\s*[.。]?\s*$")
# Labels of credit lines other than "المصدر": "رابط الخبر", "نقلا عن" (labels.tsv, source and attribution), longest
# first so "مصدر الخبر" wins over "مصدر".
_CREDIT_LABELS: Final = tuple(
    sorted(
        {fold_key(w) for tag in ("source", "attribution") for w in knowledge.tagged("labels.tsv", tag)},
        key=len,
        reverse=True,
    )
)
_CREDIT_PUNCT: Final = " :：-–—.،,()[]«»\"“”'"


def credit_of_line(text: str) -> str | None:
    """The source a short line credits, or ``None``: a label and a name ("المصدر: واس", "رابط الخبر بصحيفة عكاظ",
    "نقلا عن صحيفة الوطن" on a line of its own) or a bracketed credit alone ("(واس)", "(الاقتصادية)": an agency's
    credit form or a publisher's name)."""
    if len(text) > MAX_CREDIT_CHARS:
        return None
    if bracketed := _BRACKETED.match(text):
        inner = bracketed.group(1)
        known = is_agency(inner) or publisher_by_name(inner) is not None
        return inner.strip() if known and len(inner.split()) <= MAX_CREDIT_NAME_WORDS else None
    folded = fold_key(text).lstrip(_CREDIT_PUNCT)
    label = next((lb for lb in _CREDIT_LABELS if folded.startswith(lb)), None)
    if label is None:
        return None
    words = text.split()
    rest = " ".join(words[len(label.split()) :]).strip(_CREDIT_PUNCT)
    if not rest or len(rest.split()) > MAX_CREDIT_NAME_WORDS + 2 or _SENTENCE_PUNCT.search(rest):
        return None
    return credit_name(rest)


_LINK_LABELS: Final = tuple(fold_key(w) for w in knowledge.tagged("labels.tsv", "link"))


def is_link_credit(text: str) -> bool:
    """ "رابط الخبر بصحيفة عكاظ": a line that links the story at its source (labels.tsv, tag link)."""
    return fold_key(text).lstrip(_CREDIT_PUNCT).startswith(_LINK_LABELS) and credit_of_line(text) is not None


def credit_name(value: str) -> str | None:
    """A credited name as printed, without a glued preposition ("بصحيفة عكاظ" → "صحيفة عكاظ") or a descriptive
    adjective after it ("صحيفة الحياة اللندنية" → "صحيفة الحياة") unless the publisher is known by that name."""
    words = [w.strip(_CREDIT_PUNCT) for w in value.split()]
    words = [w for w in words if w]
    if not words:
        return None
    head = fold_key(words[0])
    if head[:1] in ("ب", "ل") and (head[1:] in OUTLET_TYPES or head[1:] == AGENCY_WORD):
        words[0] = words[0][1:].lstrip("ـ")
    typed = fold_key(words[0]) in OUTLET_TYPES or fold_key(words[0]) == AGENCY_WORD
    while (
        len(words) > (2 if typed else 1)
        and _is_descriptor(fold_key(words[-1]))
        and publisher_by_name(" ".join(words)) is None
    ):
        words.pop()
    return " ".join(words)


def _is_descriptor(key: str) -> bool:
    """A nisba adjective after a name ("البريطانية", "الأمريكي", "الإلكتروني", "اللندنية"), folded."""
    return key.startswith("ال") and len(key) > 5 and (key.endswith("ي") or key.endswith("يه"))


def outlet_in_lead(first: str) -> str | None:
    """The outlet a report names in its opening words: a reporting verb, an outlet-type word and a name ("نشر موقع
    ميدل إيست آي البريطاني تقريرا …" → "موقع ميدل إيست آي"; "ذكرت صحيفة الغارديان البريطانية أن …" → "صحيفة
    الغارديان"). A known publisher's name is taken whole; an unknown name runs to the first function word,
    adjective or object ("تقريرا"). "وكالة" counts only before a known publisher (space and energy agencies)."""
    words = first.split(None, MAX_CREDIT_NAME_WORDS + 3)[: MAX_CREDIT_NAME_WORDS + 3]
    if len(words) < 3 or fold_key(words[0]) not in REPORT_VERBS:
        return None
    noun = fold_key(words[1])
    if noun not in OUTLET_TYPES and noun != AGENCY_WORD:
        return None
    after = [w.strip(_CREDIT_PUNCT) for w in words[2:]]
    for n in range(len(after), 0, -1):
        name = " ".join(after[:n])
        if all(after[:n]) and publisher_by_name(name) is not None:
            return f"{words[1]} {name}"
    if noun == AGENCY_WORD:
        return None
    taken: list[str] = []
    for raw, word in zip(words[2:], after, strict=True):
        key = fold_key(word)
        if (
            not word
            or len(taken) == MAX_CREDIT_NAME_WORDS
            or key in FUNCTION_WORDS
            or (taken and _is_descriptor(key))
            or (len(key) > 3 and key.endswith("ا") and raw.endswith(("اً", "ًا", "ا")) and taken)
        ):
            break
        taken.append(word)
        if _SENTENCE_PUNCT.search(raw):
            break
    return f"{words[1]} {' '.join(taken)}" if taken else None


def is_bare_name(text: str) -> bool:
    """A person's name standing alone on a line ("رهف القحطاني", "ماجد بن سعيد الشهري", "تركي آل الشيخ"), or two
    joined by "و": two to five Arabic words, the first not definite and none a function word, place, desk word or
    a word with a glued preposition ("بالفيصلي"); every later word a known given name or a particle, except a
    definite family name last or after a particle; and a known given name first, or a particle inside, or a
    family nisba ("ال…ي") last."""
    if len(text) > MAX_BYLINE_CHARS:
        return False
    pair = _split_pair(text)
    if len(pair) > 1:
        return all(_one_bare_name(name) for name in pair)
    return _one_bare_name(text)


_GLUED_PREPOSITION: Final = ("بال", "لل", "وال", "فال", "كال")


def _one_bare_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= MAX_BARE_NAME_WORDS or not all(_ARABIC_WORD.fullmatch(w) for w in words):
        return False
    keys = [fold_key(w) for w in words]
    if keys[0].startswith("ال") or keys[-1] in NAME_PARTICLES:
        return False
    for key in keys:
        if key in DESK_WORDS or key in PLACES or key in AGENCIES or key.startswith(_GLUED_PREPOSITION):
            return False
        if key in FUNCTION_WORDS and key not in NAME_PARTICLES:
            return False
    for i in range(1, len(keys)):
        key = keys[i]
        if key in NAME_PARTICLES or key in GIVEN_NAMES:
            continue
        last = i == len(keys) - 1
        definite_ok = key.startswith("ال") and (last or keys[i - 1] in NAME_PARTICLES)
        # A family name without the article ("فهد أحمد عطيف", "عبدالله فدعق") after a known given name; a word
        # opening like a present-tense verb ("يعود", "تطلق") makes the line a headline, not a name.
        family_ok = last and keys[0] in GIVEN_NAMES and not key.startswith(("ي", "ت", "ن"))
        if not (definite_ok or family_ok):
            return False
    nisba = words[-1].startswith("ال") and words[-1].endswith("ي") and len(keys[-1]) > 4
    return keys[0] in GIVEN_NAMES or any(k in NAME_PARTICLES for k in keys[1:-1]) or nisba


def is_wire_byline(text: str) -> bool:
    """ "الخرطوم – سونا", "دبي - وام": a place and an agency, no person (a wire byline wherever it stands)."""
    if len(text) > MAX_BYLINE_CHARS or any(ch.isdigit() for ch in text):
        return False
    parts = [fold_key(p.strip(" -–—|:،,")) for p in _PARTS.split(text.strip(" -–—|:،,"))]
    return (
        len(parts) == 2
        and any(p in AGENCIES for p in parts)
        and all(p in PLACES or p in AGENCIES for p in parts)
    )


def is_place_byline(text: str) -> bool:
    """ "لندن - د ب أ", "جدة - سلطان العتيبي", "وعد السبيعي – الدمام", "SITE - هتان الشمري": two short parts, one a
    known place or agency, or one a bare name; or a bare name filed from a known place ("علي المقبلي من جدة")."""
    if len(text) > MAX_BYLINE_CHARS or re.search(r"[.،؟!]", text):
        return False
    parts = [p.strip(" -–—|:،,") for p in _PARTS.split(text.strip(" -–—|:،,"))]
    if len(parts) == 1 and (name := _without_place(parts[0])) != parts[0]:
        return is_bare_name(name)
    if len(parts) != 2 or not all(parts) or any(len(p.split()) > MAX_BARE_NAME_WORDS for p in parts):
        return False
    if any(ch.isdigit() for ch in text):
        return False
    known = [fold_key(p) in PLACES or fold_key(p) in AGENCIES for p in parts]
    names = [is_bare_name(p) for p in parts]
    if any(known):
        return all(k or n for k, n in zip(known, names, strict=True))
    return any(names) and all(len(p.split()) <= MAX_CREDIT_NAME_WORDS for p in parts)


def matches_site(key: str, site_names: frozenset[str]) -> bool:
    """Whether folded ``key`` is one of the site's names (or contains / is contained in one, for long names)."""
    compact = key.replace(" ", "")
    return bool(key) and any(
        key == n
        or (
            len(n) > 3
            and len(compact) > 3
            and (n.replace(" ", "") in compact or compact in n.replace(" ", ""))
        )
        for n in site_names
    )


# Byline parts: spaced dashes, bars, slashes and colons ("المدينة المنورة: عبدالعزيز الحربي"), a dash touching
# Arabic letters on one side ("ابها- احمد الشيبان", "غزة-الوئام"), a spaced tatweel used as a dash.
_BYLINE_PARTS: Final = re.compile(
    r"\s*[|/:：]+\s*|\s+[-–—ـ]+\s*|\s*[-–—]+\s+|(?<=[\u0621-\u064a])[-–—](?=[\u0621-\u064a])"
)
# "عادل الماس (جدة)", "رويترز (ديار بكر)": a part and, in brackets after it, where it was filed from.
_BRACKETED_TAIL: Final = re.compile(r"^(?P<part>[^()]*?)\s*[(]\s*(?P<inner>[^()]+?)\s*[)]$")


def split_byline(text: str, site_names: frozenset[str] = frozenset()) -> tuple[list[str], str | None]:
    """Person names and the original source in one byline string.

    Parts are places, agencies (the source), the site or another outlet, or names. A place or an agency in
    brackets after a part is read the same way. When a part was a place, an agency or an outlet, one-word parts
    left are place names naba does not know ("تكساس - د ب أ"), and of two parts the one shaped like a person's
    name wins over the other ("حفر الباطن - رمضان المتعب")."""
    cleaned = " ".join(text.split()).strip(" -–—|:،,")
    cleaned = _strip_prefix(fold_key(cleaned), cleaned).strip(" -–—|:،,")
    parts = [p.strip(" -–—|:،,") for p in _BYLINE_PARTS.split(cleaned) if p.strip(" -–—|:،,")]
    source: str | None = None
    names: list[str] = []
    context = False  # a part was a place, an agency or an outlet
    for raw in parts:
        part = _without_place(raw)
        context = context or part != raw
        if (tail := _BRACKETED_TAIL.match(part)) is not None and tail["part"]:
            inner_key = fold_key(tail["inner"])
            if inner_key in AGENCIES:
                source = source or tail["inner"]
            part, context = tail["part"].strip(" -–—|:،,"), True
        key = fold_key(part)
        if key in AGENCIES or key.strip("()") in AGENCIES:
            source = source or part.strip("()")
            context = True
        elif key in PLACES or matches_site(key, site_names) or publisher_by_name(part) is not None:
            context = True  # a place, the site itself, or an outlet ("اليوم ـ الرياض"): no person
        elif part:
            names.append(part)
    if len(names) > 1 and any(len(n.split()) > 1 for n in names):
        names = [n for n in names if len(n.split()) > 1]
    if context:
        names = [n for n in names if len(n.split()) > 1]
    if len(parts) == 2 and len(names) == 2:
        shaped = [n for n in names if is_bare_name(n)]
        names = shaped if len(shaped) == 1 else names
    # Only a part short enough to be one name is split; longer text is not a byline and _looks_like_name drops it.
    names = [
        n for part in names for n in (_split_pair(part) if len(part.split()) <= MAX_NAME_WORDS else [part])
    ]
    names = [n for n in names if _looks_like_name(n)]
    return names, source


def _without_place(part: str) -> str:
    """A byline part without the place it was filed from ("منال الأحمدي من جدة" → "منال الأحمدي")."""
    match = _FROM_PLACE.match(part)
    if match and fold_key(match["place"]) in PLACES:
        return match["name"]
    return part


def _split_pair(name: str) -> list[str]:
    """ "فاطمة الزعابي وحسن البلوشي" → two people: "و" glued to a word (or standing alone) joins two names of at
    least two words each; a given name that itself starts with و ("وليد", "وائل") is not a conjunction."""
    words = name.replace("،", " ، ").split()
    for i in range(2, len(words) - 1):
        word = words[i]
        joined = word in ("و", "،")
        if not joined and not (word.startswith("و") and len(word) > 2 and fold_key(word) not in _WAW_NAMES):
            continue
        left = words[:i]
        right = words[i + 1 :] if joined else [word[1:], *words[i + 1 :]]
        if len(right) >= 2:
            return [" ".join(left), *_split_pair(" ".join(right))]
    return [name]


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= MAX_NAME_WORDS
        and not any(ch.isdigit() for ch in text)
        and "http" not in text
        and not is_account(text)
    )


def is_account(text: str) -> bool:
    """A byline that names no person: a handle or e-mail ("@news_desk", "x@y"), a login ("admin"), or a desk or
    organization ("محرر الموقع", "فريق التحرير", "صحيفة الديار")."""
    stripped = text.strip()
    if "@" in stripped or (len(stripped.split()) == 1 and _HANDLE.search(stripped)):
        return True
    return any(fold_key(w.strip(_CREDIT_PUNCT)) in DESK_WORDS for w in stripped.split())


def source_in_text(first: str, last: str) -> tuple[str, str] | None:
    """A wire credit in the text: (source, evidence) for "(رويترز)" ending it or "الرياض - واس" opening it."""
    end = _CREDIT_END.search(last)
    if end is None and (dash := _DASH_CREDIT_END.search(last)) and len(last[: dash.start()].split()) >= 8:
        end = dash  # "… - وكالات" after a sentence, not a lone "Next Previous SITE – وكالات" line
    if end and is_agency(end.group(1)):
        return end.group(1).strip(), "text:end-credit"
    start = _CREDIT_START.match(first)
    if start:
        agency = start.group(2) or start.group(3) or ""
        if agency and is_agency(agency):
            return agency.strip(), "text:wire-dateline"
    for mark in _CREDIT_MARKS.finditer(first[:120]):
        if len(first[: mark.start()].split()) > MAX_CREDIT_PREFIX_WORDS:
            break
        agency = next(g for g in mark.groups() if g is not None)
        if is_agency(agency):
            return agency.strip(), "text:wire-dateline"
    return None


def agency_at_end(text: str) -> str | None:
    """The agency closing a dateline line ("الرياض 18 رمضان 1446 هـ الموافق 18 مارس 2025 م واس")."""
    words = text.strip(" .()-–—/").split()
    for n in (3, 2, 1):
        if len(words) > n and is_agency(" ".join(words[-n:])):
            return " ".join(words[-n:]).strip("()/")
    return None


def after_publish_label(text: str) -> str | None:
    """The part of an update line from its publication label on ("آخر تحديث: X · نشر: Y" → "نشر: Y")."""
    match = _PUBLISH_LABEL.search(text, 1)
    return text[match.start() :] if match else None
