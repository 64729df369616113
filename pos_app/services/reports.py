"""The back office's reports: each one's spec (what it charts and compares), running a report
over a period and putting the previous period of equal length beside it.

The figures are SQL aggregates over the report_* tables, which triggers keep from sales,
sale_lines and payments in the same transaction (migration 0002); each family of reports has
its module (report_receipts, report_products, report_payments, report_refunds, report_claims,
report_kpis). Money is integer fen, shares are basis points (1234 = 12.34 %), days are
business days at UTC+8 (report_period).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pos_app.services.report_claims import qr_claims
from pos_app.services.report_kpis import Kpi
from pos_app.services.report_payments import payment_mix, promotions
from pos_app.services.report_period import Period, next_month
from pos_app.services.report_products import (
    bottom_products,
    gross_margin,
    previous_product_sales,
    sales_by_category,
    top_products,
)
from pos_app.services.report_receipts import (
    basket_by_day,
    member_share,
    sales_by_cashier,
    sales_by_hour,
    sales_over_time,
)
from pos_app.services.report_refunds import refunds_and_voids
from pos_app.services.report_table import Column, Kind, ReportTable

PreviousValues = Callable[[Session, Period, ReportTable], list[int]]


@dataclass(frozen=True)
class ReportSpec:
    """A report of the back office: `value` is the column charted and compared with the previous
    period. Time series compare bucket n with the previous period's bucket n; other reports
    compare the rows with the same value in `key_column`, or use their own `previous`."""

    key: str
    build: Callable[[Session, Period], ReportTable]
    value: str
    by_position: bool = False
    previous: PreviousValues | None = None


REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec("sales_by_hour", sales_by_hour, "net_fen"),
    ReportSpec("sales_by_day", lambda s, p: sales_over_time(s, p, "day"), "net_fen", True),
    ReportSpec("sales_by_week", lambda s, p: sales_over_time(s, p, "week"), "net_fen", True),
    ReportSpec("sales_by_month", lambda s, p: sales_over_time(s, p, "month"), "net_fen", True),
    ReportSpec("by_category", sales_by_category, "net_fen"),
    ReportSpec("top_products", top_products, "net_fen", previous=previous_product_sales),
    ReportSpec("bottom_products", bottom_products, "net_fen", previous=previous_product_sales),
    ReportSpec("by_cashier", sales_by_cashier, "net_fen"),
    ReportSpec("payment_mix", payment_mix, "net_fen"),
    ReportSpec("refunds_voids", refunds_and_voids, "count"),
    ReportSpec("basket", basket_by_day, "avg_basket_fen", True),
    ReportSpec("member_share", member_share, "share_bp"),
    ReportSpec("margin", gross_margin, "margin_fen"),
    ReportSpec("qr_claims", qr_claims, "share_bp"),
    ReportSpec("promotions", promotions, "net_fen"),
)
REPORTS_BY_KEY = {spec.key: spec for spec in REPORTS}


def _bucket_shapes(table: ReportTable) -> list[int | str]:
    """Per week or month row: "whole", or the number of days a partial bucket holds."""
    bucket = table.columns[0].key
    shapes: list[int | str] = []
    for label, days in zip(table.values(bucket), table.values("days"), strict=True):
        first = date.fromisoformat(str(label) + ("-01" if bucket == "month" else ""))
        length = 7 if bucket == "week" else (next_month(first) - first).days
        shapes.append("whole" if days == length else int(str(days)))
    return shapes


def previous_values(
    session: Session, spec: ReportSpec, period: Period, table: ReportTable
) -> Sequence[int | None]:
    """The value of each row of `table` (made for `period`) in the period before it; None
    where a bucket has no like bucket to compare with."""
    before = period.previous()
    if spec.previous is not None:
        return spec.previous(session, before, table)
    earlier = spec.build(session, before)
    values = [int(v) for v in earlier.values(spec.value)]  # type: ignore[call-overload]
    if spec.by_position:
        found = [values[n] if n < len(values) else 0 for n in range(len(table.rows))]
        if "days" not in {c.key for c in table.columns}:
            return found
        # a bucket is compared only with a like one: both whole, or as many days (a 3-day
        # week is no week)
        now, then = _bucket_shapes(table), _bucket_shapes(earlier)
        return [v if n < len(then) and then[n] == now[n] else None for n, v in enumerate(found)]
    key = table.columns[0].key
    keyed = dict(zip(earlier.values(key), values, strict=True))
    return [keyed.get(name, 0) for name in table.values(key)]


def with_previous(
    spec: ReportSpec, current: ReportTable, previous: Sequence[int | None]
) -> ReportTable:
    """current with two more columns: the previous period's value and the change in bp (in
    percentage points, change_points, where the value is itself a share)."""
    value = current.index(spec.value)
    kind = current.columns[value].kind
    rows = []
    for row, before in zip(current.rows, previous, strict=True):
        change = Kpi(spec.value, kind, int(row[value]), before).change_bp  # type: ignore[call-overload]
        rows.append((*row, before, change))
    change_key = "change_points" if kind is Kind.BP else "change_bp"  # shares: in points
    header = (*current.columns, Column("previous", kind), Column(change_key, Kind.BP))
    return ReportTable(current.report, header, tuple(rows))


def run_report(session: Session, key: str, period: Period, *, compare: bool = True) -> ReportTable:
    """The report `key` over the period, with the previous period beside it when compare."""
    spec = REPORTS_BY_KEY[key]
    table = spec.build(session, period)
    if not compare:
        return table
    return with_previous(spec, table, previous_values(session, spec, period, table))
