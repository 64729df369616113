"""A till of one store talking raw JSON to the real mall with its own device credentials: the
attacker's view used by the trust-boundary tests."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from sync.protocol import payload_hash
from sync.sample import Item, sale_payload
from tests.mall.conftest import Device
from tests.sync.conftest import Mall


@dataclass
class Till:
    """A device of one store talking raw JSON to the mall, as an attacker with its credentials."""

    device: Device
    store_id: str
    till_id: str
    seqs: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    till_seqs: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def sale(self, *items: Item, **fields: Any) -> dict[str, Any]:
        payload = sale_payload(
            store_id=self.store_id,
            till_id=self.till_id,
            till_seq=next(self.till_seqs),
            items=items,
        )
        return payload | fields

    @staticmethod
    def event(kind: str, payload: dict[str, Any], seq: int) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "device_seq": seq,
            "kind": kind,
            "payload": payload,
            "payload_hash": payload_hash(payload),
        }

    def push(self, kind: str, payload: dict[str, Any]) -> requests.Response:
        """Push one event; the next sequence is used only if the mall took it."""
        seq = next(self.seqs)
        event = self.event(kind, payload, seq)
        answer = self.device.post("/sync/push", json={"events": [event]})
        if answer.status_code != 200:
            self.seqs = itertools.count(seq)
        return answer

    def hold(
        self, member_id: str, amount_fen: int, shown_code: str, kind: str = "stored_value"
    ) -> str:
        """A hold for a member who first shows their code at this till (as the mall requires)."""
        shown = self.device.post("/members/lookup", json={"code": shown_code})
        assert shown.status_code == 200, shown.text
        body = {
            "request_id": uuid.uuid4().hex,
            "member_id": member_id,
            "kind": kind,
            "amount_fen": amount_fen,
        }
        answer = self.device.post("/members/holds", json=body)
        assert answer.status_code == 200, answer.text
        return answer.json()["hold_id"]


def paired(mall: Mall, store_id: str, till_id: str = "T01") -> Till:
    answer = requests.post(
        f"{mall.base_url}/api/v1/pair",
        json={"code": mall.pair_code(store_id), "till_id": till_id},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return Till(Device(mall.base_url, body["device_id"], body["device_secret"]), store_id, till_id)
