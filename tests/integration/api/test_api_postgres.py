"""The API's write side on PostgreSQL, through a real ``naba serve`` (one per module) on the session's throwaway
server: tokens stored hashed, every change refused without a write token, saved searches round trip between
the API and the CLI, webhooks added through the API fire on ``naba ingest`` for exactly the new matching
articles (signed), story alerts from ``naba alerts run``; and ``naba serve`` on a role that may not write
serves cleanly: one line says so, the index follower does not try, writes answer 503 in the envelope; the
same on a real hot standby, where what the primary indexes becomes searchable by replication."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import httpx
import psycopg
import pytest
from api_support import Receiver
from click.testing import CliRunner
from tests.conftest import CORPUS, IN_CI, need_shared
from tests.pg_server import PgServer, Unavailable
from tests.pg_server import start as start_pg

from naba.article_json import article_to_json
from naba.cli import main
from naba.config import load_settings
from naba.engine import access, alerts
from naba.engine.naba import IndexFollower, Naba
from naba.sources.files import read_inputs
from naba.store.postgres import PostgresStore
from naba.store.postgres.db import write_refusal
from naba.types import Article, SearchQuery

SRC = Path(__file__).resolve().parents[3] / "src"
PER_PUBLISHER = 16
FIRST, SECOND = 100, 40
ALLOW_PRIVATE = {"NABA_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}


def cli(db: str, *args: str, env: dict[str, str] | None = None) -> Any:
    result = CliRunner(env=env).invoke(main, ["--db", db, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def unavailable(message: str) -> NoReturn:
    """Skip with the reason printed; under CI=true a missing service is a failure."""
    if IN_CI:
        pytest.fail(message)
    print(f"\nSKIP: {message}")
    pytest.skip(message)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Served:
    """A ``naba serve`` process and a client of it."""

    process: subprocess.Popen[str]
    client: httpx.Client

    def stop(self) -> str:
        """Stop the server (Ctrl-C) and return what it wrote to stderr."""
        self.client.close()
        self.process.send_signal(2)
        try:
            _, err = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(db: str, env: dict[str, str] | None = None) -> Served:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "naba.cli", "--db", db, "serve", "--port", str(port)],
        env={**os.environ, "PYTHONPATH": str(SRC), **ALLOW_PRIVATE, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    for _ in range(600):  # until it answers (no time asserted: it waits for the event)
        if process.poll() is not None:
            raise AssertionError(f"naba serve exited: {process.communicate()[1]}")
        try:
            if client.get("/healthz").status_code == 200:
                return Served(process, client)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("naba serve never answered")


def _articles() -> list[Article]:
    """Real articles of one SaudiNewsNet day, a few of each outlet, as ingest reads them."""
    day = need_shared(CORPUS / "2015-08-02.zip")
    per: dict[str | None, list[Article]] = {}
    for item in read_inputs([day], max_input_bytes=1 << 30):
        for article in item.articles:
            if article.embedded_in is None and len(per.setdefault(article.publisher, [])) < PER_PUBLISHER:
                per[article.publisher].append(article)
        if sum(map(len, per.values())) >= FIRST + SECOND:
            break
    # Interleaved by outlet, so both batches hold several outlets.
    ordered = [
        a for n in range(PER_PUBLISHER) for group in per.values() if n < len(group) for a in [group[n]]
    ]
    return ordered[: FIRST + SECOND]


def _jsonl(path: Path, articles: list[Article]) -> Path:
    path.write_text("".join(json.dumps(article_to_json(a), ensure_ascii=False) + "\n" for a in articles))
    return path


@dataclass
class PgDay:
    db: str
    second: Path  # articles ingested later by a test
    incoming: list[Article]


@pytest.fixture(scope="module")
def pg_day(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> PgDay:
    folder = tmp_path_factory.mktemp("pg-api")
    articles = _articles()
    first = _jsonl(folder / "first.jsonl", articles[:FIRST])
    second = _jsonl(folder / "second.jsonl", articles[FIRST:])
    db = pg_server.create_database("api")
    assert cli(db, "ingest", str(first))["stored"] == FIRST
    assert cli(db, "understand")["new"] == FIRST
    return PgDay(db, second, articles[FIRST:])


@pytest.fixture(scope="module")
def served(pg_day: PgDay) -> Iterator[httpx.Client]:
    server = serve(pg_day.db)
    yield server.client
    server.stop()


def test_tokens_guard_every_change_and_saved_searches_round_trip(pg_day: PgDay, served: httpx.Client) -> None:
    db, api = pg_day.db, served
    write = cli(db, "tokens", "create", "--scope", "write", "--name", "ci")
    read = cli(db, "tokens", "create", "--scope", "read")
    with psycopg.connect(db) as conn:  # stored hashed: the secret is nowhere in the database
        row = conn.execute("SELECT digest FROM api_tokens WHERE id = %s", (write["id"],)).fetchone()
    assert row is not None and write["token"].split("_", 2)[2] not in row[0] and len(row[0]) == 64
    publisher = pg_day.incoming[0].publisher
    body = {"name": "وزارة <الصحة>", "query": "وزارة", "sources": [publisher], "from": "2015-08-01"}
    anonymous = api.post("/api/v1/saved-searches", json=body)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
    assert api.post("/api/v1/saved-searches", json=body, headers=bearer(read["token"])).status_code == 403
    forged = write["token"][:-4] + "AAAA"
    assert api.post("/api/v1/saved-searches", json=body, headers=bearer(forged)).status_code == 401
    created = api.post("/api/v1/saved-searches", json=body, headers=bearer(write["token"]))
    assert created.status_code == 201, created.text
    saved = created.json()
    assert saved["name"] == "وزارة <الصحة>" and saved["sources"] == [publisher]
    assert saved in api.get("/api/v1/saved-searches").json() and saved in cli(db, "saved-searches", "list")
    results = api.get(f"/api/v1/saved-searches/{saved['id']}/results").json()
    assert results == cli(db, "saved-searches", "show", str(saved["id"]), "--limit", "20")
    assert results["total"] > 0 and {h["article"]["publisher"] for h in results["hits"]} == {publisher}
    assert api.get(f"/feeds/saved.atom?id={saved['id']}").status_code == 200
    assert api.delete(f"/api/v1/saved-searches/{saved['id']}").status_code == 401
    deleted = api.delete(f"/api/v1/saved-searches/{saved['id']}", headers=bearer(write["token"]))
    assert deleted.status_code == 204 and api.get(f"/api/v1/saved-searches/{saved['id']}").status_code == 404
    cli(db, "tokens", "revoke", str(write["id"]))
    assert api.post("/api/v1/saved-searches", json=body, headers=bearer(write["token"])).status_code == 401
    # The reader's own form saves with a write token too (its writes go through their own pool).
    token = cli(db, "tokens", "create", "--scope", "write")["token"]
    form = {"action": "create", "name": "الهلال", "q": "الهلال", "token": token}
    assert api.post("/saved", data=form, follow_redirects=False).status_code == 303
    assert any(s["name"] == "الهلال" for s in api.get("/api/v1/saved-searches").json())


def test_webhooks_added_through_the_api_fire_on_ingest_and_story_alerts_run(
    pg_day: PgDay, served: httpx.Client, receiver: Receiver
) -> None:
    db, api = pg_day.db, served
    token = bearer(cli(db, "tokens", "create", "--scope", "write")["token"])
    word = max(pg_day.incoming[0].title.split(), key=len).strip("«»\"'():،")
    saved = api.post("/api/v1/saved-searches", json={"name": "كلمة", "query": word}, headers=token).json()
    assert (
        api.post("/api/v1/webhooks", json={"url": receiver.url, "saved_search": saved["id"]}).status_code
        == 401
    )
    created = api.post(
        "/api/v1/webhooks", json={"url": receiver.url, "saved_search": saved["id"]}, headers=token
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    assert len(hook["secret"]) == 64 and hook["id"] in {
        h["id"] for h in api.get("/api/v1/webhooks", headers=token).json()
    }

    report = cli(db, "ingest", str(pg_day.second), env=ALLOW_PRIVATE)
    assert report["stored"] == SECOND
    assert len(receiver.hits) == 1
    hit = receiver.hits[0]
    assert alerts.verify(hook["secret"], hit.signature, hit.body, now=time.time())
    payload = json.loads(hit.body)
    assert payload["event"] == "articles.matched" and payload["saved_search"]["id"] == saved["id"]
    settings = load_settings({"db": db}, toml_path=Path("/nonexistent/naba.toml"), environ={})
    with Naba.open(settings, sync_index=False, read_only=True) as naba:  # every match, then the new ones
        everywhere = {h.article.id for h in naba.search(SearchQuery(word, limit=1000)).hits}
    new = {a.id for a in pg_day.incoming}
    assert {a["id"] for a in payload["articles"]} == everywhere & new and pg_day.incoming[0].id in new
    log = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=token).json()
    assert [d["status"] for d in log] == ["delivered"]
    again = cli(db, "ingest", str(pg_day.second), env=ALLOW_PRIVATE)
    assert again["stored"] == 0 and len(receiver.hits) == 1  # nothing new: nothing sent

    stories = cli(db, "alerts", "add", receiver.url, "--min-outlets", "1", env=ALLOW_PRIVATE)
    run = cli(db, "alerts", "run", env=ALLOW_PRIVATE)
    assert run["enqueued"] > 0 and run["delivered"] == run["enqueued"] and run["failed"] == 0
    sent = [json.loads(h.body) for h in receiver.hits[1:]]
    assert {p["event"] for p in sent} == {"story.outlets"} and len(sent) == run["delivered"]
    # Story ids are URLs, Arabic ones too: the idempotency key header carries them percent-encoded.
    assert all(
        h.key.isascii() and h.key == p["idempotency_key"]
        for h, p in zip(receiver.hits[1:], sent, strict=True)
    )
    assert any("%D8" in h.key for h in receiver.hits[1:])
    assert all(
        alerts.verify(stories["secret"], h.signature, h.body, now=time.time()) for h in receiver.hits[1:]
    )
    assert cli(db, "alerts", "run", env=ALLOW_PRIVATE)["enqueued"] == 0  # keyed per story: never twice
    assert api.delete(f"/api/v1/webhooks/{hook['id']}", headers=token).status_code == 204
    assert api.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=token).status_code == 404


def test_one_process_sends_at_a_time_the_others_only_collect(pg_day: PgDay, receiver: Receiver) -> None:
    settings = load_settings(
        {"db": pg_day.db, "webhook_allow_private_addresses": True},
        toml_path=Path("/nonexistent/naba.toml"),
        environ={},
    )
    with Naba.open(settings, sync_index=False) as naba:
        access.add_webhook(naba.access, settings, receiver.url, min_outlets=2)
        with alerts.sender_lease(settings).hold():  # another process (a watch worker) is sending
            waiting = alerts.fire_for_now(naba)
            assert waiting.enqueued > 0 and waiting.delivered == 0 and receiver.hits == []
        sent = alerts.fire_for_now(naba)  # the lease is free: this process sends what is due
    assert sent.enqueued == 0 and sent.delivered == waiting.enqueued == len(receiver.hits)


def test_serve_on_a_role_that_may_not_write(pg_server: PgServer, tmp_path: Path) -> None:
    """A read-only role (as on a read replica): one line says why nothing is written, the follower never
    tries (no refusal logged, though articles wait to be indexed), pages, search and tokens work, and a
    change answers 503 in the envelope."""
    db = pg_server.create_database("ro")
    articles = _articles()[:30]
    assert cli(db, "ingest", str(_jsonl(tmp_path / "some.jsonl", articles[:20])))["stored"] == 20
    settings = load_settings({"db": db}, toml_path=Path("/nonexistent/naba.toml"), environ={})
    with Naba.open(settings, sync_index=False) as naba:  # stored, not yet indexed: a follower would write
        naba.store.put_many(articles[20:], naba.analyzer.name)
        assert naba.stats()["index_lag"] == 10
    token = cli(db, "tokens", "create", "--scope", "write")["token"]
    role = f"reader_{db.rsplit('_', 1)[1]}"  # generated here, never user input
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    server = serve(db.replace("postgres@", f"{role}@"))
    try:
        api = server.client
        page = api.get("/search", params={"q": "وزارة"})
        assert page.status_code == 200 and "وزارة" in page.text
        assert api.get("/api/v1/stats").json()["articles"] == 30
        assert api.get("/api/v1/saved-searches", headers=bearer(token)).status_code == 200
        body = {"name": "س", "query": "وزارة"}
        refused = api.post("/api/v1/saved-searches", json=body, headers=bearer(token))
        assert refused.status_code == 503, refused.text
        error = refused.json()["error"]
        assert error["code"] == "service_unavailable" and "primary" in error["message"]
        form = api.post("/saved", data={"action": "create", "name": "س", "q": "وزارة", "token": token})
        assert form.status_code == 503 and "للقراءة فقط" in form.text
    finally:
        err = server.stop()
    lines = [line for line in err.splitlines() if "refuses writes" in line]
    assert len(lines) == 1 and f"role {role} may not write" in lines[0], err
    assert "search index" in lines[0] and "Traceback" not in err, err
    assert "catching up the search index failed" not in err, err
    with Naba.open(settings, sync_index=False, read_only=True) as naba:
        assert naba.stats()["index_lag"] == 10  # nothing was written meanwhile


def test_a_follower_refused_says_so_once_and_stops(
    pg_server: PgServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Every way a server refuses writes is named; an index follower started anyway (a failover under a
    running reader) logs one line and stops instead of failing every few seconds."""
    db = pg_server.create_database("ro")
    PostgresStore(db, migrate=True).close()  # not the CLI: its logging setup would drop caplog's handler
    role = f"reader_{db.rsplit('_', 1)[1]}"  # generated here, never user input
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    as_role = db.replace("postgres@", f"{role}@")
    assert write_refusal(db) is None and write_refusal(as_role) is None  # this role may write
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(f"ALTER ROLE {role} SET default_transaction_read_only = on")
    assert "read-only by default" in (write_refusal(as_role) or "") and write_refusal(db) is None
    settings = load_settings({"db": as_role}, toml_path=Path("/nonexistent/naba.toml"), environ={})
    follower = IndexFollower(settings, every=0.01).start()
    follower.join()  # it ends on its own: nothing to retry
    said = [r for r in caplog.records if r.name == "naba.engine.naba"]
    assert (
        len(said) == 1 and "not followed" in said[0].getMessage() and "refuses writes" in said[0].getMessage()
    )


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PgServer, str]]:
    """A primary of its own (a copy of the session's cluster would carry every test's database) holding a
    small real database, and a hot standby streaming from it."""
    try:
        primary = start_pg()
    except Unavailable as exc:
        unavailable(f"a PostgreSQL primary for the replica test: {exc}")
    try:
        db = primary.create_database("replicated")
        some = _jsonl(tmp_path_factory.mktemp("replica") / "some.jsonl", _articles()[:20])
        assert cli(db, "ingest", str(some))["stored"] == 20
        try:
            standby = primary.start_standby()
        except Unavailable as exc:
            unavailable(f"a hot standby: {exc}")
        try:
            yield standby, db
        finally:
            standby.stop()
    finally:
        primary.stop()


