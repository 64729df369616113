"""Holding a cart (挂单) and recalling a held one on the sale screen (F6). The hold and the
recall are written through the one writer and waited for: the screen shows the outcome at
once. Runs on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.domain.cart import Cart
from pos_app.domain.cart_line import CartError
from pos_app.services.errors import ServiceError
from pos_app.services.hold import hold_cart, list_held, recall_cart
from pos_app.ui.i18n import tr
from pos_app.ui.line_dialogs import RecallDialog

if TYPE_CHECKING:  # the sale screen imports this module
    from pos_app.ui.sale_screen import SaleScreen


class HoldStep:
    """The sale screen's held carts."""

    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen

    def hold_or_recall(self) -> None:
        """F6: hold the cart when it has lines, else offer the held carts."""
        screen = self.screen
        if screen.cart.is_empty:
            self._open_recall()
            return
        db, cart, cashier = screen.ctx.db, screen.cart, screen.ctx.staff_id
        try:
            screen.ctx.write(lambda: hold_cart(db, cart=cart, cashier_id=cashier))
        except ServiceError as error:
            screen.error(error)
            return
        screen.set_cart(Cart())
        screen.info(tr("held_ok"))

    def _open_recall(self) -> None:
        screen = self.screen
        dialog = RecallDialog(screen, list_held(screen.ctx.db), screen.ctx.zone)
        dialog.chosen.connect(self._recall)
        screen.show_dialog(dialog)

    def _recall(self, held_id: int) -> None:
        screen = self.screen
        db = screen.ctx.db
        try:
            cart = screen.ctx.write(lambda: recall_cart(db, held_id))
        except (ServiceError, CartError) as error:
            screen.error(error)
            return
        screen.set_cart(cart)
        screen.info(tr("recalled_ok"))
