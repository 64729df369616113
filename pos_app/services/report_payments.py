"""What was paid and what promotions took off: the payment mix per tender (report_payment_days)
and the discount of each promotion net of what refunds gave back."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from pos_app.services.report_period import Period
from pos_app.services.report_ratios import share_bp
from pos_app.services.report_receipts import sum_if
from pos_app.services.report_table import Kind, ReportTable, columns
from pos_app.store.backoffice_models import ReportPaymentDay
from pos_app.store.models import Sale, SalePromotion


def payment_mix(session: Session, period: Period) -> ReportTable:
    """Per tender: payments taken, amounts paid in and refunded, net and share of the net."""
    p = ReportPaymentDay
    sale, refund = p.sale_kind == "sale", p.sale_kind == "refund"
    query = (
        select(
            p.tender,
            sum_if(sale, p.payments),
            sum_if(sale, p.amount_fen),
            sum_if(refund, p.amount_fen),
        )
        .where(p.day.between(period.first.isoformat(), period.last.isoformat()))
        .group_by(p.tender)
    )
    found = [(t, int(n), int(s), int(r)) for t, n, s, r in session.execute(query)]
    total = sum(s + r for _, _, s, r in found)
    rows = tuple(
        (tender, n, s, r, s + r, share_bp(s + r, total))
        for tender, n, s, r in sorted(found, key=lambda row: -(row[2] + row[3]))
    )
    header = columns(
        tender=Kind.TEXT,
        payments=Kind.COUNT,
        sales_fen=Kind.FEN,
        refunds_fen=Kind.FEN,
        net_fen=Kind.FEN,
        share_bp=Kind.BP,
    )
    return ReportTable("payment_mix", header, rows)


def promotions(session: Session, period: Period) -> ReportTable:
    """Per promotion: sales it applied to, what it took off them, what refunds gave back of
    that, and the net it cost (the shares recorded beside each sale and refund)."""
    start, end = period.utc_bounds()
    p, sale = SalePromotion, Sale.kind == "sale"
    query = (
        select(
            p.rule_id,
            func.max(p.name),
            func.count(func.distinct(case((sale, p.sale_id)))),
            sum_if(sale, p.discount_fen),
            sum_if(Sale.kind == "refund", p.discount_fen),
        )
        .join(Sale, Sale.id == p.sale_id)
        .where(Sale.created_at >= start, Sale.created_at < end)
        .group_by(p.rule_id)
    )
    found = [(r, n, int(c), int(s), int(b)) for r, n, c, s, b in session.execute(query)]
    rows = tuple(
        (f"{name} ({rule_id})", count, off, back, off + back)
        for rule_id, name, count, off, back in sorted(found, key=lambda row: -(row[3] + row[4]))
    )
    header = columns(
        promotion=Kind.TEXT,
        receipts=Kind.COUNT,
        discount_fen=Kind.FEN,
        refunds_fen=Kind.FEN,
        net_fen=Kind.FEN,
    )
    return ReportTable("promotions", header, rows)
