"""Bad input to the sync API gets a clear 4xx with an ErrorBody, never a 500, and changes
nothing."""

from __future__ import annotations

import gzip
import json

import pytest
import requests
from sqlalchemy import func, select

from mall.db import MallDatabase
from mall.devices import revoke
from mall.models import AppliedEventRow, DeviceRow, SaleRow, StockMoveRow
from sync.protocol import payload_hash
from tests.mall.conftest import Device, ServedMall, sale_event


def snapshot_of(db: MallDatabase) -> tuple[int, ...]:
    with db.read() as session:
        counts = [
            session.scalar(select(func.count()).select_from(model))
            for model in (SaleRow, StockMoveRow, AppliedEventRow)
        ]
        return (*counts, session.scalar(select(func.max(DeviceRow.last_seq))))


def expect_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"code", "message", "expected_seq", "errors"} and body["message"]
    if code:
        assert body["code"] == code
    return body


def test_a_good_batch_is_accepted_so_the_refusals_below_are_about_the_input(device: Device):
    """The control case: two sales, gzip-compressed, are applied."""
    body = gzip.compress(json.dumps({"events": [sale_event(1), sale_event(2)]}).encode())
    answer = device.post(
        "/sync/push",
        data=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert answer.status_code == 200 and answer.json()["acked_through_seq"] == 2


@pytest.mark.parametrize(
    ("name", "body", "headers", "status", "code"),
    [
        ("malformed JSON", b'{"events": [', {}, 422, "invalid_request"),
        ("not an object", b"[1, 2]", {}, 422, "invalid_request"),
        ("unknown field", b'{"events": [], "extra": 1}', {}, 422, "invalid_request"),
        ("broken gzip", b"\x1f\x8b\x08\x00garbage", {"Content-Encoding": "gzip"}, 400, "bad_gzip"),
        (
            "gzip bomb",
            gzip.compress(b" " * (2 * 1024 * 1024)),
            {"Content-Encoding": "gzip"},
            413,
            "body_too_large",
        ),
        ("oversized body", b" " * (300 * 1024), {}, 413, "body_too_large"),
        ("odd encoding", b"{}", {"Content-Encoding": "br"}, 415, "unsupported_encoding"),
        (
            "too many events",
            json.dumps({"events": [sale_event(n, qty=1) for n in range(1, 502)]}).encode(),
            {},
            413,
            None,
        ),
        (
            "float money",
            json.dumps(
                {
                    "events": [
                        {**sale_event(1), "payload": {**sale_event(1)["payload"], "total_fen": 1.5}}
                    ]
                }
            ).encode(),
            {},
            422,
            "invalid_request",
        ),
        (
            "hash mismatch",
            json.dumps({"events": [{**sale_event(1), "payload_hash": "0" * 64}]}).encode(),
            {},
            422,
            "invalid_request",
        ),
        (
            "gap inside batch",
            json.dumps({"events": [sale_event(1), sale_event(3)]}).encode(),
            {},
            422,
            "invalid_request",
        ),
    ],
)
def test_malformed_pushes_are_refused_with_a_clear_4xx_and_change_nothing(
    device: Device,
    served: ServedMall,
    name: str,
    body: bytes,
    headers: dict,
    status: int,
    code: str | None,
):
    """Each broken request is answered with its own status and code; the database is untouched."""
    before = snapshot_of(served.db)
    answer = device.post(
        "/sync/push", data=body, headers={"Content-Type": "application/json", **headers}
    )
    expect_error(answer, status, code)
    assert snapshot_of(served.db) == before, name


def test_a_batch_of_501_small_events_is_refused_as_too_many(device: Device):
    """Even when it fits the size limit, a batch over 500 events is a 422."""
    events = [
        {
            **sale_event(n),
            "kind": "note",
            "payload": {},
            "payload_hash": payload_hash({}),
        }
        for n in range(1, 502)
    ]
    body = expect_error(device.post("/sync/push", json={"events": events}), 422, "invalid_request")
    assert "500" in json.dumps(body["errors"])


def test_another_stores_sale_is_refused_and_nothing_of_the_batch_is_applied(
    device: Device, served: ServedMall
):
    """A device of S001 pushing a sale of S002 gets 400 for the whole batch."""
    before = snapshot_of(served.db)
    answer = device.post("/sync/push", json={"events": [sale_event(1), sale_event(2, "S002")]})
    expect_error(answer, 400, "wrong_store")
    assert snapshot_of(served.db) == before


def test_a_gap_gets_409_with_the_expected_seq(device: Device, served: ServedMall):
    """Starting at seq 5 on a fresh device: 409 and expected_seq 1."""
    body = expect_error(device.post("/sync/push", json={"events": [sale_event(5)]}), 409, "seq_gap")
    assert body["expected_seq"] == 1


def test_no_credentials_wrong_secret_and_a_revoked_device_are_refused(
    device: Device, served: ServedMall
):
    """401 without or with wrong credentials; 403 once revoked; the pairing code is spent."""
    for headers in (
        {},
        {"Authorization": f"Device {device.device_id}:wrong"},
        {"Authorization": "Bearer x"},
        {"Authorization": "Device " + "x" * 5000},
    ):
        answer = requests.get(f"{device.base_url}/api/v1/sync/changes", headers=headers, timeout=10)
        expect_error(answer, 401, "unauthorized")
        assert answer.headers["WWW-Authenticate"] == "Device"
    with served.db.write() as session:
        revoke(session, device.device_id)
    expect_error(device.get("/sync/changes"), 403, "device_revoked")
    expect_error(device.post("/sync/push", json={"events": [sale_event(1)]}), 403, "device_revoked")


def test_bad_query_and_path_parameters_are_422_and_unknown_things_404(device: Device):
    """Negative cursors, huge pages, a non-uuid order id: 422; an unknown sku or order: 404."""
    expect_error(device.get("/sync/changes", params={"cursor": -1}), 422)
    expect_error(device.get("/sync/changes", params={"limit": 100000}), 422)
    expect_error(device.get("/stock/nosuch"), 404, "not_found")
    expect_error(device.post("/orders/not-a-uuid/handover", json={"pickup_code": "1234"}), 422)
    expect_error(
        device.post(
            "/orders/00000000-0000-0000-0000-000000000000/handover", json={"pickup_code": "1234"}
        ),
        404,
        "not_found",
    )
