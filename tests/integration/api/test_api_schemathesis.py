"""schemathesis against /openapi.json (bounded examples, every operation, deterministic): no 5xx, responses
conform to the described status codes, content types and schemas, and every error is the envelope."""

from __future__ import annotations

from typing import Any, Final

import schemathesis
from api_support import tuned_client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from naba.engine.naba import Naba
from naba.web.api.envelope import CODES

# Examples per operation: enough to hit every parameter's bounds and types; CI stays within minutes.
EXAMPLES: Final = 12
CHECKS: Final = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_every_operation_holds_its_description(day_naba: Naba) -> None:
    client = tuned_client(day_naba, api_rate_limit=0.0)  # the limiter has its own test
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        def holds(case: Any) -> None:
            response = case.call()
            case.validate_response(response, checks=CHECKS)
            if response.status_code >= 400:
                body = response.json()
                assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}
                assert body["error"]["code"] == CODES[response.status_code]

        holds()
        tested.append(operation.label)
    assert len(tested) >= 20, tested
