"""Parse a glued aggregator text page: one main article, "read also" articles glued into it, headline lists.

A text page is what an aggregator page becomes when saved as plain text: one line per block, no markup. Its
articles have no URL, so their identity is the hash of title and first paragraph
(:func:`naba.identity.article_identity`).

Contract of :func:`parse_text_page`:

* The first article is the main one (``embedded_in=None``); every other article was glued in after a marker
  and has ``embedded_in`` = the main article's id. ``lead`` is always ``None``: a text page does not mark a
  lead, so every paragraph goes to ``body_paragraphs``.
* ``related_headlines`` on the page lists, in page order, every headline found in a related block; each
  article also carries the headlines of the blocks that followed it.
* Never raises on odd text; a page with no text at all gives no articles.

The rules, in the order they run:

1. **Lines.** CR/LF are unified, whitespace runs fold to one space, blank lines are dropped. A marker or a
   metadata label glued onto the end of a sentence ("…خلفتها».اقرأ أيضاً") is split onto a line of its own,
   and a label whose value sits alone on the next line is joined to it.
2. **Line kinds**, each from a registry: *marker* (:data:`MARKERS`: a line that starts with "اقرأ أيضاً",
   "شاهد أيضاً", "أخبار ذات صلة", …; the rest of the line is its *payload*, and ``glued`` when nothing separates
   it: "اقرأ أيضاًوزارة"); the short markers "للمزيد" and "ذات صلة" count only alone or before a colon, as they
   open ordinary sentences too); *dateline* (a date label from :data:`DATE_LABELS` at the start of a short line,
   or a short line that is mostly a date); *source* ("المصدر:"), *tags* ("كلمات دلالية:", "الوسوم:", …) and
   *byline* ("كتب:") labels; a *credit* line ("(واس)", "— أ ف ب"); *boilerplate* (short "شارك"/"طباعة" lines,
   dropped); everything else is *text*.
3. **Main article.** The first text line is its title; the text lines after it are its paragraphs until the
   first marker. Metadata lines go to the article being read. Once the main article has paragraphs and then
   its trailer (source or tags), the next text line opens a block even without a marker.
4. **Blocks.** After a marker, each text line is judged on its own shape and on the next text line:
   a *title-like* line (at most :data:`TITLE_MAX_CHARS`, not ending a sentence) followed by a
   *paragraph-like* line (longer than that, or ending with "." / "…" / ":", or with "؟" / "!" when longer
   than :data:`QUESTION_TITLE_MAX_CHARS`) opens an embedded article; a paragraph-like line continues the open
   article; a title-like line not followed by a paragraph is a related headline (in a "الأكثر قراءة"-style
   *chrome* block it is dropped) and closes the open article. A marker's payload is read as the block's first
   line — except an inline "read also" in the main body (payload after a separator, main article has no
   trailer yet): that payload is a related headline and the main article goes on.
5. **Metadata.** The first dateline under a publication label (or unlabeled) is ``published``; one under
   "آخر تحديث"-style labels is ``updated``. Without a ``source:`` line, a known agency in parentheses at the
   end of the last paragraph ("… (واس)") is the ``original_source``; the paragraph is kept as written.
   Metadata that follows a headline list (the page footer) belongs to the main article.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Literal

from naba.extract.dates import parse_dateline
from naba.identity import article_identity
from naba.types import Article, ArticleId, Provenance, PublishedTime

logger = logging.getLogger(__name__)

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
# Share of letters that must be Arabic for language="ar" (or Latin for "en").
LANGUAGE_SHARE: Final = 0.5

_MARKS: Final = "[\u064b-\u0652\u0670\u0640]*"  # diacritics and tatweel, which may sit after any letter
_ALEFS: Final = {"ا": "[اأإآ]", "أ": "[اأإآ]", "إ": "[اأإآ]", "آ": "[اأإآ]"}


def _loose(phrase: str) -> str:
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
    "اقرأ المزيد": Marker("related"),
    "مواضيع ذات صلة": Marker("related"),
    "أخبار ذات صلة": Marker("related"),
    "مقالات ذات صلة": Marker("related"),
    "روابط ذات صلة": Marker("related"),
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
TAG_LABELS: Final = ("كلمات دلالية", "الكلمات الدلالية", "الوسوم", "وسوم", "كلمات البحث", "الكلمات المفتاحية",
                     "كلمات مفتاحية", "tags", "keywords")
BYLINE_LABELS: Final = ("كتب", "كتبت", "بقلم", "بواسطة", "تقرير", "تحرير", "متابعة")
BOILERPLATE_PHRASES: Final = ("شارك", "طباعة", "تكبير الخط", "تصغير الخط", "أضف تعليق", "التعليقات", "تابعونا",
                              "تابعوا", "انضم إلى", "حمل تطبيق", "اشترك", "جميع الحقوق محفوظة", "©", "share", "print")
# Credits seen alone or in parentheses after the last paragraph (ARABIC.md, "Wire agencies").
AGENCIES: Final = frozenset({
    "واس", "وام", "قنا", "كونا", "بنا", "العمانية", "أ ش أ", "بترا", "سانا", "وفا", "واع", "سبأ", "وأج", "وات",
    "لاماب", "و م ع", "سونا", "الأناضول", "رويترز", "أ ف ب", "فرانس برس", "أ ب", "أسوشيتد برس", "د ب أ",
    "شينخوا", "سبوتنيك", "تاس", "إرنا", "وكالات", "Reuters", "AFP", "AP",
})


def _alternation(phrases: tuple[str, ...] | list[str]) -> str:
    return "|".join(_loose(p) for p in sorted(phrases, key=len, reverse=True))


_I: Final = re.IGNORECASE
_SEPARATORS: Final = r"[\s:：\-–—|•›>]*"
_MARKER_RE: Final = re.compile(rf"^(?P<marker>{_alternation(list(MARKERS))})(?P<sep>{_SEPARATORS})", _I)
_MARKER_KEYS: Final = {k: re.compile(_loose(k) + "$", _I) for k in MARKERS}
_LABEL_ALTERNATION: Final = _alternation(SOURCE_LABELS + TAG_LABELS + BYLINE_LABELS)
_LABEL_RE: Final = re.compile(rf"^(?P<label>{_LABEL_ALTERNATION})\s*[:：]\s*(?P<value>.*)$", _I)
_DATE_LABEL_RE: Final = re.compile(rf"(?:(?<=\W)|^)(?P<label>{_alternation(list(DATE_LABELS))})\s*[:：]?", _I)
_GLUE_POINT: Final = re.compile(
    r"(?<=[.!؟?»\"”)])\s*(?=(?:"
    + _alternation([k for k, m in MARKERS.items() if not m.standalone])
    + rf")|(?:{_LABEL_ALTERNATION})\s*[:：])",
    _I,
)
_SENTENCE_END: Final = re.compile(r"[.…۔:]$")
_QUESTION_END: Final = re.compile(r"[؟?!]$")
_CLOSERS: Final = "»\"”’')]}"
_CREDIT_RE: Final = re.compile(r"^[\s\-–—]*\(?\s*(?P<value>[^()]{1,40}?)\s*\)?[\s.]*$")
_TRAILING_CREDIT: Final = re.compile(r"\(\s*(?P<value>[^()]{1,30}?)\s*\)[\s.]*$")
_TAG_SPLIT: Final = re.compile(r"\s*[،,؛;|#]\s*|\s+[-–]\s+")
_ARABIC_LETTER: Final = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER: Final = re.compile(r"[A-Za-z]")


class LineKind(StrEnum):
    TEXT = "text"
    MARKER = "marker"
    DATELINE = "dateline"
    SOURCE = "source"
    TAGS = "tags"
    BYLINE = "byline"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class _Line:
    kind: LineKind
    text: str
    rule: str = ""
    payload: str = ""  # markers: what followed the marker on its line
    glued: bool = False  # markers: the payload touched the marker with no separator
    chrome: bool = False  # markers: a site-chrome list ("الأكثر قراءة"), not related headlines
    dates: tuple[tuple[DateField, PublishedTime, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TextPage:
    """The articles of one text page (main first, then embedded ones) and its related headlines."""

    articles: tuple[Article, ...]
    related_headlines: tuple[str, ...]


@dataclass(slots=True)
class _Draft:
    """An article being assembled while the lines are walked."""

    title: str
    title_rule: str
    marker: str | None = None  # the marker it was found after; None for the main article
    paragraphs: list[str] = field(default_factory=list)
    published: PublishedTime | None = None
    updated: PublishedTime | None = None
    source: str | None = None
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def has_trailer(self) -> bool:
        return self.source is not None or bool(self.tags)


# --- rule 1: lines -------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        for piece in _GLUE_POINT.split(raw):
            folded = " ".join(piece.split())
            if folded:
                lines.append(folded)
    return _join_label_values(lines)


def _join_label_values(lines: list[str]) -> list[str]:
    """"كلمات دلالية:" alone, its value on the next line: one line again."""
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if (
            (match := _LABEL_RE.match(previous)) is not None
            and not match["value"]
            and len(line) <= TITLE_MAX_CHARS
            and not _MARKER_RE.match(line)
        ):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return out


# --- rule 2: line kinds --------------------------------------------------------------------------------


def _canonical_marker(found: str) -> str:
    return next((k for k, rx in _MARKER_KEYS.items() if rx.match(found)), found)


def _as_marker(line: str) -> _Line | None:
    match = _MARKER_RE.match(line)
    if match is None:
        return None
    key = _canonical_marker(match["marker"])
    payload = line[match.end() :].strip()
    marker = MARKERS[key]
    if marker.standalone and payload and ":" not in match["sep"] and "：" not in match["sep"]:
        return None
    if key.isascii() and payload and not match["sep"]:  # "relatedness …": an English word, not a marker
        return None
    return _Line(LineKind.MARKER, line, f"marker:{key}", payload, glued=not match["sep"], chrome=marker.kind == "chrome")


def _as_dateline(line: str, reference: dt.datetime | None) -> _Line | None:
    if len(line) > DATELINE_MAX_CHARS:
        return None
    labels = list(_DATE_LABEL_RE.finditer(line))
    segments: list[tuple[DateField, str, str]] = []
    if labels:
        if labels[0].start() > 0:
            segments.append(("published", "unlabeled", line[: labels[0].start()]))
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(line)
            key = next(k for k in DATE_LABELS if re.fullmatch(_loose(k), label["label"], _I))
            segments.append((DATE_LABELS[key], key, line[label.end() : end]))
    else:
        segments.append(("published", "unlabeled", line))
    dates = []
    for field_name, label_name, segment in segments:
        parsed = parse_dateline(segment, reference_time=reference)
        if parsed is not None:
            dates.append((field_name, parsed.as_published(), f"dateline:{label_name}"))
    if not labels and (not dates or len(line) - len(_unlabeled_match(line, reference)) > DATELINE_SLACK_CHARS):
        return None
    if labels and labels[0].start() > 0 and not dates:
        return None  # "… نشر في …" inside a sentence that holds no date: prose, not a dateline
    return _Line(LineKind.DATELINE, line, dates=tuple(dates))


def _unlabeled_match(line: str, reference: dt.datetime | None) -> str:
    parsed = parse_dateline(line, reference_time=reference)
    return parsed.matched if parsed else ""


def _as_label(line: str) -> _Line | None:
    match = _LABEL_RE.match(line)
    if match is None or len(line) > DATELINE_MAX_CHARS * 2:
        return None
    label, value = match["label"], match["value"].strip()
    for labels, kind in ((SOURCE_LABELS, LineKind.SOURCE), (TAG_LABELS, LineKind.TAGS), (BYLINE_LABELS, LineKind.BYLINE)):
        key = next((k for k in labels if re.fullmatch(_loose(k), label, _I)), None)
        if key is not None:
            return _Line(kind, value, f"line:{key}")
    return None


def _as_credit(line: str) -> _Line | None:
    match = _CREDIT_RE.match(line)
    if match is None:
        return None
    value = match["value"].strip()
    bracketed = "(" in line and ")" in line
    if value in AGENCIES or (bracketed and len(value.split()) <= 4 and line.strip(" -–—.").startswith("(")):
        return _Line(LineKind.CREDIT, value, "credit:line")
    return None


def _is_boilerplate(line: str) -> bool:
    if len(line) > BOILERPLATE_MAX_CHARS:
        return False
    return any(re.match(_loose(p), line, _I) for p in BOILERPLATE_PHRASES)


def _classify(line: str, reference: dt.datetime | None) -> _Line | None:
    """The kind of one line, by the registries in rule 2; ``None`` for boilerplate."""
    for probe in (_as_marker, _as_label, _as_credit):
        found = probe(line)
        if found is not None:
            return found
    dateline = _as_dateline(line, reference)
    if dateline is not None:
        return dateline
    if _is_boilerplate(line):
        return None
    return _Line(LineKind.TEXT, line)


# --- rules 3-5: walking the lines ----------------------------------------------------------------------


def _is_paragraph(text: str) -> bool:
    """Paragraph-like: long, or ending a sentence (rule 4). Closing quotes and brackets are looked through."""
    core = text.rstrip(_CLOSERS + " ")
    if len(text) > TITLE_MAX_CHARS or _SENTENCE_END.search(core) or _SENTENCE_END.search(text):
        return True
    return len(text) > QUESTION_TITLE_MAX_CHARS and bool(_QUESTION_END.search(core))


def _opens_article(lines: list[_Line], i: int) -> bool:
    """Rule 4: a title-like text line whose next text line (past metadata, before any marker) is a paragraph."""
    if _is_paragraph(lines[i].text):
        return False
    for line in lines[i + 1 :]:
        if line.kind is LineKind.MARKER:
            return False
        if line.kind is LineKind.TEXT:
            return _is_paragraph(line.text)
    return False


class _Walker:
    """Walks classified lines and assembles drafts (rules 3-5)."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.headlines: list[str] = []
        self.current: _Draft | None = None
        self.in_block = False
        self.chrome = False
        self.marker: str | None = None
        self.pending: list[_Line] = []  # metadata met before the title

    def walk(self, lines: list[_Line]) -> None:
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.kind is LineKind.MARKER:
                lines = self._enter_block(lines, i)
            elif line.kind is LineKind.TEXT:
                self._text(lines, i)
            else:
                self._metadata(line)
            i += 1

    def _enter_block(self, lines: list[_Line], i: int) -> list[_Line]:
        marker = lines[i]
        main = self.drafts[0] if self.drafts else None
        if main is not None and self._inline(main, marker):  # an inline "read also" (rule 4)
            main.headlines.append(marker.payload)
            self.headlines.append(marker.payload)
            return lines
        self.in_block, self.chrome, self.marker = True, marker.chrome, marker.rule
        self.current = None if self.drafts else self.current
        if not marker.payload:
            return lines
        return [*lines[: i + 1], _Line(LineKind.TEXT, marker.payload), *lines[i + 1 :]]

    def _inline(self, main: _Draft, marker: _Line) -> bool:
        return (
            bool(marker.payload and main.paragraphs)
            and not (self.in_block or main.has_trailer or marker.glued or marker.chrome)
        )

    def _text(self, lines: list[_Line], i: int) -> None:
        text = lines[i].text
        if not self.drafts:
            self.current = _Draft(text, "line:first")
            self.drafts.append(self.current)
            return
        main = self.drafts[0]
        if not self.in_block and main.has_trailer and main.paragraphs:
            self.in_block, self.marker, self.current = True, "after-trailer", None
        if not self.in_block:
            main.paragraphs.append(text)
        elif _opens_article(lines, i) and not self.chrome:
            self.current = _Draft(text, f"after-{self.marker}", marker=self.marker)
            self.drafts.append(self.current)
        elif _is_paragraph(text) and self.current is not None:
            self.current.paragraphs.append(text)
        elif not _is_paragraph(text):
            if not self.chrome:
                (self.current or self.drafts[-1]).headlines.append(text)
                self.headlines.append(text)
            self.current = None
        else:
            logger.debug("text page: dropped a paragraph outside any article: %.60s", text)

    def _metadata(self, line: _Line) -> None:
        draft = self.current or (self.drafts[0] if self.drafts else None)
        if draft is None:
            self.pending.append(line)
            return
        _apply_metadata(draft, line)


