"""Sales figures for the back office: over time (hour of day, day, week, month), by category
and product (top and bottom), by cashier, payment mix, refunds and voids, basket, member share,
gross margin, the same for the previous period of equal length, and a short daily summary for
the receipt printer.

Every figure is a SQL aggregate over the report_* tables, which triggers keep from sales,
sale_lines and payments in the same transaction (migration 0002): a year of 500,000 sales
reads a few thousand rows, not two million lines. Product figures come from whole months where
the range covers them and from days for the rest. Voids come from the journal. Money is integer
fen, shares are basis points (1234 = 12.34 %), days are business days at UTC+8.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pos_app.domain.money import mul_div_half_up
from pos_app.services.report_table import Column, Kind, ReportTable, columns
from pos_app.store.backoffice_models import (
    ReportPaymentDay,
    ReportProductDay,
    ReportProductMonth,
    ReportSalesHour,
)
from pos_app.store.member_models import ClaimedReceipt
from pos_app.store.models import Category, JournalEntry, Product, Sale, SalePromotion, Staff

SHOP_TZ = timezone(timedelta(hours=8), "CST")
BASIS_POINTS = 10_000
TOP_N = 10
SHOP_TZ_MODIFIER = "+8 hours"  # SQLite date() of a UTC time, on the shop's calendar (SHOP_TZ)
VOID_KINDS = ("void_line", "void_sale")
ROUNDING = "rounding"  # the row of the line reports that carries the 抹零 (rounding_fen)

_TIME_COLUMNS = columns(
    receipts=Kind.COUNT, sales_fen=Kind.FEN, refunds_fen=Kind.FEN, net_fen=Kind.FEN
)
_PRODUCT_COLUMNS = columns(
    rank=Kind.COUNT,
    sku=Kind.TEXT,
    name=Kind.TEXT,
    weighed=Kind.FLAG,
    qty=Kind.QTY,
    net_fen=Kind.FEN,
    share_bp=Kind.BP,
)


@dataclass(frozen=True)
class Period:
    """Business days first..last, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"The period ends ({self.last}) before it starts ({self.first}).")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period compared with this one: whole calendar months compare with as many
        calendar months before (November with October); other ranges with the days of equal
        length just before."""
        months = self._whole_months()
        if months:
            before = self.first.year * 12 + self.first.month - 1 - months
            return Period(date(before // 12, before % 12 + 1, 1), self.first - timedelta(days=1))
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def _whole_months(self) -> int:
        """How many calendar months the period is, 0 unless it starts on a 1st and ends on the
        last day of a month."""
        if self.first.day != 1 or (self.last + timedelta(days=1)).day != 1:
            return 0
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the period as aware UTC datetimes."""
        start = datetime.combine(self.first, time(), SHOP_TZ)
        end = datetime.combine(self.last + timedelta(days=1), time(), SHOP_TZ)
        return start.astimezone(UTC), end.astimezone(UTC)

    @classmethod
    def ending(cls, last: date, days: int) -> Period:
        return cls(last - timedelta(days=days - 1), last)


def shop_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(SHOP_TZ).date()


def share_bp(part: int, whole: int) -> int:
    """part / whole in basis points, half up; 0 when there is no whole."""
    return mul_div_half_up(part, BASIS_POINTS, whole) if whole else 0


def average_fen(total_fen: int, count: int) -> int:
    return mul_div_half_up(total_fen, 1, count) if count else 0


def basket_fen(sums: tuple[int, ...]) -> int:
    """客单价, the one definition (docs/figures.md): net sales (sales less refunds) ÷ sale
    receipts, from (receipts, sales_fen, refunds_fen, ...)."""
    receipts, sales, refunds = sums[:3]
    return average_fen(sales + refunds, receipts)


# --- receipts: report_sales_hours -------------------------------------------------------------

_SALE = ReportSalesHour.kind == "sale"
_REFUND = ReportSalesHour.kind == "refund"


