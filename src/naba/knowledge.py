"""naba's own knowledge, read from the data files in ``naba/data/``: the one loader, and its records.

Word lists, gazetteers, publishers and agencies, month and dateline words are data, not code
(CONVENTIONS.md 17): each fact is written once, in one file, and every package that needs it reads it here.
Nothing else opens these files.

Formats, chosen per kind
------------------------
* ``.txt`` — a bare word list (stopwords): one entry per line, when an entry has nothing else to say.
* ``.tsv`` — a table of facts, one per line (places, organizations, month names, boilerplate phrases, person
  words ...): line-oriented, so a diff shows exactly which fact changed, and readable in any editor. The first
  line that is not a comment names the columns; cells are separated by one tab; a cell may be empty; a
  ``tags``/``uses`` cell holds several values separated by spaces.
* ``.toml`` — structured records with nested lists (publishers and agencies: names in two languages, sites,
  feeds and selectors with their ``verified`` flags). TOML because the standard library reads it
  (:mod:`tomllib`), it has comments, and it diffs record by record.

Every file opens with ``#`` lines saying what it holds, where it comes from and its licence; ``#`` starts a
comment line anywhere (never inside a cell).

The files: ``stopwords.txt``; ``spelling-variants.tsv``; ``months.tsv`` and ``dateline-words.tsv``;
``outlets.toml`` and ``agencies.toml`` (the one list of wire agencies); ``places.tsv`` (the one gazetteer of
places: the entity recognizer's, the story gazetteer's and the byline reader's, each a lexicon of it);
``organizations.tsv``; ``person-words.tsv`` (given names, particles, titles, honorifics); ``name-heads.tsv``;
``boilerplate.tsv``; ``labels.tsv``; ``stage-words.tsv``; ``headline-labels.tsv``; ``plural-nouns.tsv``; ``platforms.txt``;
``sections.tsv``, ``section-signals.tsv`` and ``countries.tsv`` (sections and countries of articles).

Contract
--------
* Entries come back as written and in file order; folding them (:func:`naba.text.normalize.fold_key`) is the
  reader's job, since each lexicon is matched against text in its own way.
* Every accessor is cached (:func:`functools.cache`) and returns immutable values: tuples, frozensets and frozen
  dataclasses.
* A malformed file (a missing column, an unknown tag, a reference to a name that is not there) raises
  ``ValueError`` naming the file and line: shipped data is part of the program, and a broken file must fail at
  the first lookup, not answer wrongly.
* This module imports nothing from naba, so any package may read its knowledge here (ARCHITECTURE.md: ``data/``
  is in the base layer).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, Protocol, TypeVar

_COMMENT = "#"
_TAB = "\t"

# --- generic readers ----------------------------------------------------------------------------------------


def _read(name: str) -> str:
    return importlib.resources.files("naba").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _content_lines(name: str) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(_read(name).splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith(_COMMENT):
            yield number, line


@functools.cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of a ``.txt`` word list, one per line, in file order."""
    return tuple(line.strip() for _number, line in _content_lines(name))


@dataclass(frozen=True, slots=True)
class _Row:
    file: str
    line: int
    cells: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def error(self, message: str) -> ValueError:
        return ValueError(f"naba/data/{self.file}:{self.line}: {message}")

    def tags(self, column: str, allowed: frozenset[str]) -> frozenset[str]:
        tags = frozenset(self.cells[column].split())
        if unknown := tags - allowed:
            raise self.error(f"unknown {column} {sorted(unknown)}; known: {sorted(allowed)}")
        return tags

    def number(self, column: str) -> int:
        try:
            return int(self.cells[column])
        except ValueError:
            raise self.error(f"{column} is not a number: {self.cells[column]!r}") from None


@functools.cache
def _table(name: str, columns: tuple[str, ...]) -> tuple[_Row, ...]:
    """The rows of a ``.tsv`` table whose header names exactly ``columns``; the first column may not be empty."""
    lines = iter(_content_lines(name))
    header_line, header = next(lines, (0, ""))
    if tuple(header.split(_TAB)) != columns:
        raise ValueError(f"naba/data/{name}:{header_line}: header must be {_TAB.join(columns)!r}")
    rows = []
    for number, line in lines:
        cells = [cell.strip() for cell in line.split(_TAB)]
        if len(cells) > len(columns) or not cells[0]:
            raise ValueError(
                f"naba/data/{name}:{number}: expected up to {len(columns)} cells, the first not empty"
            )
        rows.append(
            _Row(name, number, dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=True)))
        )
    return tuple(rows)


