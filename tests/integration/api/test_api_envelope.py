"""Every route of /api/v1 (read from /openapi.json, so a new route is walked without editing this test)
answers its errors in the one envelope: unknown ids (404), bad parameters (422), wrong methods (405),
unknown paths (404) and a crash (500, with the security headers)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from naba.engine.access import create_token
from naba.engine.naba import Naba
from naba.web.api.envelope import CODES
from naba.web.app import create_app


def assert_envelope(response: Any, status: int) -> None:
    assert response.status_code == status, (response.request.url, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}, body
    assert body["error"]["code"] == CODES[status] and body["error"]["message"]
    assert response.headers["x-content-type-options"] == "nosniff"


def operations(api: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    spec = api.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    return [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]


def filled(path: str, op: dict[str, Any], value: str) -> str:
    """``path`` with ``{fmt}`` as atom and every other path parameter as ``value`` (a number when it is one)."""
    path = path.replace("{fmt}", "atom")
    for param in op.get("parameters", []):
        if param["in"] == "path" and param["name"] != "fmt":
            numeric = param["schema"].get("type") == "integer"
            path = path.replace("{" + param["name"] + "}", "987654321" if numeric else value)
    return path


def test_every_operation_is_described_with_the_envelope(api: TestClient) -> None:
    ops = operations(api)
    assert len([p for p, m, _ in ops if p.startswith("/api/v1/")]) >= 10
    for path, method, op in ops:
        responses = op["responses"]
        for status in ("422",):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith("/ErrorEnvelope"), (method, path)


def test_every_route_answers_errors_in_the_envelope(api: TestClient, day_naba: Naba) -> None:
    _, token = create_token(day_naba.access, "write", "envelope walk")
    auth = {"Authorization": f"Bearer {token}"}
    for path, method, op in operations(api):
        if any(p["in"] == "path" and p["name"] != "fmt" for p in op.get("parameters", [])):
            assert_envelope(api.request(method, filled(path, op, "no-such-thing%0A"), headers=auth), 404)
        params = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        if "limit" in params:
            assert_envelope(
                api.request(method, filled(path, op, "x"), params={"limit": "0"}, headers=auth), 422
            )
        assert_envelope(api.request("PATCH", filled(path, op, "x")), 405)
        if method in ("post", "delete"):
            assert_envelope(api.request(method, filled(path, op, "x"), json={}), 401)
    assert_envelope(api.get("/api/v1/no-such-route"), 404)
    assert_envelope(api.get("/api/v1/search", params={"q": "x" * 501}), 422)
    assert_envelope(api.get("/api/v1/search"), 422)
    assert_envelope(api.get("/api/v1/search", params={"q": "سعود", "sort": "random"}), 422)
    assert_envelope(api.get("/api/v1/articles", params={"cursor": "!!"}), 400)
    assert_envelope(api.get("/api/v1/articles", params={"from": "yesterday"}), 422)


class Exploding:
    """A backend whose store fails on every call (a bug or a broken disk)."""

    def __init__(self, naba: Naba) -> None:
        self.settings = naba.settings
        self._naba = naba

    @property
    def store(self) -> Any:
        raise RuntimeError("disk on fire")

    def search(self, query: Any) -> Any:
        raise RuntimeError("index on fire")


@pytest.mark.parametrize("path", ["/api/v1/stats", "/api/v1/search?q=x", "/api/v1/articles"])
def test_a_crash_is_a_500_in_the_envelope_with_the_security_headers(day_naba: Naba, path: str) -> None:
    with TestClient(create_app(Exploding(day_naba)), raise_server_exceptions=False) as client:
        response = client.get(path)
    assert_envelope(response, 500)
    assert "fire" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
