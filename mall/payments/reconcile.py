"""The daily reconciliation (对账) of payment-code money: what the provider holds for each store
on a business day (UTC+8) against the WeChat/Alipay tenders of the sales and top-ups (充值) its
tills pushed.

provider_net = charged − reversed − refunded; till = the sum of code tenders of that day's sales,
refunds (negative) and top-ups. A difference, a paid payment no sale names, one that two or
more sales name (the customer paid once, the till sold twice), or a sale tender no paid payment
backs is what a person must look at; the day is balanced (平) only when there is none of them,
since such faults can offset each other in the sums.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.models import SalePaymentRow, SaleRow, TopUpPaymentRow
from mall.payment_models import PaymentRefundRow, PaymentRow
from sync.payment_protocol import ReconciliationReport, ReconciliationRow

CHINA = timezone(timedelta(hours=8))
CODE_TENDERS = ("wechat", "alipay")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The business day in UTC: [00:00, 24:00) China Standard Time."""
    start = datetime.combine(day, time(), CHINA).astimezone(UTC)
    return start, start + timedelta(days=1)


@dataclass
class _Figures:
    payments: int = 0
    charged_fen: int = 0
    reversed_fen: int = 0
    refunded_fen: int = 0
    till_fen: int = 0
    paid_without_sale: list[str] = field(default_factory=list)
    paid_in_several_sales: list[str] = field(default_factory=list)
    sale_without_payment: list[str] = field(default_factory=list)


def _sales_naming(session: Session, payment_ids: list[str]) -> dict[str, set[str]]:
    """payment id -> numbers of the sales (not refunds: a refund names the payment it pays
    back, which does not make the payment belong to a sale) whose tenders name it."""
    named = session.execute(
        select(SalePaymentRow.reference, SaleRow.sale_no)
        .join(SaleRow, SaleRow.id == SalePaymentRow.sale_id)
        .where(SalePaymentRow.reference.in_(payment_ids), SaleRow.kind == "sale")
        .union_all(
            select(TopUpPaymentRow.reference, TopUpPaymentRow.top_up_no).where(
                TopUpPaymentRow.reference.in_(payment_ids)
            )
        )
    )
    sales: dict[str, set[str]] = defaultdict(set)
    for reference, sale_no in named:
        sales[reference].add(sale_no)
    return sales


def _provider_side(
    session: Session, figures: dict[str, _Figures], start: datetime, end: datetime
) -> None:
    paid = session.scalars(
        select(PaymentRow).where(PaymentRow.paid_at >= start, PaymentRow.paid_at < end)
    ).all()
    sales_of = _sales_naming(session, [payment.id for payment in paid])
    for payment in paid:
        store = figures[payment.store_id]
        store.payments += 1
        store.charged_fen += payment.amount_fen
        sales = sales_of.get(payment.id, set())
        if payment.status == "cancelled":
            store.reversed_fen += payment.amount_fen
        elif not sales:
            store.paid_without_sale.append(payment.id)
        elif len(sales) > 1:
            store.paid_in_several_sales.append(f"{payment.id}: {', '.join(sorted(sales))}")
    refunds = session.execute(
        select(PaymentRow.store_id, PaymentRefundRow.amount_fen)
        .join(PaymentRow, PaymentRow.id == PaymentRefundRow.payment_id)
        .where(
            PaymentRefundRow.status == "succeeded",
            PaymentRefundRow.updated_at >= start,
            PaymentRefundRow.updated_at < end,
        )
    )
    for store_id, amount_fen in refunds:
        figures[store_id].refunded_fen += amount_fen


def _till_side(
    session: Session, figures: dict[str, _Figures], start: datetime, end: datetime
) -> None:
    tenders = session.execute(
        select(
            SaleRow.store_id, SaleRow.sale_no, SalePaymentRow.reference, SalePaymentRow.amount_fen
        )
        .join(SaleRow, SaleRow.id == SalePaymentRow.sale_id)
        .where(
            SalePaymentRow.kind.in_(CODE_TENDERS),
            SaleRow.created_at >= start,
            SaleRow.created_at < end,
        )
        .union_all(
            select(
                TopUpPaymentRow.store_id,
                TopUpPaymentRow.top_up_no,
                TopUpPaymentRow.reference,
                TopUpPaymentRow.amount_fen,
            ).where(
                TopUpPaymentRow.kind.in_(CODE_TENDERS),
                TopUpPaymentRow.created_at >= start,
                TopUpPaymentRow.created_at < end,
            )
        )
    ).all()
    references = [reference for _, _, reference, _ in tenders]
    paid = set(
        session.scalars(
            select(PaymentRow.id).where(PaymentRow.id.in_(references), PaymentRow.status == "paid")
        )
    )
    for store_id, sale_no, reference, amount_fen in tenders:
        store = figures[store_id]
        store.till_fen += amount_fen
        if amount_fen > 0 and reference not in paid:
            store.sale_without_payment.append(f"{sale_no}/{reference}")


def reconcile(session: Session, day: date, store_id: str | None = None) -> ReconciliationReport:
    """The report for one business day, for every store with code payments (or just one)."""
    start, end = day_bounds(day)
    figures: dict[str, _Figures] = defaultdict(_Figures)
    _provider_side(session, figures, start, end)
    _till_side(session, figures, start, end)
    rows = []
    for store, f in sorted(figures.items()):
        if store_id is not None and store != store_id:
            continue
        net = f.charged_fen - f.reversed_fen - f.refunded_fen
        unmatched = f.paid_without_sale or f.paid_in_several_sales or f.sale_without_payment
        rows.append(
            ReconciliationRow(
                store_id=store,
                day=day.isoformat(),
                payments=f.payments,
                charged_fen=f.charged_fen,
                reversed_fen=f.reversed_fen,
                refunded_fen=f.refunded_fen,
                provider_net_fen=net,
                till_fen=f.till_fen,
                difference_fen=net - f.till_fen,
                paid_without_sale=f.paid_without_sale,
                paid_in_several_sales=f.paid_in_several_sales,
                sale_without_payment=f.sale_without_payment,
                balanced=net == f.till_fen and not unmatched,
            )
        )
    return ReconciliationReport(day=day.isoformat(), rows=rows)


def report_lines(report: ReconciliationReport) -> list[str]:
    """The report as text for `pos-mall reconcile` (amounts in fen)."""
    lines = [f"对账 {report.day} (UTC+8)"]
    for row in report.rows:
        state = "平" if row.balanced else f"不平：差 {row.difference_fen}"
        lines.append(
            f"{row.store_id}: payments={row.payments} charged={row.charged_fen} "
            f"reversed={row.reversed_fen} refunded={row.refunded_fen} "
            f"provider_net={row.provider_net_fen} tills={row.till_fen} → {state}"
        )
        lines += [f"  paid without sale: {p}" for p in row.paid_without_sale]
        lines += [f"  paid once, sold twice: {p}" for p in row.paid_in_several_sales]
        lines += [f"  sale without payment: {s}" for s in row.sale_without_payment]
    return lines