# --- tagged word lists --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase with the tags its file gives it (its kinds, or the lexicons that use it)."""

    text: str
    tags: frozenset[str]


# Each tagged file and the tags it may use (documented in the file's header).
TAGGED_FILES: Mapping[str, frozenset[str]] = {
    "boilerplate.tsv": frozenset({"read-also", "ui", "label", "comments", "disclaimer"}),
    "labels.tsv": frozenset({"byline", "source", "attribution", "update", "desk", "report-verb", "link"}),
    "name-heads.tsv": frozenset({"org-head", "loc-head", "designator", "always-dropped", "outlet-type"}),
    "person-words.tsv": frozenset(
        {"given", "particle", "title", "honorific", "introducer", "ner", "ner-more"}
    ),
    "stage-words.tsv": frozenset({"preview", "result"}),
}


@functools.cache
def terms(name: str) -> tuple[Term, ...]:
    """Every entry of a tagged ``.tsv`` (columns ``text``, ``tags``), in file order; one of :data:`TAGGED_FILES`."""
    allowed = TAGGED_FILES[name]
    return tuple(Term(row["text"], row.tags("tags", allowed)) for row in _table(name, ("text", "tags")))


def tagged(name: str, tag: str) -> tuple[str, ...]:
    """The entries of ``name`` that carry ``tag``, in file order."""
    if tag not in TAGGED_FILES[name]:
        raise ValueError(f"naba/data/{name}: no tag {tag!r}")
    return tuple(term.text for term in terms(name) if tag in term.tags)


# --- forms: spellings and long names of one thing -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Form:
    """A written form of a name; ``same_as`` is the canonical form it is another spelling or long form of
    (empty for the canonical form itself, which comes first)."""

    name: str
    same_as: str = ""


@functools.cache
def forms(name: str) -> tuple[Form, ...]:
    """A ``.tsv`` of forms (columns ``name``, ``same_as``); every ``same_as`` names an earlier canonical form."""
    out: list[Form] = []
    canonical: set[str] = set()
    for row in _table(name, ("name", "same_as")):
        form = Form(row["name"], row["same_as"])
        if form.same_as and form.same_as not in canonical:
            raise row.error(f"same_as {form.same_as!r} is not an earlier canonical name")
        if not form.same_as:
            canonical.add(form.name)
        out.append(form)
    return tuple(out)


def form_groups(name: str) -> tuple[tuple[str, ...], ...]:
    """The forms of ``name`` grouped under their canonical form (canonical first), in file order."""
    groups: dict[str, list[str]] = {}
    for form in forms(name):
        groups.setdefault(form.same_as or form.name, []).append(form.name)
    return tuple(tuple(group) for group in groups.values())


# --- places -------------------------------------------------------------------------------------------------

PlaceKind = Literal["country", "city", "region", "governorate"]
PLACE_KINDS: frozenset[str] = frozenset({"country", "city", "region", "governorate"})
# The lexicons a place name belongs to (see places.tsv's header).
PLACE_USES: frozenset[str] = frozenset({"entities", "story", "story-in", "byline"})


@dataclass(frozen=True, slots=True)
class Place:
    """One written form of a place name (see ``places.tsv``).

    A canonical row (``same_as`` empty) carries the place's facts: ``kind`` and ``within`` (the country, or
    for a Saudi governorate its region). ``uses`` names the lexicons this written form belongs to.
    """

    name: str
    same_as: str
    kind: str
    within: str
    uses: frozenset[str]


