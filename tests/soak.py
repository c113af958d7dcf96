"""The soak: real naba processes writing one database at once, killed at random, then checked.

Four ``naba ingest`` processes (overlapping inputs, one bad file among them), ``naba watch`` against a
loopback news site, ``naba understand`` in a loop and ``naba serve`` under reads all run together. A chaos
loop SIGKILLs one of them at random moments and restarts it, until enough kills were made or the time
bound is reached. Then every process is allowed to finish once without kills, and the database is
compared with a clean run of the same inputs in a fresh database:

* integrity_check ok; the same article ids, none missing, none extra (0 lost, 0 stored twice);
* every article in the search index (index lag 0) and a sample of titles found by ``naba search``;
* no process of the soak alive at the end (workers of killed parents included);
* no raw traceback in any process's output; no 5xx from the reader; each failure listed once.

Used by ``bench/soak.py`` (the full run: ≥ 50 kills) and ``tests/integration/test_soak.py`` (a small one).
Bounded in count and time; traffic only to 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fixture_server import FixtureServer
from tests.news_site import article_page, load_articles, rss

# Bounds for waits on processes (not assertions about speed: a loaded machine only makes them slower).
_SETTLE_TIMEOUT = 900.0
_ORPHAN_GRACE = 30.0
_NESTED_JSON = "[" * 200_000 + "]" * 200_000


@dataclass
class SoakConfig:
    work: Path
    corpus: Path
    days: Sequence[str] = ("2015-08-02.zip", "2015-08-03.zip")
    articles_per_file: int = 150
    files: int = 6
    feed_articles: int = 12
    kills: int = 50
    max_seconds: float = 600.0
    min_gap: float = 0.3
    max_gap: float = 2.5
    seed: int = 7
    ingest_workers: int = 2
    ingest_batch: int = 40


@dataclass
class SoakReport:
    kills: int = 0
    kills_by_role: dict[str, int] = field(default_factory=dict)
    restarts: int = 0
    seconds: float = 0.0
    articles: int = 0
    clean_articles: int = 0
    lost: int = 0
    extra: int = 0
    integrity: str = ""
    index_lag: int = -1
    index_docs: int = -1
    titles_searched: int = 0
    titles_found: int = 0
    orphans: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    reader_requests: int = 0
    reader_errors: list[str] = field(default_factory=list)
    duplicate_failures: int = 0
    failures: int = 0
    understand_lag: int = -1

    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.extra == 0
            and self.integrity == "ok"
            and self.index_lag == 0
            and self.index_docs == self.articles
            and self.titles_found == self.titles_searched
            and not self.orphans
            and not self.tracebacks
            and not self.reader_errors
            and self.duplicate_failures == 0
            and self.understand_lag == 0
        )

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "ok": self.ok()}


# -- inputs ------------------------------------------------------------------------------------------------
def write_inputs(cfg: SoakConfig) -> list[list[Path]]:
    """JSONL files cut from real SaudiNewsNet days, shared out to 4 ingest processes with overlaps."""
    folder = cfg.work / "inputs"
    folder.mkdir(parents=True, exist_ok=True)
    records: list[dict[str, Any]] = []
    for day in cfg.days:
        with zipfile.ZipFile(cfg.corpus / day) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".json"):
                    records.extend(json.loads(archive.read(name)))
    files = []
    for n in range(cfg.files):
        chunk = records[n * cfg.articles_per_file : (n + 1) * cfg.articles_per_file]
        path = folder / f"part-{n}.json"
        path.write_text(json.dumps(chunk, ensure_ascii=False), encoding="utf-8")
        files.append(path)
    bad = folder / "nested.json"
    bad.write_text(_NESTED_JSON)
    # Each file is read by two of the four processes: the same articles arrive from two writers at once.
    shares: list[list[Path]] = [[] for _ in range(4)]
    for n, path in enumerate(files):
        shares[n % 4].append(path)
        shares[(n + 1) % 4].append(path)
    shares[0].insert(0, bad)
    return shares


def serve_news(server: FixtureServer, cfg: SoakConfig) -> list[str]:
    """Two feeds of real articles (summary-only RSS: each page is fetched) on the loopback server."""
    articles = load_articles(cfg.corpus / "2015-08-06.zip", cfg.feed_articles)
    feeds = []
    half = len(articles) // 2
    for prefix, part in (("/a", articles[:half]), ("/b", articles[half:])):
        items = []
        for article in part:
            url = server.url(article.path(prefix))
            server.add(article.path(prefix), article_page(article, url))
            items.append((article, url))
        server.add(f"{prefix}/rss.xml", rss(prefix, server.url("/"), items))
        feeds.append(server.url(f"{prefix}/rss.xml"))
    return feeds


# -- processes ---------------------------------------------------------------------------------------------
def naba_env(cfg: SoakConfig) -> dict[str, str]:
    return dict(
        os.environ,
        NABA_ALLOW_PRIVATE_ADDRESSES="1",
        NABA_HOST_DELAY="0",
        NABA_HOST_CONCURRENCY="8",
        NABA_READ_TIMEOUT="5",
        NABA_RETRIES="1",
        NABA_BACKOFF_SECONDS="0.05",
        NABA_RESPECT_ROBOTS="0",
        NABA_WATCH_MIN_INTERVAL="2",
        NABA_INGEST_WORKERS=str(cfg.ingest_workers),
        NABA_INGEST_BATCH=str(cfg.ingest_batch),
    )


def naba_cmd(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "naba.cli", "--db", str(db), *args]


class Role:
    """One kind of process, restarted whenever it exits or is killed."""

    def __init__(self, name: str, args: Sequence[str], db: Path, env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.args = list(args)
        self.db = db
        self.env = env
        self.logs = logs
        self.runs = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.runs += 1
        out = (self.logs / f"{self.name}-{self.runs}.out").open("wb")
        err = (self.logs / f"{self.name}-{self.runs}.err").open("wb")
        self.proc = subprocess.Popen(naba_cmd(self.db, *self.args), env=self.env, stdout=out, stderr=err)
        out.close()
        err.close()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def finish(self, timeout: float) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ReaderLoad:
    """Reads the reader's pages while it runs; a refused connection (it is being restarted) is not an error,
    an answer of 500 or more is."""

    def __init__(self, port: int, queries: Sequence[str]) -> None:
        self.port = port
        self.queries = list(queries)
        self.requests = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        paths = ["/", "/stories", "/sources", *(f"/search?q={urllib.parse.quote(q)}" for q in self.queries)]
        n = 0
        while not self._stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
                    response.read()
                self.requests += 1
            except urllib.error.HTTPError as exc:
                self.requests += 1
                if exc.code >= 500:
                    self.errors.append(f"{path}: {exc.code}")
            except (OSError, urllib.error.URLError):
                self._stop.wait(0.2)  # not listening (restarting) or killed mid-answer


# -- the run -----------------------------------------------------------------------------------------------
def run_soak(cfg: SoakConfig, progress: Any = print) -> SoakReport:
    report = SoakReport()
    rng = random.Random(cfg.seed)
    db = cfg.work / "soak" / "naba.db"
    logs = cfg.work / "logs"
    for folder in (db.parent, logs):
        folder.mkdir(parents=True, exist_ok=True)
    env = naba_env(cfg)
    shares = write_inputs(cfg)
    started = time.monotonic()
    with FixtureServer() as server:
        feeds = serve_news(server, cfg)
        subprocess.run(naba_cmd(db, "sources", "add", *feeds), env=env, check=True, capture_output=True)
        port = free_port()
        roles = [
            *(
                Role(f"ingest{n}", ["ingest", "--json", *map(str, share)], db, env, logs)
                for n, share in enumerate(shares)
            ),
            Role("watch", ["watch"], db, env, logs),
            Role("understand", ["understand", "--json"], db, env, logs),
            Role("serve", ["serve", "--port", str(port)], db, env, logs),
        ]
        reader = ReaderLoad(port, ["السعودية", "وزير الخارجية", '"مجلس الوزراء"'])
        for role in roles:
            role.start()
        reader.start()
        try:
            _chaos(cfg, roles, rng, report, started, progress)
            for role in roles[:-1]:
                role.kill()
            # The reader stays up, unkilled, and keeps being read while the jobs run once more.
            _settle(db, shares, env, logs, report)
            _wait_for_reads(reader, roles[-1])
        finally:
            reader.stop()
            report.reader_requests, report.reader_errors = reader.requests, reader.errors
            for role in roles:
                role.kill()
        clean = cfg.work / "clean" / "naba.db"
        _clean_run(clean, shares, feeds, env, logs)
    report.seconds = round(time.monotonic() - started, 1)
    _check(db, clean, cfg, env, logs, report)
    return report


def _chaos(
    cfg: SoakConfig,
    roles: list[Role],
    rng: random.Random,
    report: SoakReport,
    started: float,
    progress: Any,
) -> None:
    while report.kills < cfg.kills and time.monotonic() - started < cfg.max_seconds:
        time.sleep(rng.uniform(cfg.min_gap, cfg.max_gap))
        for role in roles:  # a process that finished its work starts again (re-ingest is idempotent)
            if not role.running():
                role.start()
                report.restarts += 1
        victim = rng.choice(roles)
        victim.kill()
        report.kills += 1
        report.kills_by_role[victim.name] = report.kills_by_role.get(victim.name, 0) + 1
        victim.start()
        report.restarts += 1
        if report.kills % 10 == 0:
            progress(f"soak: {report.kills}/{cfg.kills} kills, {time.monotonic() - started:.0f} s")


def _wait_for_reads(reader: ReaderLoad, serve: Role, wanted: int = 20) -> None:
    if not serve.running():
        serve.start()
    deadline = time.monotonic() + _SETTLE_TIMEOUT
    while reader.requests < wanted and serve.running() and time.monotonic() < deadline:
        time.sleep(0.2)


def _run_once(db: Path, args: Sequence[str], env: dict[str, str], logs: Path, name: str) -> None:
    with (logs / f"{name}.out").open("wb") as out, (logs / f"{name}.err").open("wb") as err:
        subprocess.run(
            naba_cmd(db, *args), env=env, stdout=out, stderr=err, timeout=_SETTLE_TIMEOUT, check=False
        )


def _settle(db: Path, shares: list[list[Path]], env: dict[str, str], logs: Path, report: SoakReport) -> None:
    """Every job once more, unkilled: what a user does after a crash."""
    for n, share in enumerate(shares):
        _run_once(db, ["ingest", "--json", *map(str, share)], env, logs, f"settle-ingest{n}")
    _run_once(db, ["watch", "--once", "--json"], env, logs, "settle-watch")
    _run_once(db, ["understand", "--json"], env, logs, "settle-understand")


def _clean_run(db: Path, shares: list[list[Path]], feeds: list[str], env: dict[str, str], logs: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    inputs = sorted({str(p) for share in shares for p in share})
    _run_once(db, ["ingest", "--json", *inputs], env, logs, "clean-ingest")
    _run_once(db, ["sources", "add", *feeds], env, logs, "clean-sources")
    _run_once(db, ["watch", "--once", "--json"], env, logs, "clean-watch")


def _ids(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM articles")}


def _check(
    db: Path, clean: Path, cfg: SoakConfig, env: dict[str, str], logs: Path, report: SoakReport
) -> None:
    mine, reference = _ids(db), _ids(clean)
    report.articles, report.clean_articles = len(mine), len(reference)
    report.lost, report.extra = len(reference - mine), len(mine - reference)
    stats = json.loads(subprocess.run(naba_cmd(db, "stats", "--json"), env=env, capture_output=True).stdout)
    report.index_lag, report.index_docs = stats["index_lag"], stats["index_docs"]
    report.understand_lag, report.failures = stats["understand_lag"], stats["failures"]
    with sqlite3.connect(db) as conn:
        report.integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        report.duplicate_failures = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM failures GROUP BY stage, location, error_type, message "
            "HAVING count(*) > 1)"
        ).fetchone()[0]
        titles = [row[0] for row in conn.execute("SELECT title FROM articles ORDER BY random() LIMIT 5")]
    for title in titles:
        found = subprocess.run(
            naba_cmd(db, "search", "--json", "--limit", "100", f'"{title}"'), env=env, capture_output=True
        )
        report.titles_searched += 1
        hits = json.loads(found.stdout)["hits"] if found.returncode == 0 else []
        report.titles_found += any(h["article"]["title"] == title for h in hits)
    report.orphans = _orphans(cfg.work)
    report.tracebacks = sorted(str(path.name) for path in logs.iterdir() if b"Traceback" in path.read_bytes())


def _orphans(work: Path) -> list[str]:
    """Processes still running whose command line names the soak's folder (forked workers inherit it)."""
    deadline = time.monotonic() + _ORPHAN_GRACE
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if str(work) in cmdline and state != "Z":
                alive.append(f"{entry.name}: {cmdline[:200]}")
        # Workers of a killed parent notice within a second; give a loaded machine time before calling it.
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.5)
