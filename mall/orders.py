"""Online orders at a store: placing one reserves stock; handing it over at the till completes it
and turns the reservation into a sale; cancelling releases it. Every change goes to the feed."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mall.catalog_view import products_by_sku
from mall.errors import Forbidden, NotFound, Refused
from mall.feed import record_changes
from mall.members.claims import sale_points
from mall.members.ledger import add_units
from mall.members.models import MemberRow
from mall.models import (
    OrderLineRow,
    OrderRow,
    ReservationRow,
    SaleLineRow,
    SalePaymentRow,
    SaleRow,
    utc_now,
)
from mall.order_view import orders_by_id
from mall.payment_models import PaymentRow
from mall.stock import add_move, lock_stock, stock_level
from sync.protocol import OnlineOrder, pickup_code_sha256
from sync.status import OPEN_ORDER_STATUSES

PICKUP_CODE_DIGITS = 8  # the till finds an order by trying the code against each open one


def _unused_order_no(session: Session, prefix: str) -> str:
    while True:
        candidate = f"{prefix}{secrets.randbelow(10**6):06d}"
        if session.scalar(select(OrderRow.id).where(OrderRow.order_no == candidate)) is None:
            return candidate


def _load(session: Session, store_id: str, order_id: str) -> OrderRow:
    order = session.scalar(
        select(OrderRow)
        .where(OrderRow.id == order_id, OrderRow.store_id == store_id)
        .with_for_update()
    )
    if order is None:
        raise NotFound(f"no online order {order_id} at store {store_id}")
    return order


def _view(session: Session, order: OrderRow) -> OnlineOrder:
    view = orders_by_id(session, order.store_id, [order.id])[order.id]
    assert view is not None
    return view


def create_order(
    session: Session,
    store_id: str,
    items: Sequence[tuple[str, int]],
    *,
    kind: str = "pickup",
    customer_name: str = "",
    customer_phone: str = "",
    allow_oversell: bool = False,
    status: str = "paid",
    member_id: str | None = None,
) -> tuple[OnlineOrder, str]:
    """Place an order of (sku, qty) at store_id at the store's prices (paid, or waiting for an
    online payment); returns it and the pickup code to give the customer. Refused if the store
    cannot spare the goods; the stock rows stay locked until the transaction ends, so of two
    orders racing for the last item exactly one gets it."""
    lock_stock(session, store_id, [sku for sku, _qty in items])
    products = products_by_sku(session, store_id, [sku for sku, _qty in items])
    order_id = str(uuid.uuid4())
    lines = []
    for line_no, (sku, qty) in enumerate(items, start=1):
        product = products.get(sku)
        if product is None:
            raise NotFound(f"no product with sku {sku!r}")
        available = stock_level(session, store_id, sku).available
        if qty > available and not allow_oversell:
            raise Refused(
                "not_enough_stock",
                f"{product.name} 库存不足：本店可售 {available}，需要 {qty}"
                if available
                else f"{product.name} 已售完",
            )
        lines.append(
            OrderLineRow(
                order_id=order_id,
                line_no=line_no,
                sku=sku,
                name=product.name,
                qty=qty,
                unit_price_fen=product.price_fen,
                net_fen=qty * product.price_fen,
            )
        )
    now = utc_now()
    code = f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"
    order_no = _unused_order_no(session, f"W{now:%y%m%d}")
    session.add(
        OrderRow(
            id=order_id,
            order_no=order_no,
            store_id=store_id,
            kind=kind,
            status=status,
            member_id=member_id,
            customer_name=customer_name,
            customer_phone=customer_phone,
            pickup_code_sha256=pickup_code_sha256(order_id, code),
            total_fen=sum(line.net_fen for line in lines),
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    session.add_all(lines)
    session.add_all(
        ReservationRow(order_id=order_id, store_id=store_id, sku=line.sku, qty=line.qty)
        for line in lines
    )
    if status != "pending_payment":  # the till hears of an online order once it is paid
        record_changes(session, "order", [order_id], scope=store_id)
    session.flush()
    return _view(session, session.get(OrderRow, order_id)), code  # type: ignore[arg-type]


def hand_over(
    session: Session, store_id: str, order_id: str, code: str, *, till_id: str, device_id: str
) -> OnlineOrder:
    """Complete a pickup order whose code matches; safe to repeat (answers the completed order)."""
    order = _load(session, store_id, order_id)
    if not secrets.compare_digest(order.pickup_code_sha256, pickup_code_sha256(order_id, code)):
        raise Forbidden("pickup_code_wrong", "the pickup code does not belong to this order")
    if order.status == "completed":
        return _view(session, order)
    if order.status not in OPEN_ORDER_STATUSES:
        raise Refused("order_not_open", f"order {order.order_no} is {order.status}")
    if order.status == "pending_payment":
        raise Refused("order_not_paid", f"订单 {order.order_no} 尚未付款，不能交货")
    now = utc_now()
    lines = session.scalars(
        select(OrderLineRow).where(OrderLineRow.order_id == order_id).order_by(OrderLineRow.line_no)
    ).all()
    sale_id = str(uuid.uuid4())
    session.add(
        SaleRow(
            id=sale_id,
            store_id=store_id,
            till_id=till_id,
            device_id=device_id,
            source="online",
            kind="sale",
            sale_no=order.order_no,
            created_at=now,
            subtotal_fen=order.total_fen,
            discount_fen=0,
            rounding_fen=0,
            total_fen=order.total_fen,
        )
    )
    session.flush()
    for line in lines:
        session.add(
            SaleLineRow(
                sale_id=sale_id,
                line_no=line.line_no,
                sku=line.sku,
                name=line.name,
                qty=line.qty,
                unit_price_fen=line.unit_price_fen,
                gross_fen=line.net_fen,
                discount_fen=0,
                net_fen=line.net_fen,
            )
        )
        add_move(session, store_id, line.sku, -line.qty, "online", order.order_no)
    session.add(
        SalePaymentRow(
            sale_id=sale_id,
            kind="online",
            amount_fen=order.total_fen,
            reference=_online_payment(session, order_id),
        )
    )
    _award_points(session, order, sale_id, now)
    session.execute(
        update(ReservationRow)
        .where(ReservationRow.order_id == order_id, ReservationRow.status == "active")
        .values(status="consumed")
    )
    order.status, order.updated_at, order.sale_id = "completed", now, sale_id
    record_changes(session, "order", [order_id], scope=store_id)
    session.flush()
    return _view(session, order)


def _online_payment(session: Session, order_id: str) -> str:
    """The paid online payment of the order ("" when it was paid some other way)."""
    found = session.scalar(
        select(PaymentRow.id).where(
            PaymentRow.sale_draft_id == order_id, PaymentRow.status == "paid"
        )
    )
    return found or ""


def _award_points(session: Session, order: OrderRow, sale_id: str, now: datetime) -> None:
    """The order's member earns the points of its sale (the chain's rules) at hand-over."""
    member = session.get(MemberRow, order.member_id) if order.member_id else None
    sale = session.get(SaleRow, sale_id)
    if member is None or sale is None:
        return
    session.flush()
    sale.member_id = member.id
    sale.points_earned = sale_points(session, sale, member.tier)
    add_units(
        session,
        "points",
        member.id,
        sale.points_earned,
        "sale",
        sale_id,
        now=now,
        store_id=order.store_id,
    )


def cancel_order(session: Session, store_id: str, order_id: str) -> OnlineOrder:
    """Cancel an open order and release what it reserved."""
    order = _load(session, store_id, order_id)
    if order.status not in OPEN_ORDER_STATUSES:
        raise Refused("order_not_open", f"order {order.order_no} is {order.status}")
    session.execute(
        update(ReservationRow)
        .where(ReservationRow.order_id == order_id, ReservationRow.status == "active")
        .values(status="released")
    )
    order.status, order.updated_at = "cancelled", utc_now()
    record_changes(session, "order", [order_id], scope=store_id)
    session.flush()
    return _view(session, order)
