"""The device identity fixes store and till: what a device says about itself is checked, one
device per till number, one sale per till number, and a conflict is never counted as delivered."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from mall.devices import revoke
from mall.members.models import MemberRow
from mall.models import ConflictRow, DeviceRow
from pos_app.store.models import OutboxConflict, OutboxEvent
from pos_app.ui.sync_bridge import status_text
from sync.errors import SyncRejected
from sync.protocol import PushEvent, payload_hash
from sync.sample import sale_payload
from tests.sync.conftest import COLA, Mall

TIMEOUT_S = 10


def forged(device_seq: int, kind: str, payload: dict[str, Any]) -> PushEvent:
    return PushEvent(
        id=uuid.uuid4(),
        device_seq=device_seq,
        kind=kind,
        payload=payload,
        payload_hash=payload_hash(payload),
    )


def review_rows(mall: Mall) -> int:
    with mall.db.read() as session:
        return session.scalar(select(func.count()).select_from(ConflictRow)) or 0


@pytest.mark.parametrize("till_id", ["T02", "ZZZ"])
def test_a_sale_naming_another_till_is_refused_whole_and_never_stored(
    mall: Mall, make_till, till_id: str
):
    """Device T01 pushing a sale of another till number gets 400 wrong_till; nothing is kept."""
    till = make_till()
    engine = till.pair(mall)
    good = sale_payload(store_id="S001", till_id="T01", till_seq=1, items=[COLA])
    bad = sale_payload(store_id="S001", till_id=till_id, till_seq=2, items=[COLA])
    with pytest.raises(SyncRejected) as refused:
        engine.client.push([forged(1, "sale", good), forged(2, "sale", bad)])
    assert (refused.value.status, refused.value.code) == (400, "wrong_till")
    assert mall.sales("S001") == (0, 0) and review_rows(mall) == 0
    assert engine.client.push([forged(1, "sale", good)]).applied == 1


def test_a_signup_for_another_store_is_refused_and_creates_no_member(mall: Mall, make_till):
    """A member_signup of store S001's device naming S002 is refused (400 wrong_store)."""
    engine = make_till().pair(mall)
    signup = {
        "phone": "13912345678",
        "name": "",
        "store_id": "S002",
        "created_at": datetime.now(UTC).isoformat(),
    }
    with pytest.raises(SyncRejected) as refused:
        engine.client.push([forged(1, "member_signup", signup)])
    assert (refused.value.status, refused.value.code) == (400, "wrong_store")
    with mall.db.read() as session:
        assert session.scalar(select(func.count()).select_from(MemberRow)) == 0


def test_a_second_device_cannot_pair_as_a_till_that_is_paired(mall: Mall):
    """Pairing T01 again is refused with till_taken and the code stays usable for T02; once the
    old device is unpaired, T01 can be paired again."""
    url = f"{mall.base_url}/api/v1/pair"
    first = requests.post(url, json={"code": mall.pair_code(), "till_id": "T01"}, timeout=10)
    assert first.status_code == 200
    code = mall.pair_code()
    again = requests.post(url, json={"code": code, "till_id": "T01"}, timeout=TIMEOUT_S)
    assert (again.status_code, again.json()["code"]) == (409, "till_taken")
    other = requests.post(url, json={"code": code, "till_id": "T02"}, timeout=TIMEOUT_S)
    assert other.status_code == 200
    with mall.db.write() as session:
        revoke(session, first.json()["device_id"])
    replaced = requests.post(url, json={"code": mall.pair_code(), "till_id": "T01"}, timeout=10)
    assert replaced.status_code == 200


def test_parallel_pairings_of_one_till_number_pair_exactly_one_device(mall: Mall):
    """Eight devices pairing as T05 at the same moment: one is paired, seven are refused."""
    url = f"{mall.base_url}/api/v1/pair"
    codes = [mall.pair_code() for _ in range(8)]

    def pair(code: str) -> int:
        return requests.post(url, json={"code": code, "till_id": "T05"}, timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(pair, codes))
    assert sorted(statuses) == [200] + [409] * 7
    with mall.db.read() as session:
        paired = select(func.count()).where(DeviceRow.till_id == "T05")
        assert session.scalar(paired) == 1


def test_a_replaced_till_reusing_sale_numbers_keeps_and_shows_its_conflicts(
    mall: Mall, make_till, tmp_path
):
    """A till paired in place of another that starts its numbers again: the three sales whose
    numbers are taken are conflicts the mall lists; the till keeps them and shows them, never
    as delivered."""
    old = make_till()
    old_engine = old.pair(mall)
    old.sell(COLA, count=3)
    assert old_engine.push() == 3
    with mall.db.write() as session:
        [device_id] = session.scalars(select(DeviceRow.id)).all()
        revoke(session, device_id)
    new = make_till(till_id="T01", store_id="S001", name="replacement")
    engine = new.pair(mall)
    new.sell(COLA, count=6)
    assert engine.push() == 3
    assert mall.sales("S001") == (6, 6 * 350)
    status = engine.status()
    assert (status.pending, status.conflicts) == (0, 3)
    assert "冲突3条" in status_text(status)
    with new.db.read() as session:
        kept = session.scalars(select(OutboxEvent).where(OutboxEvent.acked_at.is_(None))).all()
        reasons = session.scalars(select(OutboxConflict.reason)).all()
        assert len(kept) == 3 and reasons == ["duplicate_sale_no"] * 3
    assert review_rows(mall) == 3
