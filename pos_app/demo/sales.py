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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.domain.money import mul_div_half_up
from pos_app.services.points import points_for_sale, points_to_reverse
from pos_app.services.refund import split_over_payments
from pos_app.services.stock import line_cost_fen
from pos_app.services.till import sale_number, till_identity
from pos_app.store.canonical import canonical_json
from pos_app.store.db import Database
from pos_app.store.journal import GENESIS_HASH, entry_hash
from pos_app.store.models import JournalEntry, Payment, Product, Sale, SaleLine, Staff

SHOP_TZ = timezone(timedelta(hours=8), "CST")
# Relative traffic per opening hour (07:00 to 22:00): breakfast, lunch and evening peaks.
HOUR_WEIGHTS = (4, 9, 6, 4, 5, 8, 6, 4, 4, 5, 8, 9, 7, 5, 3, 2)
OPENING_HOUR = 7
TENDER_WEIGHTS = (("cash", 30), ("wechat", 42), ("alipay", 20), ("card", 5), ("stored_value", 3))
DAYS_PER_COMMIT = 16
LINES_PER_SALE = (1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 9)  # drawn evenly: about 4 a sale
_SQL_TIME = "%Y-%m-%d %H:%M:%S.%f"

_INSERTS = {
    "sales": (
        "id, sale_no, kind, store_id, till_id, till_seq, shift_id, cashier_id, member_id,"
        " original_sale_id, created_at, subtotal_fen, discount_fen, rounding_fen, total_fen,"
        " points_earned, printed_at"
    ),
    "sale_lines": (
        "id, sale_id, line_no, product_id, sku, name, barcode, weighed, qty, unit_price_fen,"
        " price_source, gross_fen, discount_fen, net_fen, original_line_id, unit_cost_fen,"
        " line_cost_fen"
    ),
    "payments": "sale_id, kind, amount_fen, tendered_fen, change_fen, reference",
    "stock_moves": "product_id, delta, reason, ref, created_at",
    "journal": "seq, till_id, kind, created_at, actor_id, approver_id, payload, prev_hash, hash",
}


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


@dataclass(frozen=True)
class _Item:
    product_id: int
    sku: str
    name: str
    price_fen: int
    member_price_fen: int | None
    weighed: bool
    cost_fen: int | None  # the product's cost price when the history is generated


@dataclass(slots=True)
class _Line:
    line_no: int
    item: _Item
    qty: int
    unit_price_fen: int
    price_source: str
    gross_fen: int
    discount_fen: int
    original_line_id: int | None = None

    @property
    def net_fen(self) -> int:
        return self.gross_fen - self.discount_fen

    @property
    def line_cost_fen(self) -> int | None:
        """The cost the line carries, as checkout and a whole-line refund record it."""
        return line_cost_fen(self.item.weighed, self.qty, self.item.cost_fen)


@dataclass(slots=True)
class _Pay:
    kind: str
    amount_fen: int
    tendered_fen: int


@dataclass(slots=True)
class _Sale:
    """A sale or refund before it has ids; plain objects, far cheaper than ORM instances."""

    kind: str
    cashier_id: int
    member_id: str | None
    created_at: datetime
    lines: list[_Line] = field(default_factory=list)
    payments: list[_Pay] = field(default_factory=list)
    original_sale_id: int | None = None
    points_earned: int = 0
    rounding_fen: int = 0  # the 抹零, ≤ 0 on a sale

    @property
    def subtotal_fen(self) -> int:
        return sum(line.gross_fen for line in self.lines)

    @property
    def discount_fen(self) -> int:
        return sum(line.discount_fen for line in self.lines)

    @property
    def total_fen(self) -> int:
        return self.subtotal_fen - self.discount_fen + self.rounding_fen


@dataclass
class _Rows:
    """Rows of one commit, per table, in column order of _INSERTS."""

    tables: dict[str, list[tuple[object, ...]]] = field(
        default_factory=lambda: {table: [] for table in _INSERTS}
    )

    def add(self, table: str, row: tuple[object, ...]) -> None:
        self.tables[table].append(row)


