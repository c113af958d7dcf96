"""Continuous mode: poll every followed source on its own schedule until told to stop.

Contract
--------
* :func:`watch` keeps at most ``concurrency`` polls in flight. Whenever a slot is free it starts the most
  overdue source (``sources.next_poll_ts``, kept in the database, so a restart resumes where the last run
  stopped); when nothing is due it sleeps until the next source is (or until stopped).
* New articles are made searchable every :data:`INDEX_EVERY` (and when the run ends), not per poll: indexing
  commits are the expensive part of a small write.
* ``stop`` (an :class:`asyncio.Event`, set by SIGINT/SIGTERM in the CLI) ends the run cleanly: no new poll
  starts, polls in flight get :data:`STOP_GRACE` to finish and are then cancelled — a cancelled poll has
  written nothing (its source stays due), so nothing is half-stored.
* ``once=True`` polls each due source once and returns (``make demo``, cron jobs, tests).
* :func:`run_watch` is the whole ``naba watch`` run on the database of its settings: one engine, one HTTP
  client, SIGINT and SIGTERM set ``stop``.
* Several workers (PostgreSQL only): on a SQLite file one watch at a time polls (a lease file; a second one
  says who holds it and stops). On PostgreSQL any number of ``naba watch`` processes, on one machine or
  many, share the sources: each *claims* the due sources it starts (``FOR UPDATE SKIP LOCKED``, their next
  poll moved ``watch_lease`` seconds ahead, :class:`SharedSources`), so no source is polled by two workers
  at once, and a dead worker's sources fall due again when its lease runs out. A stopped worker gives back
  the claims it did not poll. Articles are upserted by id under the store's writer lock, so an item that
  two sources serve is still stored once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, cast

from naba.engine.alerts import fire_for
from naba.engine.fetch import http_client
from naba.engine.naba import Naba
from naba.engine.poll import MAX_ITEMS_PER_POLL, Poller, PollOutcome, Schedule
from naba.errors import BusyError
from naba.store.backends import display, is_postgres, lease_for
from naba.store.sources import SourceRow

log = logging.getLogger(__name__)

INDEX_EVERY: Final = 30.0  # seconds
STOP_GRACE: Final = 10.0  # seconds
# Seconds between two looks at the schedule while polls run and a slot is free.
RESCHEDULE_EVERY: Final = 1.0
# Longest sleep between two looks at the schedule (sources added by another process are noticed).
MAX_IDLE_SLEEP: Final = 60.0


class SharedSources(Protocol):
    """Sources claimed by one of several workers (see the module contract; the PostgreSQL store)."""

    def claim_due_sources(self, now: dt.datetime, limit: int, hold_seconds: float) -> list[SourceRow]: ...

    def release_claims(self, previous: dict[int, float]) -> None: ...


@dataclass
class WatchReport:
    """What one ``naba watch`` run did."""

    polls: int = 0
    ok: int = 0
    failed: int = 0
    not_modified: int = 0
    stored: int = 0
    updated: int = 0
    failed_items: int = 0
    seconds: float = 0.0
    stopped: bool = False
    cancelled: int = 0  # polls cut short by a stop (their finished chunks are stored)
    errors: dict[str, str] = field(default_factory=dict)  # source url -> last error of this run

    def add(self, outcome: PollOutcome) -> None:
        self.polls += 1
        if not outcome.ok:
            self.failed += 1
            self.errors[outcome.url] = outcome.error or "failed"
            return
        self.ok += 1
        self.not_modified += int(outcome.not_modified)
        self.stored += outcome.stored
        self.updated += outcome.updated
        self.failed_items += outcome.failed_items
        self.errors.pop(outcome.url, None)

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


async def watch(
    poller: Poller,
    *,
    concurrency: int,
    stop: asyncio.Event,
    once: bool = False,
    on_poll: Callable[[PollOutcome], None] | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    shared: SharedSources | None = None,
    lease_seconds: float = 600.0,
) -> WatchReport:
    """Poll due sources until ``stop`` is set (or, with ``once``, until every due source was polled once).

    ``shared``: claim each source before polling it (several workers on one database, see the contract)."""
    started = time.monotonic()
    report = WatchReport()
    store = poller.naba.store
    running: dict[asyncio.Task[PollOutcome], int] = {}
    polled: set[int] = set()
    claimed: dict[int, float] = {}  # source id -> its next poll before this worker claimed it
    last_index = time.monotonic()
    stopper: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            free = max(0, concurrency - len(running))
            busy = set(running.values()) | polled
            if shared is None:
                due = [s for s in store.due_sources(now(), free + len(busy)) if s.id not in busy][:free]
            else:
                due = shared.claim_due_sources(now(), free, lease_seconds) if free else []
                claimed.update((s.id, s.next_poll_ts) for s in due)
            for source in due:
                running[asyncio.create_task(poller.poll(source), name=source.url)] = source.id
                if once:
                    polled.add(source.id)
            if not running:
                if once:
                    break
                await _sleep_until_due(store.next_due(), stop, now)
                continue
            waiting: list[asyncio.Future[Any]] = [*running, stopper]
            # With a free slot, look at the schedule again soon: one slow poll must not hold back the
            # sources that fall due meanwhile.
            timeout = RESCHEDULE_EVERY if len(running) < concurrency and not once else None
            done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for task in list(running):
                if task in done:
                    claimed.pop(running[task], None)
                    _collect(task, running.pop(task), poller, report, on_poll)
            if time.monotonic() - last_index >= INDEX_EVERY:
                # Another process holding the index writer catches these rows up; the final sync waits.
                poller.naba.sync_index(wait=False)
                await fire_for(poller.naba)  # webhooks, for what is searchable now
                last_index = time.monotonic()
        report.stopped = stop.is_set()
        unfinished = await _finish(running, poller, report, on_poll)
        if shared is not None:  # polls cut short wrote nothing: their sources are due again at once
            shared.release_claims({i: claimed[i] for i in unfinished if i in claimed})
    finally:
        stopper.cancel()
        for task in running:
            task.cancel()
        poller.naba.sync_index()
        await fire_for(poller.naba)
        report.seconds = round(time.monotonic() - started, 2)
    return report


def _collect(
    task: asyncio.Task[PollOutcome],
    source_id: int,
    poller: Poller,
    report: WatchReport,
    on_poll: Callable[[PollOutcome], None] | None,
) -> None:
    if task.cancelled():
        report.cancelled += 1
        return
    exc = task.exception()
    if exc is not None:
        # A bug (or a locked database) in one poll must not end the watch: it is logged with its traceback
        # and recorded on the source as a failed poll, so the source is backed off like any failure.
        log.error("poll of %s crashed", task.get_name(), exc_info=exc)
        error = f"{type(exc).__name__}: {exc}"
        report.polls += 1
        report.failed += 1
        report.errors[task.get_name()] = error
        with contextlib.suppress(Exception):  # the store itself may be what failed
            poller.crashed(source_id, error)
        return
    outcome = task.result()
    report.add(outcome)
    if on_poll is not None:
        on_poll(outcome)


async def _finish(
    running: dict[asyncio.Task[PollOutcome], int],
    poller: Poller,
    report: WatchReport,
    on_poll: Callable[[PollOutcome], None] | None,
) -> list[int]:
    """Let the polls in flight finish (for :data:`STOP_GRACE`); returns the sources of those cancelled."""
    if not running:
        return []
    _, pending = await asyncio.wait(list(running), timeout=STOP_GRACE)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)
    cancelled = [source_id for task, source_id in running.items() if task.cancelled()]
    for task, source_id in running.items():
        _collect(task, source_id, poller, report, on_poll)
    running.clear()
    return cancelled


async def _sleep_until_due(
    next_due: dt.datetime | None, stop: asyncio.Event, now: Callable[[], dt.datetime]
) -> None:
    wait = MAX_IDLE_SLEEP if next_due is None else (next_due - now()).total_seconds()
    wait = max(0.05, min(MAX_IDLE_SLEEP, wait))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=wait)


def run_watch(
    settings: Any,
    *,
    once: bool,
    concurrency: int | None = None,
    max_items: int | None = None,
    on_poll: Callable[[PollOutcome], None] | None = None,
) -> WatchReport:
    """Poll the followed sources of the database of ``settings`` (see :func:`watch`) until SIGINT or SIGTERM,
    or, with ``once``, until each due source was polled once. ``concurrency`` and ``max_items`` default to the
    settings and :data:`~naba.engine.poll.MAX_ITEMS_PER_POLL`."""

    # On SQLite two watches would poll the same sources at once: the second says so and stops. On PostgreSQL
    # the workers share the sources by claiming each before polling it.
    shared = is_postgres(settings.db)
    lease = lease_for(settings.db, "watch", "watch of this database")
    if not shared and not lease.try_acquire():
        raise BusyError(
            f"another naba watch is polling {display(settings.db)} ({lease.holder()}); stop it first"
        )

    async def main() -> WatchReport:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        with Naba.open(settings) as naba:
            async with http_client(settings) as client:
                schedule = Schedule(settings.watch_min_interval, settings.watch_max_interval)
                poller = Poller(naba, client, schedule, max_items=max_items or MAX_ITEMS_PER_POLL)
                return await watch(
                    poller,
                    concurrency=concurrency or settings.watch_concurrency,
                    stop=stop,
                    once=once,
                    on_poll=on_poll,
                    shared=cast(SharedSources, naba.store) if shared else None,
                    lease_seconds=settings.watch_lease,
                )

    try:
        return asyncio.run(main())
    finally:
        lease.release()
