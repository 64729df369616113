"""The rows of the demo sales history and how they are written: plain sale, line and payment
objects (far cheaper than ORM instances), given ids, sale numbers and the journal chain by the
RowWriter, and inserted table by table with executemany."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pos_app.services.stock import line_cost_fen
from pos_app.services.till import sale_number
from pos_app.store.canonical import canonical_json
from pos_app.store.journal import entry_hash
from pos_app.store.models import JournalEntry

_SQL_TIME = "%Y-%m-%d %H:%M:%S.%f"

INSERTS = {
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
class Item:
    product_id: int
    sku: str
    name: str
    price_fen: int
    member_price_fen: int | None
    weighed: bool
    cost_fen: int | None  # the product's cost price when the history is generated


@dataclass(slots=True)
class Line:
    line_no: int
    item: Item
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
class Pay:
    kind: str
    amount_fen: int
    tendered_fen: int


@dataclass(slots=True)
class DemoSale:
    """A sale or refund before it has ids; plain objects, far cheaper than ORM instances."""

    kind: str
    cashier_id: int
    member_id: str | None
    created_at: datetime
    lines: list[Line] = field(default_factory=list)
    payments: list[Pay] = field(default_factory=list)
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
class Rows:
    """Rows of one commit, per table, in column order of INSERTS."""

    tables: dict[str, list[tuple[object, ...]]] = field(
        default_factory=lambda: {table: [] for table in INSERTS}
    )

    def add(self, table: str, row: tuple[object, ...]) -> None:
        self.tables[table].append(row)


def sql_time(moment: datetime) -> str:
    """An aware datetime as the naive-UTC text the UtcDateTime column stores."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime(_SQL_TIME)


@dataclass
class Counters:
    sale_id: int
    line_id: int
    till_seq: int
    journal_seq: int
    journal_hash: str


class RowWriter:
    """Turns the generator's choices into rows with ids, sale numbers and the journal chain."""

    def __init__(self, counters: Counters, store_id: str, till_id: str, void_approver: int) -> None:
        self.counters = counters
        self.void_approver = void_approver
        self.store_id = store_id
        self.till_id = till_id
        self.rows = Rows()

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

    def _sale_row(self, sale: DemoSale) -> tuple[int, str]:
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

    def _line_rows(self, sale_id: int, sale: DemoSale, sale_no: str) -> list[int]:
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

    def write_sale(self, sale: DemoSale, approver: int | None = None) -> tuple[int, list[int]]:
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
        self._journal(moment, kind, cashier, self.void_approver, canonical_json(details))

    def take_rows(self) -> Rows:
        rows, self.rows = self.rows, Rows()
        return rows


def insert_rows(raw: sqlite3.Connection, rows: Rows) -> None:
    for table, columns in INSERTS.items():
        marks = ", ".join("?" for _ in columns.split(","))
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows.tables[table])