@functools.cache
def places() -> tuple[Place, ...]:
    """Every place form of ``places.tsv``, in file order (checked: kinds, uses, and names referred to)."""
    rows = _table("places.tsv", ("name", "same_as", "kind", "in", "uses"))
    out: list[Place] = []
    canonical: dict[str, Place] = {}
    for row in rows:
        place = Place(row["name"], row["same_as"], row["kind"], row["in"], row.tags("uses", PLACE_USES))
        if place.same_as:
            if place.kind or place.within:
                raise row.error("a form with same_as takes kind and in from its canonical row")
            if place.same_as not in canonical:
                raise row.error(f"same_as {place.same_as!r} is not an earlier canonical name")
        else:
            if place.kind not in PLACE_KINDS:
                raise row.error(f"kind must be one of {sorted(PLACE_KINDS)}")
            canonical[place.name] = place
        out.append(place)
    for row, place in zip(rows, out, strict=True):
        if place.within and place.within not in canonical:
            raise row.error(f"in {place.within!r} is not a canonical place name")
    return tuple(out)


# --- organizations, spelling variants -----------------------------------------------------------------------


def organizations() -> tuple[tuple[str, ...], ...]:
    """Organizations known by name (``organizations.tsv``), each as its forms, common short name first."""
    return form_groups("organizations.tsv")


def spelling_variants() -> tuple[tuple[str, ...], ...]:
    """Spellings of one word (``spelling-variants.tsv``), canonical spelling first."""
    return form_groups("spelling-variants.tsv")


# --- months and dateline words ------------------------------------------------------------------------------

Calendar = Literal["gregorian", "hijri"]
MONTH_SERIES: frozenset[str] = frozenset({"egyptian", "levantine", "maghrebi", "moroccan", "english"})


@dataclass(frozen=True, slots=True)
class MonthName:
    """A month name as sites print it; ``series`` are the Gregorian series that use it (none for Hijri)."""

    name: str
    number: int
    calendar: Calendar
    series: frozenset[str]


@functools.cache
def month_names() -> tuple[MonthName, ...]:
    """Every month name of ``months.tsv``, in file order."""
    out = []
    for row in _table("months.tsv", ("name", "month", "calendar", "series")):
        number = row.number("month")
        calendar = row["calendar"]
        series = row.tags("series", MONTH_SERIES)
        if (
            calendar not in ("gregorian", "hijri")
            or not 1 <= number <= 12
            or (calendar == "hijri") == bool(series)
        ):
            raise row.error("a month is 1-12; a gregorian name has its series, a hijri name none")
        out.append(MonthName(row["name"], number, "hijri" if calendar == "hijri" else "gregorian", series))
    return tuple(out)


DatelineMeaning = Literal["weekday", "am", "pm", "zone", "unit", "count", "days-back"]
DATELINE_MEANINGS: frozenset[str] = frozenset({"weekday", "am", "pm", "zone", "unit", "count", "days-back"})
UNIT_LENGTHS: Mapping[str, dt.timedelta] = {
    "second": dt.timedelta(seconds=1),
    "minute": dt.timedelta(minutes=1),
    "hour": dt.timedelta(hours=1),
    "day": dt.timedelta(days=1),
    "week": dt.timedelta(weeks=1),
    # A month is taken as 30 days: an approximate date beats none for "منذ شهر" (see dateline-words.tsv).
    "month": dt.timedelta(days=30),
}
_OFFSET = re.compile(r"^([+-])(\d\d):(\d\d)$")


@dataclass(frozen=True, slots=True)
class DatelineWord:
    """A word of datelines and its ``meaning``; ``number`` is the weekday (ISO, Monday 1), the count, or the
    days back; ``length`` the zone's UTC offset or the unit's length; ``count`` the count a unit word implies."""

    word: str
    meaning: DatelineMeaning
    number: int | None = None
    length: dt.timedelta | None = None
    count: int | None = field(default=None)


