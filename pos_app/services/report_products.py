"""Line reports from the product rollups (report_product_months for whole months,
report_product_days for the rest): top and bottom products, sales by category and the gross
margin, whose last row carries the 抹零 (rounding) so the rows add up to net sales."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, String, cast, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from pos_app.services.report_period import Period, month_start, next_month
from pos_app.services.report_ratios import share_bp
from pos_app.services.report_receipts import receipts_by
from pos_app.services.report_table import Kind, ReportTable, columns
from pos_app.store.backoffice_models import ReportProductDay, ReportProductMonth
from pos_app.store.models import Category, Product

TOP_N = 10
ROUNDING = "rounding"  # the row of the line reports that carries the 抹零 (rounding_fen)

_PRODUCT_COLUMNS = columns(
    rank=Kind.COUNT,
    sku=Kind.TEXT,
    name=Kind.TEXT,
    weighed=Kind.FLAG,
    qty=Kind.QTY,
    net_fen=Kind.FEN,
    share_bp=Kind.BP,
)
_FIGURES = ("qty", "lines", "net_fen", "costed_net_fen", "cost_fen")


def _split(period: Period) -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """(first month, last month) wholly inside the period, and the day ranges left over."""
    first_month = period.first if period.first.day == 1 else next_month(period.first)
    after_months = month_start(period.last + timedelta(days=1))
    if first_month >= after_months:
        return ("", ""), [(period.first.isoformat(), period.last.isoformat())]
    day_ranges = [
        (period.first.isoformat(), (first_month - timedelta(days=1)).isoformat()),
        (after_months.isoformat(), period.last.isoformat()),
    ]
    last_month = after_months - timedelta(days=1)
    return (first_month.isoformat()[:7], last_month.isoformat()[:7]), day_ranges


def _line_rows(period: Period, product_ids: Sequence[int] | None = None) -> Any:
    """A subquery of the rollup rows (product_id and _FIGURES) that make up the period: whole
    months from the monthly rollup, the days left over from the daily one; only the given
    products when product_ids is given."""
    (month_from, month_to), day_ranges = _split(period)
    months, days = ReportProductMonth, ReportProductDay
    parts: list[Select[Any]] = [
        select(months.product_id, *(getattr(months, f) for f in _FIGURES)).where(
            months.month.between(month_from, month_to),
            true() if product_ids is None else months.product_id.in_(list(product_ids)),
        )
    ]
    for day_from, day_to in day_ranges:
        parts.append(
            select(days.product_id, *(getattr(days, f) for f in _FIGURES)).where(
                days.day.between(day_from, day_to),
                true() if product_ids is None else days.product_id.in_(list(product_ids)),
            )
        )
    return union_all(*parts).subquery("figures")


def _product_figures(period: Period, product_ids: Sequence[int] | None = None) -> Any:
    """A subquery of product_id and the _FIGURES summed over the period."""
    lines = _line_rows(period, product_ids)
    sums = (func.sum(lines.c[f]).label(f) for f in _FIGURES)
    return select(lines.c.product_id, *sums).group_by(lines.c.product_id).subquery("by_product")


def line_totals(session: Session, period: Period) -> dict[str, int]:
    """The _FIGURES summed over every line of the period (no grouping: the dashboard's margin)."""
    lines = _line_rows(period)
    row = session.execute(select(*(func.coalesce(func.sum(lines.c[f]), 0) for f in _FIGURES)))
    return dict(zip(_FIGURES, (int(v) for v in row.one()), strict=True))


def _products(session: Session, period: Period, *, bottom: bool, n: int) -> ReportTable:
    figures = _product_figures(period)
    total = func.sum(figures.c.net_fen).over()  # every product's net, beside each ranked row
    ranked = select(figures, total.label("total")).subquery("ranked")
    order = ranked.c.net_fen.asc() if bottom else ranked.c.net_fen.desc()
    query = (
        select(Product.sku, Product.name, Product.weighed, ranked.c.qty, ranked.c.net_fen)
        .add_columns(ranked.c.total)
        .join(Product, Product.id == ranked.c.product_id)
        .order_by(order, Product.sku)
        .limit(n)
    )
    found = enumerate(session.execute(query), start=1)
    rows = tuple(
        (rank, sku, name, weighed, int(qty), int(net), share_bp(int(net), int(total)))
        for rank, (sku, name, weighed, qty, net, total) in found
    )
    return ReportTable("bottom_products" if bottom else "top_products", _PRODUCT_COLUMNS, rows)


def top_products(session: Session, period: Period, n: int = TOP_N) -> ReportTable:
    """The n products with the highest net sales."""
    return _products(session, period, bottom=False, n=n)


def bottom_products(session: Session, period: Period, n: int = TOP_N) -> ReportTable:
    """The n products that sold least (among those that sold at all in the period)."""
    return _products(session, period, bottom=True, n=n)


def _net_sales_fen(session: Session, period: Period) -> int:
    receipts = receipts_by(session, period, literal(1)).get(1, (0, 0, 0, 0))
    return receipts[1] + receipts[2]


def _by_category(session: Session, period: Period) -> list[tuple[str, tuple[int, ...]]]:
    """(category name, summed _FIGURES) per category, largest net first; "" = uncategorised.

    A last ROUNDING row (when not 0) holds the 抹零, which belongs to no line: every receipt's
    total is its lines' net plus its rounding_fen, so net sales less the lines' net is the
    rounding, and the rows add up to net sales to the fen."""
    figures = _product_figures(period)
    name = func.coalesce(Category.name, cast(literal(""), String))
    query = (
        select(name, *(func.sum(figures.c[f]) for f in _FIGURES))
        .select_from(figures)
        .join(Product, Product.id == figures.c.product_id)
        .outerjoin(Category, Category.id == Product.category_id)
        .group_by(name)
    )
    found = [(row[0], tuple(int(v) for v in row[1:])) for row in session.execute(query)]
    ordered = sorted(found, key=lambda item: (-item[1][2], item[0]))
    rounding = _net_sales_fen(session, period) - sum(sums[2] for _, sums in found)
    if rounding:
        ordered.append((ROUNDING, (0, 0, rounding, rounding, 0)))
    return ordered


def sales_by_category(session: Session, period: Period) -> ReportTable:
    found = _by_category(session, period)
    total = sum(sums[2] for _, sums in found)
    rows = tuple((name, sums[1], sums[2], share_bp(sums[2], total)) for name, sums in found)
    header = columns(category=Kind.TEXT, lines=Kind.COUNT, net_fen=Kind.FEN, share_bp=Kind.BP)
    return ReportTable("by_category", header, rows)


def gross_margin(session: Session, period: Period) -> ReportTable:
    """Per category: net of the lines whose cost was known, their cost, margin and margin %;
    uncosted_net_fen is the net of lines sold without a known cost (left out of the margin).
    The 抹零 row costs nothing: it takes its amount off the margin and has no margin %."""
    rows = []
    for name, (_qty, _lines, net, costed, cost) in _by_category(session, period):
        margin = costed - cost
        margin_bp = None if name == ROUNDING else share_bp(margin, costed)
        rows.append((name, costed, cost, margin, margin_bp, net - costed))
    header = columns(
        category=Kind.TEXT,
        costed_net_fen=Kind.FEN,
        cost_fen=Kind.FEN,
        margin_fen=Kind.FEN,
        margin_bp=Kind.BP,
        uncosted_net_fen=Kind.FEN,
    )
    return ReportTable("margin", header, tuple(rows))


def previous_product_sales(session: Session, period: Period, table: ReportTable) -> list[int]:
    """Net sales in `period` of each product of the table (wherever it ranked then)."""
    skus = [str(sku) for sku in table.values("sku")]
    ids = list(session.scalars(select(Product.id).where(Product.sku.in_(skus))))
    figures = _product_figures(period, ids)
    query = select(Product.sku, figures.c.net_fen).join(figures, figures.c.product_id == Product.id)
    found = {sku: int(net) for sku, net in session.execute(query)}
    return [found.get(sku, 0) for sku in skus]
