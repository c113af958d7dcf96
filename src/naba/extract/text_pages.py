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

The rules, in the order they run (rules 1-2 live in :mod:`naba.extract.text_page_lines`):

1. **Lines.** Invisible marks (LRM/RLM, zero-width, isolates, BOM, soft hyphen) are removed; CR/LF are
   unified, whitespace runs (no-break spaces too) fold to one space, blank lines are dropped. A marker or a
   metadata label glued onto the end of a sentence ("…خلفتها».اقرأ أيضاً") is split onto a line of its own,
   and a label whose value sits alone on the next line is joined to it; under an empty tags label, the
   following short lines (a few words, no sentence ending) are one tag each.
2. **Line kinds**, each from a registry: *marker* (:data:`MARKERS`: a line that starts with "اقرأ أيضاً",
   "شاهد أيضاً", "أخبار ذات صلة", …, after an optional list bullet such as "►" or "- "; the rest of the line is
   its *payload*, and ``glued`` when nothing separates it: "اقرأ أيضاًوزارة"); the short markers "للمزيد" and
   "ذات صلة" count only alone or before a colon, as they open ordinary sentences too); *dateline* (a date
   label from :data:`DATE_LABELS` at the start of a short line, or an unlabeled short line that is a date plus
   at most :data:`DATELINE_SLACK_CHARS` of other text — weekdays, a Hijri date, "الموافق", "الساعة" and
   punctuation do not count — and is not a sentence ending in a full stop); *source* ("المصدر:"), *tags*
   ("كلمات دلالية:", "الوسوم:", …) and *byline* ("كتب:") labels, also with a spaced dash instead of the colon
   on a short line ("كتب - فلان"); a *credit* line ("(واس)", "— أ ف ب"); *boilerplate*, dropped: short
   "شارك"/"طباعة"-style lines, and share bars — lines made only of share words and network names
   (:data:`SHARE_WORDS`: "فيسبوك", "تويتر", "واتساب" …), so a headline that merely starts with a network
   name stays; everything else is *text*.
3. **Main article.** The first text line is its title; the text lines after it are its paragraphs until the
   first marker. Metadata lines go to the article being read. Once the main article has paragraphs and then
   its trailer (source or tags), the next text line opens a block even without a marker.
4. **Blocks.** After a marker, each text line is judged on its own shape and on the next text line:
   a *title-like* line (at most :data:`TITLE_MAX_CHARS`, not ending a sentence) followed by a
   *paragraph-like* line (longer than that, or ending with "." / "…" / ":", or with "؟" / "!" when longer
   than :data:`QUESTION_TITLE_MAX_CHARS`) opens an embedded article; a paragraph-like line continues the open
   article; a title-like line not followed by a paragraph is a related headline (in a "الأكثر قراءة"-style
   *chrome* block it is dropped) and closes the open article. The *first* text line of a block is never a
   paragraph: a marker introduces a title or a headline, so there a line ending with ":" or a long question
   still opens an article when a paragraph follows (only a full stop or an ellipsis rules a title out), and
   is a headline otherwise. List bullets ("- ", "•") are removed from titles and headlines. A marker's
   payload is read as the block's first line — except an inline "read also" in the main body (payload after
   a separator, main article has no trailer yet): that payload is a related headline and the main article
   goes on.
5. **Metadata.** The first dateline under a publication label (or unlabeled) is ``published``; one under
   "آخر تحديث"-style labels is ``updated``, whichever comes first. Inside a block, metadata met before an
   embedded title (a dateline above it) waits for that article; a dateline right after a related headline
   dates that headline and is dropped. Without a ``source:`` line or credit line, a known agency in
   parentheses at the end of the last paragraph ("… (واس)"), else at the opening of the first paragraph
   after a place name ("الرياض - واس:", "القاهرة (أ ش أ) -"), is the ``original_source``; the paragraph is
   kept as written. Other metadata that follows a headline list (the page footer) belongs to the main
   article.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Final

from naba.extract.article import build_article
from naba.extract.text_page_lines import (
    AGENCIES,
    TITLE_MAX_CHARS,
    Line,
    LineKind,
    classify,
    ends_with_stop,
    is_paragraph,
    split_lines,
    strip_bullet,
)
from naba.types import Article, ArticleId, Provenance, PublishedTime

logger = logging.getLogger(__name__)

# Share of letters that must be Arabic for language="ar" (or Latin for "en").
LANGUAGE_SHARE: Final = 0.5

_TRAILING_CREDIT: Final = re.compile(r"\(\s*(?P<value>[^()]{1,30}?)\s*\)[\s.]*$")
# "الرياض - واس:", "القاهرة (أ ش أ) -", "بيروت — (رويترز) —": a place of up to three words, then the agency.
_LEADING_CREDIT: Final = re.compile(
    r"^[^\s()\-–—:،]+(?:\s+[^\s()\-–—:،]+){0,2}\s*(?:[-–—]\s*)?\(?\s*(?P<value>[^()\-–—:،]{1,30}?)\s*\)?\s*[-–—:]"
)
_TAG_SPLIT: Final = re.compile(r"\s*[،,؛;|#]\s*|\s+[-–/]\s+")
_ARABIC_LETTER: Final = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER: Final = re.compile(r"[A-Za-z]")


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


# --- rules 3-5: walking the lines ----------------------------------------------------------------------


def _next_text(lines: list[Line], i: int) -> int | None:
    """The index of the next text line after ``i``, unless a marker comes first."""
    for j in range(i + 1, len(lines)):
        if lines[j].kind is LineKind.MARKER:
            return None
        if lines[j].kind is LineKind.TEXT:
            return j
    return None


