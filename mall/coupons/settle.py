"""What a pushed sale or refund does to its coupon (called inside the push transaction): a
sale redeems the coupon it names, once; a refund that returns the whole sale gives the coupon
back if it is still valid. What the mall does not take (a coupon redeemed elsewhere, held by
another till, expired or unknown) stays the till's claim, for review (mall.reviews)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mall.coupons.ledger import add_entry, locked_coupon, status_of, token_of
from mall.coupons.models import CouponRow
from mall.devices import DeviceIdentity
from mall.models import SaleLineRow, SaleRow
from mall.reviews import record_review
from sync.protocol import PushEvent, SaleCouponPayload, SalePayload


def _unsettled(row: CouponRow, use: SaleCouponPayload, sale: SalePayload, now: datetime) -> str:
    """Why the sale may not redeem the coupon ("" when it may), for the review."""
    own_hold = row.status == "held" and row.hold_id == use.reference
    status = status_of(row, sale.created_at)
    if row.status == "redeemed":
        return f"already redeemed by sale {row.sale_id} at store {row.store_id}"
    if status == "expired":
        return f"expired at {row.expires_at:%Y-%m-%d %H:%M} UTC, before the sale"
    if not own_hold and row.status == "held" and (row.hold_expires_at or now) > now:
        return "held by another till at the time the sale arrived"
    return ""


def redeem_for_sale(
    session: Session, device: DeviceIdentity, event: PushEvent, sale: SalePayload, *, now: datetime
) -> None:
    """Redeem the coupon a sale used, exactly once; a use that cannot be redeemed is refused in
    the coupon ledger and left for review (the sale itself counts)."""
    use = sale.coupon
    if use is None:
        return
    row = locked_coupon(session, use.coupon_id)
    if row is None:
        detail = f"coupon {use.coupon_id} is unknown here; {use.discount_fen} fen off not covered"
        record_review(session, device, event, "coupon_unknown", detail)
        return
    reason = _unsettled(row, use, sale, now)
    if not reason and use.discount_fen > token_of(session, row).value_fen:
        reason = f"{use.discount_fen} fen off is more than the coupon's value"
    if reason:
        add_entry(session, row, "refused", now=now, device=device, ref=str(event.id))
        detail = f"coupon {row.id}: {reason}; {use.discount_fen} fen off not covered"
        record_review(session, device, event, "coupon_not_redeemed", detail)
        return
    row.status, row.sale_id, row.store_id = "redeemed", str(event.id), device.store_id
    row.redeemed_at, row.discount_fen, row.hold_expires_at = now, use.discount_fen, None
    add_entry(session, row, "redeemed", now=now, device=device, ref=str(event.id))


def _units(session: Session, sale_ids: Any) -> int:
    query = select(func.coalesce(func.sum(SaleLineRow.qty), 0)).where(
        SaleLineRow.sale_id.in_(sale_ids)
    )
    return int(session.scalar(query) or 0)


def restore_after_refund(
    session: Session, device: DeviceIdentity, original: SaleRow, refund_id: str, *, now: datetime
) -> None:
    """Give the original sale's coupon back once all its goods came back, if still valid."""
    row = session.scalar(
        select(CouponRow)
        .where(CouponRow.sale_id == original.id, CouponRow.status == "redeemed")
        .with_for_update()
    )
    if row is None:
        return
    refunds = select(SaleRow.id).where(
        SaleRow.store_id == original.store_id,
        SaleRow.original_sale_no == original.sale_no,
        SaleRow.kind == "refund",
    )
    if _units(session, [original.id]) + _units(session, refunds) > 0:
        return  # goods still out: the coupon stays used
    if row.expires_at <= now:
        add_entry(session, row, "expired", now=now, device=device, ref=refund_id)
        return
    row.status, row.sale_id, row.store_id, row.redeemed_at = "issued", None, None, None
    row.discount_fen = 0
    add_entry(session, row, "restored", now=now, device=device, ref=refund_id)
