"""The independent side of the report tests: the raw rows of a database read back with plain
SELECTs (no aggregates, no report code), and sums over them in plain Python: business days at
UTC+8 worked out here, rounding half away from zero with Fractions."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from pos_app.services.report_period import Period

EIGHT_HOURS = timedelta(hours=8)


class SaleRow(NamedTuple):
    id: int
    kind: str
    day: date
    hour: int
    cashier_id: int
    member: bool
    total_fen: int


class LineRow(NamedTuple):
    sale_id: int
    product_id: int
    qty: int
    weighed: bool
    net_fen: int


class PaymentRow(NamedTuple):
    sale_id: int
    tender: str
    amount_fen: int


class VoidRow(NamedTuple):
    kind: str
    day: date
    amount_fen: int


class ProductRow(NamedTuple):
    sku: str
    name: str
    weighed: bool
    category: str


def half_up(value: Fraction) -> int:
    """Round half away from zero."""
    magnitude = int(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def bp(part: int, whole: int) -> int:
    return half_up(Fraction(part * 10_000, whole)) if whole else 0


def avg(total: int, count: int) -> int:
    return half_up(Fraction(total, count)) if count else 0


def local(text: str) -> datetime:
    return datetime.fromisoformat(text) + EIGHT_HOURS


def costs(raw: sqlite3.Connection) -> dict[int, int | None]:
    return dict(raw.execute("SELECT id, cost_fen FROM products"))


@dataclass
class Rows:
    """Every sale, line, payment, void and product; costs before and after the cost change."""

    sales: list[SaleRow]
    lines: list[LineRow]
    payments: list[PaymentRow]
    voids: list[VoidRow]
    products: dict[int, ProductRow]
    staff: dict[int, str]
    cost_before: dict[int, int | None]
    cost_after: dict[int, int | None]
    first_sale_after: int  # sales from this id on were rung up with cost_after

    def sales_in(self, period: Period) -> list[SaleRow]:
        return [s for s in self.sales if period.first <= s.day <= period.last]

    def lines_in(self, period: Period) -> list[LineRow]:
        ids = {s.id for s in self.sales_in(period)}
        return [line for line in self.lines if line.sale_id in ids]

    def voids_in(self, period: Period, kind: str) -> list[VoidRow]:
        return [v for v in self.voids if v.kind == kind and period.first <= v.day <= period.last]

    def line_cost(self, line: LineRow) -> int | None:
        """The line's cost at the time of sale: cost × units, or per kg × grams / 1000."""
        known = self.cost_before if line.sale_id < self.first_sale_after else self.cost_after
        cost = known[line.product_id]
        if cost is None:
            return None
        return half_up(Fraction(cost * line.qty, 1000)) if line.weighed else cost * line.qty

    def receipts_by(
        self, period: Period, key: Callable[[SaleRow], Hashable]
    ) -> dict[Hashable, list[int]]:
        """key → [sale receipts, sales fen, refunds fen, refund receipts]."""
        found: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for sale in self.sales_in(period):
            sums = found[key(sale)]
            if sale.kind == "sale":
                sums[0] += 1
                sums[1] += sale.total_fen
            else:
                sums[2] += sale.total_fen
                sums[3] += 1
        return found


def _sales(raw: sqlite3.Connection) -> list[SaleRow]:
    query = "SELECT id, kind, created_at, cashier_id, member_id, total_fen FROM sales"
    rows = []
    for sale_id, kind, created_at, cashier_id, member_id, total in raw.execute(query):
        moment = local(created_at)
        rows.append(
            SaleRow(
                sale_id, kind, moment.date(), moment.hour, cashier_id, member_id is not None, total
            )
        )
    return rows


def _void_amount(details: dict[str, int]) -> int:
    """The sale screen journals a voided sale's total_fen; a voided line's amount_fen."""
    return details.get("amount_fen", details.get("total_fen", 0))


def _voids(raw: sqlite3.Connection) -> list[VoidRow]:
    query = "SELECT kind, created_at, payload FROM journal WHERE kind IN ('void_line', 'void_sale')"
    return [
        VoidRow(kind, local(created_at).date(), _void_amount(json.loads(payload)))
        for kind, created_at, payload in raw.execute(query)
    ]


def read_rows(path: Path, cost_before: dict[int, int | None], first_sale_after: int) -> Rows:
    raw = sqlite3.connect(path)
    lines = [
        LineRow(sale_id, product_id, qty, bool(weighed), net)
        for sale_id, product_id, qty, weighed, net in raw.execute(
            "SELECT sale_id, product_id, qty, weighed, net_fen FROM sale_lines"
        )
    ]
    payments = [
        PaymentRow(*row) for row in raw.execute("SELECT sale_id, kind, amount_fen FROM payments")
    ]
    products = {
        pid: ProductRow(sku, name, bool(weighed), category)
        for pid, sku, name, weighed, category in raw.execute(
            "SELECT p.id, p.sku, p.name, p.weighed, COALESCE(c.name, '') "
            "FROM products p LEFT JOIN categories c ON c.id = p.category_id"
        )
    }
    staff = dict(raw.execute("SELECT id, name FROM staff"))
    rows = Rows(
        _sales(raw),
        lines,
        payments,
        _voids(raw),
        products,
        staff,
        cost_before,
        costs(raw),
        first_sale_after,
    )
    raw.close()
    return rows


def time_rows(found: dict[Hashable, list[int]], labels: list[str]) -> list[tuple[object, ...]]:
    """(label, receipts, sales, refunds, net) per label, in the order given."""
    return [
        (
            label,
            found[label][0],
            found[label][1],
            found[label][2],
            found[label][1] + found[label][2],
        )
        for label in labels
    ]
