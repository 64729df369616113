"""Read-only views the till's screens need, as plain frozen dataclasses (no ORM object leaves
here): a scanned item, a picked product, the member panel, a sale with what is left to refund,
the latest sales to reprint, the top-up tiers, the permission table, a page of search hits.

Each function takes the Database and opens its own read, like product_views and stock_views.
The sale screen calls the quick ones (one or two indexed queries) on the GUI thread, where a
WAL read never waits for the writer; the search dialog runs find_page on the writer.
till_status alone takes a Session: it is the building block of till_start.status_of and is
read inside other reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos_app.domain.cart import Cart
from pos_app.domain.scan import ScanRules
from pos_app.domain.top_up import TopUpTier
from pos_app.services.catalog import FoundProduct, product_info
from pos_app.services.errors import UnknownBarcode
from pos_app.services.members import MemberView, known_member
from pos_app.services.permissions import PermissionTable, read_table
from pos_app.services.points import cart_points
from pos_app.services.receipt_lookup import sale_no_from_scan
from pos_app.services.refund import Tendered, find_sale, refunded_qty, tendered
from pos_app.services.search import DEFAULT_LIMIT, SearchPage, search_page
from pos_app.services.selling import ScannedItem, scan_item
from pos_app.services.till import open_shift_of, till_identity
from pos_app.services.top_ups import top_up_tiers
from pos_app.store.db import Database
from pos_app.store.models import Product, Sale
from pos_app.store.settings import get_setting, store_zone

RECENT_SALES = 30


def scanned_item(db: Database, code: str, rules: ScanRules) -> ScannedItem:
    """The product a scanned code stands for, not yet in the cart. Raises InvalidBarcode
    (malformed; WrongScanContext for a payment code) or UnknownBarcode (not in the catalog)."""
    with db.read() as session:
        return scan_item(session, code, rules)


def product_by_id(db: Database, product_id: int) -> FoundProduct:
    """The active product with this id (a search hit the cashier picked)."""
    with db.read() as session:
        product = session.get(Product, product_id)
        if product is None or product.status != "active":
            raise UnknownBarcode(str(product_id))
        return FoundProduct(product.id, product_info(product))


def find_page(
    db: Database, text: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0, count: bool = True
) -> SearchPage:
    """A page of the products matching what the cashier typed (search.search_page says how)."""
    with db.read() as session:
        return search_page(session, text, limit=limit, offset=offset, count=count)


@dataclass(frozen=True)
class MemberPanel:
    """The member attached to a cart as this till knows them (None when the till has never
    seen them), and the points the cart earns if paid now."""

    member: MemberView | None
    earn_points: int


def member_panel(db: Database, cart: Cart, *, payable_fen: int) -> MemberPanel:
    """Who the cart's member is as this till knows them, and what the cart earns."""
    with db.read() as session:
        member = None if cart.member_id is None else known_member(session, cart.member_id)
        return MemberPanel(member, cart_points(session, cart, payable_fen=payable_fen))


def member_view(db: Database, member_id: str) -> MemberView | None:
    """The member as this till knows them; None when it has never seen them."""
    with db.read() as session:
        return known_member(session, member_id)


def top_up_choices(db: Database) -> list[TopUpTier]:
    """The chain's top-up tiers as the mall last sent them, lowest first."""
    with db.read() as session:
        return top_up_tiers(session)


def permission_table(db: Database) -> PermissionTable:
    """What each role may do, as the manager left it (defaults for anything not stored)."""
    with db.read() as session:
        return read_table(session)


@dataclass(frozen=True)
class RefundableLine:
    """A line of a sale; qty and refundable_qty are units, or grams when weighed."""

    line_no: int
    name: str
    weighed: bool
    qty: int
    refundable_qty: int
    net_fen: int


@dataclass(frozen=True)
class RefundableSale:
    sale_no: str
    created_at: datetime
    total_fen: int
    tenders: tuple[tuple[str, int], ...]  # (kind, amount_fen) as paid
    lines: tuple[RefundableLine, ...]
    tendered: tuple[Tendered, ...] = ()  # per tender: paid, and refunded so far


def refundable_sale(db: Database, number: str) -> RefundableSale:
    """A sale and how much of each line can still be refunded. number is the sale number or a
    scanned receipt link (ReceiptQrInvalid when not this store's); RefundError if unknown."""
    with db.read() as session:
        return _refundable(session, sale_no_from_scan(session, number))


def _refundable(session: Session, sale_no: str) -> RefundableSale:
    sale = find_sale(session, sale_no)
    done = refunded_qty(session, [line.id for line in sale.lines])
    return RefundableSale(
        sale_no=sale.sale_no,
        created_at=sale.created_at,
        total_fen=sale.total_fen,
        tenders=tuple((p.kind, p.amount_fen) for p in sale.payments),
        lines=tuple(
            RefundableLine(
                line_no=line.line_no,
                name=line.name,
                weighed=line.weighed,
                qty=line.qty,
                refundable_qty=line.qty - done.get(line.id, 0),
                net_fen=line.net_fen,
            )
            for line in sale.lines
        ),
        tendered=tuple(tendered(session, sale)),
    )


@dataclass(frozen=True)
class TillStatus:
    store_name: str
    till_id: str
    shift_id: int | None


def till_status(session: Session) -> TillStatus:
    """Store name, till and the open shift (None when no shift is open)."""
    till_id = till_identity(session).till_id
    shift = open_shift_of(session, till_id)
    return TillStatus(get_setting(session, "store_name"), till_id, shift.id if shift else None)


@dataclass(frozen=True)
class RecentSale:
    """A committed sale or refund as the reprint list shows it (time in the store's zone)."""

    sale_no: str
    is_refund: bool
    created_at: datetime
    total_fen: int
    first_item: str
    line_count: int


def recent_sales(db: Database, limit: int = RECENT_SALES) -> list[RecentSale]:
    """This till's latest sales and refunds, newest first: the last receipt is the first row
    (one indexed query)."""
    with db.read() as session:
        zone, till_id = store_zone(session), till_identity(session).till_id
        sales = session.scalars(
            select(Sale)
            .where(Sale.till_id == till_id)
            .order_by(Sale.till_seq.desc())
            .limit(limit)
            .options(selectinload(Sale.lines))
        )
        return [
            RecentSale(
                sale_no=sale.sale_no,
                is_refund=sale.kind == "refund",
                created_at=sale.created_at.astimezone(zone),
                total_fen=sale.total_fen,
                first_item=sale.lines[0].name if sale.lines else "",
                line_count=len(sale.lines),
            )
            for sale in sales
        ]
