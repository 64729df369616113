"""Refunds against an original sale (DESIGN §3): at most what was sold, at the price paid, back to
the original tenders, stock back, points reversed; a manager or supervisor approves. The share
paid by payment code is queued for the mall in the same transaction (never lost offline).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.domain.money import mul_div_half_up
from pos_app.services.errors import RefundError
from pos_app.services.members import record_member_sale
from pos_app.services.payment_attempts import queue_code_refunds
from pos_app.services.points import points_to_reverse
from pos_app.services.recording import journal_sale, post_stock, queue_sale_event
from pos_app.services.till import new_sale
from pos_app.store.db import Database
from pos_app.store.models import Payment, Sale, SaleLine


@dataclass(frozen=True)
class RefundResult:
    sale_id: int
    sale_no: str
    refunded_fen: int
    points_reversed: int


def find_sale(session: Session, sale_no: str) -> Sale:
    sale = session.scalar(select(Sale).where(Sale.sale_no == sale_no.strip()))
    if sale is None or sale.kind != "sale":
        raise RefundError(f"No sale numbered {sale_no} on this till.")
    return sale


def refunded_qty(session: Session, line_ids: list[int]) -> dict[int, int]:
    """Units (or grams) already refunded per original line id (positive numbers)."""
    query = (
        select(SaleLine.original_line_id, -func.sum(SaleLine.qty))
        .where(SaleLine.original_line_id.in_(line_ids))
        .group_by(SaleLine.original_line_id)
    )
    return {line_id: qty for line_id, qty in session.execute(query).all() if line_id is not None}


def _refund_lines(
    session: Session, original: Sale, quantities: Mapping[int, int]
) -> list[SaleLine]:
    by_no = {line.line_no: line for line in original.lines}
    done = refunded_qty(session, [line.id for line in original.lines])
    lines: list[SaleLine] = []
    for line_no, qty in sorted(quantities.items()):
        line = by_no.get(line_no)
        if line is None:
            raise RefundError(f"Sale {original.sale_no} has no line {line_no}.")
        left = line.qty - done.get(line.id, 0)
        if not 0 < qty <= left:
            raise RefundError(
                f"Line {line_no} ({line.name}): {left} left to refund, {qty} asked for."
            )
        net = mul_div_half_up(line.net_fen, qty, line.qty)
        gross = mul_div_half_up(line.gross_fen, qty, line.qty)
        lines.append(
            SaleLine(
                line_no=len(lines) + 1,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                barcode=line.barcode,
                weighed=line.weighed,
                qty=-qty,
                unit_price_fen=line.unit_price_fen,
                price_source=line.price_source,
                gross_fen=-gross,
                discount_fen=-(gross - net),
                net_fen=-net,
                original_line_id=line.id,
            )
        )
    if not lines:
        raise RefundError("Choose at least one line to refund.")
    return lines


def split_over_payments(amount_fen: int, payments: list[Payment]) -> list[int]:
    """Share a refund across the original tenders in proportion, summing exactly (largest
    remainder)."""
    paid = sum(p.amount_fen for p in payments)
    if paid <= 0:
        return [0 for _ in payments]
    exact = [amount_fen * p.amount_fen for p in payments]
    shares = [e // paid for e in exact]
    by_remainder = sorted(range(len(payments)), key=lambda i: exact[i] % paid, reverse=True)
    for i in by_remainder[: amount_fen - sum(shares)]:
        shares[i] += 1
    return shares


def _points_already_reversed(session: Session, original: Sale) -> int:
    query = select(func.sum(Sale.points_earned)).where(Sale.original_sale_id == original.id)
    return -(session.scalar(query) or 0)


def refund_sale(
    db: Database,
    *,
    sale_no: str,
    quantities: Mapping[int, int],
    cashier_id: int,
    approver_id: int,
    reason: str = "",
) -> RefundResult:
    """Refund quantities (line_no → units or grams) of a sale in one transaction."""
    with db.write() as session:
        original = find_sale(session, sale_no)
        lines = _refund_lines(session, original, quantities)
        refund_fen = -sum(line.net_fen for line in lines)
        points = min(
            points_to_reverse(
                earned=original.points_earned, refunded_fen=refund_fen, paid_fen=original.total_fen
            ),
            original.points_earned - _points_already_reversed(session, original),
        )
        refund = new_sale(
            session,
            kind="refund",
            cashier_id=cashier_id,
            member_id=original.member_id,
            original_sale=original,
            subtotal_fen=sum(line.gross_fen for line in lines),
            discount_fen=sum(line.discount_fen for line in lines),
            rounding_fen=0,
            total_fen=-refund_fen,
            points_earned=-points,
            lines=lines,
        )
        shares = split_over_payments(refund_fen, list(original.payments))
        for payment, share in zip(original.payments, shares, strict=True):
            if share:
                refund.payments.append(
                    Payment(
                        kind=payment.kind,
                        amount_fen=-share,
                        tendered_fen=-share,
                        reference=payment.reference,
                    )
                )
        session.flush()
        queue_code_refunds(session, refund)  # sent to the mall by MallPaymentGateway.send_refunds
        post_stock(session, refund)
        queue_sale_event(session, refund)
        record_member_sale(session, refund)
        journal_sale(
            session,
            refund,
            approver_id=approver_id,
            original_sale_no=original.sale_no,
            reason=reason,
        )
        return RefundResult(refund.id, refund.sale_no, refund_fen, points)
