"""Leases between processes that share one database: who writes the search index, who runs understand.

A lease is an exclusive ``flock`` on a small file beside the database. The kernel drops it when its holder
exits, however it exits (SIGKILL included), so a crash never leaves a stale lock for a person to delete.
The file holds the holder's pid, only to name it in messages.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from naba.errors import BusyError, StoreError

log = logging.getLogger(__name__)

# How often a waiting process tries again, and says again that it waits.
_POLL_SECONDS = 0.2
_NOTICE_SECONDS = 10.0


class ExclusiveLease(Protocol):
    """A lease one process at a time holds: :class:`Lease` (a file), or the PostgreSQL store's advisory lock
    (:class:`naba.store.postgres.leases.PgLease`)."""

    what: str

    @property
    def held(self) -> bool: ...

    def try_acquire(self) -> bool: ...

    def acquire(self, timeout: float | None = None) -> None: ...

    def release(self) -> None: ...

    def holder(self) -> str: ...

    def hold(self, *, wait: bool = True) -> AbstractContextManager[bool]: ...


class Lease:
    """An exclusive, crash-safe lease named ``what`` (for messages) on the file ``path``."""

    def __init__(self, path: str | Path, what: str) -> None:
        self.path = Path(path)
        self.what = what
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lease if it is free; False when another process holds it."""
        if self._fd is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open the {self.what} lease {self.path}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def acquire(self, timeout: float | None = None) -> None:
        """Wait for the lease, logging who holds it; :class:`BusyError` after ``timeout`` seconds."""
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
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def holder(self) -> str:
        try:
            pid = self.path.read_text().strip()
        except OSError:
            pid = ""
        return f"held by process {pid}" if pid else "held by another process"

    @contextmanager
    def hold(self, *, wait: bool = True) -> Iterator[bool]:
        """Hold the lease for a block; with ``wait=False`` the block gets False when it is taken."""
        if wait:
            self.acquire()
        elif not self.try_acquire():
            yield False
            return
        try:
            yield True
        finally:
            self.release()
