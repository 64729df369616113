"""The counter devices as the till window sees them: the scale in the context (for weighing),
the pole display following the sale screen, and one status-bar text. GUI thread throughout;
the devices themselves read and write on their own threads.

What the pole display shows: the unit price (单价) of the item just added, the total (总计) after
any other change and when payment starts, then paid (收款) and change (找零) when the sale is
done; the change stays until the next item, and an emptied cart (void, hold) blanks it.
"""

from __future__ import annotations

from pos_app.domain.cart_line import CartLine
from pos_app.hardware.devices import DeviceStatus
from pos_app.hardware.pole_display import IDLE, Light, PoleDisplay, PoleView
from pos_app.hardware.scale import SerialScale
from pos_app.services.checkout import CheckoutResult
from pos_app.services.device_settings import DeviceSettings, read_device_settings
from pos_app.ui.i18n import tr
from pos_app.ui.qt import QObject, QTimer
from pos_app.ui.sale_screen import SaleScreen

__all__ = ["CounterDevices", "device_status_text"]


def device_status_text(status: DeviceStatus) -> str:
    return tr(f"device_{status.value}")


class CounterDevices(QObject):
    """Opens the scale and pole display set up for this till and keeps them in step."""

    def __init__(self, sale: SaleScreen) -> None:
        super().__init__(sale)
        self.sale = sale
        self.scale: SerialScale | None = None
        self.pole: PoleDisplay | None = None
        self._next_view: PoleView | None = None  # set by an event, shown at the end of the turn
        self._showing_change = False
        self._flush_pending = False
        sale.cart_changed.connect(self._schedule)
        sale.item_added.connect(self._on_item_added)
        sale.payment_opened.connect(self._on_payment_opened)
        sale.sale_committed.connect(self._on_sale_committed)

    def start(self, settings: DeviceSettings | None = None) -> None:
        """Open the devices in the settings (read from the database when not given)."""
        self.stop()
        settings = settings or read_device_settings(self.sale.ctx.db)
        if settings.scale_uri:
            self.scale = SerialScale(settings.scale_uri, settings.scale_protocol)
        if settings.pole_display_uri:
            self.pole = PoleDisplay(settings.pole_display_uri)
        self.sale.ctx.scale, self.sale.ctx.pole = self.scale, self.pole
        self.sale.ctx.scale_settle_s = settings.scale_settle_s

    def stop(self) -> None:
        """Close the devices (their threads end; waits at most a few seconds)."""
        for device in (self.scale, self.pole):
            if device is not None:
                device.close()
        self.scale = self.pole = None
        self.sale.ctx.scale = self.sale.ctx.pole = None

    def status_text(self) -> str:
        """For the status bar: a cached state, no I/O."""
        scale = self.scale.state().status if self.scale else DeviceStatus.OFF
        pole = self.pole.status()[0] if self.pole else DeviceStatus.OFF
        return tr("status_devices", scale=device_status_text(scale), pole=device_status_text(pole))

    # -- the pole display follows the sale --------------------------------------------------

    def _on_item_added(self, line: CartLine) -> None:
        self._next_view = PoleView(Light.PRICE, line.unit_price_fen)
        self._schedule()

    def _on_payment_opened(self) -> None:
        self._next_view = PoleView(Light.TOTAL, self._payable_fen())
        self._schedule()

    def _on_sale_committed(self, result: CheckoutResult) -> None:
        if self.pole is not None:
            self.pole.show(PoleView(Light.PAID, result.total_fen + result.change_fen))
        self._next_view = PoleView(Light.CHANGE, result.change_fen)
        self._schedule()

    def _payable_fen(self) -> int:
        return self.sale.cart.payable_fen(self.sale.ctx.rounding)

    def _schedule(self) -> None:
        """Decide once at the end of this turn of the event loop (one change fires several
        signals; the customer sees only their outcome)."""
        if not self._flush_pending:
            self._flush_pending = True
            QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        view, self._next_view = self._next_view, None
        if view is None:
            if self.sale.cart.is_empty:
                if self._showing_change:
                    return
                view = IDLE
            else:
                view = PoleView(Light.TOTAL, self._payable_fen())
        self._showing_change = view.light is Light.CHANGE
        if self.pole is not None:
            self.pole.show(view)
