"""Demo sales history: a deterministic stream of sales, refunds, payments, stock deltas, voids
and journal entries, written straight into the tables with executemany so that a year of
500,000 sales takes a minute, not hours. Used by the back-office demo, the report tests and the
reports bench.

The rows look like what checkout and refund write (same columns, same signs, same journal
chain); the shop's business day is China Standard Time (UTC+8), like the reports.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.demo.sales_rows import (
    Counters,
    DemoSale,
    Item,
    Line,
    Pay,
    RowWriter,
    insert_rows,
)
from pos_app.domain.money import mul_div_half_up
from pos_app.services.points import points_for_sale, points_to_reverse
from pos_app.services.refund import split_over_payments
from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.journal_chain import GENESIS_HASH
from pos_app.store.models import JournalEntry, Payment, Product, Sale, SaleLine, Staff

SHOP_TZ = timezone(timedelta(hours=8), "CST")
# Relative traffic per opening hour (07:00 to 22:00): breakfast, lunch and evening peaks.
HOUR_WEIGHTS = (4, 9, 6, 4, 5, 8, 6, 4, 4, 5, 8, 9, 7, 5, 3, 2)
OPENING_HOUR = 7
TENDER_WEIGHTS = (("cash", 30), ("wechat", 42), ("alipay", 20), ("card", 5), ("stored_value", 3))
DAYS_PER_COMMIT = 16
LINES_PER_SALE = (1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 9)  # drawn evenly: about 4 a sale


@dataclass(frozen=True)
class SalesPlan:
    """What to generate: `days` business days from first_day, about sales_per_day each."""

    first_day: date
    days: int
    sales_per_day: int
    seed: int = 1
    product_pool: int = 5000  # the best sellers are drawn from the first N active products
    member_percent: int = 30
    refund_permille: int = 10
    void_line_percent: int = 3
    void_sale_permille: int = 5
    rounding_percent: int = 20  # sales whose odd fen the cashier drops (抹零 to the jiao)


@dataclass(frozen=True)
class SalesStats:
    sales: int
    refunds: int
    lines: int
    voids: int
    seconds: float


class _Generator:
    """Makes one business day of rows at a time; all randomness comes from one seeded rng."""

    def __init__(self, plan: SalesPlan, items: Sequence[Item], staff: Sequence[int]) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.items = items
        self.staff = staff
        self.tenders = [kind for kind, weight in TENDER_WEIGHTS for _ in range(weight)]
        self.walk_in_tenders = [kind for kind in self.tenders if kind != "stored_value"]
        self.sales = self.refunds = self.lines = self.voids = 0

    def pick_item(self) -> Item:
        # Skewed: a few products sell a lot, the long tail rarely (like a real shelf).
        return self.items[int(len(self.items) * self.rng.random() ** 2.5)]

    def _moment(self, day: date) -> datetime:
        hour = self.rng.choices(range(len(HOUR_WEIGHTS)), HOUR_WEIGHTS)[0] + OPENING_HOUR
        second = self.rng.randrange(3600)
        start = datetime(day.year, day.month, day.day, hour, tzinfo=SHOP_TZ)
        return start + timedelta(seconds=second, microseconds=self.rng.randrange(1_000_000))

    def day_moments(self, day: date) -> list[datetime]:
        spread = self.plan.sales_per_day // 5
        count = self.plan.sales_per_day + self.rng.randint(-spread, spread)
        return sorted(self._moment(day) for _ in range(count))

    def line_values(self, item: Item, member: bool) -> tuple[int, int, str, int, int]:
        """qty, unit price, price source, gross and discount of one sale line."""
        rng = self.rng
        qty = rng.randrange(150, 2500) if item.weighed else rng.choice((1, 1, 1, 2, 2, 3, 6))
        price, source = item.price_fen, "list"
        if member and item.member_price_fen is not None:
            price, source = item.member_price_fen, "member"
        gross = mul_div_half_up(price, qty, 1000) if item.weighed else price * qty
        discount = gross // 10 if rng.randrange(100) < 4 else 0
        return qty, price, source, gross, discount

    def tenders_for(self, total_fen: int, member: bool) -> list[tuple[str, int, int]]:
        """(kind, amount applied, tendered) per tender; one split in ten pays part in cash.
        Only a member has a stored-value card."""
        kind = self.rng.choice(self.tenders if member else self.walk_in_tenders)
        if self.rng.randrange(10) == 0 and total_fen > 200 and kind != "cash":
            part = total_fen // 2
            return [(kind, part, part), ("cash", total_fen - part, total_fen - part)]
        if kind == "cash":
            tendered = -(-total_fen // 1000) * 1000 if self.rng.randrange(2) else total_fen
            return [("cash", total_fen, tendered)]
        return [(kind, total_fen, total_fen)]


def _build_sale(gen: _Generator, moment: datetime) -> DemoSale:
    rng = gen.rng
    member = rng.randrange(100) < gen.plan.member_percent
    sale = DemoSale(
        kind="sale",
        cashier_id=rng.choice(gen.staff),
        member_id=f"M{rng.randrange(1, 20_000):06d}" if member else None,
        created_at=moment,
    )
    for line_no in range(1, rng.choice(LINES_PER_SALE) + 1):
        item = gen.pick_item()
        sale.lines.append(Line(line_no, item, *gen.line_values(item, member)))
    if rng.randrange(100) < gen.plan.rounding_percent:
        sale.rounding_fen = -(sale.total_fen % 10)
    sale.points_earned = points_for_sale(sale.member_id, sale.total_fen)
    sale.payments = [Pay(*tender) for tender in gen.tenders_for(sale.total_fen, member)]
    return sale


def _build_refund(original: DemoSale, original_id: int, line_id: int, moment: datetime) -> DemoSale:
    """A refund of the original's first line, whole, back to its tenders in proportion; a
    one-line sale is refunded as paid, its 抹零 included."""
    line = original.lines[0]
    refunded = original.total_fen if len(original.lines) == 1 else line.net_fen
    refund = DemoSale(
        kind="refund",
        cashier_id=original.cashier_id,
        member_id=original.member_id,
        created_at=moment,
        original_sale_id=original_id,
        points_earned=-points_to_reverse(
            earned=original.points_earned, refunded_fen=refunded, paid_fen=original.total_fen
        ),
        rounding_fen=line.net_fen - refunded,
    )
    refund.lines.append(
        Line(
            1,
            line.item,
            -line.qty,
            line.unit_price_fen,
            line.price_source,
            -line.gross_fen,
            -line.discount_fen,
            original_line_id=line_id,
        )
    )
    paid = [Payment(kind=p.kind, amount_fen=p.amount_fen) for p in original.payments]
    shares = split_over_payments(refunded, paid)
    refund.payments = [
        Pay(p.kind, -share, -share) for p, share in zip(paid, shares, strict=True) if share
    ]
    return refund


def _write_day(gen: _Generator, writer: RowWriter, day: date) -> None:
    rng, plan = gen.rng, gen.plan
    for moment in gen.day_moments(day):
        sale = _build_sale(gen, moment)
        if rng.randrange(100) < plan.void_line_percent:
            line = sale.lines[0]
            details = {"line": 1, "sku": line.item.sku, "amount_fen": line.net_fen}
            writer.write_void(moment, "void_line", sale.cashier_id, details)
            gen.voids += 1
        if rng.randrange(1000) < plan.void_sale_permille:
            writer.write_void(moment, "void_sale", sale.cashier_id, {"total_fen": sale.total_fen})
            gen.voids += 1
        sale_id, line_ids = writer.write_sale(sale)
        gen.sales += 1
        gen.lines += len(sale.lines)
        if rng.randrange(1000) < plan.refund_permille:
            later = moment + timedelta(minutes=rng.randrange(5, 90))
            refund = _build_refund(sale, sale_id, line_ids[0], later)
            writer.write_sale(refund, approver=gen.staff[-1])
            gen.refunds += 1
            gen.lines += 1


def _items(session: Session, pool: int) -> list[Item]:
    query = (
        select(
            Product.id,
            Product.sku,
            Product.name,
            Product.price_fen,
            Product.member_price_fen,
            Product.weighed,
            Product.cost_fen,
        )
        .where(Product.status == "active")
        .order_by(Product.id)
        .limit(pool)
    )
    items = [Item(*row) for row in session.execute(query)]
    if not items:
        raise ValueError("Demo sales need products in the catalog first")
    return items


def _counters(session: Session, till_id: str) -> Counters:
    last = session.scalars(select(JournalEntry).order_by(JournalEntry.seq.desc()).limit(1)).first()
    return Counters(
        sale_id=session.scalar(select(func.max(Sale.id))) or 0,
        line_id=session.scalar(select(func.max(SaleLine.id))) or 0,
        till_seq=session.scalar(select(func.max(Sale.till_seq)).where(Sale.till_id == till_id))
        or 0,
        journal_seq=0 if last is None else last.seq,
        journal_hash=GENESIS_HASH if last is None else last.hash,
    )


def _day_chunks(plan: SalesPlan) -> Iterator[list[date]]:
    days = [plan.first_day + timedelta(days=i) for i in range(plan.days)]
    for start in range(0, len(days), DAYS_PER_COMMIT):
        yield days[start : start + DAYS_PER_COMMIT]


def generate_sales(db: Database, plan: SalesPlan) -> SalesStats:
    """Append plan.days of demo sales after whatever the database holds; same seed, same rows."""
    started = time.perf_counter()
    with db.read() as session:
        items = _items(session, plan.product_pool)
        staff = list(session.scalars(select(Staff.id).where(Staff.active).order_by(Staff.id)))
    gen = _Generator(plan, items, staff)
    for days in _day_chunks(plan):
        with db.write() as session:
            identity = till_identity(session)
            counters = _counters(session, identity.till_id)
            writer = RowWriter(counters, identity.store_id, identity.till_id, gen.staff[-1])
            for day in days:
                _write_day(gen, writer, day)
            raw = session.connection().connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            insert_rows(raw, writer.take_rows())
    return SalesStats(gen.sales, gen.refunds, gen.lines, gen.voids, time.perf_counter() - started)
