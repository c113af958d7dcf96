"""Tokens, saved searches, rate limits, body limits and CORS, through the API and the CLI alike."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from api_support import tuned_client
from click.testing import CliRunner
from fastapi.testclient import TestClient

from naba.cli import main
from naba.config import Settings
from naba.engine.naba import Naba


def cli(settings: Settings, *args: str, env: dict[str, str] | None = None) -> Any:
    result = CliRunner(env=env).invoke(main, ["--db", settings.db, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_tokens_guard_every_change_and_saved_searches_round_trip(
    api: TestClient, day_settings: Settings
) -> None:
    write = cli(day_settings, "tokens", "create", "--scope", "write", "--name", "ci")
    read = cli(day_settings, "tokens", "create", "--scope", "read")
    assert write["scope"] == "write" and write["token"].startswith(f"naba_{write['id']}_")
    with sqlite3.connect(day_settings.db) as db:  # stored hashed: the secret is nowhere in the database
        stored = db.execute("SELECT digest FROM api_tokens WHERE id = ?", (write["id"],)).fetchone()[0]
    assert write["token"].split("_", 2)[2] not in stored and len(stored) == 64
    body = {
        "name": "الميزانية",
        "query": "الميزانية العامة",
        "sources": ["aleqtisadiya"],
        "from": "2015-08-01",
    }
    anonymous = api.post("/api/v1/saved-searches", json=body)
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    assert api.post("/api/v1/saved-searches", json=body, headers=bearer(read["token"])).status_code == 403
    forged = write["token"][:-4] + "AAAA"
    assert api.post("/api/v1/saved-searches", json=body, headers=bearer(forged)).status_code == 401
    created = api.post("/api/v1/saved-searches", json=body, headers=bearer(write["token"]))
    assert created.status_code == 201, created.text
    saved = created.json()
    assert saved["sources"] == ["aleqtisadiya"] and saved["date_from"] == "2015-08-01"
    assert saved in api.get("/api/v1/saved-searches").json()
    assert saved in cli(day_settings, "saved-searches", "list")
    results = api.get(f"/api/v1/saved-searches/{saved['id']}/results").json()
    assert results == cli(day_settings, "saved-searches", "show", str(saved["id"]), "--limit", "20")
    assert results["total"] > 0 and {h["article"]["publisher"] for h in results["hits"]} == {"aleqtisadiya"}
    assert api.get(f"/feeds/saved.atom?id={saved['id']}").status_code == 200
    assert api.delete(f"/api/v1/saved-searches/{saved['id']}").status_code == 401
    assert (
        api.delete(f"/api/v1/saved-searches/{saved['id']}", headers=bearer(write["token"])).status_code == 204
    )
    assert api.get(f"/api/v1/saved-searches/{saved['id']}").status_code == 404
    cli(day_settings, "tokens", "revoke", str(write["id"]))
    revoked = api.post("/api/v1/saved-searches", json=body, headers=bearer(write["token"]))
    assert revoked.status_code == 401
    listed = {t["id"]: t for t in cli(day_settings, "tokens", "list")}
    assert listed[write["id"]]["revoked_at"] and "token" not in listed[write["id"]]


def test_saved_searches_and_alerts_from_the_cli(day_settings: Settings) -> None:
    saved = cli(day_settings, "saved-searches", "add", "أمطار", "الأمطار", "--source", "alyaum")
    assert saved["query"] == "الأمطار" and saved["sources"] == ["alyaum"]
    refused = CliRunner().invoke(
        main,
        [
            "--db",
            day_settings.db,
            "alerts",
            "add",
            "http://127.0.0.1:9/hook",
            "--saved-search",
            str(saved["id"]),
        ],
    )
    assert refused.exit_code == 1 and "non-public" in refused.output
    allowed = {"NABA_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}
    hook = cli(day_settings, "alerts", "add", "http://127.0.0.1:9/hook", "--min-outlets", "3", env=allowed)
    assert len(hook["secret"]) == 64 and hook["min_outlets"] == 3
    assert next(h for h in cli(day_settings, "alerts", "list") if h["id"] == hook["id"]).get("secret") is None
    assert cli(day_settings, "alerts", "delete", str(hook["id"])) == {"deleted": hook["id"]}
    assert cli(day_settings, "saved-searches", "delete", str(saved["id"])) == {"deleted": saved["id"]}
    assert isinstance(cli(day_settings, "alerts", "log"), list)


def test_reads_can_require_a_token(day_naba: Naba, day_settings: Settings) -> None:
    read = cli(day_settings, "tokens", "create", "--scope", "read")
    client = tuned_client(day_naba, api_require_read_token=True)
    for path in ("/api/v1/stats", "/feeds/latest.atom", "/api/v1/saved-searches"):
        refused = client.get(path)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized", path
        assert client.get(path, headers=bearer(read["token"])).status_code == 200, path
    assert client.get("/").status_code == 200  # the reader's pages stay open


def test_rate_limit_is_per_client_with_retry_after_in_the_envelope(
    day_naba: Naba, day_settings: Settings
) -> None:
    client = tuned_client(day_naba, api_rate_limit=0.001, api_rate_burst=3)
    assert [client.get("/api/v1/stats").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api/v1/search", params={"q": "الرياض"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    error = limited.json()["error"]
    assert error["code"] == "too_many_requests" and error["detail"]["retry_after"] == int(
        limited.headers["retry-after"]
    )
    assert "frame-ancestors 'none'" in limited.headers["content-security-policy"]
    assert client.get("/feeds/latest.rss").status_code == 429
    assert client.get("/").status_code == 200  # pages are not limited here
    token = cli(day_settings, "tokens", "create", "--scope", "read")["token"]
    assert client.get("/api/v1/stats", headers=bearer(token)).status_code == 200  # its own bucket


def test_body_limit_and_cors(day_naba: Naba) -> None:
    client = tuned_client(day_naba, api_max_body_bytes=200, api_cors_origins="https://reader.example")
    big = {"name": "x", "query": "ب" * 300}
    too_large = client.post("/api/v1/saved-searches", json=big)
    assert too_large.status_code == 413 and too_large.json()["error"]["code"] == "payload_too_large"
    chunks = client.post(
        "/api/v1/saved-searches",
        content=iter([b'{"name": "', b"x" * 300, b'"}']),
        headers={"Content-Type": "application/json"},
    )
    assert chunks.status_code == 413
    allowed = client.options(
        "/api/v1/stats", headers={"Origin": "https://reader.example", "Access-Control-Request-Method": "GET"}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://reader.example"
    other = client.get("/api/v1/stats", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_the_reader_saves_lists_and_deletes_searches_with_a_write_token(
    api: TestClient, day_settings: Settings
) -> None:
    token = cli(day_settings, "tokens", "create", "--scope", "write")["token"]
    prefilled = api.get("/saved", params={"q": "الهلال", "source": "alriyadh"}).text
    assert 'value="الهلال"' in prefilled and 'value="alriyadh"' in prefilled
    form = {"action": "create", "name": "الهلال <b>", "q": "الهلال", "source": "alriyadh"}
    assert api.post("/saved", data=form).status_code == 401  # no token: nothing saved
    assert api.post("/saved", data={**form, "token": "naba_1_" + "x" * 40}).status_code == 401
    done = api.post("/saved", data={**form, "token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/saved"
    page = api.get("/saved").text
    assert "الهلال &lt;b&gt;" in page and "<b>" not in page
    saved = next(s for s in api.get("/api/v1/saved-searches").json() if s["name"] == "الهلال <b>")
    assert (
        f"/feeds/saved.atom?id={saved['id']}" in page and f'href="/feeds/saved.atom?id={saved["id"]}"' in page
    )
    delete = {"action": "delete", "id": str(saved["id"]), "token": token}
    assert api.post("/saved", data=delete, follow_redirects=False).status_code == 303
    assert api.get(f"/api/v1/saved-searches/{saved['id']}").status_code == 404