def _opens_article(lines: list[Line], i: int, *, first: bool = False) -> bool:
    """Rule 4: a title-like text line whose next text line (past metadata, before any marker) is a paragraph.

    ``first``: the line is the first of a block, where a title may end with ":" or be a long question.
    """
    text = lines[i].text
    if first:
        if len(text) > TITLE_MAX_CHARS or ends_with_stop(text):
            return False
    elif is_paragraph(text):
        return False
    j = _next_text(lines, i)
    return j is not None and is_paragraph(lines[j].text)


class _Walker:
    """Walks classified lines and assembles drafts (rules 3-5)."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.headlines: list[str] = []
        self.current: _Draft | None = None
        self.in_block = False
        self.fresh = False  # the next text line is the first of its block
        self.after_headline = False  # the last text line was a related headline
        self.chrome = False
        self.marker: str | None = None
        self.pending: list[Line] = []  # metadata met before the main title
        self.pending_embedded: list[Line] = []  # metadata met in a block before its article's title

    def walk(self, lines: list[Line]) -> None:
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.kind is LineKind.MARKER:
                lines = self._enter_block(lines, i)
            elif line.kind is LineKind.TEXT:
                self._text(lines, i)
                self.fresh = False
            else:
                self._metadata(lines, i)
            i += 1

    def _enter_block(self, lines: list[Line], i: int) -> list[Line]:
        marker = lines[i]
        main = self.drafts[0] if self.drafts else None
        if main is not None and self._inline(main, marker):  # an inline "read also" (rule 4)
            main.headlines.append(strip_bullet(marker.payload))
            self.headlines.append(strip_bullet(marker.payload))
            return lines
        self.in_block, self.chrome, self.marker, self.fresh = True, marker.chrome, marker.rule, True
        self.after_headline = False
        self.current = None if self.drafts else self.current
        if not marker.payload:
            return lines
        return [*lines[: i + 1], Line(LineKind.TEXT, marker.payload), *lines[i + 1 :]]

    def _inline(self, main: _Draft, marker: Line) -> bool:
        return bool(marker.payload and main.paragraphs) and not (
            self.in_block or main.has_trailer or marker.glued or marker.chrome
        )

    def _text(self, lines: list[Line], i: int) -> None:
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
        elif not self.chrome and _opens_article(lines, i, first=self.fresh):
            self._open_embedded(strip_bullet(text))
        elif is_paragraph(text) and self.current is not None and not self.fresh:
            self.current.paragraphs.append(text)
        elif not is_paragraph(text) or self.fresh:
            self._headline(strip_bullet(text))
        else:
            logger.debug("text page: dropped a paragraph outside any article: %.60s", text)

    def _open_embedded(self, title: str) -> None:
        self.current = _Draft(title, f"after-{self.marker}", marker=self.marker)
        self.drafts.append(self.current)
        for line in self.pending_embedded:
            _apply_metadata(self.current, line)
        self.pending_embedded.clear()
        self.after_headline = False

    def _headline(self, text: str) -> None:
        if not self.chrome:
            (self.current or self.drafts[-1]).headlines.append(text)
            self.headlines.append(text)
        self.current, self.after_headline = None, True
        self.pending_embedded.clear()

    def _metadata(self, lines: list[Line], i: int) -> None:
        line = lines[i]
        if not self.drafts:
            self.pending.append(line)
            return
        if self.in_block and self.current is None:
            j = _next_text(lines, i)
            if j is not None and not self.chrome and _opens_article(lines, j, first=self.fresh):
                self.pending_embedded.append(line)  # a dateline above an embedded title (rule 5)
                return
            if self.after_headline and line.kind is LineKind.DATELINE:
                return  # the date of a related headline, not of any article here
        _apply_metadata(self.current or self.drafts[0], line)


def _apply_metadata(draft: _Draft, line: Line) -> None:
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
    """Rule 5: "… (واس)" closing the last paragraph, else "الرياض - واس:" opening the first, credits the
    original source when no line did."""
    if draft.source is not None or not draft.paragraphs:
        return
    for match, rule in (
        (_TRAILING_CREDIT.search(draft.paragraphs[-1]), "credit:trailing"),
        (_LEADING_CREDIT.match(draft.paragraphs[0]), "credit:leading"),
    ):
        if match is not None and match["value"].strip() in AGENCIES:
            draft.source = match["value"].strip()
            draft.evidence["original_source"] = rule
            return


def _to_article(draft: _Draft, provenance: Provenance, main_id: ArticleId | None) -> Article:
    _trailing_credit(draft)
    paragraphs = tuple(draft.paragraphs)
    evidence = {"title": draft.title_rule, **draft.evidence}
    language = _language(" ".join((draft.title, *paragraphs)))
    if language is not None:
        evidence["language"] = "script:letter-share"
    if main_id is not None and draft.marker is not None:
        evidence["embedded_in"] = draft.marker
    return build_article(
        original_source=draft.source,
        language=language,
        title=draft.title,
        body_paragraphs=paragraphs,
        authors=draft.authors,
        published=draft.published,
        updated=draft.updated,
        tags=draft.tags,
        related_headlines=draft.headlines,
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
    classified = [c for c in (classify(line, fetched_at) for line in split_lines(text)) if c is not None]
    walker = _Walker()
    walker.walk(classified)
    if not walker.drafts:
        return TextPage((), ())
    for (
        line
    ) in walker.pending:  # metadata above the title (a dateline first, say) belongs to the main article
        _apply_metadata(walker.drafts[0], line)
    provenance = Provenance(source=source, fetched_at=fetched_at, raw_sha256=raw_sha256)
    main = _to_article(walker.drafts[0], provenance, None)
    embedded = [_to_article(d, provenance, main.id) for d in walker.drafts[1:] if d.paragraphs]
    return TextPage((main, *embedded), tuple(walker.headlines))
