"""A migrated till database with a store, till, cashier and product, and sales added directly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pos_app.store.db import Database
from pos_app.store.migrate import upgrade
from pos_app.store.models import Payment, Product, Sale, SaleLine, Staff, Store, Till

SALE_TIME = datetime(2025, 3, 1, 6, 5, 9, tzinfo=UTC)  # 14:05:09 in Shanghai


@dataclass
class TillData:
    """A migrated till database with a store, a till, a cashier and products."""

    db: Database
    next_seq: int = 1
    product_ids: dict[str, int] = field(default_factory=dict)

    def add_sale(
        self,
        items: list[tuple[str, int, int]],
        *,
        payments: tuple[tuple[str, int], ...] | None = None,
        member_id: str | None = None,
        discount_fen: int = 0,
    ) -> int:
        """A committed sale of (name, qty, unit price fen) items, paid as given (default cash)."""
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        subtotal = sum(qty * price for _, qty, price in items)
        total = subtotal - discount_fen
        with self.db.write() as session:
            sale = Sale(
                sale_no=f"T01-{seq:06d}",
                store_id="S001",
                till_id="T01",
                till_seq=seq,
                cashier_id=1,
                member_id=member_id,
                created_at=SALE_TIME,
                subtotal_fen=subtotal,
                discount_fen=discount_fen,
                total_fen=total,
                points_earned=total // 100 if member_id else 0,
            )
            for line_no, (name, qty, price) in enumerate(items, start=1):
                sale.lines.append(_sale_line(line_no, self.product_ids["1001"], name, qty, price))
            for kind, amount in payments or (("cash", total),):
                sale.payments.append(Payment(kind=kind, amount_fen=amount, tendered_fen=amount))
            session.add(sale)
            session.flush()
            return sale.id


def _sale_line(line_no: int, product_id: int, name: str, qty: int, price: int) -> SaleLine:
    return SaleLine(
        line_no=line_no,
        product_id=product_id,
        sku="1001",
        name=name,
        qty=qty,
        unit_price_fen=price,
        price_source="list",
        gross_fen=qty * price,
        net_fen=qty * price,
    )


def migrated_template(path: Path) -> Path:
    """An empty database at the newest schema, to copy for each test (migrating takes a while)."""
    upgrade(path)
    return path


def make_till(path: Path) -> TillData:
    """Open a migrated database and add store S001, till T01, cashier 张三 and one product."""
    db = Database(path)
    with db.write() as session:
        session.add(Store(id="S001", name="门店通便利店", address="上海市静安区南京西路1234号"))
        session.add(Till(id="T01", store_id="S001", name="一号收银台"))
        session.add(Staff(id=1, code="1001", name="张三", role="cashier", pin_hash="-"))
        product = Product(sku="1001", name="可口可乐 330ml", price_fen=350)
        session.add(product)
        session.flush()
        product_id = product.id
    return TillData(db, product_ids={"1001": product_id})
