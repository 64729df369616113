"""SQLAlchemy 2 models of the mall's database (SQLite or PostgreSQL, the same schema).

Money and quantities are integer fen / units (grams for weighed goods) in 64-bit columns. Stock is
a ledger per store; what an online order holds back is a reservation until it is handed over.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sync.pinyin import FULL_MAX

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# An auto-numbered 64-bit key (SQLite only auto-numbers a column declared INTEGER).
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Utc(TypeDecorator[datetime]):
    """timestamptz on PostgreSQL; on SQLite, naive UTC text read back as aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return value.astimezone(UTC)  # SQLite keeps the wall time it is given

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class StoreRow(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lng: Mapped[float | None] = mapped_column(Float, nullable=True)
    hours: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)


class ProductRow(Base):
    """A chain-wide product; status "deleted" keeps the row so the feed can send a tombstone."""

    __tablename__ = "products"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    pinyin_full: Mapped[str] = mapped_column(String(FULL_MAX), default="")
    pinyin_initials: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(8), default="个")
    price_fen: Mapped[int] = mapped_column(BigInteger)
    member_price_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=1300)
    category: Mapped[str | None] = mapped_column(String(64), nullable=True)
    weighed: Mapped[bool] = mapped_column(Boolean, default=False)
    plu_code: Mapped[str | None] = mapped_column(String(8), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active|inactive|deleted
    updated_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    __table_args__ = (
        Index("ix_products_category_status_id", "category", "status", "id"),
    )  # the shelf by category


class BarcodeRow(Base):
    __tablename__ = "barcodes"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)


class StoreProductRow(Base):
    """A store's own price and safety stock for a product (NULL price: the chain's)."""

    __tablename__ = "store_products"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    price_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    member_price_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    safety_stock: Mapped[int] = mapped_column(BigInteger, default=0)


class StockMoveRow(Base):
    """One delta of a store's stock ledger, keyed by sku so a till-only product still counts."""

    __tablename__ = "stock_moves"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    sku: Mapped[str] = mapped_column(String(32))
    delta: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(32))  # sale|refund|online|receive|count|...
    ref: Mapped[str] = mapped_column(String(64), default="")
    event_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    __table_args__ = (Index("ix_stock_moves_store_sku", "store_id", "sku"),)


class OrderRow(Base):
    __tablename__ = "online_orders"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # pickup | delivery
    status: Mapped[str] = mapped_column(String(16))  # pending_payment|paid|ready|completed|...
    customer_name: Mapped[str] = mapped_column(String(64), default="")
    customer_phone: Mapped[str] = mapped_column(String(20), default="")
    pickup_code_sha256: Mapped[str] = mapped_column(String(64))
    total_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    member_id: Mapped[str | None] = mapped_column(String(16), nullable=True)  # earns the points


class OrderLineRow(Base):
    __tablename__ = "online_order_lines"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("online_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    qty: Mapped[int] = mapped_column(BigInteger)
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    net_fen: Mapped[int] = mapped_column(BigInteger)


class ReservationRow(Base):
    """Stock an open online order holds back at its store (active → consumed | released)."""

    __tablename__ = "reservations"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("online_orders.id"), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    sku: Mapped[str] = mapped_column(String(32))
    qty: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12), default="active")
    __table_args__ = (Index("ix_reservations_store_sku", "store_id", "sku", "status"),)


class FeedHeadRow(Base):
    """The single row holding the last server_seq published; only publishers lock it."""

    __tablename__ = "feed_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class ChangeRow(Base):
    """The latest change of one key (older ones are compacted away); scope "" is chain-wide.
    A change is written pending (server_seq None) and numbered when published (mall.feed)."""

    __tablename__ = "changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))  # product | order | promotions
    key: Mapped[str] = mapped_column(String(36))
    scope: Mapped[str] = mapped_column(String(32), default="")
    changed_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    server_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (
        UniqueConstraint("entity", "scope", "key", name="uq_changes_key"),
        Index("ix_changes_scope_seq", "scope", "server_seq"),
        Index("ux_changes_server_seq", "server_seq", unique=True),
        Index(
            "ix_changes_pending",
            "changed_at",
            "id",
            postgresql_where=text("server_seq IS NULL"),
            sqlite_where=text("server_seq IS NULL"),
        ),
    )


