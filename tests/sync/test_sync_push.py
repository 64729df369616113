"""Push: every outbox event reaches the mall exactly once, whatever is repeated or lost."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from pos_app.services.events import queue_event
from pos_app.store.models import OutboxEvent, utc_now
from pos_app.store.outbox import ACKED_RETENTION, append_event, count_pending
from sync.engine import as_push_event
from sync.protocol import (
    PushEvent,
    RefundPayload,
    ShiftClosePayload,
    StockPayload,
    payload_hash,
)
from sync.sample import refund_payload
from tests.sync.conftest import COLA, NOODLES, WATER, Mall


def outbox(till_db) -> list[PushEvent]:
    with till_db.read() as session:
        rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.device_seq)).all()
        return [as_push_event(row) for row in rows]


def test_sales_are_applied_once_and_a_replayed_batch_changes_nothing(mall: Mall, make_till):
    """A batch sent twice is acknowledged twice but counted once, stock included."""
    till = make_till()
    engine = till.pair(mall)
    till.sell(COLA, WATER, count=10)
    assert engine.push() == 10
    replay = engine.client.push(outbox(till.db))
    assert (replay.applied, replay.replayed, replay.acked_through_seq) == (0, 10, 10)
    assert mall.sales("S001") == (10, 10 * 550)
    assert mall.stock("S001", COLA.sku) == -10


def test_the_same_event_id_with_another_payload_is_a_reported_conflict_not_an_overwrite(
    mall: Mall, make_till
):
    """A changed payload under an applied id is recorded as a conflict and never applied."""
    till = make_till()
    engine = till.pair(mall)
    till.sell(NOODLES)
    engine.push()
    event = outbox(till.db)[0]
    changed = {**event.payload, "total_fen": 1}
    forged = event.model_copy(update={"payload": changed, "payload_hash": payload_hash(changed)})
    answer = engine.client.push([forged])
    assert [c.reason for c in answer.conflicts] == ["payload_mismatch"]
    assert answer.acked_through_seq == 1
    assert engine.client.push([forged]).conflicts[0].reason == "payload_mismatch"
    assert mall.sales("S001") == (1, 450)


def test_a_sale_number_seen_before_under_a_new_event_id_is_a_conflict(mall: Mall, make_till):
    """A restored till that re-rings an applied sale under a new id does not double it."""
    till = make_till()
    engine = till.pair(mall)
    till.sell(COLA)
    engine.push()
    with till.db.write() as session:
        first = session.scalar(select(OutboxEvent))
        append_event(session, "sale", json.loads(first.payload))
    engine.push()
    assert mall.sales("S001") == (1, 350)
    assert engine.status().conflicts == 1


def test_a_gap_is_refused_with_the_expected_seq_and_the_till_resends_from_there(
    mall: Mall, make_till
):
    """When the mall lacks events the till thought acknowledged, the till sends them again."""
    till = make_till()
    engine = till.pair(mall)
    till.sell(COLA, count=3)
    engine.push()
    till.sell(WATER, count=4)
    with till.db.write() as session:  # as if seq 4 and 5 had been acknowledged and then lost
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.device_seq <= 5)
            .values(acked_at=OutboxEvent.created_at)
        )
    assert engine.push() >= 4
    with till.db.read() as session:
        assert count_pending(session) == 0
    assert mall.sales("S001") == (7, 3 * 350 + 4 * 200)


SHIFT_CLOSE = {
    "till_id": "T01",
    "shift_id": 1,
    "z_no": 1,
    "net_fen": 0,
    "by_tender": {"cash": 0},
    "expected_cash_fen": 0,
    "counted_cash_fen": 0,
}


def test_refunds_and_stock_events_move_the_store_ledger(mall: Mall, make_till):
    """A refund puts goods back and counts negative; a stock receipt adds to on hand."""
    till = make_till()
    engine = till.pair(mall)
    till.sell(COLA, NOODLES)
    with till.db.write() as session:
        sale = json.loads(session.scalar(select(OutboxEvent.payload)))
        queue_event(session, RefundPayload.model_validate(refund_payload(sale, till_seq=2)))
        queue_event(session, StockPayload(sku=COLA.sku, delta=24, reason="receive", ref="PO-1"))
        queue_event(session, ShiftClosePayload(**SHIFT_CLOSE))
    engine.push()
    assert mall.sales("S001") == (2, 0)
    assert mall.stock("S001", COLA.sku) == 24
    assert mall.stock("S001", NOODLES.sku) == 0


def test_the_outbox_stays_bounded_after_pruning_and_the_sequence_carries_on(mall: Mall, make_till):
    """Acknowledged events older than the retention go (the newest stays to carry the gapless
    sequence); recently acknowledged ones stay; later sales still reach the mall in order."""
    till = make_till()
    engine = till.pair(mall)
    till.sell(COLA, count=30)
    engine.push()
    assert engine.prune_outbox() == 0  # acknowledged just now: kept for the retention period
    week_later = utc_now() + ACKED_RETENTION + timedelta(hours=1)
    assert engine.prune_outbox(now=week_later) == 29
    assert [event.device_seq for event in outbox(till.db)] == [30]
    till.sell(WATER, count=5)
    assert engine.push() == 5
    assert [event.device_seq for event in outbox(till.db)] == [30, 31, 32, 33, 34, 35]
    assert engine.prune_outbox(now=week_later + timedelta(days=1)) == 5
    assert len(outbox(till.db)) == 1
    assert mall.sales("S001") == (35, 30 * 350 + 5 * 200)