def _apply_metadata(draft: _Draft, line: _Line) -> None:
    if line.kind is LineKind.DATELINE:
        for field_name, value, rule in line.dates:
            if getattr(draft, field_name) is None:
                setattr(draft, field_name, value)
                draft.evidence[field_name] = rule
    elif line.kind in (LineKind.SOURCE, LineKind.CREDIT) and draft.source is None:
        source = line.text.strip(" .()[]-–—")
        if source:
            draft.source = source
            draft.evidence["original_source"] = line.rule
    elif line.kind is LineKind.TAGS and not draft.tags:
        draft.tags = [t.strip(" .") for t in _TAG_SPLIT.split(line.text) if t.strip(" .")]
        draft.evidence["tags"] = line.rule
    elif line.kind is LineKind.BYLINE and not draft.authors:
        draft.authors = [a.strip() for a in re.split(r"\s*[،,]\s*", line.text) if a.strip()]
        draft.evidence["authors"] = line.rule


# --- assembling articles -------------------------------------------------------------------------------


def _language(text: str) -> str | None:
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if not arabic + latin:
        return None
    if arabic / (arabic + latin) >= LANGUAGE_SHARE:
        return "ar"
    return "en" if latin / (arabic + latin) > LANGUAGE_SHARE else None


def _trailing_credit(draft: _Draft) -> None:
    """Rule 5: "… (واس)" closing the last paragraph credits the original source when no line did."""
    if draft.source is not None or not draft.paragraphs:
        return
    match = _TRAILING_CREDIT.search(draft.paragraphs[-1])
    if match is not None and match["value"] in AGENCIES:
        draft.source = match["value"]
        draft.evidence["original_source"] = "credit:trailing"


