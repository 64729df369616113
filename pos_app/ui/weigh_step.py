"""A weighed product on the sale screen while a scale is connected: the scale's stable weight
is booked into the cart, or printed on a label for the bag at a weighing counter. Runs on the
GUI thread; the label is queued on the background runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.domain.cart_line import CartError, ProductInfo
from pos_app.services.weighed_label import queue_weighed_label
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.weigh_dialog import WeighDialog
from pos_app.ui.widgets import qty_text

if TYPE_CHECKING:  # the sale screen imports this module
    from pos_app.ui.sale_screen import SaleScreen


class WeighStep:
    """The sale screen's weighing dialog and what comes of it."""

    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen

    def start(self, product: ProductInfo, barcode: str) -> None:
        """Book the scale's stable weight of product (scanned as barcode, "" when picked)."""
        screen = self.screen
        assert screen.ctx.scale is not None
        dialog = WeighDialog(
            screen,
            scale=screen.ctx.scale,
            product=product,
            settle_s=screen.ctx.scale_settle_s,
            router=screen.ctx.router,
        )
        dialog.booked.connect(lambda grams: self._add(product, barcode, grams))
        dialog.label_requested.connect(lambda grams: self._print_label(product, grams))
        screen.show_dialog(dialog)  # the keyboard comes back to the cart when it closes

    def _print_label(self, product: ProductInfo, grams: int) -> None:
        """A weighing counter: the weight goes on a label for the bag, not into this cart."""
        screen = self.screen
        db, weight = screen.ctx.db, qty_text(grams, weighed=True)
        screen.ctx.ops.run(
            lambda: queue_weighed_label(db, sku=product.sku, weight_g=grams),
            success=lambda _: screen.info(
                tr("weighed_label_queued", name=product.name, weight=weight)
            ),
            failure=lambda error: screen.error(
                tr("weighed_label_failed", detail=error_text(error))
            ),
        )

    def _add(self, product: ProductInfo, barcode: str, grams: int) -> None:
        try:
            line = self.screen.cart.add(product, barcode=barcode, weight_g=grams)
        except CartError as error:
            self.screen.error(error)
            return
        self.screen.show_added(line)
