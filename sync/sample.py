"""Sample facts shaped exactly like checkout's outbox payloads, for the demo, benches and tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple


class Item(NamedTuple):
    sku: str
    name: str
    qty: int
    unit_price_fen: int


def sale_payload(
    *,
    store_id: str,
    till_id: str,
    till_seq: int,
    items: Sequence[Item],
    created_at: datetime | None = None,
    payment_kind: str = "cash",
) -> dict[str, Any]:
    """A "sale" payload without discounts: every line's net is qty × price, paid in one tender."""
    lines = [
        {
            "line_no": number,
            "sku": item.sku,
            "name": item.name,
            "qty": item.qty,
            "weighed": False,
            "unit_price_fen": item.unit_price_fen,
            "gross_fen": item.qty * item.unit_price_fen,
            "discount_fen": 0,
            "net_fen": item.qty * item.unit_price_fen,
        }
        for number, item in enumerate(items, start=1)
    ]
    total_fen = sum(item.qty * item.unit_price_fen for item in items)
    return {
        "sale_no": f"{store_id}-{till_id}-{till_seq:06d}",
        "store_id": store_id,
        "till_id": till_id,
        "till_seq": till_seq,
        "created_at": (created_at or datetime.now(UTC)).isoformat(),
        "cashier": "1001",
        "member_id": None,
        "subtotal_fen": total_fen,
        "discount_fen": 0,
        "rounding_fen": 0,
        "total_fen": total_fen,
        "lines": lines,
        "payments": [{"kind": payment_kind, "amount_fen": total_fen, "reference": ""}],
    }


def refund_payload(sale: dict[str, Any], *, till_seq: int) -> dict[str, Any]:
    """A full refund of `sale` (kind "refund"): the same lines with qty and amounts negated."""
    money = ("gross_fen", "discount_fen", "net_fen")
    lines = [
        {**line, "qty": -line["qty"], **{key: -line[key] for key in money}}
        for line in sale["lines"]
    ]
    totals = ("subtotal_fen", "discount_fen", "rounding_fen", "total_fen")
    return {
        **sale,
        **{key: -sale[key] for key in totals},
        "sale_no": f"{sale['store_id']}-{sale['till_id']}-{till_seq:06d}",
        "till_seq": till_seq,
        "original_sale_no": sale["sale_no"],
        "created_at": datetime.now(UTC).isoformat(),
        "lines": lines,
        "payments": [{**pay, "amount_fen": -pay["amount_fen"]} for pay in sale["payments"]],
    }
