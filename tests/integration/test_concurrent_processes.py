"""Real processes sharing one database: concurrent ingests, killed runs, orphaned workers, blind search."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.conftest import CORPUS, need_shared

from naba.config import load_settings
from naba.engine.naba import Naba
from naba.sources.files import read_inputs
from naba.store.leases import Lease
from naba.store.sqlite import SQLiteStore

# Bounded waits for a process to react (not timing assertions: they only stop a broken test hanging).
_DEADLINE = 60.0


def _naba(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "naba.cli", "--db", str(db), *args]


def _first_line(proc: subprocess.Popen[str]) -> str:
    """The first line a child prints, or a failure (not a hang) when it prints nothing in time."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], _DEADLINE)
    if not ready:
        proc.kill()
        raise AssertionError("the child process printed nothing")
    return proc.stdout.readline()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not status.exists() or status.read_text().split()[2] != "Z"


def test_two_ingests_at_once_store_and_index_every_article(tmp_path: Path) -> None:
    days = [need_shared(CORPUS / day) for day in ("2015-07-31.zip", "2015-08-01.zip")]
    db = tmp_path / "naba.db"
    env = dict(os.environ, NABA_INGEST_BATCH="40", NABA_INGEST_WORKERS="1")
    procs = [
        subprocess.Popen(
            _naba(db, "ingest", "--json", str(day)),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for day in days
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, errors) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, errors[-2000:]
        assert "Traceback" not in errors
    stored = sum(json.loads(out)["stored"] for out, _ in outputs)
    settings = load_settings({"db": str(db)}, environ={})
    with Naba.open(settings, sync_index=False) as naba:
        stats = naba.stats()
    assert stats["articles"] == stored == stats["change_seq"]
    assert stats["index_docs"] == stored and stats["index_lag"] == 0
    assert stats["versions"] == 0


def test_search_catches_up_with_articles_a_killed_ingest_left_unindexed(tmp_path: Path) -> None:
    day = need_shared(CORPUS / "2015-08-02.zip")
    db = tmp_path / "naba.db"
    articles = [a for item in read_inputs([day], max_input_bytes=50 * 1024 * 1024) for a in item.articles][
        :200
    ]
    store = SQLiteStore(db)  # rows committed, index never written: what a kill during indexing leaves
    store.put_many(articles, "ar-search-v1")
    store.close()
    title = articles[150].title
    result = subprocess.run(
        _naba(db, "search", "--json", "--limit", "50", f'"{title}"'),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    hits = [hit["article"]["id"] for hit in json.loads(result.stdout)["hits"]]
    assert articles[150].id in hits
    stats = subprocess.run(_naba(db, "stats", "--json"), capture_output=True, text=True, timeout=120)
    data = json.loads(stats.stdout)
    assert data["index_docs"] == data["articles"] == 200 and data["index_lag"] == 0


_POOL_SCRIPT = textwrap.dedent(
    """
    import os, time
    from naba.engine.workers import process_pool
    pool = process_pool(2)
    pids = set()
    while len(pids) < 2:  # both workers have started once each has answered
        pids |= {f.result() for f in [pool.submit(os.getpid) for _ in range(50)]}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(600)
    """
)


def test_workers_exit_when_their_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _POOL_SCRIPT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(pid) for pid in _first_line(parent).split()]
    assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + _DEADLINE
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "orphaned worker processes"


def test_a_lease_held_by_a_killed_process_is_free_again(tmp_path: Path) -> None:
    path = tmp_path / "index.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from naba.store.leases import Lease; l = Lease({str(path)!r}, 't'); l.acquire(); "
            "print('held', flush=True); import time; time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert _first_line(holder).strip() == "held"
    lease = Lease(path, "search index writer")
    assert not lease.try_acquire()
    assert str(holder.pid) in lease.holder()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    lease.acquire(timeout=_DEADLINE)
    assert lease.held
    lease.release()


def test_a_second_watch_on_one_database_says_so_and_stops(tmp_path: Path) -> None:
    db = tmp_path / "naba.db"
    lock = Path(str(db) + ".watch.lock")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from naba.store.leases import Lease; l = Lease({str(lock)!r}, 'w'); l.acquire(); "
            "print('held', flush=True); import time; time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert _first_line(holder).strip() == "held"
        second = subprocess.run(_naba(db, "watch", "--once"), capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        assert "another naba watch is polling" in " ".join(second.stderr.split())
        assert "Traceback" not in second.stderr
    finally:
        holder.kill()
        holder.wait()