def _sum_if(condition: ColumnElement[bool], value: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _receipt_sums() -> tuple[ColumnElement[int], ...]:
    return (
        _sum_if(_SALE, ReportSalesHour.receipts),
        _sum_if(_SALE, ReportSalesHour.total_fen),
        _sum_if(_REFUND, ReportSalesHour.total_fen),
        _sum_if(_REFUND, ReportSalesHour.receipts),
    )


def _receipts_by(session: Session, period: Period, key: Any) -> dict[Any, tuple[int, ...]]:
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


def _days(period: Period) -> Iterable[date]:
    return (period.first + timedelta(days=i) for i in range(period.days))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


_BUCKETS: dict[str, tuple[Any, Callable[[Period], Iterable[str]]]] = {
    "day": (ReportSalesHour.day, lambda p: (d.isoformat() for d in _days(p))),
    "week": (
        func.date(ReportSalesHour.day, "weekday 0", "-6 days"),
        lambda p: dict.fromkeys(_monday(d).isoformat() for d in _days(p)),
    ),
    "month": (
        func.substr(ReportSalesHour.day, 1, 7),
        lambda p: dict.fromkeys(d.isoformat()[:7] for d in _days(p)),
    ),
}


def _bucket_days(period: Period, bucket: str) -> Counter[str]:
    """How many days of the period each week or month bucket holds (fewer: a partial bucket)."""
    key = (lambda d: _monday(d).isoformat()) if bucket == "week" else (lambda d: d.isoformat()[:7])
    return Counter(key(day) for day in _days(period))


def _bucket_shapes(table: ReportTable) -> list[int | str]:
    """Per week or month row: "whole", or the number of days a partial bucket holds."""
    bucket = table.columns[0].key
    shapes: list[int | str] = []
    for label, days in zip(table.values(bucket), table.values("days"), strict=True):
        first = date.fromisoformat(str(label) + ("-01" if bucket == "month" else ""))
        length = 7 if bucket == "week" else (_next_month(first) - first).days
        shapes.append("whole" if days == length else int(str(days)))
    return shapes


def sales_over_time(session: Session, period: Period, bucket: str) -> ReportTable:
    """Receipts, sales, refunds and net per day, week (starting Monday) or month, gaps as 0.
    Weeks and months say how many of their days the period holds (天数), so a partial one
    shows as partial."""
    key, labels = _BUCKETS[bucket]
    found = _receipts_by(session, period, key)
    rows = tuple(_time_row(label, found.get(label, (0, 0, 0, 0))) for label in labels(period))
    head: tuple[Column, ...] = (Column(bucket, Kind.TEXT),)
    if bucket != "day":
        days = _bucket_days(period, bucket)
        rows = tuple((row[0], days[str(row[0])], *row[1:]) for row in rows)
        head = (*head, Column("days", Kind.COUNT))
    return ReportTable(f"sales_by_{bucket}", (*head, *_TIME_COLUMNS), rows)


def sales_by_hour(session: Session, period: Period) -> ReportTable:
    """The same figures per hour of the day, over the opening hours that saw receipts."""
    found = _receipts_by(session, period, ReportSalesHour.hour)
    hours = range(min(found), max(found) + 1) if found else range(0)
    rows = tuple(_time_row(f"{h:02d}:00", found.get(h, (0, 0, 0, 0))) for h in hours)
    return ReportTable("sales_by_hour", (Column("hour", Kind.TEXT), *_TIME_COLUMNS), rows)


def sales_by_cashier(session: Session, period: Period) -> ReportTable:
    found = _receipts_by(session, period, ReportSalesHour.cashier_id)
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
    found = _receipts_by(session, period, ReportSalesHour.is_member)
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


# --- lines: report_product_months + report_product_days ---------------------------------------

_FIGURES = ("qty", "lines", "net_fen", "costed_net_fen", "cost_fen")


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _split(period: Period) -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """(first month, last month) wholly inside the period, and the day ranges left over."""
    first_month = period.first if period.first.day == 1 else _next_month(period.first)
    after_months = _month_start(period.last + timedelta(days=1))
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


def _line_totals(session: Session, period: Period) -> dict[str, int]:
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
    receipts = _receipts_by(session, period, literal(1)).get(1, (0, 0, 0, 0))
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


# --- payments, refunds and voids --------------------------------------------------------------


def payment_mix(session: Session, period: Period) -> ReportTable:
    """Per tender: payments taken, amounts paid in and refunded, net and share of the net."""
    p = ReportPaymentDay
    sale, refund = p.sale_kind == "sale", p.sale_kind == "refund"
    query = (
        select(
            p.tender,
            _sum_if(sale, p.payments),
            _sum_if(sale, p.amount_fen),
            _sum_if(refund, p.amount_fen),
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
            _sum_if(sale, p.discount_fen),
            _sum_if(Sale.kind == "refund", p.discount_fen),
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


def _void_amount() -> ColumnElement[int]:
    """What a void took off: a line's amount_fen, a whole sale's total_fen (0 when the entry
    recorded no amount)."""
    payload = JournalEntry.payload
    return func.coalesce(
        func.json_extract(payload, "$.amount_fen"), func.json_extract(payload, "$.total_fen"), 0
    )


def _voids(session: Session, period: Period) -> dict[str, tuple[int, int]]:
    """kind → (count, amount) of void_line / void_sale journal entries in the period."""
    start, end = period.utc_bounds()
    amount = func.coalesce(func.sum(_void_amount()), 0)
    query = (
        select(JournalEntry.kind, func.count(), amount)
        .where(
            JournalEntry.kind.in_(VOID_KINDS),
            JournalEntry.created_at >= start,
            JournalEntry.created_at < end,
        )
        .group_by(JournalEntry.kind)
    )
    return {kind: (int(n), int(fen)) for kind, n, fen in session.execute(query)}


def refunds_and_voids(session: Session, period: Period) -> ReportTable:
    """Refund receipts and amount; lines and whole sales voided before payment (amounts where
    the journal entry recorded one)."""
    totals = _receipts_by(session, period, literal(1)).get(1, (0, 0, 0, 0))
    voids = _voids(session, period)
    rows = (
        ("refund", totals[3], totals[2]),
        *((kind, *voids.get(kind, (0, 0))) for kind in VOID_KINDS),
    )
    header = columns(kind=Kind.TEXT, count=Kind.COUNT, amount_fen=Kind.FEN)
    return ReportTable("refunds_voids", header, rows)


def _claims_by_day(session: Session, period: Period) -> dict[str, tuple[int, int]]:
    """day → (receipts, of them claimed in the mini-program), from the claims the mall synced.
    Receipts are counted in the hourly rollup; only the claimed receipts are looked up among
    the sales (by till number)."""
    receipts = {
        day: sums[0] for day, sums in _receipts_by(session, period, ReportSalesHour.day).items()
    }
    start, end = period.utc_bounds()
    day = func.date(Sale.created_at, SHOP_TZ_MODIFIER)
    claimed = and_(ClaimedReceipt.till_id == Sale.till_id, ClaimedReceipt.till_seq == Sale.till_seq)
    query = (
        select(day, func.count())
        .select_from(ClaimedReceipt)
        .join(Sale, claimed)
        .where(Sale.kind == "sale", Sale.created_at >= start, Sale.created_at < end)
        .group_by(day)
    )
    claims = {label: int(n) for label, n in session.execute(query)}
    return {
        label: (n, claims.get(label, 0)) for label, n in receipts.items() if n or label in claims
    }


def qr_claims(session: Session, period: Period) -> ReportTable:
    """Per day: receipts, how many of their QR codes customers claimed in the mini-program, and
    the share (the shop's online conversion; claims arrive with each sync round)."""
    found = _claims_by_day(session, period)
    rows = []
    for day in _days(period):
        receipts, claims = found.get(day.isoformat(), (0, 0))
        rows.append((day.isoformat(), claims, receipts, share_bp(claims, receipts)))
    header = columns(day=Kind.TEXT, claimed=Kind.COUNT, receipts=Kind.COUNT, share_bp=Kind.BP)
    return ReportTable("qr_claims", header, tuple(rows))


def _claim_share_bp(session: Session, period: Period) -> int:
    receipts = claims = 0
    for day_receipts, day_claims in _claims_by_day(session, period).values():
        receipts, claims = receipts + day_receipts, claims + day_claims
    return share_bp(claims, receipts)


# --- the dashboard's key figures and the previous period --------------------------------------


@dataclass(frozen=True)
class Kpi:
    """One key figure for the period and the previous period of equal length."""

    key: str
    kind: Kind
    current: int | None  # None: not available
    previous: int | None

    @property
    def change_bp(self) -> int | None:
        """The change against the previous period, in basis points. A share (Kind.BP) changes
        in percentage points (2668 after 2580 → 88, "+0.88 个百分点"); a figure below zero
        (refunds) by the relative change of its size, so more refunds is a positive change;
        any other figure by its relative change. None when there is nothing to compare."""
        if self.current is None or self.previous is None:
            return None
        if self.kind is Kind.BP:
            return self.current - self.previous
        if not self.previous:
            return None
        size = abs(self.previous)
        if self.previous < 0 and self.current <= 0:
            return share_bp(abs(self.current) - size, size)
        return share_bp(self.current - self.previous, size)

    @property
    def in_points(self) -> bool:
        """The change is in percentage points (a share), not in percent."""
        return self.kind is Kind.BP

    @property
    def below_zero(self) -> bool:
        """The figure counts money going out (refunds, a net refund) in both periods: at or
        below zero in each, below in one. Its change is the change of its size."""
        if self.current is None or self.previous is None:
            return False
        return max(self.current, self.previous) <= 0 and min(self.current, self.previous) < 0

    @property
    def more_or_less(self) -> str | None:
        """The change worded as "more" or "less" of a figure below zero (多退 / 少退: −72.54
        → −314.31 is 333.29 % more refunds, not "−333.29 %"); None for a plain signed change."""
        change = self.change_bp
        if self.in_points or not change or not self.below_zero:
            return None
        return "more" if change > 0 else "less"


def _key_figures(session: Session, period: Period) -> dict[str, tuple[Kind, int | None]]:
    receipts, sales, refunds, refund_receipts = _receipts_by(session, period, literal(1)).get(
        1, (0, 0, 0, 0)
    )
    members = _receipts_by(session, period, ReportSalesHour.is_member).get(1, (0, 0))
    lines = _line_totals(session, period)
    rounding = sales + refunds - lines["net_fen"]  # the 抹零 row of the margin report
    costed = lines["costed_net_fen"] + rounding
    margin = costed - lines["cost_fen"]
    voids = _voids(session, period)
    return {
        "net_fen": (Kind.FEN, sales + refunds),
        "sales_fen": (Kind.FEN, sales),
        "receipts": (Kind.COUNT, receipts),
        "avg_basket_fen": (Kind.FEN, basket_fen((receipts, sales, refunds))),
        "member_share_bp": (Kind.BP, share_bp(members[1], sales)),
        "margin_fen": (Kind.FEN, margin),
        "margin_bp": (Kind.BP, share_bp(margin, costed)),
        "refunds_fen": (Kind.FEN, refunds),
        "refund_receipts": (Kind.COUNT, refund_receipts),
        "void_lines": (Kind.COUNT, voids.get("void_line", (0, 0))[0]),
        "void_sales": (Kind.COUNT, voids.get("void_sale", (0, 0))[0]),
        "qr_claim_share_bp": (Kind.BP, _claim_share_bp(session, period)),
    }


def key_figures(session: Session, period: Period) -> list[Kpi]:
    """The dashboard's figures, each beside the previous period's."""
    now = _key_figures(session, period)
    before = _key_figures(session, period.previous())
    return [Kpi(key, kind, value, before[key][1]) for key, (kind, value) in now.items()]


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


def _previous_products(session: Session, period: Period, table: ReportTable) -> list[int]:
    """Net sales in `period` of each product of the table (wherever it ranked then)."""
    skus = [str(sku) for sku in table.values("sku")]
    ids = list(session.scalars(select(Product.id).where(Product.sku.in_(skus))))
    figures = _product_figures(period, ids)
    query = select(Product.sku, figures.c.net_fen).join(figures, figures.c.product_id == Product.id)
    found = {sku: int(net) for sku, net in session.execute(query)}
    return [found.get(sku, 0) for sku in skus]


REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec("sales_by_hour", sales_by_hour, "net_fen"),
    ReportSpec("sales_by_day", lambda s, p: sales_over_time(s, p, "day"), "net_fen", True),
    ReportSpec("sales_by_week", lambda s, p: sales_over_time(s, p, "week"), "net_fen", True),
    ReportSpec("sales_by_month", lambda s, p: sales_over_time(s, p, "month"), "net_fen", True),
    ReportSpec("by_category", sales_by_category, "net_fen"),
    ReportSpec("top_products", top_products, "net_fen", previous=_previous_products),
    ReportSpec("bottom_products", bottom_products, "net_fen", previous=_previous_products),
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
