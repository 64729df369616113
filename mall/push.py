"""Applying a device's pushed events exactly once (DESIGN §7).

The device row is locked for the whole transaction, so two copies of one request (a retry, a
duplicating proxy) run one after the other and the second finds everything already applied.
An event at or below the device's last sequence is a replay: acknowledged without effect if it
is the same event, else a conflict. A new event is applied with its effects, unless it reuses
an event id or a sale number (a conflict, recorded for a person, never applied silently).
Facts are never refused for business reasons: negative stock or an unknown sku still count.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from mall.devices import DeviceIdentity
from mall.effects import Effects
from mall.errors import Invalid, SeqGap, Unauthorized
from mall.models import AppliedEventRow, ConflictRow, DeviceRow, SaleRow, utc_now
from sync.protocol import (
    Conflict,
    ConflictReason,
    PushEvent,
    PushResponse,
    SalePayload,
    Strict,
    canonical_json,
)

_MESSAGES: dict[ConflictReason, str] = {
    "payload_mismatch": "an event with this id was applied with a different payload",
    "seq_taken": "another event was already applied at this device_seq",
    "id_reused": "this event id was already applied at another device_seq",
    "duplicate_sale_no": "a sale with this sale_no was already applied for this store",
    "duplicate_till_seq": "a sale with this till_seq was already applied for this till",
}


def _check_identity(
    device: DeviceIdentity, typed: Sequence[tuple[PushEvent, Strict | None]]
) -> None:
    """The device's pairing fixes the store and till of every fact it sends: an event naming
    another store or till is refused whole (400), before anything is stored."""
    for event, payload in typed:
        store_id = getattr(payload, "store_id", device.store_id)
        if store_id != device.store_id:
            raise Invalid(
                "wrong_store",
                f"event {event.device_seq} is for store {store_id}; "
                f"this device belongs to store {device.store_id}",
            )
        if isinstance(payload, SalePayload) and payload.till_id != device.till_id:
            raise Invalid(
                "wrong_till",
                f"event {event.device_seq} is for till {payload.till_id}; "
                f"this device is till {device.till_id}",
            )


class _Batch:
    """One push request being applied inside the caller's transaction."""

    def __init__(self, session: Session, device: DeviceIdentity) -> None:
        self.session = session
        self.device = device
        self.effects = Effects(device)
        self.conflicts: list[Conflict] = []
        self.conflict_rows: list[dict[str, object]] = []
        self.replayed = 0
        self.applied = 0

    def conflict(self, event: PushEvent, reason: ConflictReason) -> None:
        self.conflicts.append(
            Conflict(
                event_id=event.id,
                device_seq=event.device_seq,
                reason=reason,
                message=_MESSAGES[reason],
            )
        )
        self.conflict_rows.append(
            {
                "device_id": self.device.device_id,
                "event_id": str(event.id),
                "device_seq": event.device_seq,
                "reason": reason,
                "kind": event.kind,
                "payload": canonical_json(event.payload),
                "payload_hash": event.payload_hash,
                "created_at": utc_now(),
            }
        )

    def replays(self, events: Sequence[PushEvent]) -> None:
        if not events:
            return
        applied = {
            seq: (event_id, digest)
            for seq, event_id, digest in self.session.execute(
                select(
                    AppliedEventRow.device_seq,
                    AppliedEventRow.event_id,
                    AppliedEventRow.payload_hash,
                ).where(
                    AppliedEventRow.device_id == self.device.device_id,
                    AppliedEventRow.device_seq.between(events[0].device_seq, events[-1].device_seq),
                )
            )
        }
        for event in events:
            before = applied.get(event.device_seq)
            if before == (str(event.id), event.payload_hash):
                self.replayed += 1
            elif before is not None and before[0] == str(event.id):
                self.conflict(event, "payload_mismatch")
            else:
                self.conflict(event, "seq_taken")

    def new(self, typed: Sequence[tuple[PushEvent, Strict | None]]) -> None:
        if not typed:
            return
        ids = [str(event.id) for event, _ in typed]
        seen_ids = set(
            self.session.scalars(
                select(AppliedEventRow.event_id).where(AppliedEventRow.event_id.in_(ids))
            )
        )
        sales = [p for _, p in typed if isinstance(p, SalePayload)]
        seen_nos = set(
            self.session.scalars(
                select(SaleRow.sale_no).where(
                    SaleRow.store_id == self.device.store_id,
                    SaleRow.sale_no.in_([p.sale_no for p in sales]),
                )
            )
        )
        seen_seqs = set(
            self.session.scalars(
                select(SaleRow.till_seq).where(
                    SaleRow.store_id == self.device.store_id,
                    SaleRow.till_id == self.device.till_id,
                    SaleRow.till_seq.in_([p.till_seq for p in sales]),
                )
            )
        )
        for event, payload in typed:
            if str(event.id) in seen_ids:
                self.conflict(event, "id_reused")
                continue
            if isinstance(payload, SalePayload):
                if payload.sale_no in seen_nos:
                    self.conflict(event, "duplicate_sale_no")
                    continue
                if payload.till_seq in seen_seqs:
                    self.conflict(event, "duplicate_till_seq")
                    continue
                seen_nos.add(payload.sale_no)
                seen_seqs.add(payload.till_seq)
            seen_ids.add(str(event.id))
            self.effects.apply(event, payload)
            self.applied += 1

    def write_conflicts(self) -> None:
        """Insert the conflicts not recorded before (a replayed conflict is reported again)."""
        if not self.conflict_rows:
            return
        keys = [
            (row["device_seq"], row["event_id"], row["payload_hash"]) for row in self.conflict_rows
        ]
        known = set(
            self.session.execute(
                select(
                    ConflictRow.device_seq, ConflictRow.event_id, ConflictRow.payload_hash
                ).where(
                    ConflictRow.device_id == self.device.device_id,
                    tuple_(
                        ConflictRow.device_seq, ConflictRow.event_id, ConflictRow.payload_hash
                    ).in_(keys),
                )
            )
        )
        fresh = [row for row, key in zip(self.conflict_rows, keys, strict=True) if key not in known]
        if fresh:
            self.session.execute(insert(ConflictRow), fresh)


def apply_push(
    session: Session, device: DeviceIdentity, events: Sequence[PushEvent]
) -> PushResponse:
    """Apply a consecutive batch of the device's events; raise SeqGap if some are missing."""
    typed = [(event, event.typed_payload()) for event in events]
    _check_identity(device, typed)
    row = session.scalar(
        select(DeviceRow).where(DeviceRow.id == device.device_id).with_for_update()
    )
    if row is None or row.revoked_at is not None:
        raise Unauthorized("unknown or revoked device")
    last = row.last_seq
    if events and events[0].device_seq > last + 1:
        raise SeqGap(last + 1)
    batch = _Batch(session, device)
    batch.replays([event for event, _ in typed if event.device_seq <= last])
    batch.new([(event, payload) for event, payload in typed if event.device_seq > last])
    batch.effects.write(session)
    batch.write_conflicts()
    row.last_seq = max(last, events[-1].device_seq) if events else last
    return PushResponse(
        acked_through_seq=row.last_seq,
        applied=batch.applied,
        replayed=batch.replayed,
        conflicts=batch.conflicts,
    )
