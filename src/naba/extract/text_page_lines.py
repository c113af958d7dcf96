"""Lines of a glued text page and their kinds: rules 1 and 2 of :mod:`naba.extract.text_pages`.

The registries (markers, labels, share-bar words, agencies) and the line classifier live here; walking the
classified lines into articles is :mod:`naba.extract.text_pages`. The rules themselves are documented in that
module's docstring.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from naba import knowledge
from naba.extract import bylines
from naba.extract.dates import parse_dateline
from naba.extract.months import HIJRI_MONTHS, WEEKDAYS
from naba.text.chars import INVISIBLE_MARKS
from naba.types import PublishedTime

# Calibrated on the seed page: its titles and headlines run 62-90 characters, its shortest paragraph is 74
# characters but ends with a period. 150 leaves room for long wire headlines; no seed paragraph without a
# final stop is shorter than 260.
TITLE_MAX_CHARS: Final = 150
# A headline may end with "؟" or "!" ("هل تنجح الهدنة؟"); a sentence ending so is a paragraph only when long.
QUESTION_TITLE_MAX_CHARS: Final = 100
# A line this short can be a dateline, a credit or a label value; longer ones are prose.
DATELINE_MAX_CHARS: Final = 120
# "الأربعاء، " and separators: what a dateline may carry besides the date itself.
DATELINE_SLACK_CHARS: Final = 20
BOILERPLATE_MAX_CHARS: Final = 40
# A share bar lists every network on one line ("شارك: فيسبوك تويتر واتساب تيليجرام طباعة").
SHARE_BAR_MAX_CHARS: Final = 120
# "المصدر - الجزيرة", "كتب - أحمد علي": a dash separates a label from its value only on a line this short.
DASH_LABEL_MAX_CHARS: Final = 60
# One tag per line under an empty "كلمات دلالية:" label: a tag is a few words, never a sentence.
TAG_LINE_MAX_CHARS: Final = 30
TAG_LINE_MAX_WORDS: Final = 4

_MARKS: Final = "[\u064b-\u0652\u0670\u0640]*"  # diacritics and tatweel, which may sit after any letter
_ALEFS: Final = {"ا": "[اأإآ]", "أ": "[اأإآ]", "إ": "[اأإآ]", "آ": "[اأإآ]"}


def loose(phrase: str) -> str:
    """A regex for ``phrase`` that tolerates diacritics, tatweel, alef forms and any spacing."""
    parts = []
    for ch in phrase:
        if ch == " ":
            parts.append(r"\s*")
        else:
            parts.append(_ALEFS.get(ch, re.escape(ch)) + _MARKS)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Marker:
    """A phrase that introduces glued-in content. ``standalone``: only a marker alone or before a colon."""

    kind: Literal["related", "chrome"]
    standalone: bool = False


MARKERS: Final[dict[str, Marker]] = {
    "اقرأ أيضا": Marker("related"),
    "شاهد أيضا": Marker("related"),
    "طالع أيضا": Marker("related"),
    "تابع أيضا": Marker("related"),
    "اقرأ المزيد": Marker("related"),
    "مواضيع ذات صلة": Marker("related"),
    "أخبار ذات صلة": Marker("related"),
    "مقالات ذات صلة": Marker("related"),
    "روابط ذات صلة": Marker("related"),
    "موضوعات ذات صلة": Marker("related"),
    "ذات صلة": Marker("related", standalone=True),
    "للمزيد": Marker("related", standalone=True),
    "read also": Marker("related"),
    "read more": Marker("related"),
    "see also": Marker("related"),
    "related articles": Marker("related"),
    "related": Marker("related", standalone=True),
    "الأكثر قراءة": Marker("chrome"),
    "الأكثر مشاهدة": Marker("chrome"),
    "most read": Marker("chrome"),
}
DateField = Literal["published", "updated"]
DATE_LABELS: Final[dict[str, DateField]] = {
    "تاريخ النشر": "published",
    "نشر في": "published",
    "نشر بتاريخ": "published",
    "نشر يوم": "published",
    "تم النشر": "published",
    "تاريخ الخبر": "published",
    "published": "published",
    "posted": "published",
    "آخر تحديث": "updated",
    "تاريخ التحديث": "updated",
    "تم التحديث": "updated",
    "last updated": "updated",
    "updated": "updated",
}
SOURCE_LABELS: Final = ("المصدر", "مصدر الخبر", "source")
TAG_LABELS: Final = (
    "كلمات دلالية",
    "الكلمات الدلالية",
    "الوسوم",
    "وسوم",
    "كلمات البحث",
    "الكلمات المفتاحية",
    "كلمات مفتاحية",
    "tags",
    "keywords",
)
BYLINE_LABELS: Final = ("كتب", "كتبت", "بقلم", "بواسطة", "تقرير", "تحرير", "متابعة")
BOILERPLATE_PHRASES: Final = (
    "شارك",
    "طباعة",
    "تكبير الخط",
    "تصغير الخط",
    "أضف تعليق",
    "التعليقات",
    "تابعونا",
    "تابعوا",
    "انضم إلى",
    "حمل تطبيق",
    "اشترك",
    "جميع الحقوق محفوظة",
    "©",
    "share",
    "print",
)
# Words of a share bar: a line made only of these (and separators) is dropped, however it starts. A network name
# opening a longer line ("تويتر تحظر حساب …") is a headline, so these are whole-line words, not prefixes.
SHARE_WORDS: Final = frozenset(
    {
        "شارك",
        "شاركها",
        "شارك الخبر",
        "مشاركة",
        "المشاركة",
        "عبر",
        "على",
        "طباعة",
        "اطبع",
        "نسخ",
        "نسخ الرابط",
        "الرابط",
        "فيسبوك",
        "فيس بوك",
        "تويتر",
        "إكس",
        "واتساب",
        "واتس آب",
        "تيليجرام",
        "تيليغرام",
        "تلغرام",
        "تليجرام",
        "لينكدإن",
        "لينكد إن",
        "إنستغرام",
        "انستجرام",
        "ماسنجر",
        "البريد الإلكتروني",
        "بريد إلكتروني",
        "إيميل",
        "أرسل لصديق",
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "telegram",
        "linkedin",
        "messenger",
        "email",
        "e-mail",
        "print",
        "share",
        "copy link",
        "pinterest",
        "reddit",
    }
)
# Credits seen alone or in parentheses after the last paragraph (naba/data/agencies.toml, credit_lines),
# compared as written.
AGENCIES: Final = frozenset(form for agency in knowledge.agencies() for form in agency.credit_lines)


def _alternation(phrases: tuple[str, ...] | list[str] | frozenset[str]) -> str:
    return "|".join(loose(p) for p in sorted(phrases, key=len, reverse=True))


_I: Final = re.IGNORECASE
_SEPARATORS: Final = r"[\s:：\-–—|•›>]*"
_MARKER_RE: Final = re.compile(rf"^(?P<marker>{_alternation(list(MARKERS))})(?P<sep>{_SEPARATORS})", _I)
_MARKER_KEYS: Final = {k: re.compile(loose(k) + "$", _I) for k in MARKERS}
_LABEL_ALTERNATION: Final = _alternation(SOURCE_LABELS + TAG_LABELS + BYLINE_LABELS)
_LABEL_RE: Final = re.compile(rf"^(?P<label>{_LABEL_ALTERNATION})\s*[:：]\s*(?P<value>.*)$", _I)
_DASH_LABEL_RE: Final = re.compile(rf"^(?P<label>{_LABEL_ALTERNATION})\s+[-–—]\s+(?P<value>.+)$", _I)
_DATE_LABEL_RE: Final = re.compile(rf"(?:(?<=\W)|^)(?P<label>{_alternation(list(DATE_LABELS))})\s*[:：]?", _I)
_GLUE_POINT: Final = re.compile(
    r"(?<=[.!؟?»\"”)])\s*(?=(?:"
    + _alternation([k for k, m in MARKERS.items() if not m.standalone])
    + rf")|(?:{_LABEL_ALTERNATION})\s*[:：])",
    _I,
)
_SENTENCE_END: Final = re.compile(r"[.…۔:]$")
_STOP_END: Final = re.compile(r"[.…۔]$")
_QUESTION_END: Final = re.compile(r"[؟?!]$")
_CLOSERS: Final = "»\"”’')]}"
_CREDIT_RE: Final = re.compile(r"^[\s\-–—]*\(?\s*(?P<value>[^()]{1,40}?)\s*\)?[\s.]*$")
_INVISIBLE: Final = str.maketrans(dict.fromkeys(INVISIBLE_MARKS + "\ufeff\u00ad"))
# List bullets: a symbol, or a dash / arrow followed by a space ("- عنوان", "» عنوان"; not "-5").
_BULLET: Final = re.compile(r"^(?:[•·▪▫►◄■□●○◆◇▶▸✓✔*]+|[-–—>»]+(?=\s))\s*")
_SHARE_RE: Final = re.compile(rf"^(?:(?:{_alternation(SHARE_WORDS)})(?![^\W\d_])[\s:：|/\\،,•·\-–—]*)+$", _I)
_DATE_WORDS: Final = re.compile(
    rf"(?:\d+\s*(?:{_alternation(list(HIJRI_MONTHS))})\s*\d{{0,4}}\s*(?:هـ|ه)?(?![^\W\d_]))"
    rf"|(?:{_alternation((*WEEKDAYS, 'الموافق', 'الساعة', 'بتاريخ', 'يوم'))})(?![^\W\d_])",
    _I,
)


class LineKind(StrEnum):
    TEXT = "text"
    MARKER = "marker"
    DATELINE = "dateline"
    SOURCE = "source"
    TAGS = "tags"
    BYLINE = "byline"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class Line:
    """One classified line of a text page."""

    kind: LineKind
    text: str
    rule: str = ""
    payload: str = ""  # markers: what followed the marker on its line
    glued: bool = False  # markers: the payload touched the marker with no separator
    chrome: bool = False  # markers: a site-chrome list ("الأكثر قراءة"), not related headlines
    dates: tuple[tuple[DateField, PublishedTime, str], ...] = ()


# --- rule 1: lines -------------------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    """Rule 1: the page's non-blank lines, whitespace folded, glued markers and labels split off."""
    lines: list[str] = []
    clean = text.translate(_INVISIBLE)
    for raw in clean.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        for piece in _GLUE_POINT.split(raw):
            folded = " ".join(piece.split())
            if folded:
                lines.append(folded)
    return _join_label_values(lines)


