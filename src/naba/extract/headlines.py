"""Clean headlines and leads: what a wire agency prints around a headline is not the headline, and a dateline
line is not a lead.

* :func:`clean_title` moves a desk prefix out of the title («عام / مهرجان تمور بريدة يواصل فعالياته» →
  title «مهرجان تمور بريدة يواصل فعالياته», section ``general``) and drops a part marker from its end
  («… مجلس الوزراء   إضافة رابعة»: the fourth part of one wire story). HTML character references some
  sites leave in their titles (``&#8220;``) are decoded. The labels are data (``headline-labels.tsv``), matched
  folded, so «إقتصادي» is «اقتصادي». Idempotent: a clean title comes back unchanged.
* :func:`lead_paragraph` is the first paragraph that is text: dateline lines («بريدة 25 شوال 1436 هـ الموافق 10
  اغسطس 2015 م واس», «عين اليوم – الرياض»), credit lines («واس») and part markers («إضافة خامسة وأخيرة»)
  are skipped, read by the
  text-page line classifier (:func:`naba.extract.text_page_lines.classify`), so there is one notion of a
  dateline in naba.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from naba import knowledge
from naba.extract.dates import parse_dateline
from naba.extract.text_page_lines import LineKind, classify, ends_with_stop
from naba.text.normalize import fold_key

# A desk prefix is a word or two: «عام»، «اقتصادي»، «بالصور». Longer text before a slash is the headline
# itself («4 طرق بين مكة/ جدة»).
SECTION_PREFIX_MAX_CHARS: Final = 16
# A part marker is a line of its own or the end of a headline: «إضافة خامسة وأخيرة» is at most 4 words.
PART_MARKER_MAX_WORDS: Final = 4
# Lines skipped before a lead are short; a long first paragraph is the lead even when it opens with a date.
LEAD_SKIP_MAX_CHARS: Final = 120
# «المدينة المنورة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس» is 13 words; a sentence with a date is longer.
WIRE_DATELINE_MAX_WORDS: Final = 16
# «عين اليوم – الرياض», «الرياض - واس»: an outlet and a place are a few words.
OUTLET_DATELINE_MAX_WORDS: Final = 7

_PREFIX: Final = re.compile(rf"^\s*(?P<label>[^/\n]{{1,{SECTION_PREFIX_MAX_CHARS}}}?)\s*/{{1,2}}\s*(?=\S)")
_ENTITY: Final = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


@dataclass(frozen=True, slots=True)
class CleanTitle:
    """A headline without its wire labels: the ``section`` key of a desk prefix, and the ``part`` marker."""

    title: str
    section: str | None = None
    part: str | None = None


@functools.cache
def _sections() -> dict[str, str]:
    return {fold_key(x.text): x.value for x in knowledge.headline_labels() if x.kind == "section"}


@functools.cache
def _part_re() -> re.Pattern[str]:
    labels = knowledge.headline_labels()
    words = sorted({fold_key(x.text) for x in labels if x.kind == "part"}, key=len, reverse=True)
    ordinals = sorted({fold_key(x.text) for x in labels if x.kind == "ordinal"}, key=len, reverse=True)
    word, ordinal = "|".join(map(re.escape, words)), "|".join(map(re.escape, ordinals))
    return re.compile(rf"(?:^|\s)(?:{word})\s+(?:{ordinal})(?:\s+و?\s*(?:{ordinal}))?\s*$")


def section_of_label(label: str) -> str | None:
    """The section key of a desk label («عام» → ``general``), or None when it is not one."""
    return _sections().get(fold_key(label))


def is_part_marker(line: str) -> bool:
    """A line holding only a part marker («إضافة خامسة وأخيرة»)."""
    words = line.split()
    return 1 < len(words) <= PART_MARKER_MAX_WORDS and _part_re().fullmatch(" " + fold_key(line)) is not None


def clean_title(title: str) -> CleanTitle:
    """``title`` without its desk prefix and part marker, with the section the prefix names."""
    text = html.unescape(title) if _ENTITY.search(title) else title
    text = " ".join(text.split())
    section = None
    match = _PREFIX.match(text)
    if match is not None:
        section = section_of_label(match["label"])
        if section is not None:
            text = text[match.end() :]
    part = None
    words = text.split()
    for size in range(PART_MARKER_MAX_WORDS, 1, -1):  # the longest marker at the end: «إضافة أولى وأخيرة»
        if len(words) > size and is_part_marker(" ".join(words[-size:])):
            part = " ".join(words[-size:])
            text = " ".join(words[:-size]).rstrip(" -–—/")
            break
    return CleanTitle(text, section, part)


def is_lead_noise(paragraph: str) -> bool:
    """A dateline, credit or part-marker line: not the lead."""
    line = paragraph.strip()
    if not line:
        return True
    if len(line) > LEAD_SKIP_MAX_CHARS:
        return False
    if is_part_marker(line):
        return True
    kind = classify(line, None)
    if kind is not None and kind.kind in (LineKind.DATELINE, LineKind.CREDIT):
        return True
    return _is_wire_dateline(line) or _is_outlet_dateline(line)


@functools.cache
def _credit_forms() -> frozenset[str]:
    """Agency credit forms and outlet names, folded: what a dateline credits («واس», «عين اليوم»)."""
    forms = {fold_key(f) for a in knowledge.agencies() for f in a.credit_forms if f}
    forms.update(fold_key(n) for o in knowledge.outlets() for n in o.names if n)
    return frozenset(f for f in forms if f)


_DASH: Final = re.compile(r"\s*[-–—:]\s*")


def _is_outlet_dateline(line: str) -> bool:
    """«عين اليوم – الرياض», «سبق - الدمام»: an outlet or agency and a place, nothing else."""
    parts = [p for p in _DASH.split(line.strip(" .")) if p]
    if not 2 <= len(parts) <= 3 or len(line.split()) > OUTLET_DATELINE_MAX_WORDS:
        return False
    return any(fold_key(p) in _credit_forms() for p in parts)


def _is_wire_dateline(line: str) -> bool:
    """Place, dates and agency with nothing else: «المدينة المنورة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م
    واس». The place may be long (the classifier allows only a short residue), so it is read from the ends:
    a date, and a credit form of an agency as the last word(s), on a line that is not a sentence."""
    words = fold_key(line).split()
    if len(words) > WIRE_DATELINE_MAX_WORDS or ends_with_stop(line):
        return False
    credited = any(" ".join(words[-n:]) in _credit_forms() for n in (1, 2, 3) if len(words) > n)
    return credited and parse_dateline(line) is not None


def lead_paragraph(paragraphs: Iterable[str]) -> str | None:
    """The first paragraph that is text, past dateline, credit and part-marker lines (None if none is)."""
    return next((p.strip() for p in paragraphs if not is_lead_noise(p)), None)
