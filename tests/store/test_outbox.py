"""The outbox on day 365: the pusher's queries read only unacknowledged events, pruning is
batched and keeps the newest event so the device sequence stays gapless."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from pos_app.store.db import Database
from pos_app.store.models import OutboxEvent, utc_now
from pos_app.store.outbox import (
    append_event,
    mark_acked,
    pending_events,
    prune_acked_batch,
    record_conflicts,
)


def test_pending_and_ack_use_the_partial_index_of_unacknowledged_events(db: Database) -> None:
    """SQLite's plan for the pusher's SELECT and for the ack names ix_outbox_unacked."""
    with db.write() as session:
        for n in range(3):
            append_event(session, "sale", {"n": n})
    with db.read() as session:
        pending = select(OutboxEvent.device_seq).where(OutboxEvent.acked_at.is_(None))
        query = pending.order_by(OutboxEvent.device_seq).limit(500)
        compiled = query.compile(compile_kwargs={"literal_binds": True})
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        assert "ix_outbox_unacked" in str(plan)
    with db.write() as session:
        assert mark_acked(session, first_seq=1, through_seq=2) == 2
        assert [e.device_seq for e in pending_events(session, limit=10)] == [3]


def test_pruning_goes_in_short_batches_and_never_takes_the_newest_event(db: Database) -> None:
    """Each call deletes at most its batch; the last event survives and numbering goes on."""
    with db.write() as session:
        for n in range(25):
            append_event(session, "sale", {"n": n})
        session.execute(update(OutboxEvent).values(acked_at=utc_now() - timedelta(days=30)))
    later = utc_now()
    with db.write() as session:
        assert prune_acked_batch(session, acked_before=later, limit=10) == 10
    with db.write() as session:
        assert prune_acked_batch(session, acked_before=later, limit=10) == 10
    with db.write() as session:
        assert prune_acked_batch(session, acked_before=later, limit=10) == 4
        assert prune_acked_batch(session, acked_before=later, limit=10) == 0
        assert append_event(session, "sale", {"n": 25}) == 26
        seqs = session.scalars(select(OutboxEvent.device_seq).order_by(OutboxEvent.device_seq))
        assert list(seqs) == [25, 26]
        assert session.scalar(select(func.count()).select_from(OutboxEvent)) == 2


def test_pruning_keeps_an_event_in_conflict_for_a_person(db: Database) -> None:
    """An acknowledged event the mall recorded as a conflict is neither pending nor pruned."""
    with db.write() as session:
        for n in range(3):
            append_event(session, "sale", {"n": n})
        session.execute(update(OutboxEvent).values(acked_at=utc_now() - timedelta(days=30)))
        first = session.scalars(select(OutboxEvent.id).where(OutboxEvent.device_seq == 1)).one()
        record_conflicts(session, {first: "price_mismatch"})
    with db.write() as session:
        assert prune_acked_batch(session, acked_before=utc_now(), limit=10) == 1
        seqs = session.scalars(select(OutboxEvent.device_seq).order_by(OutboxEvent.device_seq))
        assert list(seqs) == [1, 3]
        assert pending_events(session, limit=10) == []
