"""Hold and recall (挂单/取单): carts put aside live in the database and survive a restart."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pos_app.domain.cart import Cart
from pos_app.services.errors import ServiceError
from pos_app.services.till import till_identity
from pos_app.store.db import Database
from pos_app.store.models import HeldCart, utc_now


@dataclass(frozen=True)
class HeldSummary:
    held_id: int
    label: str
    total_fen: int
    item_count: int
    created_at: datetime
    item_names: tuple[str, ...] = ()  # the lines' product names, in cart order


def hold_cart(db: Database, *, cart: Cart, cashier_id: int, label: str = "") -> int:
    if cart.is_empty:
        raise ServiceError("There is nothing to hold: the cart is empty.", code="hold_empty")
    with db.write() as session:
        held = HeldCart(
            till_id=till_identity(session).till_id,
            cashier_id=cashier_id,
            label=label,
            cart_json=json.dumps(cart.to_dict(), ensure_ascii=False),
            total_fen=cart.total_fen,
            created_at=utc_now(),
        )
        session.add(held)
        session.flush()
        return held.id


def list_held(db: Database) -> list[HeldSummary]:
    with db.read() as session:
        rows = session.scalars(select(HeldCart).order_by(HeldCart.id))
        return [_summary(row, Cart.from_dict(json.loads(row.cart_json))) for row in rows]


def _summary(row: HeldCart, cart: Cart) -> HeldSummary:
    names = tuple(line.product.name for line in cart.lines)
    return HeldSummary(row.id, row.label, row.total_fen, cart.item_count, row.created_at, names)


def recall_cart(db: Database, held_id: int) -> Cart:
    """Take a held cart back; it leaves the held list in the same transaction."""
    with db.write() as session:
        held = session.get(HeldCart, held_id)
        if held is None:
            raise ServiceError(
                f"Held sale {held_id} is gone (recalled on another screen?).",
                code="hold_gone",
                id=held_id,
            )
        cart = Cart.from_dict(json.loads(held.cart_json))
        session.delete(held)
        return cart
