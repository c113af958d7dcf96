"""Leases on PostgreSQL: session advisory locks, for processes on one machine or many.

A :class:`PgLease` is the PostgreSQL twin of :class:`naba.store.leases.Lease` (same methods): it holds
``pg_try_advisory_lock(key)`` on a connection of its own, opened for the lease. The server drops the lock when
that session ends, so a holder killed however it dies (SIGKILL, a lost machine) frees it: a killed process's
socket closes at once; a machine that vanishes is noticed by TCP keepalives (set on the session, about a
minute). Messages name the holder from ``pg_stat_activity`` (its ``application_name`` carries pid and host).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from naba.errors import BusyError, StoreError
from naba.store.urls import display as redact

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.2
_NOTICE_SECONDS = 10.0


def lock_key(name: str) -> int:
    """The signed 64-bit advisory lock key of a lease name."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def application_name(role: str) -> str:
    return f"naba {role} pid {os.getpid()} on {socket.gethostname()}"[:63]


class PgLease:
    """An exclusive lease named ``name`` on the database at ``url`` (``what`` is for messages)."""

    def __init__(self, url: str, name: str, what: str) -> None:
        self.url = url
        self.name = name
        self.what = what
        self.key = lock_key(name)
        self._conn: psycopg.Connection[Any] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            return True
        try:
            conn = psycopg.connect(self.url, autocommit=True, application_name=application_name(self.what))
            # A holder whose machine disappears without closing its socket is noticed in about a minute.
            conn.execute("SET tcp_keepalives_idle = 30")
            conn.execute("SET tcp_keepalives_interval = 10")
            conn.execute("SET tcp_keepalives_count = 3")
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"cannot take the {self.what} lease on {redact(self.url)}: {exc}") from exc
        if not (row and row[0]):
            conn.close()
            return False
        self._conn = conn
        return True

    def acquire(self, timeout: float | None = None) -> None:
        started = time.monotonic()
        noticed: float | None = None
        while not self.try_acquire():
            waited = time.monotonic() - started
            if timeout is not None and waited >= timeout:
                raise BusyError(f"the {self.what} is still busy ({self.holder()}) after {waited:.0f} s")
            if noticed is None or waited - noticed >= _NOTICE_SECONDS:
                noticed = waited
                log.warning("waiting for the %s: %s (%.0f s)", self.what, self.holder(), waited)
            time.sleep(_POLL_SECONDS)

    def release(self) -> None:
        if self._conn is not None:
            # If this fails, the session ends below and the server drops the lock with it.
            with contextlib.suppress(psycopg.Error):
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
            self._conn.close()
            self._conn = None

    def holder(self) -> str:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                row = conn.execute(
                    "SELECT a.application_name, a.client_addr::text FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                    "AND l.classid::bigint = %s AND l.objid::bigint = %s AND l.objsubid = 1",
                    ((self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF),
                ).fetchone()
        except psycopg.Error:
            row = None
        if not row:
            return "held by another process"
        return f"held by {row[0] or 'a session'}" + (f" from {row[1]}" if row[1] else "")

    @contextmanager
    def hold(self, *, wait: bool = True) -> Iterator[bool]:
        if wait:
            self.acquire()
        elif not self.try_acquire():
            yield False
            return
        try:
            yield True
        finally:
            self.release()
