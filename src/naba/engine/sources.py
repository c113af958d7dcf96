"""The followed sources of a database (``naba sources …``): follow and unfollow, OPML in and out, health,
checking that each source works, and discovering a site's feeds.

The rows live in the store (:mod:`naba.store.sources`); the fetching is the sources stage's
(:mod:`naba.sources.opml`, :mod:`naba.sources.check`); this module composes the two. Every function opens
the database of its ``settings`` itself and closes it before returning.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from naba.engine.fetch import http_client
from naba.engine.naba import Naba
from naba.errors import InputError
from naba.sources.check import CheckResult, Discovery, check_source, discover_site
from naba.sources.opml import default_sources, read_opml, write_opml
from naba.store.sources import SourceRow
from naba.types import SourceSpec


def _open(settings: Any) -> Naba:
    return Naba.open(settings, sync_index=False)


def add_sources(settings: Any, specs: Iterable[SourceSpec]) -> tuple[int, int]:
    """Follow ``specs``; returns (added, already followed)."""
    with _open(settings) as naba:
        return naba.store.add_sources(specs)


def import_sources(settings: Any, opml: Path | None) -> tuple[int, int]:
    """Follow the feeds of an OPML file, or naba's default Arabic sources; returns (added, already followed)."""
    specs = read_opml(opml.read_bytes()) if opml is not None else default_sources()
    bad = [s.url for s in specs if not s.url.startswith(("http://", "https://"))]
    if bad:
        raise InputError(
            f"{len(bad)} outline(s) without an http(s) feed URL, e.g. {bad[0]!r}", location=str(opml)
        )
    return add_sources(settings, specs)


def export_sources(settings: Any) -> bytes:
    """The followed sources as OPML."""
    with _open(settings) as naba:
        return write_opml([row.spec() for row in naba.store.list_sources()])


def followed_sources(settings: Any, *, enabled_only: bool = False) -> list[SourceRow]:
    with _open(settings) as naba:
        return naba.store.list_sources(enabled_only=enabled_only)


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """Every followed source, and how many of its items failed (``naba sources``)."""

    rows: list[SourceRow]
    failed_items: dict[int, int]


def source_health(settings: Any) -> SourceHealth:
    with _open(settings) as naba:
        return SourceHealth(naba.store.list_sources(), naba.store.failed_item_counts())


def remove_sources(settings: Any, ids: Sequence[int]) -> list[int]:
    """Stop following sources by id (their articles stay); returns the ids that were not followed."""
    with _open(settings) as naba:
        return [i for i in ids if not naba.store.remove_source(i)]


def set_sources_enabled(settings: Any, ids: Sequence[int], enabled: bool) -> list[int]:
    """Enable or disable polling of sources by id; returns the unknown ids, and then changes nothing."""
    with _open(settings) as naba:
        missing = [i for i in ids if naba.store.get_source(i) is None]
        if not missing:
            for source_id in ids:
                naba.store.set_source_enabled(source_id, enabled)
        return missing


async def check_sources(settings: Any) -> list[dict[str, Any]]:
    """Fetch every enabled source once (see :mod:`naba.sources.check`): mark those that work as verified,
    switch the others to a working feed of their site, and disable an entry whose site's feed is followed
    already. Returns one result per source."""
    results = []
    with _open(settings) as naba:
        async with http_client(settings) as client:
            gate = asyncio.Semaphore(settings.watch_concurrency)

            async def check_one(source: SourceRow) -> CheckResult:
                async with gate:
                    return await check_source(client, source)

            sources = naba.store.list_sources(enabled_only=True)
            checks = await asyncio.gather(*(check_one(s) for s in sources))
            for check in checks:
                duplicate = naba.store.source_by_url(check.new_url) if check.new_url else None
                if duplicate is not None:
                    # The feed its site announces is followed already: this entry is a dead duplicate.
                    naba.store.set_source_enabled(check.source_id, False)
                    naba.store.set_source_verified(check.source_id, False)
                    results.append(
                        check.as_dict() | {"verified": False, "disabled": f"duplicate of {duplicate.id}"}
                    )
                    continue
                naba.store.set_source_verified(check.source_id, check.verified, url=check.new_url)
                results.append(check.as_dict())
    return results


@dataclass(frozen=True, slots=True)
class SiteSources:
    """What a site announces, and (with ``follow``) how many of the chosen sources were added."""

    found: Discovery
    added: int = 0
    already_followed: int = 0


def discover_sources(settings: Any, site: str, *, follow: bool) -> SiteSources:
    """Find a site's feeds and sitemaps; with ``follow``, follow its first feed and its news sitemaps."""

    async def run() -> Discovery:
        async with http_client(settings) as client:
            return await discover_site(client, site)

    found = asyncio.run(run())
    chosen = [SourceSpec(found.feeds[0], "feed", site_url=site)] if found.feeds else []
    chosen += [SourceSpec(u, "sitemap", site_url=site) for u in found.sitemaps if "news" in u.lower()]
    if not (follow and chosen):
        return SiteSources(found)
    added, known = add_sources(settings, chosen)
    return SiteSources(found, added, known)