def _dateline_word(row: _Row) -> DatelineWord:
    meaning, value = row["meaning"], row["value"]
    if meaning not in DATELINE_MEANINGS:
        raise row.error(f"meaning must be one of {sorted(DATELINE_MEANINGS)}")
    word = row["word"]
    if meaning in ("am", "pm"):
        return DatelineWord(word, "am" if meaning == "am" else "pm")
    if meaning == "zone":
        match = _OFFSET.match(value)
        if match is None:
            raise row.error("a zone's value is its UTC offset, ±HH:MM")
        sign = -1 if match[1] == "-" else 1
        return DatelineWord(
            word, "zone", length=sign * dt.timedelta(hours=int(match[2]), minutes=int(match[3]))
        )
    if meaning == "unit":
        unit, _, implied = value.partition(" ")
        if unit not in UNIT_LENGTHS or (implied and not implied.isdigit()):
            raise row.error(
                f"a unit's value is one of {sorted(UNIT_LENGTHS)}, then the count it implies if any"
            )
        return DatelineWord(word, "unit", length=UNIT_LENGTHS[unit], count=int(implied) if implied else None)
    kind: DatelineMeaning = (
        "weekday" if meaning == "weekday" else "count" if meaning == "count" else "days-back"
    )
    return DatelineWord(word, kind, number=row.number("value"))


@functools.cache
def dateline_words() -> tuple[DatelineWord, ...]:
    """Every word of ``dateline-words.tsv``, in file order."""
    return tuple(_dateline_word(row) for row in _table("dateline-words.tsv", ("word", "meaning", "value")))


# --- headline labels ----------------------------------------------------------------------------------------

HeadlineLabelKind = Literal["section", "part", "ordinal"]
_HEADLINE_LABEL_KINDS: Mapping[str, HeadlineLabelKind] = {
    "section": "section",
    "part": "part",
    "ordinal": "ordinal",
}


@dataclass(frozen=True, slots=True)
class HeadlineLabel:
    """A wire label inside headlines (``headline-labels.tsv``): a desk prefix, a part marker or an ordinal."""

    text: str
    kind: HeadlineLabelKind
    value: str


@functools.cache
def headline_labels() -> tuple[HeadlineLabel, ...]:
    """Every entry of ``headline-labels.tsv``, in file order; a section names its section key."""
    out = []
    for row in _table("headline-labels.tsv", ("text", "kind", "value")):
        kind = _HEADLINE_LABEL_KINDS.get(row["kind"])
        if kind is None:
            raise row.error(f"kind must be one of {sorted(_HEADLINE_LABEL_KINDS)}")
        if kind == "section" and not row["value"]:
            raise row.error("a section label names its section key")
        out.append(HeadlineLabel(row["text"], kind, row["value"]))
    return tuple(out)


# --- sections and countries (naba.sections) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionName:
    """A section of ``sections.tsv``: its key and display names."""

    key: str
    name_ar: str
    name_en: str


@functools.cache
def sections() -> tuple[SectionName, ...]:
    """Every section of ``sections.tsv``, in the reader's tab order."""
    return tuple(
        SectionName(row["key"], row["name_ar"], row["name_en"])
        for row in _table("sections.tsv", ("key", "name_ar", "name_en"))
    )


SignalKind = Literal["word", "path", "site", "desk", "title"]
_SIGNAL_KINDS: Mapping[str, SignalKind] = {
    "word": "word",
    "path": "path",
    "site": "site",
    "desk": "desk",
    "title": "title",
}


@dataclass(frozen=True, slots=True)
class SectionSignal:
    """A row of ``section-signals.tsv``: what a publisher's label, URL or site says about a section."""

    kind: SignalKind
    where: str
    match: str
    section: str


@functools.cache
def section_signals() -> tuple[SectionSignal, ...]:
    """Every row of ``section-signals.tsv``, in file order (checked: kinds, section keys, patterns)."""
    keys = {s.key for s in sections()}
    out = []
    for row in _table("section-signals.tsv", ("kind", "where", "match", "section")):
        kind = _SIGNAL_KINDS.get(row["kind"])
        if kind is None:
            raise row.error(f"kind must be one of {sorted(_SIGNAL_KINDS)}")
        if row["section"] not in keys:
            raise row.error(f"unknown section {row['section']!r}; known: {sorted(keys)}")
        if kind in ("path", "site") and not row["where"]:
            raise row.error(f"a {kind} signal names its host")
        if kind != "site" and not row["match"]:
            raise row.error(f"a {kind} signal needs a match")
        if kind == "path":
            try:
                re.compile(row["match"])
            except re.error as exc:
                raise row.error(f"bad pattern: {exc}") from None
        out.append(SectionSignal(kind, row["where"], row["match"], row["section"]))
    return tuple(out)