class DeviceRow(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    till_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64), default="")
    secret_sha256: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    __table_args__ = (
        Index(
            "uq_devices_store_till_active",
            "store_id",
            "till_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )


class PairingCodeRow(Base):
    """A one-time code an admin hands to a till; only its hash is kept."""

    __tablename__ = "pairing_codes"
    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    expires_at: Mapped[datetime] = mapped_column(Utc)
    used_at: Mapped[datetime | None] = mapped_column(Utc, nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(32), nullable=True)


class AppliedEventRow(Base):
    """An event applied exactly once; payload is kept only for kinds this mall cannot read yet."""

    __tablename__ = "applied_events"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    payload_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    applied_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    __table_args__ = (UniqueConstraint("device_id", "device_seq", name="uq_applied_device_seq"),)


class ConflictRow(Base):
    """For a person to review: an event that was not applied because it contradicts what the
    mall already has, or (applied=True) an applied event whose claim the mall did not take as
    given (points the till computed differently, a redemption without a valid hold)."""

    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    event_id: Mapped[str] = mapped_column(String(36))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    applied: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)
    __table_args__ = (
        UniqueConstraint(
            "device_id",
            "device_seq",
            "event_id",
            "payload_hash",
            "reason",
            name="uq_conflicts_event",
        ),
    )


class SaleRow(Base):
    """A sale or refund from a till (id = event id) or an online order handed over."""

    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_id: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(8))  # till | online
    kind: Mapped[str] = mapped_column(String(8))  # sale | refund
    sale_no: Mapped[str] = mapped_column(String(32))
    original_sale_no: Mapped[str | None] = mapped_column(String(32), nullable=True)
    till_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Utc)
    cashier: Mapped[str] = mapped_column(String(64), default="")
    member_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    subtotal_fen: Mapped[int] = mapped_column(BigInteger)
    discount_fen: Mapped[int] = mapped_column(BigInteger)
    rounding_fen: Mapped[int] = mapped_column(BigInteger)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    points_earned: Mapped[int] = mapped_column(BigInteger, default=0)
    promo_version: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    __table_args__ = (
        UniqueConstraint("store_id", "sale_no", name="uq_sales_store_sale_no"),
        UniqueConstraint("store_id", "till_id", "till_seq", name="uq_sales_store_till_seq"),
        Index("ix_sales_created_at", "created_at"),
        Index("ix_sales_member_id", "member_id"),  # a member's spend, for tiers
    )


class SaleLineRow(Base):
    __tablename__ = "sale_lines"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    qty: Mapped[int] = mapped_column(BigInteger)
    weighed: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    gross_fen: Mapped[int] = mapped_column(BigInteger)
    discount_fen: Mapped[int] = mapped_column(BigInteger)
    net_fen: Mapped[int] = mapped_column(BigInteger)
    promotions: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))  # JSON


class PromotionSetRow(Base):
    """One version of the chain's promotion rules (JSON of pos_app.domain RuleSet); versions are
    never changed, a new one replaces the current one for tills and the online shop alike."""

    __tablename__ = "promotion_sets"
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    rules: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Utc, default=utc_now)
    note: Mapped[str] = mapped_column(String(200), default="")


class SalePaymentRow(Base):
    __tablename__ = "sale_payments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(64), default="")
    __table_args__ = (Index("ix_sale_payments_reference", "reference"),)


class TopUpPaymentRow(Base):
    """A tender of a top-up (充值) pushed by a till (event_id: its event): reconciliation
    matches the code payments that bought stored value, as it matches sales' tenders."""

    __tablename__ = "top_up_payments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    store_id: Mapped[str] = mapped_column(String(32))
    top_up_no: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(Utc)
    kind: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(64), default="")
    __table_args__ = (Index("ix_top_up_payments_reference", "reference"),)


class StockOnHandRow(Base):
    """A store's stock of a sku: the sum of its stock_moves, kept in the same transaction as each
    move so a read is one row whatever the history (`pos-mall check` recomputes it)."""

    __tablename__ = "stock_on_hand"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    qty: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (Index("ix_stock_on_hand_store_qty", "store_id", "qty"),)


class LeaseRow(Base):
    """Who runs a periodic background job (expiry, pruning) until when; see mall.background."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64), default="")
    expires_at: Mapped[datetime] = mapped_column(Utc)
