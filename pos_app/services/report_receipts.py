"""Receipt reports from the hourly rollup (report_sales_hours): sales over time (hour, day,
week, month), by cashier, members against walk-ins and the basket per day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pos_app.services.report_period import Period, days_in, monday
from pos_app.services.report_ratios import basket_fen, share_bp
from pos_app.services.report_table import Column, Kind, ReportTable, columns
from pos_app.store.backoffice_models import ReportSalesHour
from pos_app.store.models import Staff

_TIME_COLUMNS = columns(
    receipts=Kind.COUNT, sales_fen=Kind.FEN, refunds_fen=Kind.FEN, net_fen=Kind.FEN
)
_SALE = ReportSalesHour.kind == "sale"
_REFUND = ReportSalesHour.kind == "refund"


def sum_if(condition: ColumnElement[bool], value: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _receipt_sums() -> tuple[ColumnElement[int], ...]:
    return (
        sum_if(_SALE, ReportSalesHour.receipts),
        sum_if(_SALE, ReportSalesHour.total_fen),
        sum_if(_REFUND, ReportSalesHour.total_fen),
        sum_if(_REFUND, ReportSalesHour.receipts),
    )


def receipts_by(session: Session, period: Period, key: Any) -> dict[Any, tuple[int, ...]]:
    """key → (receipts, sales_fen, refunds_fen, refund receipts) over the period."""
    query = (
        select(key, *_receipt_sums())
        .where(ReportSalesHour.day.between(period.first.isoformat(), period.last.isoformat()))
        .group_by(key)
    )
    return {row[0]: tuple(int(v) for v in row[1:]) for row in session.execute(query)}


def _time_row(label: str, sums: tuple[int, ...]) -> tuple[object, ...]:
    receipts, sales, refunds = sums[:3]
    return (label, receipts, sales, refunds, sales + refunds)


_BUCKETS: dict[str, tuple[Any, Callable[[Period], Iterable[str]]]] = {
    "day": (ReportSalesHour.day, lambda p: (d.isoformat() for d in days_in(p))),
    "week": (
        func.date(ReportSalesHour.day, "weekday 0", "-6 days"),
        lambda p: dict.fromkeys(monday(d).isoformat() for d in days_in(p)),
    ),
    "month": (
        func.substr(ReportSalesHour.day, 1, 7),
        lambda p: dict.fromkeys(d.isoformat()[:7] for d in days_in(p)),
    ),
}


def _bucket_days(period: Period, bucket: str) -> Counter[str]:
    """How many days of the period each week or month bucket holds (fewer: a partial bucket)."""
    key = (lambda d: monday(d).isoformat()) if bucket == "week" else (lambda d: d.isoformat()[:7])
    return Counter(key(day) for day in days_in(period))


def sales_over_time(session: Session, period: Period, bucket: str) -> ReportTable:
    """Receipts, sales, refunds and net per day, week (starting Monday) or month, gaps as 0.
    Weeks and months say how many of their days the period holds (天数), so a partial one
    shows as partial."""
    key, labels = _BUCKETS[bucket]
    found = receipts_by(session, period, key)
    rows = tuple(_time_row(label, found.get(label, (0, 0, 0, 0))) for label in labels(period))
    head: tuple[Column, ...] = (Column(bucket, Kind.TEXT),)
    if bucket != "day":
        days = _bucket_days(period, bucket)
        rows = tuple((row[0], days[str(row[0])], *row[1:]) for row in rows)
        head = (*head, Column("days", Kind.COUNT))
    return ReportTable(f"sales_by_{bucket}", (*head, *_TIME_COLUMNS), rows)


def sales_by_hour(session: Session, period: Period) -> ReportTable:
    """The same figures per hour of the day, over the opening hours that saw receipts."""
    found = receipts_by(session, period, ReportSalesHour.hour)
    hours = range(min(found), max(found) + 1) if found else range(0)
    rows = tuple(_time_row(f"{h:02d}:00", found.get(h, (0, 0, 0, 0))) for h in hours)
    return ReportTable("sales_by_hour", (Column("hour", Kind.TEXT), *_TIME_COLUMNS), rows)


def sales_by_cashier(session: Session, period: Period) -> ReportTable:
    found = receipts_by(session, period, ReportSalesHour.cashier_id)
    query = select(Staff.id, Staff.name).where(Staff.id.in_(list(found)))
    names = dict(session.execute(query).all())
    rows = []
    for cashier_id, sums in sorted(found.items(), key=lambda item: -item[1][1]):
        label = names.get(cashier_id, f"#{cashier_id}")
        rows.append((*_time_row(label, sums), basket_fen(sums)))
    header = (Column("cashier", Kind.TEXT), *_TIME_COLUMNS, Column("avg_basket_fen", Kind.FEN))
    return ReportTable("by_cashier", header, tuple(rows))


def member_share(session: Session, period: Period) -> ReportTable:
    """Members against walk-in customers: receipts, sales, their share and average basket."""
    found = receipts_by(session, period, ReportSalesHour.is_member)
    total_sales = sum(sums[1] for sums in found.values())
    rows = []
    for flag, segment in ((1, "member"), (0, "walk_in")):
        sums = found.get(flag, (0, 0, 0, 0))
        receipts, sales = sums[:2]
        rows.append((segment, receipts, sales, share_bp(sales, total_sales), basket_fen(sums)))
    header = columns(
        segment=Kind.TEXT,
        receipts=Kind.COUNT,
        sales_fen=Kind.FEN,
        share_bp=Kind.BP,
        avg_basket_fen=Kind.FEN,
    )
    return ReportTable("member_share", header, tuple(rows))


def basket_by_day(session: Session, period: Period) -> ReportTable:
    """客单价 (basket_fen) per day."""
    by_day = sales_over_time(session, period, "day")
    rows = tuple(
        (day, n, sales, basket_fen((n, sales, refunds)))  # type: ignore[arg-type]
        for day, n, sales, refunds, _ in by_day.rows
    )
    header = columns(
        day=Kind.TEXT, receipts=Kind.COUNT, sales_fen=Kind.FEN, avg_basket_fen=Kind.FEN
    )
    return ReportTable("basket", header, rows)
