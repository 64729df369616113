"""Payloads of the outbox events the mall receives (the shape is the sync contract)."""

from __future__ import annotations

from typing import Any

from pos_app.store.models import Sale


def sale_event_payload(sale: Sale) -> dict[str, Any]:
    """A sale or refund as the mall applies it; refunds carry negative qty and amounts."""
    payload: dict[str, Any] = {
        "sale_no": sale.sale_no,
        "store_id": sale.store_id,
        "till_id": sale.till_id,
        "till_seq": sale.till_seq,
        "created_at": sale.created_at.isoformat(),
        "cashier": sale.cashier_id,
        "member_id": sale.member_id,
        "subtotal_fen": sale.subtotal_fen,
        "discount_fen": sale.discount_fen,
        "rounding_fen": sale.rounding_fen,
        "total_fen": sale.total_fen,
        "points_earned": sale.points_earned,
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "name": line.name,
                "qty": line.qty,
                "weighed": line.weighed,
                "unit_price_fen": line.unit_price_fen,
                "gross_fen": line.gross_fen,
                "discount_fen": line.discount_fen,
                "net_fen": line.net_fen,
            }
            for line in sale.lines
        ],
        "payments": [
            {"kind": p.kind, "amount_fen": p.amount_fen, "reference": p.reference}
            for p in sale.payments
        ],
    }
    if sale.kind == "refund" and sale.original_sale is not None:
        payload["original_sale_no"] = sale.original_sale.sale_no
    return payload
