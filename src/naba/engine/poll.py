"""One poll of one source: fetch its feed or sitemap, turn new and changed items into articles, store them.

Contract
--------
* :meth:`Poller.poll` fetches the source with its ETag / Last-Modified (a 304 costs nothing), parses it
  (:mod:`naba.sources.feeds` or :mod:`naba.sources.sitemaps`) and looks up which items it has served
  before (``source_items``: item key = GUID, else link). An item is processed when it is new, when its
  content changed (an edited headline or a new slug keeps the article id it had), or when it failed before
  and has attempts left. Items with the full text become articles directly; the others have their page
  fetched and extracted (:func:`naba.sources.pages.fetch_article`).
* Articles go through :meth:`naba.engine.naba.Naba.ingest_items` (idempotent by article id: an article served by
  two feeds, or re-served after a crash, is stored once). Only then are the items and the source's new state
  (ETag, next poll, failures, last error) written, in one transaction: a process killed mid-poll leaves the
  source due and the next poll redoes the work without making a second copy of anything.
* A failed poll (:class:`naba.errors.FetchError`, a document that is not a feed) is recorded on the
  source (``failures``, ``last_error``, ``last_status``) and its next poll is backed off
  (:func:`next_interval`); a failed item is recorded on the item and retried on later polls.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from naba.engine.naba import Naba
from naba.errors import FetchError, NabaError
from naba.sources.feeds import FeedEntry, entry_article, parse_feed
from naba.sources.http import FetchResult, HttpClient
from naba.sources.pages import fetch_article
from naba.sources.sitemaps import Sitemap, SitemapUrl, parse_sitemap, recent
from naba.store.sources import ITEM_FAILED, ITEM_STORED, PollRecord, SourceItem, SourceRow
from naba.types import Article, ArticleId, InputItem

log = logging.getLogger(__name__)

FEED_ACCEPT: Final = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
# A failed item (page fetch or extraction) is retried on this many polls, then left recorded as failed.
# Polls of a source whose items fail come at its normal interval (the feed itself works), so 8 attempts
# outlast an article server's outage of an hour or more even on a busy source.
ITEM_ATTEMPTS: Final = 8
# Items processed and stored together: a poll stopped (or killed) midway keeps the chunks it finished.
ITEM_CHUNK: Final = 16
# Items processed per poll: a feed that suddenly lists thousands of links cannot stall the loop; the rest
# are picked up on the next polls (they stay new until processed).
MAX_ITEMS_PER_POLL: Final = 200
# Article pages fetched at once for one poll (the client still spaces requests per host).
PAGE_CONCURRENCY: Final = 4
# Sitemaps: only URLs published (or modified) this recently are followed, from at most this many child
# sitemaps of an index (the most recently modified first).
SITEMAP_RECENT: Final = dt.timedelta(days=2)
MAX_CHILD_SITEMAPS: Final = 3
# Spread of next-poll times around the interval (sources added together do not poll in lockstep).
SCHEDULE_JITTER: Final = 0.1
# A date further in the future than this is a publisher's clock or time-zone error: it is replaced by the
# time the item was fetched, so the article does not sit on top of every list until that date.
FUTURE_SKEW: Final = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Adaptive polling: faster for sources that update often, backing off on failures."""

    min_interval: float
    max_interval: float

    def first(self) -> float:
        return min(self.max_interval, 2 * self.min_interval)

    def next_interval(self, previous: float | None, *, ok: bool, new_items: int) -> float:
        """Halve the interval after a poll with new items, grow it by half after one without, double it
        after a failure; always within [min_interval, max_interval]."""
        interval = previous if previous else self.first()
        if not ok:
            interval *= 2.0
        elif new_items:
            interval *= 0.5
        else:
            interval *= 1.5
        return max(self.min_interval, min(self.max_interval, interval))

    def due(self, at: dt.datetime, interval: float) -> dt.datetime:
        """The next poll time: ``interval`` from ``at``, give or take 10% so sources drift out of step."""
        return at + dt.timedelta(
            seconds=interval * random.uniform(1.0 - SCHEDULE_JITTER, 1.0 + SCHEDULE_JITTER)
        )


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What one poll did (one line of ``naba watch --json``)."""

    source_id: int
    url: str
    ok: bool
    not_modified: bool = False
    status: int | None = None
    items: int = 0
    processed: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    failed_items: int = 0
    error: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class _Item:
    """One item to consider: from a feed entry or a sitemap URL."""

    key: str
    link: str | None
    entry_hash: str
    entry: FeedEntry | None = None


@dataclass
class _Tally:
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    retry_left: bool = False


@dataclass(frozen=True, slots=True)
class _Done:
    item: _Item
    article: Article | None
    error: str | None = None


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:32]


def _feed_items(entries: Sequence[FeedEntry]) -> list[_Item]:
    # The hash leaves the date out: many CMSs stamp every item's pubDate with the time of the request,
    # which would make every poll refetch every page.
    return [
        _Item(e.key(), e.link, _hash(e.title, e.link, e.content_html or e.summary_html), e) for e in entries
    ]


def _sitemap_items(urls: Sequence[SitemapUrl]) -> list[_Item]:
    return [_Item(u.loc, u.loc, _hash(u.loc, u.news_title, u.lastmod or u.news_published)) for u in urls]


def _message(exc: Exception) -> str:
    """An error without the URL it is recorded against (the source row or item row already says it)."""
    return exc.message if isinstance(exc, NabaError) else f"{type(exc).__name__}: {exc}"


def _clamp_future(article: Article, fetched_at: dt.datetime) -> Article:
    published = article.published
    if isinstance(published, dt.datetime) and published > fetched_at + FUTURE_SKEW:
        log.info(
            "%s: published %s is in the future; using the fetch time", article.url, published.isoformat()
        )
        return dataclasses.replace(article, published=fetched_at)
    return article


class Poller:
    """Polls sources into one :class:`Naba` through one :class:`HttpClient` (see the module contract)."""

    def __init__(
        self,
        naba: Naba,
        client: HttpClient,
        schedule: Schedule,
        *,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        max_items: int = MAX_ITEMS_PER_POLL,
    ) -> None:
        self.naba = naba
        self.client = client
        self.schedule = schedule
        self._now = now
        self.max_items = max_items

    async def poll(self, source: SourceRow) -> PollOutcome:
        started = time.monotonic()
        at = self._now()
        # Conditional GET for feeds only: a sitemap index can stay unchanged while its children change.
        conditional = source.kind != "sitemap"
        try:
            result = await self.client.fetch(
                source.url,
                etag=source.etag if conditional else None,
                last_modified=source.last_modified if conditional else None,
                accept=FEED_ACCEPT,
            )
        except FetchError as exc:
            return self._failed(source, at, exc.message, exc.status, started, exc.retry_after)
        if result.not_modified:
            self._record(source, at, result, new_items=0, validators=(source.etag, source.last_modified))
            return PollOutcome(source.id, source.url, True, True, result.status, seconds=self._since(started))
        try:
            items = await self._items(source, result, at)
        except (NabaError, ValueError) as exc:
            return self._failed(source, at, _message(exc), result.status, started)
        return await self._process(source, at, result, items, started)

    def crashed(self, source_id: int, error: str) -> None:
        """Record a poll that raised an unexpected error, so the source is backed off like any failure."""
        source = self.naba.store.get_source(source_id)
        if source is not None:
            self._failed(source, self._now(), f"internal error: {error}", None, time.monotonic())

    # -- reading the source ---------------------------------------------------------------------------
    async def _items(self, source: SourceRow, result: FetchResult, at: dt.datetime) -> list[_Item]:
        if source.kind == "sitemap":
            return _sitemap_items(await self._sitemap_urls(result, at))
        feed = parse_feed(result.content, url=result.final_url, content_type=result.content_type)
        for warning in feed.warnings:
            log.info("%s: %s", source.url, warning)
        return _feed_items(feed.entries)

    async def _sitemap_urls(self, result: FetchResult, at: dt.datetime) -> list[SitemapUrl]:
        sitemap: Sitemap = parse_sitemap(result.content, url=result.final_url)
        urls = list(sitemap.urls)
        # The most recently modified children first (undated ones after): news lives in the newest.
        children = recent(sitemap.index_entries, at - SITEMAP_RECENT) or list(sitemap.index_entries)
        children.sort(key=lambda u: (u.lastmod is None, -(u.lastmod.timestamp() if u.lastmod else 0.0)))
        for child in [c.loc for c in children][:MAX_CHILD_SITEMAPS]:
            try:
                fetched = await self.client.fetch(child)
                urls.extend(parse_sitemap(fetched.content, url=fetched.final_url).urls)
            except (NabaError, ValueError) as exc:
                log.warning("%s: child sitemap skipped: %s", child, exc)
        return recent(urls, at - SITEMAP_RECENT)

    # -- items ----------------------------------------------------------------------------------------
    async def _process(
        self, source: SourceRow, at: dt.datetime, result: FetchResult, items: list[_Item], started: float
    ) -> PollOutcome:
        known = self.naba.store.source_items(source.id, [i.key for i in items])
        due = [i for i in items if self._due(i, known.get(i.key))]
        todo = due[: self.max_items]
        outcome = _Tally()
        for start in range(0, len(todo), ITEM_CHUNK):
            await self._process_chunk(source, todo[start : start + ITEM_CHUNK], known, at, outcome)
        # Validators are kept only when nothing is left to do: a 304 next time must not hide items left over
        # (beyond max_items) or failed items that still have attempts.
        pending = len(due) > len(todo) or outcome.retry_left
        validators = (None, None) if pending else (result.etag, result.last_modified)
        self._record(source, at, result, new_items=outcome.stored, validators=validators, seen=len(items))
        return PollOutcome(
            source.id,
            source.url,
            True,
            status=result.status,
            items=len(items),
            processed=len(todo),
            stored=outcome.stored,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
            failed_items=outcome.failed,
            seconds=self._since(started),
        )

    async def _process_chunk(
        self,
        source: SourceRow,
        chunk: list[_Item],
        known: dict[str, SourceItem],
        at: dt.datetime,
        tally: _Tally,
    ) -> None:
        """Read, store and record one chunk of items (so a stopped poll keeps what it finished)."""
        gate = asyncio.Semaphore(PAGE_CONCURRENCY)

        async def one(item: _Item) -> _Done:
            async with gate:
                return await self._article(source, item, known.get(item.key), at)

        done = await asyncio.gather(*(one(i) for i in chunk))
        report = self.naba.ingest_items(
            [InputItem(d.article.url or d.item.key, (d.article,)) for d in done if d.article is not None],
            index=False,  # the watch loop indexes every INDEX_EVERY seconds, not per chunk
        )
        records = [self._item_record(source, d, known.get(d.item.key)) for d in done]
        self.naba.store.record_items(records)
        tally.stored += report.stored
        tally.updated += report.updated
        tally.unchanged += report.unchanged
        tally.failed += sum(1 for r in records if r.status == ITEM_FAILED)
        tally.retry_left = tally.retry_left or any(
            r.status == ITEM_FAILED and r.attempts < ITEM_ATTEMPTS for r in records
        )

    @staticmethod
    def _due(item: _Item, known: SourceItem | None) -> bool:
        if known is None:
            return True
        if known.status == ITEM_FAILED:
            return known.attempts < ITEM_ATTEMPTS or known.entry_hash != item.entry_hash
        return known.entry_hash != item.entry_hash

    async def _article(
        self, source: SourceRow, item: _Item, known: SourceItem | None, at: dt.datetime
    ) -> _Done:
        try:
            article = await self._read_article(source, item, at)
        except (NabaError, ValueError) as exc:
            log.info("%s: item %s failed: %s", source.url, item.link or item.key, exc)
            return _Done(item, None, _message(exc))
        except Exception as exc:  # an extractor bug on one hostile page must not fail the whole poll
            log.exception("%s: item %s crashed the extraction", source.url, item.link or item.key)
            return _Done(item, None, f"internal error: {type(exc).__name__}: {exc}")
        article = _clamp_future(article, at)
        if source.publisher:
            # One name per source for the reader's facets, whatever og:site_name a page states.
            article = dataclasses.replace(article, publisher=source.publisher)
        same_as = self._same_article(source, item, known)
        if same_as is not None and same_as != article.id:
            # The publisher edited the item (new headline, new slug): it stays the article it was.
            article = dataclasses.replace(article, id=same_as)
        return _Done(item, article)

    async def _read_article(self, source: SourceRow, item: _Item, at: dt.datetime) -> Article:
        entry = item.entry
        if entry is not None and entry.has_full_content:
            article = entry_article(entry, feed_url=source.url, publisher=source.publisher, fetched_at=at)
            if article is not None:
                return article
        if not item.link:
            raise ValueError("item has neither full text nor a link")
        article = await fetch_article(self.client, item.link)
        if entry is not None and article.published is None and entry.published is not None:
            article = dataclasses.replace(article, published=entry.published)
        return article

    def _same_article(self, source: SourceRow, item: _Item, known: SourceItem | None) -> ArticleId | None:
        if known is not None and known.article_id is not None:
            return known.article_id
        if item.link:
            by_link = self.naba.store.source_item_by_link(source.id, item.link)
            if by_link is not None:
                return by_link.article_id
        return None

    @staticmethod
    def _item_record(source: SourceRow, done: _Done, known: SourceItem | None) -> SourceItem:
        item = done.item
        if done.article is not None:
            return SourceItem(
                source.id, item.key, item.link, done.article.id, item.entry_hash, ITEM_STORED, None, 1
            )
        attempts = (known.attempts + 1) if known is not None and known.status == ITEM_FAILED else 1
        return SourceItem(
            source.id, item.key, item.link, None, item.entry_hash, ITEM_FAILED, done.error, attempts
        )

    # -- bookkeeping ----------------------------------------------------------------------------------
    def _failed(
        self,
        source: SourceRow,
        at: dt.datetime,
        error: str,
        status: int | None,
        started: float,
        retry_after: float | None = None,
    ) -> PollOutcome:
        log.info("%s: poll failed: %s", source.url, error)
        interval = self.schedule.next_interval(source.interval_s, ok=False, new_items=0)
        # A server's Retry-After beyond our own backoff wins (it is a floor: no jitter below it).
        next_poll = max(self.schedule.due(at, interval), at + dt.timedelta(seconds=retry_after or 0.0))
        record = PollRecord(source.id, at, False, next_poll, interval, status=status, error=error)
        # The failure lives on the source row (`naba sources`), not in the failures table: a source that
        # stays down for a week would otherwise add a row per poll.
        self.naba.store.record_poll(record, [])
        return PollOutcome(
            source.id, source.url, False, status=status, error=error, seconds=self._since(started)
        )

    def _record(
        self,
        source: SourceRow,
        at: dt.datetime,
        result: FetchResult,
        *,
        new_items: int,
        validators: tuple[str | None, str | None],
        seen: int = 0,
    ) -> None:
        previous = None if source.failures else source.interval_s  # back to a brisk pace after an outage
        interval = self.schedule.next_interval(previous, ok=True, new_items=new_items)
        record = PollRecord(
            source.id,
            at,
            True,
            self.schedule.due(at, interval),
            interval,
            status=result.status,
            etag=validators[0],
            last_modified=validators[1],
            items_seen=seen,
            articles_stored=new_items,
        )
        self.naba.store.record_poll(record, [])

    @staticmethod
    def _since(started: float) -> float:
        return round(time.monotonic() - started, 3)
