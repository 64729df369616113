"""SQLAlchemy 2 typed models of the till's local database.

Money columns are integer fen (never Numeric: on SQLite it goes through float). Quantities are
integer units, or grams for weighed goods. Times are stored as naive UTC and read back as aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sync.pinyin import FULL_MAX

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns them aware again."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Setting(Base):
    """Key/value settings (JSON text), e.g. receipt width, rounding mode, scale layouts."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")


class Till(Base):
    __tablename__ = "tills"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    name: Mapped[str] = mapped_column(String(64))


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # cashier | supervisor | manager
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Product(Base):
    """A sellable item. price_fen is per unit, or per kilogram when weighed."""

    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    pinyin_full: Mapped[str] = mapped_column(String(FULL_MAX), default="")
    pinyin_initials: Mapped[str] = mapped_column(String(120), default="", index=True)
    # Migration 0009 adds pinyin_reading, the shop's own reading of a name the dictionary reads
    # wrong, searched besides the keys above. Only services.search_readings touches it, so
    # it is not mapped here (rows written at older revisions in migration tests stay valid).
    unit: Mapped[str] = mapped_column(String(8), default="个")
    price_fen: Mapped[int] = mapped_column(Integer)
    member_price_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cost_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=1300)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), nullable=True)
    weighed: Mapped[bool] = mapped_column(Boolean, default=False)
    plu_code: Mapped[str | None] = mapped_column(String(8), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active|inactive|deleted
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    category: Mapped[Category | None] = relationship()
    barcodes: Mapped[list[Barcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )


class Barcode(Base):
    __tablename__ = "barcodes"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    product: Mapped[Product] = relationship(back_populates="barcodes")


class StockMove(Base):
    """One delta of the stock ledger; on hand is the sum of a product's deltas."""

    __tablename__ = "stock_moves"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))  # sale|refund|receive|count|reserve|transfer
    ref: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    __table_args__ = (Index("ix_stock_moves_product", "product_id", "id"),)


class Shift(Base):
    __tablename__ = "shifts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    opened_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    float_fen: Mapped[int] = mapped_column(Integer, default=0)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    counted_cash_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expected_cash_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    z_no: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)


class CashMove(Base):
    __tablename__ = "cash_moves"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)  # + cash in, - cash out
    reason: Mapped[str] = mapped_column(String(100), default="")
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Sale(Base):
    """A committed sale or refund (kind="refund", amounts negative); only printed_at changes."""

    __tablename__ = "sales"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_no: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8), default="sale")  # sale | refund
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    till_seq: Mapped[int] = mapped_column(Integer)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"), nullable=True)
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    member_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    original_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    subtotal_fen: Mapped[int] = mapped_column(Integer)
    discount_fen: Mapped[int] = mapped_column(Integer, default=0)
    rounding_fen: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(Integer)
    points_earned: Mapped[int] = mapped_column(Integer, default=0)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", order_by="SaleLine.line_no", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="sale", order_by="Payment.id", cascade="all, delete-orphan"
    )
    original_sale: Mapped[Sale | None] = relationship(remote_side=[id])
    __table_args__ = (
        UniqueConstraint("till_id", "till_seq", name="uq_sales_till_seq"),
        Index("ix_sales_member_id", "member_id", "created_at"),
    )


class SaleLine(Base):
    __tablename__ = "sale_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    barcode: Mapped[str] = mapped_column(String(32), default="")
    weighed: Mapped[bool] = mapped_column(Boolean, default=False)
    qty: Mapped[int] = mapped_column(Integer)  # units or grams; negative on refunds
    unit_price_fen: Mapped[int] = mapped_column(Integer)
    price_source: Mapped[str] = mapped_column(String(8))
    gross_fen: Mapped[int] = mapped_column(Integer)
    discount_fen: Mapped[int] = mapped_column(Integer, default=0)  # line + share of order discount
    net_fen: Mapped[int] = mapped_column(Integer)  # what the customer paid for this line
    # the cost the line carried when sold (per unit or per kg; NULL: the product had none) and
    # the line's cost; a refund line takes its share of the original line's (migration 0011)
    unit_cost_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    line_cost_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    original_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("sale_lines.id"), nullable=True, index=True
    )
    sale: Mapped[Sale] = relationship(back_populates="lines")


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Integer)  # applied to the sale (negative on refunds)
    tendered_fen: Mapped[int] = mapped_column(Integer)
    change_fen: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str] = mapped_column(String(64), default="")
    sale: Mapped[Sale] = relationship(back_populates="payments")


class PromotionSet(Base):
    """A version of the chain's promotion rules as the mall sent it (JSON of a RuleSet); the
    newest prices new carts, older ones stay for auditing the sales that used them."""

    __tablename__ = "promotion_sets"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rules: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SaleRuleVersion(Base):
    """The version of the promotion rules a sale (or its refund) was priced with; a sale rung
    up without rules has no row."""

    __tablename__ = "sale_rule_versions"
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class SalePromotion(Base):
    """One promotion's saving on one line of a sale; on a refund line it is the share given
    back (negative), so summing by rule gives what each promotion cost net of refunds."""

    __tablename__ = "sale_promotions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    discount_fen: Mapped[int] = mapped_column(Integer)


class SaleCoupon(Base):
    """The coupon a sale used: the mall's hold on it, or "OFF…" when it was taken offline
    (counted against the till's daily offline cap), and what it took off the sale."""

    __tablename__ = "sale_coupons"
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    coupon_id: Mapped[str] = mapped_column(String(16), index=True)
    reference: Mapped[str] = mapped_column(String(32))
    discount_fen: Mapped[int] = mapped_column(Integer)


class HeldCart(Base):
    """A cart put aside (挂单); kept in the database so it survives a restart."""

    __tablename__ = "held_carts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    label: Mapped[str] = mapped_column(String(64), default="")
    cart_json: Mapped[str] = mapped_column(Text)
    total_fen: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class OutboxEvent(Base):
    """A fact for the mall, written in the same transaction as the fact (DESIGN §7)."""

    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4
    device_seq: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    __table_args__ = (
        Index("ix_outbox_unacked", "device_seq", sqlite_where=text("acked_at IS NULL")),
    )


class OutboxConflict(Base):
    """An outbox event the mall recorded as a conflict instead of applying it: the event is
    kept, never counted as delivered, and shown until a person resolves it."""

    __tablename__ = "outbox_conflicts"
    event_id: Mapped[str] = mapped_column(ForeignKey("outbox.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class JournalEntry(Base):
    """Append-only, hash-chained audit journal; triggers refuse UPDATE and DELETE."""

    __tablename__ = "journal"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    till_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approver_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class PrintJob(Base):
    """A whole print job (ESC/POS bytes), kept until the printer took it."""

    __tablename__ = "print_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # receipt | label | report | drawer | test
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), nullable=True, index=True)
    printer_uri: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SyncState(Base):
    """Sync bookkeeping (pull cursor, last sync time, last error), JSON values."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
