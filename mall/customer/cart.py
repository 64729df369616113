"""A customer's cart at one store: quantities kept by the mall, priced and checked against the
store's shelf every time it is shown, so a line the store cannot supply says why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mall.customer.models import CartItemRow, CustomerRow
from mall.customer.schemas import MAX_CART_QTY, Cart, CartLine
from mall.customer.shelf import ProductNotFound, product_views
from mall.customer.stores import get_store
from mall.errors import Refused


def _items(session: Session, customer: CustomerRow, store_id: str) -> list[CartItemRow]:
    return list(
        session.scalars(
            select(CartItemRow)
            .where(CartItemRow.customer_id == customer.id, CartItemRow.store_id == store_id)
            .order_by(CartItemRow.added_at, CartItemRow.sku)
        )
    )


def _problem(available: int, qty: int, active: bool) -> str:
    if not active:
        return "商品已下架"
    if available <= 0:
        return "本店暂时缺货"
    if qty > available:
        return f"本店仅剩 {available} 件"
    return ""


def cart_view(session: Session, customer: CustomerRow, store_id: str) -> Cart:
    items = _items(session, customer, store_id)
    found = {p.sku: p for p in product_views(session, store_id, [i.sku for i in items])}
    lines = []
    for item in items:
        product = found.get(item.sku)
        lines.append(
            CartLine(
                sku=item.sku,
                name=product.name if product else item.sku,
                unit=product.unit if product else "",
                qty=item.qty,
                unit_price_fen=product.price_fen if product else 0,
                line_fen=item.qty * product.price_fen if product else 0,
                available=product.available if product else 0,
                problem=_problem(
                    product.available if product else 0, item.qty, product is not None
                ),
            )
        )
    return Cart(
        store_id=store_id,
        lines=lines,
        count=sum(line.qty for line in lines),
        total_fen=sum(line.line_fen for line in lines),
        can_order=bool(lines) and not any(line.problem for line in lines),
    )


def set_qty(
    session: Session,
    customer: CustomerRow,
    store_id: str,
    sku: str,
    qty: int,
    *,
    add: bool,
    now: datetime,
) -> Cart:
    """Add qty of sku to the cart (add=True) or set its quantity (0 takes the line out). More
    than the store can sell now is refused when adding."""
    get_store(session, store_id)
    key = {"customer_id": customer.id, "store_id": store_id, "sku": sku}
    item = session.get(CartItemRow, key)
    wanted = (item.qty if item else 0) + qty if add else qty
    if wanted <= 0:
        if item is not None:
            session.delete(item)
        return cart_view(session, customer, store_id)
    shown = product_views(session, store_id, [sku])
    if not shown:
        raise ProductNotFound()
    available = shown[0].available
    if add and wanted > available:
        text = "本店暂时缺货" if available <= 0 else f"本店仅剩 {available} 件"
        raise Refused("not_enough_stock", f"{shown[0].name} {text}")
    if wanted > MAX_CART_QTY:
        raise Refused("too_many", f"每件商品最多买 {MAX_CART_QTY} 件")
    if item is None:
        session.add(CartItemRow(**key, qty=wanted, added_at=now))
    else:
        item.qty = wanted
    session.flush()
    return cart_view(session, customer, store_id)


def take_cart(session: Session, customer: CustomerRow, store_id: str) -> list[tuple[str, int]]:
    """The cart's (sku, qty) at the store, emptied (for an order in the same transaction)."""
    items = [(item.sku, item.qty) for item in _items(session, customer, store_id)]
    session.execute(
        delete(CartItemRow).where(
            CartItemRow.customer_id == customer.id, CartItemRow.store_id == store_id
        )
    )
    return items
