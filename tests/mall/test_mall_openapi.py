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
from tests.mall.customer_support import Shopper


def test_the_api_answers_every_generated_request_as_documented(served: ServedMall):
    """Generated requests to every operation, with valid device credentials (the customer API
    with a customer's session)."""
    auth = served.new_device().auth
    customer = {"Authorization": f"Bearer {Shopper(served.base_url, 'fuzz').log_in()['token']}"}
    schema = schemathesis.openapi.from_url(f"{served.base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    # sync 9, payments 8, members 5, receipts 1, customer 26 (3 of them top-ups), coupons 5
    assert len(operations) == 54

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case: schemathesis.Case) -> None:
            headers = customer if case.path.startswith("/customer/") else auth
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        answers_as_documented()