def test_serve_on_a_hot_standby_searches_what_the_primary_indexes(
    replica: tuple[PgServer, str], tmp_path: Path
) -> None:
    """On a read replica the reader says so once and never tries to write; the search projection lives in
    the database, so what the primary's ingest indexes becomes searchable on the replica by replication."""
    standby, db = replica
    on_standby = standby.url(db.rsplit("/", 1)[1])
    refused = CliRunner().invoke(main, ["--db", on_standby, "tokens", "create", "--scope", "write"])
    assert refused.exit_code == 1 and "refuses writes" in refused.output and "primary" in refused.output
    token = cli(db, "tokens", "create", "--scope", "write")["token"]
    later = _articles()[20:30]
    assert cli(db, "ingest", str(_jsonl(tmp_path / "later.jsonl", later)))["stored"] == 10
    server = serve(on_standby)
    try:
        api = server.client
        for _ in range(600):  # until the standby has replayed the primary's ingest (streaming replication)
            if api.get("/api/v1/stats").json()["articles"] == 30:
                break
            time.sleep(0.1)
        word = max(later[0].title.split(), key=len).strip("«»\"'():،")
        found = api.get("/api/v1/search", params={"q": word, "limit": 50}).json()
        assert later[0].id in {h["article"]["id"] for h in found["hits"]}
        assert api.get("/search", params={"q": word}).status_code == 200
        assert api.get("/api/v1/saved-searches", headers=bearer(token)).status_code == 200  # tokens verify
        body = {"name": "س", "query": word}
        change = api.post("/api/v1/saved-searches", json=body, headers=bearer(token))
        assert change.status_code == 503 and change.json()["error"]["code"] == "service_unavailable"
    finally:
        err = server.stop()
    lines = [line for line in err.splitlines() if "refuses writes" in line]
    assert len(lines) == 1 and "hot standby" in lines[0], err
    assert "Traceback" not in err and "search index failed" not in err, err
