"""The reader's HTML pages: home (latest, by source), search and the Arabic 404, and the building blocks
every page module shares (cards, display, links, the renderer); the article page is
:mod:`naba.web.article_page`.

Handlers turn the request into store/search calls and build small view models; templates only print them.
Every ingested string reaches a template as plain text and is escaped there (autoescape is on, and no
ingested value is ever marked safe). Search highlights arrive as :class:`~naba.types.TextSpan` runs and the
template wraps the highlighted ones in ``<mark>``, so no HTML is ever assembled from ingested text. Every
printed value also loses its bidi embedding/override/isolate controls on the way out (the environment's
``finalize`` hook, :func:`~naba.web.format.strip_bidi_controls`); templates isolate ingested strings with
``dir="auto"`` or ``<bdi>`` instead.

Article URLs: ``/article/{id}`` with the whole id percent-encoded as one segment (``/`` → ``%2F``,
``:`` → ``%3A``, line feed → ``%0A``, Arabic as UTF-8 escapes). Encoding the slashes keeps browsers from
resolving ``..`` segments inside an id; the server decodes the path once and the ``naba_id`` convertor
(:class:`AnyIdConvertor`) accepts whatever the decoded id holds, slashes and line breaks included.

Links built from the request itself (the digits toggle) go through :func:`same_site_path`: whatever path a
client sends, the link is a path on this site, never ``//host`` or ``/\\host``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import quote, unquote_to_bytes, urlencode, urlsplit

import jinja2
import markupsafe
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.convertors import Convertor, register_url_convertor

from naba.engine.records import Highlight, SearchHitView
from naba.engine.section_views import all_sections
from naba.engine.views import search_view
from naba.errors import SearchError
from naba.extract.headlines import lead_paragraph
from naba.publishers.registry import publisher_by_name, publisher_for_saudinewsnet, publisher_for_url
from naba.store.base import SourceCount
from naba.text.chars import BIDI_CONTROLS
from naba.types import Article, SearchHit, SearchQuery, SearchSort, TextSpan
from naba.web.backend import ReaderBackend, ReaderStore
from naba.web.feed_links import feeds_for
from naba.web.format import (
    DEFAULT_DIGITS,
    Digits,
    count_phrase,
    format_clock,
    format_datetime,
    format_day,
    format_number,
    iso_datetime,
    latin_digits,
    localize_digits,
    parse_digits,
    strip_bidi_controls,
)

log = logging.getLogger(__name__)

TEMPLATES_DIR: Final = Path(__file__).parent / "templates"
DIGITS_PARAM: Final = "digits"
DIGITS_COOKIE: Final = "naba_digits"
# Longest query passed to the search backend; longer input is cut (a reader never types this much, a
# script might, and the index parses every character).
MAX_QUERY_CHARS: Final = 500
# Deepest page served: keeps OFFSET bounded so a crawler walking page numbers cannot make the store scan
# the whole table.
MAX_PAGE: Final = 500
# Pages linked on each side of the current one in the pager.
PAGER_WINDOW: Final = 2
SUMMARY_CHARS: Final = 220
LATEST_PATH: Final = "/latest"
SAFE_LINK_SCHEMES: Final = frozenset({"http", "https"})
# A bidi control in a link's path, query or fragment is percent-encoded, as the browser would encode it when
# following the link: the target is kept and the page carries no raw control.
_PERCENT_BIDI_CONTROLS: Final = {ord(c): quote(c) for c in BIDI_CONTROLS}


# --- view models -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """One article in a list: plain strings only; the template escapes them."""

    id: str
    href: str
    title: str
    publisher: str | None
    when: str | None
    when_iso: str | None
    summary: str | None
    title_spans: tuple[TextSpan, ...]
    snippet_spans: tuple[TextSpan, ...]


@dataclass(frozen=True, slots=True)
class DayGroup:
    label: str
    cards: tuple[ArticleCard, ...]


@dataclass(frozen=True, slots=True)
class PageLink:
    label: str
    href: str | None  # None for the current page and for gaps
    current: bool = False


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    prev_href: str | None
    next_href: str | None
    links: tuple[PageLink, ...]


@dataclass(frozen=True, slots=True)
class SourceLink:
    name: str  # the publisher key used in filters
    label: str  # what the reader sees: the outlet's Arabic name when the registry knows it
    count: str
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class Display:
    """The reader's display preferences for one request and what the page chrome needs."""

    digits: Digits
    toggle_href: str  # the same page in the other numeral system
    tz: dt.tzinfo = dt.UTC  # the reader's time zone (the ``timezone`` setting)

    def num(self, value: int) -> str:
        return format_number(value, self.digits)

    def count(self, value: int, noun: str) -> str:
        """``value`` of ``noun`` with CLDR's plural form: «مقال واحد»، «١١ مقالًا» (``plural-nouns.tsv``)."""
        return count_phrase(value, noun, self.digits)

    def when(self, value: dt.date) -> str:
        """A publication time in the reader's zone: «١٠ أغسطس ٢٠١٥، ٤:١٧ ص»."""
        return format_datetime(value, self.digits, tz=self.tz)

    def clock(self, value: dt.datetime) -> str:
        return format_clock(value, self.digits, tz=self.tz)

    def day(self, value: dt.date, *, weekday: bool = False) -> str:
        return format_day(value, self.digits, weekday=weekday, tz=self.tz)

    def text(self, value: str) -> str:
        """Localize digits in naba's own strings (never in ingested text, whose numbers are the publisher's)."""
        return localize_digits(value, self.digits)


