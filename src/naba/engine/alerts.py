"""Alerts: webhooks fired by ``ingest`` and ``watch`` as matching articles arrive (issue-level contract in the
README's "API" section).

Two steps, both safe to interrupt at any point:

1. :func:`collect` turns what is new into deliveries. A webhook following a saved search asks the search index
   for the saved query restricted to the articles indexed since its watermark (``change_seq``), and enqueues
   one delivery per :data:`ARTICLES_PER_DELIVERY` matches; a webhook for big stories enqueues one delivery per
   story of the latest day that has reached its ``min_outlets``. Each delivery has an idempotency key
   derived from what it is about (the webhook, the watermark range and part, or the story), inserted in the
   same transaction that moves the watermark, and only if the watermark is still the one the deliveries were
   computed from: running ``collect`` twice, again after a crash, or in two processes at once (several
   ``naba watch`` workers on PostgreSQL), adds nothing twice.
2. :func:`deliver` POSTs the due deliveries, signed, one at a time, and records each outcome in its own
   transaction: a 2xx is ``delivered`` (never sent again), a 5xx, 408, 429, timeout or failed connection is
   retried with exponential backoff until ``webhook_max_attempts``, anything else (3xx, other 4xx, a target the
   SSRF guard refuses) fails at once. A process killed mid-POST sends that one delivery again, with the same
   idempotency key: at-least-once, and the key lets the receiver drop the repeat. One process at a time
   sends (:func:`sender_lease`); another that fires meanwhile only collects.

Signature: header ``X-Naba-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is HMAC-SHA256 of
``f"{t}.{body}"`` (the raw body bytes) under the webhook's secret; ``X-Naba-Idempotency-Key`` carries the key.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol
from urllib.parse import quote

from naba.engine.naba import Naba
from naba.engine.records import article_brief, to_json
from naba.engine.views import latest_day_start, story_briefs
from naba.errors import ConfigError, FetchError, NabaError
from naba.sources.http import FetchPolicy, HttpClient
from naba.store.access import AccessStore, Delivery, Webhook
from naba.store.backends import lease_for
from naba.store.base import ArticleLog, UnderstandingReader
from naba.store.leases import ExclusiveLease
from naba.types import ArticleId, SearchQuery, SearchResults

log = logging.getLogger(__name__)

SIGNATURE_HEADER: Final = "X-Naba-Signature"
IDEMPOTENCY_HEADER: Final = "X-Naba-Idempotency-Key"
EVENT_HEADER: Final = "X-Naba-Event"
ARTICLES_PER_DELIVERY: Final = 50
# New articles asked of the index per query (a term set on the id field).
IDS_PER_QUERY: Final = 1000
STORIES_SCANNED: Final = 500
MAX_BACKOFF_SECONDS: Final = 3600.0
RETRY_STATUSES: Final = frozenset({408, 429}) | frozenset(range(500, 600))
# Printable ASCII an idempotency key keeps as it is (everything a URL holds unescaped, and "%").
KEY_SAFE: Final = "!#$%&'()*+,-./:;=?@[]_~"


class AlertStore(ArticleLog, UnderstandingReader, Protocol):
    """What :func:`collect` reads of the articles and the understanding."""


def header_safe(text: str) -> str:
    """``text`` fit for an HTTP header (the idempotency key carries a story id, which is a URL that may hold
    Arabic): non-ASCII and the characters no URL holds raw are percent-encoded; an ASCII URL stays as it is,
    so keys made before this stay the same."""
    return quote(text, safe=KEY_SAFE)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Naba-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, now: float, tolerance: float = 300.0) -> bool:
    """What a receiver does: recompute the signature and compare in constant time; refuse stale timestamps."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={fields.get('v1', '')}")


@dataclass(slots=True)
class AlertReport:
    enqueued: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