CountryWordKind = Literal["country", "place", "demonym", "demonym-definite", "office", "domestic", "skip"]
_COUNTRY_WORD_KINDS: frozenset[str] = frozenset(
    {"country", "place", "demonym", "demonym-definite", "office", "domestic", "skip"}
)
_ISO_CODE = re.compile(r"[A-Z]{2}")
# The code a domestic institution names: the outlet's own country, whichever it is.
HOME_CODE = "HOME"


@dataclass(frozen=True, slots=True)
class CountryWord:
    """A row of ``countries.tsv``: a written form and the ISO 3166-1 alpha-2 code it names."""

    text: str
    code: str
    kind: CountryWordKind


@functools.cache
def country_words() -> tuple[CountryWord, ...]:
    """Every row of ``countries.tsv`` (checked: codes, kinds, and the places.tsv names it refers to)."""
    canonical = {p.name: p for p in places() if not p.same_as}
    out = []
    for row in _table("countries.tsv", ("text", "code", "kind")):
        kind = row["kind"]
        if kind not in _COUNTRY_WORD_KINDS:
            raise row.error(f"kind must be one of {sorted(_COUNTRY_WORD_KINDS)}")
        if (kind == "domestic") != (row["code"] == HOME_CODE) or (
            kind != "domestic" and not _ISO_CODE.fullmatch(row["code"])
        ):
            raise row.error(f"not an ISO 3166-1 alpha-2 code (HOME for a domestic row): {row['code']!r}")
        if kind == "country" and getattr(canonical.get(row["text"]), "kind", None) != "country":
            raise row.error(f"{row['text']!r} is not a country of places.tsv")
        if kind == "place" and row["text"] not in canonical:
            raise row.error(f"{row['text']!r} is not a canonical place of places.tsv")
        out.append(CountryWord(row["text"], row["code"], kind))  # type: ignore[arg-type]
    return tuple(out)


# --- plural nouns -------------------------------------------------------------------------------------------

PLURAL_FORMS: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")


@functools.cache
def plural_nouns() -> Mapping[str, Mapping[str, str]]:
    """``plural-nouns.tsv``; ``platforms.txt``. for each noun key, its phrase in each CLDR plural form (``{n}`` marks the number)."""
    out: dict[str, Mapping[str, str]] = {}
    for row in _table("plural-nouns.tsv", ("key", *PLURAL_FORMS)):
        phrases = {form: row[form] for form in PLURAL_FORMS}
        if missing := [form for form, phrase in phrases.items() if not phrase]:
            raise row.error(f"every plural form needs a phrase; missing {missing}")
        out[row["key"]] = MappingProxyType(phrases)
    return MappingProxyType(out)


# --- publishers and agencies --------------------------------------------------------------------------------


class Region(StrEnum):
    """Where an outlet's home audience is; ``pan-arab`` outlets address the whole Arab world."""

    GULF = "gulf"  # the Arabian Peninsula: GCC states and Yemen
    LEVANT = "levant"  # Jordan, Lebanon, Syria, Palestine
    IRAQ = "iraq"
    EGYPT = "egypt"
    SUDAN = "sudan"
    MAGHREB = "maghreb"  # Morocco, Algeria, Tunisia, Libya, Mauritania
    PAN_ARAB = "pan-arab"
    INTERNATIONAL = "international"  # non-Arab wire agencies and their Arabic services


class _Checkable(Protocol):
    @property
    def verified(self) -> bool: ...


_C = TypeVar("_C", bound=_Checkable)


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed URL believed to exist; ``verified`` only once fetched and parsed from the live site."""

    url: str
    kind: Literal["rss", "atom", "sitemap"] = "rss"
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Selector:
    """A CSS selector for one part of the outlet's article pages; unused by generic extraction."""

    css: str
    purpose: Literal["body", "title", "date", "author", "remove"]
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """A boilerplate phrase the outlet prints inside or around article bodies."""

    text: str
    verified: bool = False


def verified(items: Iterable[_C]) -> tuple[_C, ...]:
    """Only the items checked against the live site: the ones code may rely on."""
    return tuple(item for item in items if item.verified)


