"""A SIGKILL in the middle of an ingest leaves a consistent database; re-running completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import CORPUS, need_shared

from naba.config import load_settings
from naba.engine.naba import Naba

DAYS = ("2015-08-02.zip", "2015-08-03.zip", "2015-08-04.zip")


def _stored_rows(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def _ingest_cmd(db: Path, inputs: list[Path]) -> list[str]:
    return [sys.executable, "-m", "naba.cli", "--db", str(db), "ingest", "--json", *map(str, inputs)]


def test_sigkill_mid_ingest_then_rerun_completes(tmp_path: Path) -> None:
    inputs = [need_shared(CORPUS / day) for day in DAYS]
    db = tmp_path / "naba.db"
    env = dict(os.environ, NABA_INGEST_BATCH="50", NABA_INGEST_WORKERS="1")
    proc = subprocess.Popen(
        _ingest_cmd(db, inputs), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while _stored_rows(db) < 300 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; use more input"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert partial >= 300 and partial % 50 == 0  # whole batches only: nothing half-written

    rerun = subprocess.run(_ingest_cmd(db, inputs), env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]

    fresh = tmp_path / "fresh.db"
    subprocess.run(_ingest_cmd(fresh, inputs), env=env, capture_output=True, check=True, timeout=300)
    settings = load_settings({"db": str(db)}, environ={})
    with Naba.open(settings) as naba, Naba.open(load_settings({"db": str(fresh)}, environ={})) as reference:
        assert naba.store.count() == reference.store.count() > partial
        assert naba.index.count() == naba.store.count()
        assert naba.store.integrity_check() == "ok"
