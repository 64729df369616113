"""What an applied event does to the mall's data: sales with lines and payments, stock moves,
and (mall.members.effects) members' points, holds and claims.

Rows are collected for a whole batch and inserted with one executemany per table, inside the
push transaction, so 500 sales cost a handful of statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from mall.devices import DeviceIdentity
from mall.members.effects import MemberEvent, apply_member_events
from mall.models import (
    AppliedEventRow,
    SaleLineRow,
    SalePaymentRow,
    SaleRow,
    StockMoveRow,
    utc_now,
)
from mall.stock import add_moves
from sync.protocol import (
    MemberSignupPayload,
    PushEvent,
    RefundPayload,
    SalePayload,
    StockPayload,
    Strict,
    TopUpPayload,
    canonical_json,
)


@dataclass
class Effects:
    device: DeviceIdentity
    tables: dict[type[Any], list[dict[str, Any]]] = field(default_factory=dict)
    member_events: list[MemberEvent] = field(default_factory=list)

    def _add(self, table: type[Any], row: dict[str, Any]) -> None:
        self.tables.setdefault(table, []).append(row)

    def apply(self, event: PushEvent, payload: Strict | None) -> None:
        """Record the event as applied, with its effects (none for a kind not known here)."""
        event_id = str(event.id)
        self._add(
            AppliedEventRow,
            {
                "event_id": event_id,
                "device_id": self.device.device_id,
                "device_seq": event.device_seq,
                "kind": event.kind,
                "payload_hash": event.payload_hash,
                "payload": None if payload is not None else canonical_json(event.payload),
                "applied_at": utc_now(),
            },
        )
        if isinstance(payload, SalePayload):
            self._sale(event_id, event.kind, payload)
        elif isinstance(payload, StockPayload):
            self._move(payload.sku, payload.delta, payload.reason, payload.ref, event_id)
        if isinstance(payload, SalePayload | MemberSignupPayload | TopUpPayload):
            self.member_events.append((event, payload))

    def _move(self, sku: str, delta: int, reason: str, ref: str, event_id: str) -> None:
        self._add(
            StockMoveRow,
            {
                "store_id": self.device.store_id,
                "sku": sku,
                "delta": delta,
                "reason": reason,
                "ref": ref,
                "event_id": event_id,
            },
        )

    def _sale(self, event_id: str, kind: str, sale: SalePayload) -> None:
        self._add(
            SaleRow,
            {
                "id": event_id,
                "store_id": sale.store_id,
                "till_id": sale.till_id,
                "device_id": self.device.device_id,
                "source": "till",
                "kind": kind,
                "sale_no": sale.sale_no,
                "original_sale_no": sale.original_sale_no
                if isinstance(sale, RefundPayload)
                else None,
                "till_seq": sale.till_seq,
                "created_at": sale.created_at,
                "cashier": str(sale.cashier),
                "member_id": sale.member_id,
                "subtotal_fen": sale.subtotal_fen,
                "discount_fen": sale.discount_fen,
                "rounding_fen": sale.rounding_fen,
                "total_fen": sale.total_fen,
                "points_earned": sale.points_earned,
                "promo_version": sale.promo_version,
            },
        )
        for line in sale.lines:
            promotions = [p.model_dump() for p in line.promotions]
            self._add(
                SaleLineRow,
                {
                    "sale_id": event_id,
                    **line.model_dump(exclude={"promotions"}),
                    "promotions": canonical_json(promotions) if promotions else "",
                },
            )
            # A sale takes goods out (qty > 0), a refund puts them back (qty < 0).
            self._move(line.sku, -line.qty, kind, sale.sale_no, event_id)
        for payment in sale.payments:
            self._add(SalePaymentRow, {"sale_id": event_id, **payment.model_dump()})

    def write(self, session: Session) -> None:
        for table in (AppliedEventRow, SaleRow, SaleLineRow, SalePaymentRow):
            rows = self.tables.get(table)
            if rows:
                session.execute(insert(table), rows)
        add_moves(session, self.tables.get(StockMoveRow, []))
        apply_member_events(session, self.device, self.member_events)