def _is_tag_line(line: str) -> bool:
    return (
        len(line) <= TAG_LINE_MAX_CHARS
        and len(line.split()) <= TAG_LINE_MAX_WORDS
        and not _SENTENCE_END.search(line)
        and not _MARKER_RE.match(line)
        and not _LABEL_RE.match(line)
    )


def _join_label_values(lines: list[str]) -> list[str]:
    """ "كلمات دلالية:" alone, its value on the next line (or one tag a line): one line again."""
    out: list[str] = []
    open_tags = False  # the last line is a tags label whose values are still being gathered one a line
    for line in lines:
        previous = out[-1] if out else ""
        match = _LABEL_RE.match(previous)
        if open_tags and _is_tag_line(line):
            out[-1] = f"{previous}، {line}" if match and match["value"] else f"{previous} {line}"
            continue
        open_tags = False
        if (
            match is not None
            and not match["value"]
            and len(line) <= TITLE_MAX_CHARS
            and not _MARKER_RE.match(line)
        ):
            out[-1] = f"{previous} {line}"
            open_tags = _label_key(match["label"], TAG_LABELS) is not None and _is_tag_line(line)
        else:
            out.append(line)
    return out


# --- rule 2: line kinds --------------------------------------------------------------------------------


def strip_bullet(text: str) -> str:
    """A list line without its bullet ("- عنوان" → "عنوان")."""
    return _BULLET.sub("", text, count=1) or text


