"""The wire schemas refuse anything malformed with a validation error, and backoff stays bounded."""

from __future__ import annotations

import contextlib
import random
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sync.backoff import Backoff
from sync.protocol import PushEvent, PushRequest, payload_hash
from sync.sample import Item, sale_payload

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def event(seq: int, payload: dict, kind: str = "sale") -> dict:
    return {
        "id": str(uuid.uuid4()),
        "device_seq": seq,
        "kind": kind,
        "payload": payload,
        "payload_hash": payload_hash(payload),
    }


def a_sale() -> dict:
    return sale_payload(
        store_id="S001", till_id="T01", till_seq=1, items=[Item("1", "可乐", 2, 350)]
    )


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=12), json_values, max_size=8))
def test_a_random_sale_payload_is_refused_cleanly(payload: dict):
    """Whatever JSON arrives as a sale, validation raises ValidationError and nothing else."""
    with pytest.raises(ValidationError):
        PushEvent.model_validate(event(1, payload))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["total_fen", "lines", "created_at", "store_id", "cashier"]), json_values)
def test_a_sale_with_one_field_replaced_is_accepted_only_if_still_well_typed(field: str, value):
    """Replacing one field with arbitrary JSON never crashes the validator."""
    payload = {**a_sale(), field: value}
    with contextlib.suppress(ValidationError):
        PushEvent.model_validate(event(1, payload))


def test_a_payload_that_does_not_match_its_hash_or_float_money_is_refused():
    """Corruption in transit and floats in money fields are both caught."""
    good = event(1, a_sale())
    PushEvent.model_validate(good)
    with pytest.raises(ValidationError, match="payload_hash"):
        PushEvent.model_validate({**good, "payload_hash": "0" * 64})
    with pytest.raises(ValidationError):
        PushEvent.model_validate(event(1, {**a_sale(), "total_fen": 700.0}))


def test_a_batch_must_be_consecutive_and_at_most_500_events():
    """Gaps or disorder inside a batch, and oversized batches, are refused."""
    PushRequest.model_validate({"events": [event(1, a_sale()), event(2, a_sale())]})
    with pytest.raises(ValidationError, match="consecutive"):
        PushRequest.model_validate({"events": [event(1, a_sale()), event(3, a_sale())]})
    with pytest.raises(ValidationError, match="at most 500"):
        PushRequest.model_validate({"events": [event(n, {}, "note") for n in range(1, 502)]})


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=2**32))
def test_backoff_grows_but_never_passes_its_ceiling(failures: int, seed: int):
    """The delay is within the upper half of base × 2^(n−1), capped at max_s."""
    backoff = Backoff(base_s=2.0, max_s=300.0)
    delay = backoff.delay_s(failures, random.Random(seed))
    ceiling = min(300.0, 2.0 * 2 ** min(failures - 1, 32))
    assert ceiling / 2 <= delay <= ceiling
