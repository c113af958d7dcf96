"""Which feeds a reader page has: the ``<link rel="alternate">`` autodiscovery links of every page that has
a feed (the latest articles, one outlet, a search with its filters, a story, an entity, a saved search).

Derived from the page's path and query alone, so page handlers need not know about feeds; the renderer puts
the links in every page's ``<head>`` (``base.html``). Paths only: the browser resolves them on this site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

FORMATS: Final[dict[str, tuple[str, str]]] = {
    "atom": ("application/atom+xml", "Atom"),
    "rss": ("application/rss+xml", "RSS"),
    "json": ("application/feed+json", "JSON Feed"),
}
# The search filters a search feed keeps (the page number is not one).
SEARCH_PARAMS: Final = ("q", "source", "from", "to")


@dataclass(frozen=True, slots=True)
class FeedLink:
    href: str
    type: str
    title: str


def feed_path(kind: str, fmt: str, params: Mapping[str, str] | None = None) -> str:
    kept = {k: v for k, v in (params or {}).items() if v}
    return f"/feeds/{kind}.{fmt}" + (f"?{urlencode(kept)}" if kept else "")


def links(kind: str, params: Mapping[str, str], label: str) -> tuple[FeedLink, ...]:
    return tuple(
        FeedLink(feed_path(kind, fmt, params), media, f"{label} ({name})")
        for fmt, (media, name) in FORMATS.items()
    )


def feeds_for(path: str, query: Mapping[str, str]) -> tuple[FeedLink, ...]:
    """The feeds of the reader page at ``path`` (decoded) with ``query``; empty for a page without one."""
    if path in ("/", "/latest"):
        source = query.get("source") if path == "/latest" else None
        if source:
            return links("source", {"source": source}, "المصدر")
        return links("latest", {}, "أحدث الأخبار")
    if path == "/search" and query.get("q", "").strip():
        return links("search", {k: query.get(k, "") for k in SEARCH_PARAMS}, "نتائج البحث")
    if path.startswith("/story/"):
        return links("story", {"id": path.removeprefix("/story/")}, "القصة")
    if path.startswith("/entity/"):
        return links("entity", {"name": path.removeprefix("/entity/")}, "الكيان")
    if path.startswith("/sections/"):
        section = path.removeprefix("/sections/")
        return links(f"sections/{section}", {"country": query.get("country", "")}, "القسم")
    if path.startswith("/saved/"):
        return links("saved", {"id": path.removeprefix("/saved/")}, "البحث المحفوظ")
    return ()