def _canonical_marker(found: str) -> str:
    return next((k for k, rx in _MARKER_KEYS.items() if rx.match(found)), found)


def _as_marker(line: str) -> Line | None:
    bare = strip_bullet(line)
    match = _MARKER_RE.match(bare)
    if match is None:
        return None
    key = _canonical_marker(match["marker"])
    payload = bare[match.end() :].strip()
    marker = MARKERS[key]
    if marker.standalone and payload and ":" not in match["sep"] and "：" not in match["sep"]:
        return None
    if key.isascii() and payload and not match["sep"]:  # "relatedness …": an English word, not a marker
        return None
    return Line(
        LineKind.MARKER,
        line,
        f"marker:{key}",
        payload,
        glued=not match["sep"],
        chrome=marker.kind == "chrome",
    )


def _dateline_residue(line: str, matched: str) -> str:
    """What an unlabeled dateline holds besides its date: weekdays, a Hijri date, "الموافق" and marks removed."""
    rest = line.replace(matched, " ", 1) if matched else line
    return " ".join(re.sub(r"[\W_]+", " ", _DATE_WORDS.sub(" ", rest)).split())


def _as_dateline(line: str, reference: dt.datetime | None) -> Line | None:
    if len(line) > DATELINE_MAX_CHARS:
        return None
    labels = list(_DATE_LABEL_RE.finditer(line))
    segments: list[tuple[DateField, str, str]] = []
    if labels:
        if labels[0].start() > 0:
            segments.append(("published", "unlabeled", line[: labels[0].start()]))
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(line)
            key = next(k for k in DATE_LABELS if re.fullmatch(loose(k), label["label"], _I))
            segments.append((DATE_LABELS[key], key, line[label.end() : end]))
    else:
        segments.append(("published", "unlabeled", line))
    dates = []
    for field_name, label_name, segment in segments:
        parsed = parse_dateline(segment, reference_time=reference)
        if parsed is not None:
            dates.append((field_name, parsed.as_published(), f"dateline:{label_name}"))
    if not labels and not _unlabeled_ok(line, bool(dates), reference):
        return None
    if labels and labels[0].start() > 0 and not dates:
        return None  # "… نشر في …" inside a sentence that holds no date: prose, not a dateline
    return Line(LineKind.DATELINE, line, dates=tuple(dates))


