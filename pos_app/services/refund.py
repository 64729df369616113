"""Refunds against an original sale (DESIGN §3): at most what was sold, at the price paid, back to
the original tenders, stock back, points reversed; a manager or supervisor approves. The share
paid by payment code is queued for the mall in the same transaction (never lost offline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.domain.money import allocate_proportionally, mul_div_half_up
from pos_app.services.errors import RefundError
from pos_app.services.members import record_member_sale
from pos_app.services.payment_attempts import queue_code_refunds
from pos_app.services.points import points_to_reverse
from pos_app.services.promotions import (
    Returned,
    promotions_of,
    record_promotions,
    refund_promotions,
)
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
        raise RefundError(
            f"No sale numbered {sale_no} on this till.", code="sale_not_found", sale_no=sale_no
        )
    return sale


def refunded_qty(session: Session, line_ids: list[int]) -> dict[int, int]:
    """Units (or grams) already refunded per original line id (positive numbers)."""
    query = (
        select(SaleLine.original_line_id, -func.sum(SaleLine.qty))
        .where(SaleLine.original_line_id.in_(line_ids))
        .group_by(SaleLine.original_line_id)
    )
    return {line_id: qty for line_id, qty in session.execute(query).all() if line_id is not None}


@dataclass(frozen=True)
class SoldLine:
    """A line of the original sale as far as refunding it goes (qty in units or grams)."""

    line_no: int
    qty: int
    net_fen: int
    refunded_qty: int

    def worth_fen(self, qty: int) -> int:
        """What the first `qty` units returned are worth: cumulative, so partial refunds of a
        line add up to its net exactly, in any order of sizes."""
        return mul_div_half_up(self.net_fen, qty, self.qty)


@dataclass(frozen=True)
class Tendered:
    """One way the original sale was paid (kind and reference, several rows summed) and how
    much of it went back already."""

    kind: str
    reference: str
    paid_fen: int
    refunded_fen: int

    @property
    def left_fen(self) -> int:
        return max(self.paid_fen - self.refunded_fen, 0)


@dataclass(frozen=True)
class RefundPlan:
    """What one refund gives back: in total, per returned line (goods value) and per tender.
    Amounts are positive fen."""

    amount_fen: int
    line_fen: dict[int, int]
    tender_fen: tuple[tuple[Tendered, int], ...]

    def back_in(self, kind: str) -> int:
        """What goes back in this tender kind, e.g. the cash to hand to the customer."""
        return sum(share for tender, share in self.tender_fen if tender.kind == kind)


def plan_refund(
    lines: Sequence[SoldLine], tenders: Sequence[Tendered], quantities: Mapping[int, int]
) -> RefundPlan:
    """Money for returning `quantities` (line_no -> units): the share of what was PAID (after
    discounts and 抹零) that the goods returned so far are worth, less what went back already,
    spread over the tenders in proportion to what each still holds. No tender ever gets back
    more than it paid, and once everything is returned each has got back exactly what it paid."""
    goods_fen = sum(line.net_fen for line in lines)
    paid_fen = sum(tender.paid_fen for tender in tenders)
    returned = {line.line_no: line.refunded_qty + quantities.get(line.line_no, 0) for line in lines}
    worth_fen = sum(line.worth_fen(returned[line.line_no]) for line in lines)
    due_fen = mul_div_half_up(paid_fen, worth_fen, goods_fen) if goods_fen > 0 else 0
    left = {i: tender.left_fen for i, tender in enumerate(tenders)}
    already_fen = sum(tender.refunded_fen for tender in tenders)
    amount_fen = min(max(due_fen - already_fen, 0), sum(left.values()))
    shares = allocate_proportionally(amount_fen, left) if amount_fen else dict.fromkeys(left, 0)
    return RefundPlan(
        amount_fen=amount_fen,
        line_fen={
            line.line_no: line.worth_fen(returned[line.line_no]) - line.worth_fen(line.refunded_qty)
            for line in lines
            if quantities.get(line.line_no)
        },
        tender_fen=tuple((tender, shares[i]) for i, tender in enumerate(tenders)),
    )


def sold_lines(session: Session, sale: Sale) -> list[SoldLine]:
    done = refunded_qty(session, [line.id for line in sale.lines])
    return [
        SoldLine(line.line_no, line.qty, line.net_fen, done.get(line.id, 0)) for line in sale.lines
    ]


def tendered(session: Session, sale: Sale) -> list[Tendered]:
    """How the sale was paid, per (kind, reference), with what its refunds gave back so far."""
    back = dict(
        ((kind, reference), -amount)
        for kind, reference, amount in session.execute(
            select(Payment.kind, Payment.reference, func.sum(Payment.amount_fen))
            .join(Sale, Payment.sale_id == Sale.id)
            .where(Sale.original_sale_id == sale.id)
            .group_by(Payment.kind, Payment.reference)
        ).all()
    )
    paid: dict[tuple[str, str], int] = {}
    for payment in sale.payments:
        key = (payment.kind, payment.reference)
        paid[key] = paid.get(key, 0) + payment.amount_fen
    return [Tendered(kind, ref, fen, back.get((kind, ref), 0)) for (kind, ref), fen in paid.items()]


def _share(amount_fen: int, before: int, qty: int, sold: int) -> int:
    """What qty more of a line of `sold` takes of amount_fen, `before` being gone already; the
    shares of every partial refund add up to amount_fen exactly."""
    return mul_div_half_up(amount_fen, before + qty, sold) - mul_div_half_up(
        amount_fen, before, sold
    )


def _refund_lines(
    session: Session, original: Sale, plan: RefundPlan, quantities: Mapping[int, int]
) -> list[SaleLine]:
    by_no = {line.line_no: line for line in original.lines}
    done = refunded_qty(session, [line.id for line in original.lines])
    lines: list[SaleLine] = []
    for line_no, qty in sorted(quantities.items()):
        line = by_no.get(line_no)
        if line is None:
            raise RefundError(
                f"Sale {original.sale_no} has no line {line_no}.", code="refund_no_line", no=line_no
            )
        before = done.get(line.id, 0)
        left = line.qty - before
        if not 0 < qty <= left:
            raise RefundError(
                f"Line {line_no} ({line.name}): {left} left to refund, {qty} asked for.",
                code="refund_too_many",
                name=line.name,
                left=left,
            )
        net = plan.line_fen[line_no]
        gross = _share(line.gross_fen, before, qty, line.qty)
        cost = (
            None
            if line.line_cost_fen is None
            else -_share(line.line_cost_fen, before, qty, line.qty)
        )
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
                unit_cost_fen=line.unit_cost_fen,
                line_cost_fen=cost,
                original_line_id=line.id,
            )
        )
    if not lines:
        raise RefundError("Choose at least one line to refund.", code="refund_nothing")
    return lines


def _returned(session: Session, original: Sale, lines: Sequence[SaleLine]) -> dict[int, Returned]:
    """Per refund line (flushed): the sold line and how much of it went back before and now."""
    by_id = {line.id: line for line in original.lines}
    done = refunded_qty(session, list(by_id))
    returned = {}
    for line in lines:
        sold = by_id[line.original_line_id]  # type: ignore[index]
        now = -line.qty
        before = done.get(sold.id, 0) - now
        returned[line.line_no] = Returned(
            sold.line_no, sold.qty, sold.gross_fen, sold.net_fen, before, now
        )
    return returned


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
    approver_id: int | None,
    reason: str = "",
) -> RefundResult:
    """Refund quantities (line_no → units or grams) of a sale in one transaction; approver_id
    is who approved it (None when the cashier's own role may refund this much)."""
    with db.write() as session:
        original = find_sale(session, sale_no)
        tenders = tendered(session, original)
        plan = plan_refund(sold_lines(session, original), tenders, quantities)
        lines = _refund_lines(session, original, plan, quantities)
        refund_fen = plan.amount_fen
        points = min(
            points_to_reverse(
                earned=original.points_earned, refunded_fen=refund_fen, paid_fen=original.total_fen
            ),
            original.points_earned - _points_already_reversed(session, original),
        )
        goods_fen = -sum(line.net_fen for line in lines)
        refund = new_sale(
            session,
            kind="refund",
            cashier_id=cashier_id,
            member_id=original.member_id,
            original_sale=original,
            subtotal_fen=sum(line.gross_fen for line in lines),
            discount_fen=sum(line.discount_fen for line in lines),
            rounding_fen=goods_fen - refund_fen,  # the returned goods' share of the 抹零
            total_fen=-refund_fen,
            points_earned=-points,
            lines=lines,
        )
        for tender, share in plan.tender_fen:
            if share:
                refund.payments.append(
                    Payment(
                        kind=tender.kind,
                        amount_fen=-share,
                        tendered_fen=-share,
                        reference=tender.reference,
                    )
                )
        session.flush()
        promotions = refund_promotions(
            promotions_of(session, original.id), _returned(session, original, lines)
        )
        record_promotions(session, refund.id, promotions)
        queue_code_refunds(session, refund)  # sent to the mall by MallPaymentGateway.send_refunds
        post_stock(session, refund)
        queue_sale_event(session, refund, promotions)
        record_member_sale(session, refund)
        journal_sale(
            session,
            refund,
            approver_id=approver_id,
            original_sale_no=original.sale_no,
            reason=reason,
        )
        return RefundResult(refund.id, refund.sale_no, refund_fen, points)
