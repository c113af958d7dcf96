"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temporary folder on a free port.

Tests never assume a running server. :func:`start` finds the server binaries (``NABA_PG_BINDIR``, else
``/usr/lib/postgresql/<newest>/bin``, else ``PATH``), creates a cluster that trusts local connections, and
starts it on a free loopback port with its socket in the same folder. ``initdb`` refuses to run as root, so
as root the cluster is owned by and run as the ``postgres`` user (``runuser -u postgres --``).

When the binaries are missing :func:`start` raises :class:`Unavailable` with the reason; the fixture turns that
into a skip with the reason printed locally and a failure under ``CI=true`` (``.ci/run`` installs Debian's
``postgresql`` package).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here (the message says why)."""


def _bindir() -> Path:
    override = os.environ.get("NABA_PG_BINDIR")
    if override:
        return Path(override)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise Unavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running throwaway cluster; :meth:`create_database` gives each test its own database."""

    bindir: Path
    folder: Path
    port: int
    run_as: list[str]
    created: list[str] = field(default_factory=list)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a generated name, never user input
        self.created.append(name)
        return self.url(name)

    def start_standby(self) -> PgServer:
        """A hot standby of this cluster (``pg_basebackup -R``, streaming), started on a free port: a read
        replica, as production runs them. Raises :class:`Unavailable` when it cannot start."""
        folder = Path(tempfile.mkdtemp(prefix="naba-pg-standby-"))
        if self.run_as:
            user = pwd.getpwnam("postgres")
            os.chown(folder, user.pw_uid, user.pw_gid)
        data = folder / "data"
        done = subprocess.run(
            [*self.run_as, str(self.bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
             "postgres", "-D", str(data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise Unavailable(f"pg_basebackup failed: {done.stderr.strip()[-400:]}")
        return _run_cluster(self.bindir, folder, self.run_as, "-c hot_standby=on")

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
             "stop"],
            capture_output=True,
            check=False,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PgServer:
    """Create and start a cluster (see the module docstring); raises :class:`Unavailable`."""
    bindir = _bindir()
    if not (bindir / "initdb").exists() or not (bindir / "pg_ctl").exists():
        raise Unavailable(f"no initdb/pg_ctl in {bindir}")
    folder = Path(tempfile.mkdtemp(prefix="naba-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise Unavailable("running as root and there is no `postgres` user to run the cluster") from exc
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    done = subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--locale=C.UTF-8", "--no-sync"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"initdb failed: {done.stderr.strip()[-400:]}")
    return _run_cluster(bindir, folder, run_as)


def _run_cluster(bindir: Path, folder: Path, run_as: list[str], extra: str = "") -> PgServer:
    """Start the cluster in ``folder``/data on a free loopback port."""
    data = folder / "data"
    port = _free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        f"-c full_page_writes=off -c max_connections=60 -c shared_buffers=64MB {extra}"
    ).strip()
    done = subprocess.run(
        [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
         "start"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"pg_ctl start failed: {done.stderr.strip()[-300:]} {log[-300:]}")
    return PgServer(bindir, folder, port, run_as)
