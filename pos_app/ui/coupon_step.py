"""A coupon (优惠券) scanned on the sale screen: checked, held at the mall for this cart (or
taken offline within the till's cap) and spread over the lines; released when the cart is
voided. Runs on the GUI thread; the mall is asked on the background runner."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError
from pos_app.domain.coupons import CouponUse
from pos_app.domain.money import format_fen
from pos_app.services.coupons import release_coupon, take_coupon
from pos_app.services.members import OFFLINE_PREFIX
from pos_app.ui.i18n import tr

if TYPE_CHECKING:  # the sale screen imports this module
    from pos_app.ui.sale_screen import SaleScreen

log = logging.getLogger(__name__)


class CouponStep:
    """The sale screen's coupons: take one per cart, give back the hold of a dropped cart."""

    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen

    def scanned(self, code: str) -> None:
        """A coupon code arrived on the sale screen."""
        screen, cart = self.screen, self.screen.cart
        if cart.is_empty:
            screen.error(tr("coupon_cart_empty"))
            return
        if cart.coupon is not None:
            screen.error(tr("err.coupon_one_per_sale"))
            return
        ctx, request_id = screen.ctx, uuid.uuid4().hex
        screen.info(tr("checking"))
        ctx.ops.run(
            lambda: take_coupon(
                ctx.db, ctx.members, code, request_id=request_id, now=datetime.now(UTC)
            ),
            success=lambda use: self._taken(cart, use),
            failure=screen.error,
        )

    def _taken(self, cart: Cart, use: CouponUse) -> None:
        screen = self.screen
        if cart is not screen.cart:  # the cart was paid, held or voided meanwhile
            self.release(use)
            return
        try:
            cart.use_coupon(use)
        except CartError as error:
            self.release(use)
            screen.error(error)
            return
        screen.cart_replaced()
        key = "coupon_taken_offline" if use.reference.startswith(OFFLINE_PREFIX) else "coupon_taken"
        screen.info(tr(key, name=use.label, amount=format_fen(cart.coupon_fen)))

    def release(self, use: CouponUse | None) -> None:
        """Give the hold of a coupon no sale will use back to the mall (on the worker)."""
        if use is None:
            return
        directory = self.screen.ctx.members
        self.screen.ctx.ops.run(
            lambda: release_coupon(directory, use),
            success=lambda _released: None,
            failure=lambda error: log.warning("coupon hold not released: %s", error),
        )