# -- 1. collect -------------------------------------------------------------------------------------------
def collect(
    store: AlertStore,
    access: AccessStore,
    search: Callable[[SearchQuery], SearchResults],
    indexed_upto: int,
    *,
    now: float | None = None,
) -> int:
    """Enqueue the deliveries of every enabled webhook for what arrived up to ``indexed_upto`` (the search
    index's watermark: articles not yet searchable are left for the next call). Returns how many were new."""
    at = time.time() if now is None else now
    added = 0
    for hook in access.webhooks():
        if not hook.enabled:
            continue
        if hook.saved_search is not None:
            added += _collect_search(store, access, search, hook, indexed_upto, at)
        elif hook.min_outlets is not None:
            added += _collect_stories(store, access, hook, at)
    return added


def _collect_search(
    store: AlertStore,
    access: AccessStore,
    search: Callable[[SearchQuery], SearchResults],
    hook: Webhook,
    upto: int,
    at: float,
) -> int:
    if hook.watermark >= upto or hook.saved_search is None:
        return 0
    saved = access.saved_search(hook.saved_search)
    if saved is None:
        return 0
    new = [s.article.id for s in store.iter_articles(since_seq=hook.watermark) if s.change_seq <= upto]
    matched: list[ArticleId] = []
    for start in range(0, len(new), IDS_PER_QUERY):
        chunk = tuple(new[start : start + IDS_PER_QUERY])
        query = SearchQuery(
            saved.query,
            saved.sources,
            saved.date_from,
            saved.date_to,
            limit=len(chunk),
            sort="date",
            ids=chunk,
        )
        matched += [hit.article.id for hit in search(query).hits]
    found = store.get_many(matched)
    briefs = [article_brief(found[i].article) for i in matched if i in found]
    deliveries = []
    for part, start in enumerate(range(0, len(briefs), ARTICLES_PER_DELIVERY)):
        key = f"webhook-{hook.id}:articles:{hook.watermark}-{upto}:{part}"
        payload = {
            "event": "articles.matched",
            "idempotency_key": key,
            "webhook": hook.id,
            "saved_search": to_json(saved),
            "articles": to_json(briefs[start : start + ARTICLES_PER_DELIVERY]),
        }
        deliveries.append((key, json.dumps(payload, ensure_ascii=False, separators=(",", ":"))))
    return access.enqueue_deliveries(hook.id, upto, deliveries, at, since=hook.watermark)


def _collect_stories(store: AlertStore, access: AccessStore, hook: Webhook, at: float) -> int:
    assert hook.min_outlets is not None
    deliveries = []
    big = [
        s
        for s in store.stories(STORIES_SCANNED, since=latest_day_start(store))
        if len(s.outlets) >= hook.min_outlets
    ]
    for story, brief in zip(big, story_briefs(store, big), strict=True):
        key = f"webhook-{hook.id}:story:{header_safe(story.id)}"
        payload = {
            "event": "story.outlets",
            "idempotency_key": key,
            "webhook": hook.id,
            "min_outlets": hook.min_outlets,
            "story": to_json(brief),
        }
        deliveries.append((key, json.dumps(payload, ensure_ascii=False, separators=(",", ":"))))
    return access.enqueue_deliveries(hook.id, None, deliveries, at)


# -- 2. deliver -------------------------------------------------------------------------------------------
def webhook_policy(settings: Any) -> FetchPolicy:
    """The fetch policy of webhook POSTs: the SSRF guard per ``webhook_allow_private_addresses``, one
    ``webhook_timeout`` for the whole exchange, no retries inside (:func:`deliver` owns them)."""
    return dataclasses.replace(
        FetchPolicy.from_settings(settings),
        allow_private_addresses=settings.webhook_allow_private_addresses,
        total_timeout=settings.webhook_timeout,
        read_timeout=settings.webhook_timeout,
        connect_timeout=min(settings.connect_timeout, settings.webhook_timeout),
        retries=0,
    )