def sql_time(moment: datetime) -> str:
    """An aware datetime as the naive-UTC text the UtcDateTime column stores."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime(_SQL_TIME)


@dataclass
class _Counters:
    sale_id: int
    line_id: int
    till_seq: int
    journal_seq: int
    journal_hash: str


class _Generator:
    """Makes one business day of rows at a time; all randomness comes from one seeded rng."""

    def __init__(self, plan: SalesPlan, items: Sequence[_Item], staff: Sequence[int]) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.items = items
        self.staff = staff
        self.tenders = [kind for kind, weight in TENDER_WEIGHTS for _ in range(weight)]
        self.walk_in_tenders = [kind for kind in self.tenders if kind != "stored_value"]
        self.sales = self.refunds = self.lines = self.voids = 0

    def pick_item(self) -> _Item:
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

    def line_values(self, item: _Item, member: bool) -> tuple[int, int, str, int, int]:
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


class _Writer:
    """Turns the generator's choices into rows with ids, sale numbers and the journal chain."""

    def __init__(self, gen: _Generator, counters: _Counters, store_id: str, till_id: str) -> None:
        self.gen = gen
        self.counters = counters
        self.store_id = store_id
        self.till_id = till_id
        self.rows = _Rows()

    def _journal(
        self, moment: datetime, kind: str, actor: int, approver: int | None, payload: str
    ) -> None:
        c = self.counters
        c.journal_seq += 1
        entry = JournalEntry(
            seq=c.journal_seq,
            till_id=self.till_id,
            kind=kind,
            created_at=moment.astimezone(UTC).replace(microsecond=0),
            actor_id=actor,
            approver_id=approver,
            payload=payload,
            prev_hash=c.journal_hash,
        )
        c.journal_hash = entry_hash(entry)
        self.rows.add(
            "journal",
            (
                entry.seq,
                entry.till_id,
                kind,
                sql_time(entry.created_at),
                actor,
                approver,
                payload,
                entry.prev_hash,
                c.journal_hash,
            ),
        )

    def _sale_row(self, sale: _Sale) -> tuple[int, str]:
        c = self.counters
        c.sale_id += 1
        c.till_seq += 1
        sale_no = sale_number(self.till_id, c.till_seq)
        when = sql_time(sale.created_at)
        self.rows.add(
            "sales",
            (
                c.sale_id,
                sale_no,
                sale.kind,
                self.store_id,
                self.till_id,
                c.till_seq,
                None,
                sale.cashier_id,
                sale.member_id,
                sale.original_sale_id,
                when,
                sale.subtotal_fen,
                sale.discount_fen,
                sale.rounding_fen,
                sale.total_fen,
                sale.points_earned,
                when,
            ),
        )
        return c.sale_id, sale_no

    def _line_rows(self, sale_id: int, sale: _Sale, sale_no: str) -> list[int]:
        ids = []
        when = sql_time(sale.created_at)
        for line in sale.lines:
            self.counters.line_id += 1
            ids.append(self.counters.line_id)
            item = line.item
            self.rows.add(
                "sale_lines",
                (
                    self.counters.line_id,
                    sale_id,
                    line.line_no,
                    item.product_id,
                    item.sku,
                    item.name,
                    "",
                    item.weighed,
                    line.qty,
                    line.unit_price_fen,
                    line.price_source,
                    line.gross_fen,
                    line.discount_fen,
                    line.net_fen,
                    line.original_line_id,
                    item.cost_fen,
                    line.line_cost_fen,
                ),
            )
            self.rows.add("stock_moves", (item.product_id, -line.qty, sale.kind, sale_no, when))
        return ids

    def write_sale(self, sale: _Sale, approver: int | None = None) -> tuple[int, list[int]]:
        sale_id, sale_no = self._sale_row(sale)
        line_ids = self._line_rows(sale_id, sale, sale_no)
        for pay in sale.payments:
            change = pay.tendered_fen - pay.amount_fen
            self.rows.add(
                "payments", (sale_id, pay.kind, pay.amount_fen, pay.tendered_fen, change, "")
            )
        payload = canonical_json({"sale_no": sale_no, "total_fen": sale.total_fen})
        self._journal(sale.created_at, sale.kind, sale.cashier_id, approver, payload)
        return sale_id, line_ids

    def write_void(
        self, moment: datetime, kind: str, cashier: int, details: dict[str, Any]
    ) -> None:
        """A void as the sale screen journals it (a line: line and sku, plus its amount)."""
        self._journal(moment, kind, cashier, self.gen.staff[-1], canonical_json(details))

    def take_rows(self) -> _Rows:
        rows, self.rows = self.rows, _Rows()
        return rows


def _build_sale(gen: _Generator, moment: datetime) -> _Sale:
    rng = gen.rng
    member = rng.randrange(100) < gen.plan.member_percent
    sale = _Sale(
        kind="sale",
        cashier_id=rng.choice(gen.staff),
        member_id=f"M{rng.randrange(1, 20_000):06d}" if member else None,
        created_at=moment,
    )
    for line_no in range(1, rng.choice(LINES_PER_SALE) + 1):
        item = gen.pick_item()
        sale.lines.append(_Line(line_no, item, *gen.line_values(item, member)))
    if rng.randrange(100) < gen.plan.rounding_percent:
        sale.rounding_fen = -(sale.total_fen % 10)
    sale.points_earned = points_for_sale(sale.member_id, sale.total_fen)
    sale.payments = [_Pay(*tender) for tender in gen.tenders_for(sale.total_fen, member)]
    return sale


def _build_refund(original: _Sale, original_id: int, line_id: int, moment: datetime) -> _Sale:
    """A refund of the original's first line, whole, back to its tenders in proportion; a
    one-line sale is refunded as paid, its 抹零 included."""
    line = original.lines[0]
    refunded = original.total_fen if len(original.lines) == 1 else line.net_fen
    refund = _Sale(
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
        _Line(
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
        _Pay(p.kind, -share, -share) for p, share in zip(paid, shares, strict=True) if share
    ]
    return refund


def _write_day(gen: _Generator, writer: _Writer, day: date) -> None:
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


def _items(session: Session, pool: int) -> list[_Item]:
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
    items = [_Item(*row) for row in session.execute(query)]
    if not items:
        raise ValueError("Demo sales need products in the catalog first")
    return items


def _counters(session: Session, till_id: str) -> _Counters:
    last = session.scalars(select(JournalEntry).order_by(JournalEntry.seq.desc()).limit(1)).first()
    return _Counters(
        sale_id=session.scalar(select(func.max(Sale.id))) or 0,
        line_id=session.scalar(select(func.max(SaleLine.id))) or 0,
        till_seq=session.scalar(select(func.max(Sale.till_seq)).where(Sale.till_id == till_id))
        or 0,
        journal_seq=0 if last is None else last.seq,
        journal_hash=GENESIS_HASH if last is None else last.hash,
    )


def _insert(raw: sqlite3.Connection, rows: _Rows) -> None:
    for table, columns in _INSERTS.items():
        marks = ", ".join("?" for _ in columns.split(","))
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows.tables[table])


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
            writer = _Writer(gen, counters, identity.store_id, identity.till_id)
            for day in days:
                _write_day(gen, writer, day)
            raw = session.connection().connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            _insert(raw, writer.take_rows())
    return SalesStats(gen.sales, gen.refunds, gen.lines, gen.voids, time.perf_counter() - started)
