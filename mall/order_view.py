"""Online orders in the shape the till receives them (OnlineOrder)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from mall.models import OrderLineRow, OrderRow
from sync.protocol import OnlineOrder, OrderLine


def _as_orders(session: Session, orders: Sequence[OrderRow]) -> list[OnlineOrder]:
    lines: defaultdict[str, list[OrderLine]] = defaultdict(list)
    query = (
        select(OrderLineRow)
        .where(OrderLineRow.order_id.in_([order.id for order in orders]))
        .order_by(OrderLineRow.order_id, OrderLineRow.line_no)
    )
    for line in session.scalars(query):
        lines[line.order_id].append(
            OrderLine(
                sku=line.sku,
                name=line.name,
                qty=line.qty,
                unit_price_fen=line.unit_price_fen,
                net_fen=line.net_fen,
            )
        )
    return [
        OnlineOrder(
            id=UUID(order.id),
            order_no=order.order_no,
            store_id=order.store_id,
            kind=order.kind,  # type: ignore[arg-type]
            status=order.status,  # type: ignore[arg-type]
            customer_name=order.customer_name,
            customer_phone_tail=order.customer_phone[-4:],
            created_at=order.created_at,
            total_fen=order.total_fen,
            lines=lines[order.id],
            pickup_code_sha256=order.pickup_code_sha256,
        )
        for order in orders
    ]


def orders_by_id(
    session: Session, store_id: str, order_ids: Sequence[str]
) -> dict[str, OnlineOrder | None]:
    """The current state of each order of store_id; None for an id that is not this store's."""
    found: dict[str, OnlineOrder | None] = dict.fromkeys(order_ids)
    if order_ids:
        rows = session.scalars(
            select(OrderRow).where(OrderRow.id.in_(order_ids), OrderRow.store_id == store_id)
        ).all()
        for order in _as_orders(session, rows):
            found[str(order.id)] = order
    return found


def store_orders(session: Session, store_id: str, statuses: Sequence[str]) -> list[OnlineOrder]:
    rows = session.scalars(
        select(OrderRow)
        .where(OrderRow.store_id == store_id, OrderRow.status.in_(statuses))
        .order_by(OrderRow.created_at)
    ).all()
    return _as_orders(session, rows)
