"""A customer's pickup orders: placed from the cart for a slot (the store reserves the goods at
once, mall.orders), paid on the phone (mall.payments.jsapi), shown with the pickup code once
paid, cancelled before pickup (reservation released, a paid order refunded in full).

Each use case commits its own transactions; calls to the payment provider happen between them,
never inside one (the payment desk's rule).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.customer.cart import take_cart
from mall.customer.models import CustomerOrderRow, CustomerRow
from mall.customer.schemas import Order, OrderLine, PayAnswer, PayParams, PlaceOrder
from mall.customer.stores import SHOP_TIME, get_store, pickup_slots, slot_label, store_view
from mall.db import MallDatabase
from mall.errors import MallError, Refused
from mall.feed import record_changes
from mall.members.models import MemberRow
from mall.models import OrderRow, SaleRow, utc_now
from mall.order_view import orders_by_id
from mall.orders import cancel_order, create_order
from mall.payment_models import PaymentRow
from mall.payments.jsapi import OnlinePayments, Payable, Started
from mall.payments.service import OPEN
from sync.payment_protocol import CreateRefund
from sync.status import OPEN_ORDER_STATUSES

STATUS_TEXT = {
    "pending_payment": "待付款",
    "paid": "待取货",
    "ready": "待取货",
    "completed": "已取货",
    "cancelled": "已取消",
}
LISTED_ORDERS = 50
PAY_STATUS = {"created": "pending", "pending": "pending"}


class OrderNotFound(MallError):
    def __init__(self) -> None:
        super().__init__(404, "order_not_found", "没有找到这个订单")


def _mine(
    session: Session, customer: CustomerRow, order_id: str, *, lock: bool = False
) -> OrderRow:
    query = (
        select(OrderRow)
        .join(CustomerOrderRow, CustomerOrderRow.order_id == OrderRow.id)
        .where(OrderRow.id == order_id, CustomerOrderRow.customer_id == customer.id)
    )
    order = session.scalar(query.with_for_update(of=OrderRow) if lock else query)
    if order is None:
        raise OrderNotFound()
    return order


def order_view(
    session: Session, order: OrderRow, payments: Sequence[PaymentRow], *, now: datetime
) -> Order:
    """The order as its customer sees it; the pickup code only while it can be picked up."""
    placed = session.get(CustomerOrderRow, order.id)
    online = orders_by_id(session, order.store_id, [order.id])[order.id]
    assert online is not None
    sale = session.get(SaleRow, order.sale_id) if order.sale_id else None
    paid = [p for p in payments if p.status == "paid"]
    return Order(
        id=order.id,
        order_no=order.order_no,
        store=store_view(get_store(session, order.store_id), now=now),
        status=order.status,  # type: ignore[arg-type]
        status_text=STATUS_TEXT.get(order.status, order.status),
        lines=[OrderLine(**line.model_dump()) for line in online.lines],
        total_fen=order.total_fen,
        paid_fen=sum(p.amount_fen for p in paid),
        refunded_fen=sum(p.refunded_fen for p in paid),
        created_at=order.created_at.astimezone(SHOP_TIME),
        pickup_start=placed.pickup_start.astimezone(SHOP_TIME) if placed else None,
        pickup_end=placed.pickup_end.astimezone(SHOP_TIME) if placed else None,
        pickup_label=slot_label(placed.pickup_start, placed.pickup_end, now=now) if placed else "",
        pickup_code=placed.pickup_code if placed and order.status in ("paid", "ready") else None,
        can_pay=order.status == "pending_payment",
        can_cancel=order.status in OPEN_ORDER_STATUSES,
        points_earned=sale.points_earned if sale is not None else 0,
    )


def pay_fields(started: Started, payments: OnlinePayments) -> dict[str, Any]:
    """What the phone needs to pay a started payment (of an order or a top-up)."""
    row = started.payment
    params = PayParams(prepay_id=row.prepay_id, client=started.client) if started.client else None
    return {
        "payment_id": row.id,
        "status": PAY_STATUS.get(row.status, row.status),
        "message": row.message,
        "params": params,
        "sandbox": row.gateway == payments.desk.gateways.sandbox.name,
    }


def own_payment(
    db: MallDatabase,
    payment_id: str,
    mine: Callable[[Session, str], object],
    missing: Callable[[], MallError],
) -> PaymentRow:
    """A customer's online payment by id: mine(session, what it pays) raises unless that order
    or top-up is the customer's; a till's payment or an unknown id is missing()."""
    with db.read() as session:
        row = session.get(PaymentRow, payment_id)
        if row is None or row.device_id is not None:
            raise missing()
        mine(session, row.sale_draft_id)
        session.expunge(row)
        return row


class CustomerOrders:
    """The use cases of a customer's orders over the mall's database and payment desk."""

    def __init__(self, db: MallDatabase, payments: OnlinePayments) -> None:
        self.db = db
        self.payments = payments

    def place(self, customer: CustomerRow, request: PlaceOrder) -> Order:
        """The cart at the store becomes an order for the chosen slot, waiting for payment;
        the goods are reserved now (refused, cart kept, if the store cannot spare them)."""
        now = utc_now()
        with self.db.write() as session:
            store = get_store(session, request.store_id)
            slot = next(
                (s for s in pickup_slots(store, now=now) if s.start == request.pickup_start), None
            )
            if slot is None:
                raise Refused("slot_unavailable", "这个取货时间已不可选，请重新选择")
            session.get(CustomerRow, customer.id, with_for_update=True)
            items = take_cart(session, customer, store.id)
            if not items:
                raise Refused("cart_empty", "购物车是空的，先去选购商品吧")
            member = session.get(MemberRow, customer.member_id) if customer.member_id else None
            placed, code = create_order(
                session,
                store.id,
                items,
                status="pending_payment",
                member_id=member.id if member else None,
                customer_name=member.name if member else "",
                customer_phone=member.phone if member else "",
            )
            session.add(
                CustomerOrderRow(
                    order_id=str(placed.id),
                    customer_id=customer.id,
                    pickup_code=code,
                    pickup_start=slot.start,
                    pickup_end=slot.end,
                )
            )
            session.flush()
            order = _mine(session, customer, str(placed.id))
            return order_view(session, order, [], now=now)

    def get(self, customer: CustomerRow, order_id: str) -> Order:
        """The order now: a payment waiting for the customer is asked about first if due."""
        with self.db.read() as session:
            order = _mine(session, customer, order_id)
        if order.status == "pending_payment":
            self.payments.live(order_id)
        self._settle(order_id)
        return self._view(customer, order_id)

    def _view(self, customer: CustomerRow, order_id: str) -> Order:
        payments = self.payments.of_order(order_id)
        with self.db.read() as session:
            return order_view(session, _mine(session, customer, order_id), payments, now=utc_now())

    def listed(self, customer: CustomerRow, which: Literal["all", "open", "done"]) -> list[Order]:
        now = utc_now()
        query = (
            select(OrderRow)
            .join(CustomerOrderRow, CustomerOrderRow.order_id == OrderRow.id)
            .where(CustomerOrderRow.customer_id == customer.id)
            .order_by(OrderRow.created_at.desc())
            .limit(LISTED_ORDERS)
        )
        if which == "open":
            query = query.where(OrderRow.status.in_(OPEN_ORDER_STATUSES))
        elif which == "done":
            query = query.where(OrderRow.status.not_in(OPEN_ORDER_STATUSES))
        with self.db.read() as session:
            orders = list(session.scalars(query))
            payments = session.scalars(
                select(PaymentRow).where(PaymentRow.sale_draft_id.in_([o.id for o in orders]))
            ).all()
            return [
                order_view(session, o, [p for p in payments if p.sale_draft_id == o.id], now=now)
                for o in orders
            ]

    def pay(self, customer: CustomerRow, order_id: str) -> PayAnswer:
        """Start (or answer the already started) payment of the order; never a second charge."""
        with self.db.read() as session:
            order = _mine(session, customer, order_id)
        if order.status not in ("pending_payment", "paid", "ready"):
            raise Refused("order_not_payable", "订单已取消或已完成，无需付款")
        payable = Payable(order.id, order.store_id, order.total_fen, OrderRow, "order")
        started = self.payments.start(
            payable, openid=customer.openid, description=f"门店通商城订单 {order.order_no}"
        )
        self._settle(order_id)
        return PayAnswer(**pay_fields(started, self.payments), order=self._view(customer, order_id))

    def confirm_sandbox(self, customer: CustomerRow, payment_id: str) -> Order:
        """The customer pays on the sandbox's sheet; answers the order afterwards."""
        row = self._own_payment(customer, payment_id)
        self.payments.confirm_sandbox(row)
        self._settle(row.sale_draft_id)
        return self._view(customer, row.sale_draft_id)

    def _own_payment(self, customer: CustomerRow, payment_id: str) -> PaymentRow:
        return own_payment(
            self.db, payment_id, lambda s, paid: _mine(s, customer, paid), OrderNotFound
        )

    def _settle(self, order_id: str) -> None:
        """A paid payment makes its waiting order paid (the till sees it by the next sync); a
        payment that arrived for an order cancelled meanwhile is given back."""
        paid = [p for p in self.payments.of_order(order_id) if p.status == "paid"]
        if not paid:
            return
        with self.db.write() as session:
            order = session.get(OrderRow, order_id, with_for_update=True)
            assert order is not None
            if order.status == "pending_payment":
                order.status, order.updated_at = "paid", utc_now()
                record_changes(session, "order", [order.id], scope=order.store_id)
            cancelled = order.status == "cancelled"
        if cancelled:
            self._refund_all(order_id)

    def cancel(self, customer: CustomerRow, order_id: str) -> Order:
        """Cancel before pickup: a waiting payment is closed, the reservation released, and
        what was paid goes back the way it came."""
        with self.db.read() as session:
            order = _mine(session, customer, order_id)
        if order.status == "completed":
            raise Refused("order_completed", "订单已取货，不能取消")
        for payment in self.payments.of_order(order_id):
            if payment.status in OPEN:
                self.payments.desk.cancel(order.store_id, payment.id)
        with self.db.write() as session:
            locked = _mine(session, customer, order_id, lock=True)
            if locked.status == "completed":
                raise Refused("order_completed", "订单已取货，不能取消")
            if locked.status in OPEN_ORDER_STATUSES:
                cancel_order(session, locked.store_id, locked.id)
        self._refund_all(order_id)
        return self._view(customer, order_id)

    def _refund_all(self, order_id: str) -> None:
        for payment in self.payments.of_order(order_id):
            if payment.status == "paid" and payment.refunded_fen < payment.amount_fen:
                self.payments.desk.refund(
                    payment.store_id,
                    payment.id,
                    CreateRefund(
                        idempotency_key=f"cancel:{payment.id}",
                        amount_fen=payment.amount_fen - payment.refunded_fen,
                        reason="顾客取消订单",
                    ),
                )