@dataclass(frozen=True, slots=True, kw_only=True)
class Publisher:
    """A news outlet.

    ``key`` is a stable ASCII id; ``name_ar``/``name_en`` are display names; ``other_names_*`` hold the
    other spellings readers meet (all are looked up, normalized). ``country`` is ISO 3166-1 alpha-2 for the
    outlet's home (headquarters or ownership when the audience is pan-Arab). ``saudinewsnet_sources`` are
    the outlet's ``source`` keys in the SaudiNewsNet corpus. ``entity_names`` are the names, among the
    others, that the entity recognizer's gazetteer lists as an organization, canonical first (the gazetteer is
    an input of the shipped NER model, so it changes only with a retrained model).
    """

    key: str
    name_ar: str
    name_en: str
    sites: tuple[str, ...]
    country: str
    region: Region
    other_names_ar: tuple[str, ...] = ()
    other_names_en: tuple[str, ...] = ()
    saudinewsnet_sources: tuple[str, ...] = ()
    feeds: tuple[Feed, ...] = ()
    selectors: tuple[Selector, ...] = ()
    boilerplate: tuple[Phrase, ...] = ()
    entity_names: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the outlet is known by, display names first."""
        return (self.name_ar, self.name_en, *self.other_names_ar, *self.other_names_en)


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency(Publisher):
    """A news agency: a publisher whose name is also a *credit* for a story's original source.

    ``abbreviations`` are the short forms printed in credits ("واس", "أ ف ب", "AFP"); together with the
    names they are the written forms credits are recognised by. ``credit_lines`` are those of them that a line
    holding nothing else is read as ("(رويترز)", "وكالات"). An agency with no ``sites`` (the collective
    "وكالات") is a credit only.
    """

    abbreviations: tuple[str, ...] = ()
    credit_lines: tuple[str, ...] = ()

    @property
    def credit_forms(self) -> tuple[str, ...]:
        """Every form that credits this agency: abbreviations and names."""
        return (*self.abbreviations, *self.names)


_STRING_LISTS = (
    "sites",
    "other_names_ar",
    "other_names_en",
    "saudinewsnet_sources",
    "entity_names",
    "abbreviations",
    "credit_lines",
)


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(value)


def _publisher(where: str, table: Mapping[str, Any], agency: bool) -> Publisher:
    fields = dict(table)
    try:
        kwargs: dict[str, Any] = {k: _strings(where, k, fields.pop(k)) for k in _STRING_LISTS if k in fields}
        kwargs["region"] = Region(fields.pop("region"))
        kwargs["feeds"] = tuple(Feed(**f) for f in fields.pop("feeds", []))
        kwargs["selectors"] = tuple(Selector(**s) for s in fields.pop("selectors", []))
        kwargs["boilerplate"] = tuple(Phrase(**p) for p in fields.pop("boilerplate", []))
        kwargs.update(fields)
        record = Agency(**kwargs) if agency else Publisher(**kwargs)
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"{where}: {err}") from None
    known = {*record.names, *(record.abbreviations if isinstance(record, Agency) else ())}
    chosen = (*record.entity_names, *(record.credit_lines if isinstance(record, Agency) else ()))
    if unknown := [n for n in chosen if n not in known]:
        raise ValueError(f"{where}: entity_names or credit_lines {unknown} are not among its names")
    return record


def _publishers(name: str, table: str, agency: bool) -> tuple[Publisher, ...]:
    data = tomllib.loads(_read(name))
    if set(data) != {table}:
        raise ValueError(f"naba/data/{name}: expected only [[{table}]] tables")
    return tuple(
        _publisher(f"naba/data/{name}: [[{table}]] #{i} {t.get('key', '?')!r}", t, agency)
        for i, t in enumerate(data[table], start=1)
    )


@functools.cache
def outlets() -> tuple[Publisher, ...]:
    """The news outlets of ``outlets.toml``, in file order (by region)."""
    return _publishers("outlets.toml", "outlet", agency=False)


@functools.cache
def agencies() -> tuple[Agency, ...]:
    """The wire agencies of ``agencies.toml`` (including the collective "وكالات"), in file order."""
    found = _publishers("agencies.toml", "agency", agency=True)
    return tuple(a for a in found if isinstance(a, Agency))