def backoff(settings: Any, attempts: int) -> float:
    """Seconds before attempt ``attempts + 1``: ``webhook_backoff_seconds`` doubling, capped at an hour."""
    return float(min(settings.webhook_backoff_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


async def deliver(
    access: AccessStore,
    client: HttpClient,
    settings: Any,
    *,
    clock: Callable[[], float] = time.time,
    limit: int = 100,
) -> AlertReport:
    """POST the deliveries due now, one at a time (see the module docstring)."""
    report = AlertReport()
    hooks = {h.id: h for h in access.webhooks()}
    for delivery in access.due_deliveries(clock(), limit):
        hook = hooks.get(delivery.webhook)
        if hook is None:  # deleted since: its pending deliveries are dropped, not sent
            access.record_attempt(delivery.id, "failed", None, "webhook deleted", clock())
            report.failed += 1
            continue
        await _attempt(access, client, settings, hook, delivery, clock, report)
    return report


async def _attempt(
    access: AccessStore,
    client: HttpClient,
    settings: Any,
    hook: Webhook,
    delivery: Delivery,
    clock: Callable[[], float],
    report: AlertReport,
) -> None:
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(hook.secret, int(clock()), body),
        IDEMPOTENCY_HEADER: delivery.key,
        EVENT_HEADER: json.loads(delivery.payload).get("event", ""),
    }
    attempts = delivery.attempts + 1
    status: int | None = None
    error: str | None
    try:
        status = await client.post(hook.url, body, headers)
    except FetchError as exc:
        retry, error = exc.reason in ("timeout", "connect"), f"{exc.reason}: {exc.message}"
    else:
        retry, error = status in RETRY_STATUSES, None if 200 <= status < 300 else f"HTTP {status}"
    if error is None:
        access.record_attempt(delivery.id, "delivered", status, None, clock())
        report.delivered += 1
    elif retry and attempts < settings.webhook_max_attempts:
        access.record_attempt(delivery.id, "pending", status, error, clock() + backoff(settings, attempts))
        report.retried += 1
    else:
        log.warning("webhook %d delivery %s failed for good: %s", hook.id, delivery.key, error)
        access.record_attempt(delivery.id, "failed", status, error, clock())
        report.failed += 1


def sender_lease(settings: Any) -> ExclusiveLease:
    """The lease of the process that sends deliveries: one at a time per database, so several processes
    firing alerts (``naba watch`` workers on PostgreSQL, ``naba ingest``, ``naba alerts run``) never POST the
    same due delivery at once. A file lock beside a SQLite file, an advisory lock on PostgreSQL; the holder's
    death frees it (a delivery it had in flight is sent again by the next sender, with the same key)."""
    return lease_for(settings.db, "alerts", "webhook sender")


async def fire(
    store: AlertStore,
    access: AccessStore,
    search: Callable[[SearchQuery], SearchResults],
    indexed_upto: int,
    settings: Any,
) -> AlertReport:
    """:func:`collect` then :func:`deliver` (what ``ingest`` and ``watch`` call); nothing when no webhook."""
    if not access.webhooks():
        return AlertReport()
    enqueued = collect(store, access, search, indexed_upto)
    async with HttpClient(webhook_policy(settings)) as client:
        report = await deliver(access, client, settings)
    report.enqueued = enqueued
    return report


async def fire_for(naba: Naba) -> AlertReport:
    """The webhooks of ``naba``'s database, for what its search index holds now. An error is logged, never
    raised: an alert that cannot be sent must not fail the ingest or the watch that stored the articles (its
    delivery stays pending and is retried next time)."""
    try:
        access = naba.access
    except ConfigError:  # a store that keeps no API tables: no webhooks to fire
        return AlertReport()
    try:
        if not access.webhooks():
            return AlertReport()
        with sender_lease(naba.settings).hold(wait=False) as sending:
            if sending:
                return await fire(naba.store, access, naba.search, naba.index_seq(), naba.settings)
            # Another process is sending (a second watch worker, `naba alerts run`): enqueue what is new
            # here; that process, or the next run, sends it.
            return AlertReport(enqueued=collect(naba.store, access, naba.search, naba.index_seq()))
    except NabaError as exc:
        log.warning("alerts not sent this time: %s", exc)
        return AlertReport()


def fire_for_now(naba: Naba) -> AlertReport:
    """:func:`fire_for` from synchronous code (``naba ingest``)."""
    return asyncio.run(fire_for(naba))