# --- helpers -----------------------------------------------------------------------------------------


class AnyIdConvertor(Convertor[str]):
    """A route parameter holding any string the store can hold: the rest of the decoded path.

    Starlette's ``path`` convertor is ``.*``, compiled without ``re.DOTALL``, so it stops at a line feed and
    ``/article/a%0Ab`` answers 404. Starlette splices a convertor's regex into the route's pattern and
    compiles it with no flags, so DOTALL is set for this group alone with an inline flag group. Being greedy,
    it also takes a trailing line feed, which ``$`` would otherwise leave outside the match.
    """

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return quote(value, safe="")


# Routes name it as ``{article_id:naba_id}``; registered when this module is imported, before any route that
# uses it is built (Starlette resolves a convertor's name when the route is created).
ID_CONVERTOR: Final = "naba_id"
register_url_convertor(ID_CONVERTOR, AnyIdConvertor())


def article_href(article_id: str) -> str:
    return "/article/" + quote(article_id, safe="")


def same_site_path(raw_path: bytes) -> str:
    """A request path as received (``raw_path``, still percent-encoded) made into a link that stays on this
    site: one leading ``/`` followed by neither ``/`` nor ``\\`` (a run of leading slashes and backslashes
    is collapsed: ``//evil.example/x`` → ``/evil.example/x``, never the protocol-relative link to another
    host), every segment decoded once and percent-encoded again (an encoded ``/`` inside an id stays
    ``%2F``; a raw byte that is not URL-safe is escaped). A query, if a server left one in, is dropped."""
    segments = raw_path.split(b"?", 1)[0].lstrip(b"/\\").split(b"/")
    return "/" + "/".join(quote(unquote_to_bytes(segment), safe="") for segment in segments)


