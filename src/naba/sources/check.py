"""``naba sources check``: does a followed source work, and if not, does its site offer a feed that does?

The default source list comes from general knowledge and cannot be checked offline; this is how a user
verifies it once online. A source is *verified* when its URL fetches and parses (a feed with at least one
entry, or a sitemap with at least one URL). When it does not, the site's home page is fetched and the
feeds it announces (``<link rel="alternate">``) are tried in page order; the first that works replaces the
source's URL.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from naba.errors import NabaError
from naba.sources.feeds import discover_feeds, parse_feed
from naba.sources.http import HttpClient
from naba.sources.sitemaps import parse_sitemap
from naba.store.sources import SourceRow

# Discovered feeds tried per source (a home page can announce one feed per section).
MAX_DISCOVERED: int = 5


@dataclass(frozen=True, slots=True)
class CheckResult:
    source_id: int
    url: str
    verified: bool
    items: int = 0
    new_url: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


async def _works(client: HttpClient, url: str, kind: str) -> int:
    """Number of entries (or sitemap URLs) at ``url``; raises when it does not fetch or parse."""
    result = await client.fetch(url)
    if kind == "sitemap":
        sitemap = parse_sitemap(result.content, url=result.final_url)
        count = len(sitemap.urls) + len(sitemap.sitemaps)
    else:
        count = len(
            parse_feed(result.content, url=result.final_url, content_type=result.content_type).entries
        )
    if not count:
        raise ValueError("no items")
    return count


def _home(source: SourceRow) -> str:
    if source.site_url:
        return source.site_url
    parts = urlsplit(source.url)
    return f"{parts.scheme}://{parts.netloc}/"


async def check_source(client: HttpClient, source: SourceRow) -> CheckResult:
    try:
        return CheckResult(source.id, source.url, True, await _works(client, source.url, source.kind))
    except (NabaError, ValueError) as exc:
        error = exc.message if isinstance(exc, NabaError) else str(exc)
    if source.kind != "feed":
        return CheckResult(source.id, source.url, False, error=error)
    try:
        home = await client.fetch(_home(source))
    except NabaError as exc:
        return CheckResult(source.id, source.url, False, error=f"{error}; home page: {exc.message}")
    for candidate in discover_feeds(home.content, home.final_url or _home(source))[:MAX_DISCOVERED]:
        if candidate == source.url:
            continue
        try:
            items = await _works(client, candidate, "feed")
        except (NabaError, ValueError):
            continue
        return CheckResult(source.id, source.url, True, items, new_url=candidate)
    return CheckResult(source.id, source.url, False, error=f"{error}; no working feed on the home page")


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a site announces: feeds on its home page, sitemaps in its robots.txt (news ones first)."""

    site: str
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


async def discover_site(client: HttpClient, site_url: str) -> Discovery:
    """Feeds of ``site_url``'s page (``<link rel="alternate">``) and the ``Sitemap:`` lines of its robots.txt."""
    errors = []
    feeds: list[str] = []
    try:
        page = await client.fetch(site_url)
        feeds = discover_feeds(page.content, page.final_url or site_url)
    except NabaError as exc:
        errors.append(f"page: {exc.message}")
    try:
        sitemaps = await client.robots_sitemaps(site_url)
    except NabaError as exc:
        sitemaps = []
        errors.append(f"robots.txt: {exc.message}")
    # News sitemaps first: a site's full sitemap lists every page it ever had.
    ranked = sorted(dict.fromkeys(sitemaps), key=lambda u: "news" not in u.lower())
    return Discovery(site_url, tuple(feeds), tuple(ranked), "; ".join(errors) or None)
