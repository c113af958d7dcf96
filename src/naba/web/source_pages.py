"""The reader's sources page: every followed source with its health, and one source's failed items.

Same rules as :mod:`naba.web.pages`: handlers build small view models of plain strings, templates escape.
Source titles and poll errors come from third-party feeds and servers, so they are ingested text like any
article. The page only reads the rows that ``naba sources import`` creates and ``naba watch`` updates.

``/sources`` lists every source, failing ones first; ``/sources?source=ID`` shows one source and the items
it served whose article could not be fetched or extracted (an unknown or malformed id is the Arabic 404).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from naba.store.sources import SourceItem, SourceRow
from naba.web.backend import ReaderBackend
from naba.web.format import iso_datetime, latin_digits
from naba.web.pages import Display, Renderer, display_for, href, publisher_label, safe_external_url

State = Literal["failing", "ok", "new", "off"]

# In the summary line's order.
STATE_LABELS: Final[dict[State, str]] = {
    "ok": "سليم",
    "failing": "متعثر",
    "new": "لم يُستطلع بعد",
    "off": "متوقف",
}
KIND_LABELS: Final[dict[str, str]] = {"feed": "خلاصة", "sitemap": "خريطة موقع"}
# ISO 3166-1 alpha-2 codes of the publishers registry's outlets; any other code is shown as is.
COUNTRY_NAMES: Final[dict[str, str]] = {
    "AE": "الإمارات",
    "BH": "البحرين",
    "CN": "الصين",
    "DE": "ألمانيا",
    "DZ": "الجزائر",
    "EG": "مصر",
    "FR": "فرنسا",
    "GB": "بريطانيا",
    "IQ": "العراق",
    "IR": "إيران",
    "JO": "الأردن",
    "KW": "الكويت",
    "LB": "لبنان",
    "LY": "ليبيا",
    "MA": "المغرب",
    "MR": "موريتانيا",
    "OM": "عُمان",
    "PS": "فلسطين",
    "QA": "قطر",
    "RU": "روسيا",
    "SA": "السعودية",
    "SD": "السودان",
    "SY": "سوريا",
    "TN": "تونس",
    "TR": "تركيا",
    "US": "الولايات المتحدة",
    "YE": "اليمن",
}

# A poll error is cut to this many characters in the table (the cell's title holds the whole text): enough
# for "HTTP 503 Service Unavailable" or a DNS failure, short enough to keep the row on one or two lines.
ERROR_CHARS: Final = 90
FAILED_ITEMS_SHOWN: Final = 50
# Past this age a poll time is shown as its date: "34 days ago" reads worse than the day itself.
RELATIVE_DAYS: Final = 30


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def relative_time(when: dt.datetime, now: dt.datetime, display: Display) -> str:
    """``when`` as seen from ``now``: منذ ٥ دقائق، بعد ساعتين; the date itself past RELATIVE_DAYS."""
    seconds = (now - when).total_seconds()
    past = seconds >= 0
    seconds = abs(seconds)
    if seconds < 60:
        return "منذ لحظات" if past else "بعد لحظات"
    if seconds >= RELATIVE_DAYS * 86400:
        return display.day(when)
    if seconds < 3600:
        amount = display.count(int(seconds // 60), "minute")
    elif seconds < 86400:
        amount = display.count(int(seconds // 3600), "hour")
    else:
        amount = display.count(int(seconds // 86400), "day")
    return f"{'منذ' if past else 'بعد'} {amount}"


@dataclass(frozen=True, slots=True)
class TimeCell:
    text: str  # relative, for reading
    title: str  # absolute, on hover
    iso: str | None  # for <time datetime>; None when the cell is not a time ("due now")


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One source as the table shows it: plain strings only; the template escapes them."""

    id: int
    title: str
    site_href: str | None  # the outlet's site, http(s) only
    url: str  # the feed or sitemap URL (shown left-to-right)
    publisher: str | None
    country: str | None
    kind: str
    verified: bool
    state: State
    state_label: str
    last_poll: TimeCell | None
    next_poll: TimeCell | None  # None for a disabled source
    articles: str
    failed_items: str
    has_failed_items: bool
    detail_href: str
    error: str | None  # cut to ERROR_CHARS
    error_full: str | None


@dataclass(frozen=True, slots=True)
class StateCount:
    state: State
    label: str
    count: str