UNPAID_GRACE_S = 60  # after the payment deadline, before an unpaid order lets its goods go


def expire_unpaid_orders(db: MallDatabase, now: datetime, *, pay_within_s: float = 900.0) -> int:
    """Cancel customers' orders still waiting for payment pay_within_s (+ a grace) after they
    were placed with no payment open or made, releasing their goods; a paid one is marked paid.
    Runs as a background job (mall.background); answers how many were cancelled."""
    cutoff = now - timedelta(seconds=pay_within_s + UNPAID_GRACE_S)
    with db.write() as session:
        waiting = session.scalars(
            select(OrderRow)
            .join(CustomerOrderRow, CustomerOrderRow.order_id == OrderRow.id)
            .where(OrderRow.status == "pending_payment", OrderRow.created_at < cutoff)
            .with_for_update(of=OrderRow, skip_locked=True)
        ).all()
        cancelled = 0
        for order in waiting:
            states = set(
                session.scalars(
                    select(PaymentRow.status).where(PaymentRow.sale_draft_id == order.id)
                )
            )
            if "paid" in states:
                order.status, order.updated_at = "paid", now
                record_changes(session, "order", [order.id], scope=order.store_id)
            elif not states & set(OPEN):
                cancel_order(session, order.store_id, order.id)
                cancelled += 1
        return cancelled
