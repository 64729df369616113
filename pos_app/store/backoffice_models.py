"""Tables of the shop owner's back office: suppliers, receiving documents, stocktakes, the label
queue, and the derived tables that keep stock and report figures fast at 1,000,000 SKUs.

Derived tables (stock_levels, report_*) are caches kept by database triggers (migration 0002) in
the same transaction as the rows they summarise; the ledgers (stock_moves, sales, sale_lines,
payments) stay the truth. Days are the shop's business days in China Standard Time (UTC+8).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos_app.store.models import Base, JournalEntry, Product, UtcDateTime, utc_now

# Voids, overrides and back-office postings are read from the journal by kind and time.
JOURNAL_KIND_INDEX = Index("ix_journal_kind_created_at", JournalEntry.kind, JournalEntry.created_at)


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Receiving(Base):
    """A posted goods receipt (入库单): its lines became stock deltas in the same transaction."""

    __tablename__ = "receivings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_no: Mapped[str] = mapped_column(String(32), unique=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    posted_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    total_cost_fen: Mapped[int] = mapped_column(Integer)

    supplier: Mapped[Supplier | None] = relationship()
    lines: Mapped[list[ReceivingLine]] = relationship(
        back_populates="receiving", order_by="ReceivingLine.line_no", cascade="all, delete-orphan"
    )


class ReceivingLine(Base):
    """qty is units, or grams for weighed goods; cost_fen is per unit, or per kilogram."""

    __tablename__ = "receiving_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receiving_id: Mapped[int] = mapped_column(ForeignKey("receivings.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))  # what was scanned or typed
    qty: Mapped[int] = mapped_column(Integer)
    cost_fen: Mapped[int] = mapped_column(Integer)
    line_cost_fen: Mapped[int] = mapped_column(Integer)

    receiving: Mapped[Receiving] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class Stocktake(Base):
    """A stock count (盘点), open while shelves are counted, then posted or cancelled."""

    __tablename__ = "stocktakes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_no: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)  # open|posted|…
    note: Mapped[str] = mapped_column(String(200), default="")
    opened_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class StocktakeCount(Base):
    """ "Counted N as of cursor X": X is the newest stock move id when the shelf was counted, so
    moves after X (sales while counting) are not mistaken for shrinkage."""

    __tablename__ = "stocktake_counts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    counted_qty: Mapped[int] = mapped_column(Integer)
    cursor: Mapped[int] = mapped_column(Integer)
    shelf: Mapped[str] = mapped_column(String(32), default="")
    counted_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    counted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    __table_args__ = (
        UniqueConstraint("stocktake_id", "product_id", name="uq_stocktake_counts_product"),
    )


class StockLevel(Base):
    """Cached on hand per product (sum of its stock deltas), kept by triggers on stock_moves;
    reorder_level (补货点) is the owner's setting: at or below it a product is low on stock."""

    __tablename__ = "stock_levels"
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reorder_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (
        Index("ix_stock_levels_on_hand", "on_hand", "product_id"),
        Index(
            "ix_stock_levels_shortfall",
            literal_column("on_hand - reorder_level"),
            "product_id",
            sqlite_where=text("reorder_level IS NOT NULL"),
        ),
        {"sqlite_with_rowid": False},
    )


class LabelRequest(Base):
    """A product whose shelf label must be printed again (price, name or barcode changed)."""

    __tablename__ = "label_queue"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    reason: Mapped[str] = mapped_column(String(64), default="")
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)


class ReportSalesHour(Base):
    """Receipts and totals per business day, hour, cashier, kind (sale|refund) and member flag."""

    __tablename__ = "report_sales_hours"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, UTC+8
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    cashier_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    is_member: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipts: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(Integer)
    discount_fen: Mapped[int] = mapped_column(Integer)
    __table_args__ = ({"sqlite_with_rowid": False},)


class _ProductFigures:
    """Line figures per product and period; cost is as known when each line was recorded."""

    product_id: Mapped[int] = mapped_column(Integer)
    qty: Mapped[int] = mapped_column(Integer)
    lines: Mapped[int] = mapped_column(Integer)
    gross_fen: Mapped[int] = mapped_column(Integer)
    discount_fen: Mapped[int] = mapped_column(Integer)
    net_fen: Mapped[int] = mapped_column(Integer)
    costed_net_fen: Mapped[int] = mapped_column(Integer)  # net of the lines whose cost was known
    cost_fen: Mapped[int] = mapped_column(Integer)


class ReportProductDay(_ProductFigures, Base):
    __tablename__ = "report_product_days"
    day: Mapped[str] = mapped_column(String(10))
    __table_args__ = (PrimaryKeyConstraint("day", "product_id"), {"sqlite_with_rowid": False})


class ReportProductMonth(_ProductFigures, Base):
    __tablename__ = "report_product_months"
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    __table_args__ = (PrimaryKeyConstraint("month", "product_id"), {"sqlite_with_rowid": False})


class ReportPaymentDay(Base):
    """Tender amounts per business day, tender kind and sale kind (refund amounts negative)."""

    __tablename__ = "report_payment_days"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    tender: Mapped[str] = mapped_column(String(16), primary_key=True)
    sale_kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    payments: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    __table_args__ = ({"sqlite_with_rowid": False},)
