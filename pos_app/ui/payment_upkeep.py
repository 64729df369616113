"""The background duties of online payment for a running till: on start, find out what became
of payments a crash interrupted (complete the sale or show it cancelled); after each sync round,
send queued refunds and reverse abandoned attempts. These talk to the mall and may wait for it,
so they run on their own thread (never on the GUI thread, never blocking the checkout runner);
their results come back to the GUI thread through a Qt signal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from pos_app.domain.money import format_fen
from pos_app.services.mall_payments import MallPaymentGateway, Recovery
from pos_app.services.payments import PaymentUnavailable
from pos_app.ui.i18n import tr
from pos_app.ui.qt import QMessageBox, QObject, QWidget, Signal


class PaymentUpkeep(QObject):
    recovered = Signal(list)  # list[Recovery]; emitted on the upkeep thread

    def __init__(self, gateway: MallPaymentGateway) -> None:
        super().__init__()
        self.gateway = gateway
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="payment-upkeep")
        self._stopped = False

    def recover(self) -> None:
        if not self._stopped:
            self._pool.submit(self._recover)

    def housekeeping(self) -> None:
        """Asked after each sync round; a round that ends while the till quits asks nothing."""
        if not self._stopped:
            self._pool.submit(self._housekeeping)

    def stop(self) -> None:
        self._stopped = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _recover(self) -> None:
        """Upkeep thread. With the mall away the attempts stay stored; the next start asks."""
        with suppress(PaymentUnavailable):
            self.recovered.emit(self.gateway.recover())

    def _housekeeping(self) -> None:
        """Upkeep thread: failures keep the work queued for the next round."""
        with suppress(PaymentUnavailable):
            self.gateway.send_refunds()
            self.gateway.void_abandoned()


def show_recoveries(parent: QWidget, recoveries: list[Recovery]) -> QMessageBox | None:
    """Tell the cashier, without blocking, what became of interrupted payments."""
    if not recoveries:
        return None
    lines = [f"{format_fen(r.amount_fen)}  {r.message}" for r in recoveries]
    box = QMessageBox(
        QMessageBox.Icon.Information,
        tr("recovered_title"),
        tr("recovered_text", lines="\n".join(lines)),
        parent=parent,
        objectName="payment_recoveries",
    )
    box.setModal(False)
    box.show()
    return box
