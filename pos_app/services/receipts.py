"""The Receipt model of a committed sale: header, lines, tenders, member and the signed QR link.

The QR token key lives in settings: "receipt_token_keys" {kid: base64 key} and
"receipt_token_kid" (the key new receipts are signed with). A till that has none creates one on
first use, so `build_receipt` needs a write session the first time.
"""

from __future__ import annotations

import base64
import logging
import secrets
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.receipt import (
    Receipt,
    ReceiptLine,
    ReceiptMember,
    ReceiptPromotion,
    ReceiptTender,
    qty_text,
)
from pos_app.domain.receipt_token import receipt_url, sign_receipt_token
from pos_app.services.errors import ServiceError
from pos_app.services.members import balance_after
from pos_app.services.promotions import SalePromotions, promotions_of
from pos_app.store.member_models import KnownMember
from pos_app.store.models import Sale, Staff, Store
from pos_app.store.settings import get_setting, set_setting

__all__ = [
    "SaleNotFound",
    "build_receipt",
    "find_sale_id",
    "mask_member_id",
    "receipt_keys",
    "receipt_signing_key",
]

log = logging.getLogger(__name__)

KEYS_SETTING = "receipt_token_keys"
KID_SETTING = "receipt_token_kid"
FIRST_KID = "1"
KEY_BYTES = 32
DEFAULT_TIMEZONE = "Asia/Shanghai"


class SaleNotFound(ServiceError):
    """No sale with that id or number in this till's database."""


def receipt_keys(session: Session) -> dict[str, bytes]:
    """All receipt token keys of this store, {kid: key} (old ones stay to verify old receipts)."""
    stored = get_setting(session, KEYS_SETTING) or {}
    return {kid: base64.b64decode(value) for kid, value in stored.items()}


def receipt_signing_key(session: Session) -> tuple[str, bytes]:
    """The (kid, key) new receipts are signed with; creates and stores one if there is none."""
    keys = receipt_keys(session)
    kid = get_setting(session, KID_SETTING) or FIRST_KID
    if kid not in keys:
        keys[kid] = secrets.token_bytes(KEY_BYTES)
        encoded = {name: base64.b64encode(key).decode("ascii") for name, key in keys.items()}
        set_setting(session, KEYS_SETTING, encoded)
        set_setting(session, KID_SETTING, kid)
        session.flush()
    return kid, keys[kid]


def mask_member_id(member_id: str) -> str:
    """Show only the last four characters of a member id or phone number: "****5678"."""
    return "*" * min(4, max(0, len(member_id) - 4)) + member_id[-4:]


def find_sale_id(session: Session, sale_no: str) -> int:
    """The id of the sale with this receipt number, or SaleNotFound."""
    sale_id = session.scalar(select(Sale.id).where(Sale.sale_no == sale_no))
    if sale_id is None:
        raise SaleNotFound(
            f"No sale with number {sale_no} on this till", code="sale_not_found", sale_no=sale_no
        )
    return sale_id


def _qr_url(session: Session, sale: Sale) -> str | None:
    """The signed claim link; None for refunds (the mall reverses their points by itself)."""
    if sale.kind != "sale":
        return None
    kid, key = receipt_signing_key(session)
    try:
        token = sign_receipt_token(
            store_id=sale.store_id,
            till_id=sale.till_id,
            till_seq=sale.till_seq,
            amount_fen=sale.total_fen,
            issued_at=sale.created_at,
            kid=kid,
            key=key,
        )
    except ValueError:  # e.g. a store id the token cannot carry: print the receipt without QR
        log.exception("receipt %s printed without its QR code", sale.sale_no)
        return None
    return receipt_url(get_setting(session, "mall_base_url"), token)


def _member(session: Session, sale: Sale) -> ReceiptMember | None:
    if not sale.member_id:
        return None
    known = session.get(KnownMember, sale.member_id)
    phone_tail = known.phone_tail if known is not None else None
    return ReceiptMember(  # the phone's tail, as the screen shows it; else the id's
        masked_id=f"****{phone_tail}" if phone_tail else mask_member_id(sale.member_id),
        points_earned=sale.points_earned,
        points_balance=balance_after(session, sale.id),
    )


def _lines(sale: Sale, promotions: SalePromotions) -> tuple[ReceiptLine, ...]:
    return tuple(
        ReceiptLine(
            name=line.name,
            qty_text=qty_text(line.qty, weighed=line.weighed),
            unit_price_fen=line.unit_price_fen,
            amount_fen=line.gross_fen,
            discount_fen=line.discount_fen,
            promotions=tuple(
                ReceiptPromotion(a.name, a.discount_fen)
                for a in promotions.lines.get(line.line_no, ())
                if not a.is_order_level
            ),
            order_promotion_fen=sum(
                a.discount_fen for a in promotions.lines.get(line.line_no, ()) if a.is_order_level
            ),
        )
        for line in sale.lines
    )


def _order_promotions(promotions: SalePromotions) -> tuple[ReceiptPromotion, ...]:
    """Each order promotion (满减) once, with its shares over the lines summed."""
    totals: dict[str, int] = {}
    for applied in promotions.lines.values():
        for a in applied:
            if a.is_order_level:
                totals[a.name] = totals.get(a.name, 0) + a.discount_fen
    return tuple(ReceiptPromotion(name, fen) for name, fen in totals.items())


def _store_text(session: Session, store: Store | None, field: str) -> str:
    value = getattr(store, field, "") if store is not None else ""
    return value or get_setting(session, f"store_{field}") or ""


def build_receipt(session: Session, sale_id: int) -> Receipt:
    """The receipt of a committed sale or refund; marked as a reprint once one was printed."""
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise SaleNotFound(
            f"No sale with id {sale_id} on this till", code="sale_not_found", sale_no=sale_id
        )
    store = session.get(Store, sale.store_id)
    cashier = session.get(Staff, sale.cashier_id)
    zone = ZoneInfo(get_setting(session, "timezone") or DEFAULT_TIMEZONE)
    promotions = promotions_of(session, sale.id)
    return Receipt(
        store_name=_store_text(session, store, "name"),
        store_address=_store_text(session, store, "address"),
        store_phone=_store_text(session, store, "phone"),
        sale_no=sale.sale_no,
        till_id=sale.till_id,
        cashier=cashier.name if cashier is not None else str(sale.cashier_id),
        issued_at=sale.created_at.astimezone(zone),
        lines=_lines(sale, promotions),
        order_promotions=_order_promotions(promotions),
        subtotal_fen=sale.subtotal_fen,
        discount_fen=sale.discount_fen,
        rounding_fen=sale.rounding_fen,
        total_fen=sale.total_fen,
        tenders=tuple(ReceiptTender(p.kind, p.tendered_fen) for p in sale.payments),  # as handed
        change_fen=sum(p.change_fen for p in sale.payments),
        member=_member(session, sale),
        footer=get_setting(session, "receipt_footer") or "",
        qr_url=_qr_url(session, sale),
        is_refund=sale.kind == "refund",
        is_reprint=sale.printed_at is not None,
        original_sale_no=sale.original_sale.sale_no if sale.original_sale else "",
    )
