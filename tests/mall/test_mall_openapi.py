"""Schemathesis against the served mall's own OpenAPI document: whatever it sends, no 5xx, and
every answer matches the document (status codes, content types, bodies).

One check is left out: "schema-valid data must be accepted" cannot hold for a push, whose rules
go beyond JSON Schema (a payload_hash must be the sha256 of its payload, device_seq values must
be consecutive, an integer must not arrive as 6.0).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.mall.conftest import ServedMall


def test_the_api_answers_every_generated_request_as_documented(served: ServedMall):
    """Generated requests to every operation, with valid device credentials."""
    auth = served.new_device().auth
    schema = schemathesis.openapi.from_url(f"{served.base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 22  # sync 8, payments 7, members 6, claimed receipts 1

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=auth, excluded_checks=[positive_data_acceptance])

        answers_as_documented()