def _to_article(draft: _Draft, provenance: Provenance, main_id: ArticleId | None) -> Article:
    _trailing_credit(draft)
    paragraphs = tuple(draft.paragraphs)
    identity = article_identity(
        canonical_url=None, url=None, title=draft.title, first_paragraph=paragraphs[0] if paragraphs else ""
    )
    evidence = {"title": draft.title_rule, **draft.evidence}
    language = _language(" ".join((draft.title, *paragraphs)))
    if language is not None:
        evidence["language"] = "script:letter-share"
    if main_id is not None and draft.marker is not None:
        evidence["embedded_in"] = draft.marker
    return Article(
        id=identity,
        url=None,
        canonical_url=None,
        publisher=None,
        original_source=draft.source,
        language=language,
        title=draft.title,
        lead=None,
        body_paragraphs=paragraphs,
        authors=tuple(draft.authors),
        published=draft.published,
        updated=draft.updated,
        tags=tuple(draft.tags),
        images=(),
        related_headlines=tuple(draft.headlines),
        embedded_in=main_id,
        provenance=provenance,
        evidence=evidence,
    )


def parse_text_page(
    text: str, *, source: str, fetched_at: dt.datetime | None = None, raw_sha256: str = ""
) -> TextPage:
    """The articles and related headlines of one glued text page (see the module docstring for the rules).

    ``fetched_at`` doubles as the reference time for datelines: a date after it is never a publication date.
    """
    classified = [c for c in (_classify(line, fetched_at) for line in _lines(text)) if c is not None]
    walker = _Walker()
    walker.walk(classified)
    if not walker.drafts:
        return TextPage((), ())
    for line in walker.pending:  # metadata above the title (a dateline first, say) belongs to the main article
        _apply_metadata(walker.drafts[0], line)
    provenance = Provenance(source=source, fetched_at=fetched_at, raw_sha256=raw_sha256)
    main = _to_article(walker.drafts[0], provenance, None)
    embedded = [_to_article(d, provenance, main.id) for d in walker.drafts[1:] if d.paragraphs]
    return TextPage((main, *embedded), tuple(walker.headlines))
