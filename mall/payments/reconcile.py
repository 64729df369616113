"""The daily reconciliation (对账) of payment-code money: what the provider holds for each store
on a business day (UTC+8) against the WeChat/Alipay tenders of the sales its tills pushed.

provider_net = charged − reversed − refunded; till = the sum of code tenders of that day's sales
and refunds (refunds are negative). A difference, a payment no sale uses, or a sale tender no
payment backs is what a person must look at.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.models import SalePaymentRow, SaleRow
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
    sale_without_payment: list[str] = field(default_factory=list)


def _provider_side(
    session: Session, figures: dict[str, _Figures], start: datetime, end: datetime
) -> None:
    paid = session.scalars(
        select(PaymentRow).where(PaymentRow.paid_at >= start, PaymentRow.paid_at < end)
    ).all()
    ids = [payment.id for payment in paid]
    used = set(
        session.scalars(select(SalePaymentRow.reference).where(SalePaymentRow.reference.in_(ids)))
    )
    for payment in paid:
        store = figures[payment.store_id]
        store.payments += 1
        store.charged_fen += payment.amount_fen
        if payment.status == "cancelled":
            store.reversed_fen += payment.amount_fen
        elif payment.id not in used:
            store.paid_without_sale.append(payment.id)
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
                sale_without_payment=f.sale_without_payment,
            )
        )
    return ReconciliationReport(day=day.isoformat(), rows=rows)


def report_lines(report: ReconciliationReport) -> list[str]:
    """The report as text for `pos-mall reconcile` (amounts in fen)."""
    lines = [f"对账 {report.day} (UTC+8)"]
    for row in report.rows:
        state = "平" if row.difference_fen == 0 else f"差 {row.difference_fen}"
        lines.append(
            f"{row.store_id}: payments={row.payments} charged={row.charged_fen} "
            f"reversed={row.reversed_fen} refunded={row.refunded_fen} "
            f"provider_net={row.provider_net_fen} tills={row.till_fen} → {state}"
        )
        lines += [f"  paid without sale: {p}" for p in row.paid_without_sale]
        lines += [f"  sale without payment: {s}" for s in row.sale_without_payment]
    return lines