def href(path: str, params: Mapping[str, str | int | None]) -> str:
    """A same-site link: ``path`` plus the non-empty ``params``, percent-encoded."""
    kept = {key: str(value) for key, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def safe_external_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None: ``javascript:``/``data:`` never become links.

    Bidi controls in the host make the URL None (no real host has one: it is a spoof); elsewhere they are
    percent-encoded.
    """
    if not url:
        return None
    candidate = url.strip()
    parts = urlsplit(candidate)
    if parts.scheme.lower() not in SAFE_LINK_SCHEMES or not parts.netloc:
        return None
    if strip_bidi_controls(parts.netloc) != parts.netloc:
        return None
    return candidate.translate(_PERCENT_BIDI_CONTROLS)


def request_digits(request: Request) -> Digits:
    """The numeral system: ``?digits=`` wins over the cookie, which wins over the default."""
    return (
        parse_digits(request.query_params.get(DIGITS_PARAM))
        or parse_digits(request.cookies.get(DIGITS_COOKIE))
        or DEFAULT_DIGITS
    )


# Where create_app keeps the reader's time zone (``request.app.state``), read by every page.
TZ_STATE: Final = "reader_tz"


def display_for(request: Request) -> Display:
    digits = request_digits(request)
    tz = getattr(request.app.state, TZ_STATE, dt.UTC)
    other: Digits = "latn" if digits == "arab" else "arab"
    # raw_path keeps the id's percent-encoding; the decoded path would lose %2F and %3F.
    raw = request.scope.get("raw_path")
    path = same_site_path(raw if isinstance(raw, bytes) else quote(request.url.path).encode("ascii"))
    params = {key: value for key, value in request.query_params.multi_items() if key != DIGITS_PARAM}
    return Display(digits=digits, toggle_href=href(path, {**params, DIGITS_PARAM: other}), tz=tz)


def page_number(raw: str | None) -> int:
    """A 1-based page number from the query string; junk means page 1, and pages stop at MAX_PAGE."""
    try:
        number = int(latin_digits(raw or "1"))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def parse_day(raw: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` date (Arabic-Indic digits accepted), or None when empty or invalid."""
    if not raw or not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(latin_digits(raw.strip()))
    except ValueError:
        return None


def summarize(article: Article) -> str | None:
    """The lead paragraph (past dateline, credit and part-marker lines: :func:`lead_paragraph`), cut at a word
    boundary for list views."""
    first = lead_paragraph(article.paragraphs)
    if first is None or len(first) <= SUMMARY_CHARS:
        return first
    cut = first[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


@functools.lru_cache(maxsize=1024)
def publisher_label(key: str) -> str:
    """The outlet's Arabic name for a publisher key (a SaudiNewsNet source key, a site name or a domain)."""
    outlet = publisher_for_saudinewsnet(key) or publisher_by_name(key)
    if outlet is None and "." in key:
        outlet = publisher_for_url(f"https://{key}/")
    return outlet.name_ar if outlet else key


def card_for(article: Article, display: Display, hit: SearchHit | None = None) -> ArticleCard:
    published = article.published
    return ArticleCard(
        id=article.id,
        href=article_href(article.id),
        title=article.title,
        publisher=publisher_label(article.publisher) if article.publisher else None,
        when=display.when(published) if published else None,
        when_iso=iso_datetime(published) if published else None,
        summary=summarize(article),
        title_spans=(hit.title_spans or (TextSpan(article.title, False),)) if hit else (),
        snippet_spans=hit.snippet_spans if hit else (),
    )


def group_by_day(articles: Iterable[Article], display: Display) -> list[DayGroup]:
    """Consecutive articles published on the same calendar day (in the reader's zone) share a heading (input is
    newest first)."""
    groups: list[tuple[str, list[ArticleCard]]] = []
    for article in articles:
        day = article.published
        label = display.day(day, weekday=True) if day else "بلا تاريخ"
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(card_for(article, display))
    return [DayGroup(label, tuple(cards)) for label, cards in groups]


def make_pager(
    page: int, total: int, size: int, path: str, params: Mapping[str, str | None], display: Display
) -> Pager:
    pages = min(max(math.ceil(total / size), 1), MAX_PAGE)

    def link(number: int) -> str:
        return href(path, {**params, "page": number if number > 1 else None})

    shown = sorted({1, pages, *range(max(page - PAGER_WINDOW, 1), min(page + PAGER_WINDOW, pages) + 1)})
    links: list[PageLink] = []
    for previous, number in zip([0, *shown], shown, strict=False):
        if previous and number - previous > 1:
            links.append(PageLink("…", None))
        current = number == page
        links.append(PageLink(display.num(number), None if current else link(number), current))
    return Pager(
        page=page,
        pages=pages,
        prev_href=link(page - 1) if page > 1 else None,
        next_href=link(page + 1) if page < pages else None,
        links=tuple(links),
    )


def source_links(
    sources: Sequence[SourceCount], current: str | None, path: str, display: Display
) -> list[SourceLink]:
    return [
        SourceLink(
            s.publisher,
            publisher_label(s.publisher),
            display.num(s.articles),
            href(path, {"source": s.publisher}),
            s.publisher == current,
        )
        for s in sorted(sources, key=lambda s: (-s.articles, s.publisher))
    ]


# --- rendering ---------------------------------------------------------------------------------------


def printable(value: object) -> object:
    """The Jinja ``finalize`` hook: what ``{{ value }}`` prints, before autoescaping, without bidi controls.

    Text (a ``Markup`` included: it stays ``Markup``) is cleaned by :func:`strip_bidi_controls`; numbers and
    None print as they are; any other object is escaped here (its ``__html__`` if it has one, else its
    ``str``) and then cleaned. Everything a template prints passes through here, so no page, ``<title>`` or
    attribute value can carry one of those controls.
    """
    if isinstance(value, str):
        return strip_bidi_controls(value)
    if value is None or isinstance(value, int | float):
        return value
    return strip_bidi_controls(markupsafe.escape(value))


def make_environment() -> jinja2.Environment:
    """Templates with autoescape on for every file, bidi controls removed from every printed value
    (:func:`printable`), and loud failures on a misspelt variable."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        finalize=printable,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["section_tabs"] = all_sections()  # the section tabs under the page tabs (data/sections.tsv)
    return env


@dataclass(frozen=True, slots=True)
class Understanding:
    """How far ``naba understand`` got: shown on every page while stories are still being formed."""

    done: int
    total: int


def understanding_of(store: ReaderStore) -> Understanding | None:
    """None once every stored article is understood (or nothing is stored)."""
    total, done = store.count(), store.understood_count()
    return Understanding(done, total) if done < total else None


class Renderer:
    def __init__(
        self, env: jinja2.Environment, status: Callable[[], Understanding | None] = lambda: None
    ) -> None:
        self._env = env
        self._status = status

    def __call__(
        self, request: Request, name: str, context: Mapping[str, Any], status: int = 200
    ) -> HTMLResponse:
        display = display_for(request)
        # The decoded path, as the route saw it (request.url re-quotes characters such as "?" inside an id).
        path = str(request.scope.get("path", request.url.path))
        feeds = feeds_for(path, request.query_params) if status == 200 else ()
        page = {"display": display, "q": "", "understanding": self._status(), "feeds": feeds, **context}
        html = self._env.get_template(name).render(page)
        return HTMLResponse(html, status_code=status)

    def refusal(
        self, request: Request, heading: str, message: str, status: int, retry: str | None = None
    ) -> HTMLResponse:
        """A short Arabic page saying why the request is refused for now (``refused.html``). It reads nothing
        from the store: a client refused for sending too much costs the database nothing."""
        page = {
            "display": display_for(request),
            "q": request.query_params.get("q", "")[:MAX_QUERY_CHARS],  # kept in the search box, escaped
            "understanding": None,
            "feeds": (),
            "heading": heading,
            "message": message,
            "retry_href": retry,
        }
        return HTMLResponse(self._env.get_template("refused.html").render(page), status_code=status)


# --- routes ------------------------------------------------------------------------------------------


def build_router(backend: ReaderBackend, render: Renderer) -> APIRouter:
    """The HTML routes. Handlers are plain ``def``: the store is synchronous, so they run in the threadpool."""
    router = APIRouter()

    @router.get("/latest", response_class=HTMLResponse)
    def latest(request: Request, source: str | None = None, page: str | None = None) -> HTMLResponse:
        return latest_page(backend, render, request, source, page)

    @router.get("/search", response_class=HTMLResponse)
    def search(
        request: Request,
        q: str = "",
        source: str | None = None,
        date_from: Annotated[str | None, Query(alias="from")] = None,
        date_to: Annotated[str | None, Query(alias="to")] = None,
        page: str | None = None,
        sort: str | None = None,
    ) -> HTMLResponse:
        form = SearchForm.parse(q, source, date_from, date_to, page, sort)
        return _search_page(backend, render, request, form)

    return router


def latest_page(
    backend: ReaderBackend, render: Renderer, request: Request, source: str | None, page: str | None
) -> HTMLResponse:
    """The latest articles, newest first, grouped by day, filtered by outlet (``/latest``; also the home page
    while no story is formed yet)."""
    display = display_for(request)
    size = backend.settings.page_size
    number = page_number(page)
    publisher = source or None
    sources = backend.store.sources()
    if publisher is None:
        total = backend.store.count()
    else:
        total = next((s.articles for s in sources if s.publisher == publisher), 0)
    stored = backend.store.latest(limit=size, offset=(number - 1) * size, publisher=publisher)
    context = {
        "source": publisher,
        "total": display.count(total, "article"),
        "days": group_by_day((s.article for s in stored), display),
        "sources": source_links(sources, publisher, LATEST_PATH, display),
        "pager": make_pager(number, total, size, LATEST_PATH, {"source": publisher}, display),
        "tab": "latest",
    }
    return render(request, "home.html", context)


@dataclass(frozen=True, slots=True)
class SearchForm:
    """The search form as submitted, cleaned: what the page echoes back and what the backend is asked."""

    q: str
    source: str | None
    date_from: dt.date | None
    date_to: dt.date | None
    page: int
    notices: tuple[str, ...]
    sort: SearchSort = "relevance"

    @classmethod
    def parse(
        cls,
        q: str,
        source: str | None,
        raw_from: str | None,
        raw_to: str | None,
        page: str | None,
        sort: str | None = None,
    ) -> SearchForm:
        notices: list[str] = []
        # Quoted phrases and operators are passed through as typed: parsing them is the index's job.
        text = q.strip()
        if len(text) > MAX_QUERY_CHARS:
            text = text[:MAX_QUERY_CHARS]
            notices.append("الاستعلام طويل جدًا، فاستُخدم جزؤه الأول فقط.")
        date_from, date_to = parse_day(raw_from), parse_day(raw_to)
        if (raw_from and raw_from.strip() and date_from is None) or (
            raw_to and raw_to.strip() and date_to is None
        ):
            notices.append("تاريخ غير صالح؛ استخدم الصيغة YYYY-MM-DD. تجاهلنا هذا الحقل.")
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from  # the reader meant the range, not an empty result
        chosen: SearchSort = "date" if sort == "date" else "relevance"
        return cls(text, source or None, date_from, date_to, page_number(page), tuple(notices), chosen)

    def known_source(self, publishers: Iterable[str]) -> SearchForm:
        """The form with its source spelled as stored. The source menu's values are printed without bidi
        controls like every value, so a stored key that has some comes back cleaned and is matched here."""
        if self.source is None:
            return self
        keys = list(publishers)
        if self.source in keys:
            return self
        wanted = strip_bidi_controls(self.source)
        stored = next((k for k in keys if strip_bidi_controls(k) == wanted), self.source)
        return replace(self, source=stored)

    def params(self) -> dict[str, str | None]:
        return {
            "q": self.q or None,
            "source": self.source,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "sort": self.sort if self.sort != "relevance" else None,
        }

    def query(self, page_size: int) -> SearchQuery:
        return SearchQuery(
            text=self.q,
            sources=(self.source,) if self.source else (),
            date_from=self.date_from,
            date_to=self.date_to,
            offset=(self.page - 1) * page_size,
            limit=page_size,
            sort=self.sort,
        )


def _search_page(
    backend: ReaderBackend, render: Renderer, request: Request, form: SearchForm
) -> HTMLResponse:
    display = display_for(request)
    sources = backend.store.sources()
    form = form.known_source(s.publisher for s in sources)
    context: dict[str, Any] = {
        "form": form,
        "sources": source_links(sources, form.source, "/search", display),
        "results": None,
        "error": None,
    }
    if not form.q:
        return render(request, "search.html", context)
    size = backend.settings.page_size
    try:
        view = search_view(backend.store, backend.search, form.query(size))
    except SearchError as exc:
        log.warning("search failed for %r: %s", form.q, exc)
        context["error"] = "تعذّر تنفيذ هذا البحث. تحقّق من علامات التنصيص وأعد المحاولة."
        return render(request, "search.html", context, status=400)
    params = form.params()
    context["results"] = {
        "total": display.count(view.total, "result"),
        "cards": [hit_card(hit, display) for hit in view.hits],
        "facets": [
            SourceLink(
                f.value,
                publisher_label(f.value),
                display.num(f.count),
                href("/search", {**params, "source": f.value, "page": None}),
                f.value == form.source,
            )
            for f in view.facets_outlets
        ],
        "days": [
            SourceLink(
                f.value,
                display.day(dt.date.fromisoformat(f.value)),
                display.num(f.count),
                href("/search", {**params, "from": f.value, "to": f.value, "page": None}),
                form.date_from == form.date_to == dt.date.fromisoformat(f.value),
            )
            for f in view.facets_days
        ],
        "all_sources_href": href("/search", {**params, "source": None}),
        "all_days_href": href("/search", {**params, "from": None, "to": None}),
        "sort_links": [
            SourceLink(
                key,
                label,
                "",
                href("/search", {**params, "sort": key if key != "relevance" else None}),
                key == form.sort,
            )
            for key, label in (("relevance", "الأكثر صلة"), ("date", "الأحدث"))
        ],
        "pager": make_pager(form.page, view.total, size, "/search", params, display),
    }
    return render(request, "search.html", context)


@dataclass(frozen=True, slots=True)
class CopyOf:
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class HitCard:
    """One search result with the other outlets' copies of its text folded under it."""

    href: str
    title_spans: tuple[Highlight, ...]
    snippet_spans: tuple[Highlight, ...]
    publisher: str | None
    when: str | None
    when_iso: str | None
    also: tuple[CopyOf, ...]
    also_label: str | None  # «و٤ صحف أخرى»


def hit_card(hit: SearchHitView, display: Display) -> HitCard:
    """A result of :func:`~naba.engine.views.search_view` (the call ``naba search`` makes) as a card."""
    article = hit.article
    published = article.published
    also = tuple(
        CopyOf(publisher_label(a.publisher) if a.publisher else a.title, article_href(a.id))
        for a in hit.also_from
    )
    return HitCard(
        href=article_href(article.id),
        title_spans=hit.title_highlights or (Highlight(article.title, False),),
        snippet_spans=hit.snippet,
        publisher=publisher_label(article.publisher) if article.publisher else None,
        when=display.when(published) if published else None,
        when_iso=iso_datetime(published) if published else None,
        also=also,
        also_label=("و" + display.count(len(also), "other_outlet")) if also else None,
    )