def _unlabeled_ok(line: str, has_date: bool, reference: dt.datetime | None) -> bool:
    """An unlabeled dateline: a date plus little else, and not a sentence ("وفي 3 أغسطس 2015 وقع الاتفاق.")."""
    if not has_date:
        return False
    residue = _dateline_residue(line, _unlabeled_match(line, reference))
    return len(residue) <= DATELINE_SLACK_CHARS and not (residue and ends_with_stop(line))


def _unlabeled_match(line: str, reference: dt.datetime | None) -> str:
    parsed = parse_dateline(line, reference_time=reference)
    return parsed.matched if parsed else ""


def _label_key(label: str, labels: tuple[str, ...]) -> str | None:
    return next((k for k in labels if re.fullmatch(loose(k), label, _I)), None)


def _as_label(line: str) -> Line | None:
    match = _LABEL_RE.match(line)
    if match is None and len(line) <= DASH_LABEL_MAX_CHARS:
        match = _DASH_LABEL_RE.match(line)
    if match is None or len(line) > DATELINE_MAX_CHARS * 2:
        return None
    label, value = match["label"], match["value"].strip()
    for labels, kind in (
        (SOURCE_LABELS, LineKind.SOURCE),
        (TAG_LABELS, LineKind.TAGS),
        (BYLINE_LABELS, LineKind.BYLINE),
    ):
        key = _label_key(label, labels)
        if key is not None:
            return Line(kind, value, f"line:{key}")
    return None


def _as_credit(line: str) -> Line | None:
    match = _CREDIT_RE.match(line)
    if match is None:
        return None
    value = match["value"].strip()
    bracketed = "(" in line and ")" in line
    if value in AGENCIES or (bracketed and len(value.split()) <= 4 and line.strip(" -–—.").startswith("(")):
        return Line(LineKind.CREDIT, value, "credit:line")
    return None


def _as_attribution(line: str) -> Line | None:
    """A credit line that names an outlet ("نقلا عن صحيفة الوطن", "(الاقتصادية)", "رابط الخبر بصحيفة عكاظ", also
    with the headline after a colon: "رابط الخبر بصحيفة الوئام: …"): attribution, never text or a headline
    (:func:`naba.extract.bylines.credit_of_line`, the HTML extractor's reader)."""
    credit = bylines.credit_of_line(line)
    head, colon, _headline = line.partition(":")
    if credit is None and colon and bylines.is_link_credit(head):
        credit = bylines.credit_of_line(head)
    return Line(LineKind.SOURCE, credit, "line:attribution") if credit else None


def _is_boilerplate(line: str) -> bool:
    if len(line) <= SHARE_BAR_MAX_CHARS and _SHARE_RE.match(line):
        return True
    if len(line) > BOILERPLATE_MAX_CHARS:
        return False
    return any(re.match(loose(p), line, _I) for p in BOILERPLATE_PHRASES)


def classify(line: str, reference: dt.datetime | None) -> Line | None:
    """The kind of one line, by the registries in rule 2; ``None`` for boilerplate."""
    for probe in (_as_marker, _as_label, _as_credit, _as_attribution):
        found = probe(line)
        if found is not None:
            return found
    dateline = _as_dateline(line, reference)
    if dateline is not None:
        return dateline
    if _is_boilerplate(line):
        return None
    return Line(LineKind.TEXT, line)


def is_paragraph(text: str) -> bool:
    """Paragraph-like: long, or ending a sentence (rule 4). Closing quotes and brackets are looked through."""
    core = text.rstrip(_CLOSERS + " ")
    if len(text) > TITLE_MAX_CHARS or _SENTENCE_END.search(core) or _SENTENCE_END.search(text):
        return True
    return len(text) > QUESTION_TITLE_MAX_CHARS and bool(_QUESTION_END.search(core))


def ends_with_stop(text: str) -> bool:
    """The line closes with a full stop or an ellipsis (looked through closing quotes)."""
    return bool(_STOP_END.search(text.rstrip(_CLOSERS + " ")))