@dataclass(frozen=True, slots=True)
class FailedItemLine:
    href: str | None  # the item's link, http(s) only
    text: str  # the link as text, or the item's key when it has none
    error: str | None
    attempts: str


def source_state(source: SourceRow) -> State:
    if not source.enabled:
        return "off"
    if source.failures:
        return "failing"
    return "ok" if source.healthy else "new"


def _source_title(source: SourceRow) -> str:
    if source.title and source.title.strip():
        return source.title.strip()
    if source.publisher:
        return publisher_label(source.publisher)
    return urlsplit(source.url).netloc or source.url


def _stored_time(value: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _time_cell(when: dt.datetime, now: dt.datetime, display: Display) -> TimeCell:
    absolute = display.when(when)
    return TimeCell(relative_time(when, now, display), absolute, iso_datetime(when))


def _next_poll(source: SourceRow, now: dt.datetime, display: Display) -> TimeCell | None:
    if not source.enabled:
        return None
    when = dt.datetime.fromtimestamp(source.next_poll_ts, dt.UTC)
    if when <= now:
        return TimeCell("مستحق الآن", "في الدورة التالية من naba watch", None)
    return _time_cell(when, now, display)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def source_line(source: SourceRow, failed: int, now: dt.datetime, display: Display) -> SourceLine:
    state = source_state(source)
    label = STATE_LABELS[state]
    if state == "failing":
        label = f"{label}: {display.count(source.failures, 'failed_attempt')}"
    error = source.last_error.strip() if source.last_error else None
    country = source.country.strip().upper() if source.country else None
    return SourceLine(
        id=source.id,
        title=_source_title(source),
        site_href=safe_external_url(source.site_url),
        url=source.url,
        publisher=publisher_label(source.publisher) if source.publisher else None,
        country=COUNTRY_NAMES.get(country, country) if country else None,
        kind=KIND_LABELS.get(source.kind, source.kind),
        verified=source.verified,
        state=state,
        state_label=label,
        last_poll=_time_cell(_stored_time(source.last_poll), now, display) if source.last_poll else None,
        next_poll=_next_poll(source, now, display),
        articles=display.num(source.articles_stored),
        failed_items=display.num(failed),
        has_failed_items=failed > 0,
        detail_href=href("/sources", {"source": source.id}),
        error=_cut(error, ERROR_CHARS) if error else None,
        error_full=error,
    )


def failed_item_line(item: SourceItem, display: Display) -> FailedItemLine:
    return FailedItemLine(
        href=safe_external_url(item.link),
        text=item.link or item.item_key,
        error=item.error,
        attempts=display.num(item.attempts),
    )


def _source_id(raw: str) -> int:
    """The ``?source=`` id (Arabic-Indic digits accepted); anything else is a page that does not exist."""
    try:
        return int(latin_digits(raw.strip()))
    except ValueError:
        raise HTTPException(status_code=404) from None


def build_source_router(
    backend: ReaderBackend, render: Renderer, *, clock: Callable[[], dt.datetime] = _utc_now
) -> APIRouter:
    router = APIRouter()

    @router.get("/sources", response_class=HTMLResponse)
    def sources(request: Request, source: str | None = None) -> HTMLResponse:
        display = display_for(request)
        now = clock()
        store = backend.store
        rows = store.list_sources()
        failed = store.failed_item_counts()
        if source is not None:
            wanted = _source_id(source)
            found = next((r for r in rows if r.id == wanted), None)
            if found is None:
                raise HTTPException(status_code=404)
            items = store.failed_items(found.id, FAILED_ITEMS_SHOWN)
            detail = source_line(found, failed.get(found.id, 0), now, display)
            context = {"detail": detail, "items": [failed_item_line(i, display) for i in items]}
            return render(request, "sources.html", context)
        lines = [source_line(r, failed.get(r.id, 0), now, display) for r in rows]
        lines.sort(key=lambda s: (s.state != "failing", s.title.casefold(), s.id))
        states = Counter(s.state for s in lines)
        context = {
            "detail": None,
            "total": display.count(len(lines), "feed"),
            "counts": [StateCount(st, label, display.num(states[st])) for st, label in STATE_LABELS.items()],
            "sources": lines,
        }
        return render(request, "sources.html", context)

    return router
