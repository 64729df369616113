"""The outbox events the mall receives, built as the sync contract's pydantic models when they
are written: an event the mall would refuse fails its own transaction instead of being committed
and then blocking the outbox at push time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from pos_app.services.promotions import NO_PROMOTIONS, SalePromotions
from pos_app.services.sale_facts import LineFacts, SaleFacts
from pos_app.store.outbox import append_event

if (
    TYPE_CHECKING
):  # the contract's models (pydantic) load at the first event, after the first screen
    from sync.protocol import SaleLinePayload, SalePayload, Strict


def queue_event(session: Session, payload: Strict) -> int:
    """Append a checked payload to the outbox in the caller's transaction; its device sequence.
    Only the fields given are sent (exclude_unset), so the wire form is what was built."""
    from sync.protocol import event_kind

    return append_event(
        session, event_kind(payload), payload.model_dump(mode="json", exclude_unset=True)
    )


def _line_payload(line: LineFacts, promotions: SalePromotions) -> SaleLinePayload:
    from sync.protocol import LinePromotion, SaleLinePayload

    applied = [
        LinePromotion(rule_id=a.rule_id, name=a.name, kind=a.kind, discount_fen=a.discount_fen)
        for a in promotions.lines.get(line.line_no, ())
    ]
    return SaleLinePayload(
        line_no=line.line_no,
        sku=line.sku,
        name=line.name,
        qty=line.qty,
        weighed=line.weighed,
        unit_price_fen=line.unit_price_fen,
        gross_fen=line.gross_fen,
        discount_fen=line.discount_fen,
        net_fen=line.net_fen,
        **({"promotions": applied} if applied else {}),
    )


def sale_event_payload(sale: SaleFacts, promotions: SalePromotions = NO_PROMOTIONS) -> SalePayload:
    """A sale or refund as the mall applies it; refunds carry negative qty and amounts. A sale
    priced with promotion rules names their version, and its lines what applied to them; a
    sale with a coupon names it for the mall to redeem."""
    from sync.protocol import PaymentPayload, RefundPayload, SaleCouponPayload, SalePayload

    optional: dict[str, Any] = {}
    if promotions.version is not None:
        optional["promo_version"] = promotions.version
    if promotions.coupon is not None:
        use = promotions.coupon
        optional["coupon"] = SaleCouponPayload(
            coupon_id=use.coupon_id, reference=use.reference, discount_fen=promotions.coupon_fen
        )
    refund = sale.kind == "refund"
    if refund and sale.original_sale is not None:
        optional["original_sale_no"] = sale.original_sale.sale_no
    model = RefundPayload if refund else SalePayload
    return model(
        sale_no=sale.sale_no,
        store_id=sale.store_id,
        till_id=sale.till_id,
        till_seq=sale.till_seq,
        created_at=sale.created_at,
        cashier=sale.cashier_id,
        member_id=sale.member_id,
        subtotal_fen=sale.subtotal_fen,
        discount_fen=sale.discount_fen,
        rounding_fen=sale.rounding_fen,
        total_fen=sale.total_fen,
        points_earned=sale.points_earned,
        lines=[_line_payload(line, promotions) for line in sale.lines],
        payments=[
            PaymentPayload(kind=p.kind, amount_fen=p.amount_fen, reference=p.reference)
            for p in sale.payments
        ],
        **optional,
    )
