"""Points and stored value as tenders in the payment dialog (积分抵扣 / 储值支付).

The amount in the dialog's amount field is redeemed for the cart's member: held at the mall
(the sale event names the hold, which the mall captures when the sale syncs), or, with the mall
offline, taken within the daily offline cap. Holds the sale does not use (tenders cleared, the
dialog cancelled, or a tender refused) are released; if that fails they expire by themselves.
Runs on the GUI thread; the mall is asked on the background runner.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pos_app.domain.money import parse_yuan
from pos_app.domain.tenders import Tender, TenderKind
from pos_app.services.members import OFFLINE_PREFIX, redeem, release_holds
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.qt import QDialog, QHBoxLayout, QObject, QPushButton
from pos_app.ui.widgets import show_message

if TYPE_CHECKING:  # the dialog imports this module
    from pos_app.ui.payment_dialog import PaymentDialog

log = logging.getLogger(__name__)


class RedeemPanel(QObject):
    """The two redemption buttons of a payment dialog and the holds they took."""

    def __init__(self, dialog: PaymentDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.held: list[Tender] = []
        self.buttons = {
            TenderKind.POINTS: QPushButton(tr("pay_points"), objectName="points"),
            TenderKind.STORED_VALUE: QPushButton(tr("pay_stored_value"), objectName="stored_value"),
        }
        for kind, button in self.buttons.items():
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, k=kind: self.redeem(k))
        dialog.finished.connect(self._finished)

    def row(self) -> QHBoxLayout:
        layout = QHBoxLayout()
        for button in self.buttons.values():
            layout.addWidget(button)
        return layout

    def _error(self, error: Exception | str) -> None:
        text = error if isinstance(error, str) else error_text(error)
        show_message(self.dialog.message, text, error=True)

    def redeem(self, kind: TenderKind) -> None:
        """Redeem the amount in the dialog's amount field with points or stored value."""
        member_id = self.dialog.cart.member_id
        if member_id is None:
            self._error(tr("pay_need_member"))
            return
        try:
            amount = parse_yuan(self.dialog.amount.text())
        except ValueError as error:
            self._error(error)
            return
        ctx, pending = self.dialog.ctx, list(self.dialog.tenders)
        request_id = uuid.uuid4().hex
        show_message(self.dialog.message, tr("checking"), error=False)
        ctx.ops.run(
            lambda: redeem(
                ctx.db,
                ctx.members,
                member_id=member_id,
                kind=kind,
                amount_fen=amount,
                request_id=request_id,
                pending=pending,
                now=datetime.now(UTC),
            ),
            success=self._redeemed,
            failure=self._error,
            owner=self.dialog,
        )

    def _redeemed(self, tender: Tender) -> None:
        offline = tender.reference.startswith(OFFLINE_PREFIX)
        if not offline:
            self.held.append(tender)
        self.dialog.add_tender(tender)
        if tender not in self.dialog.tenders:  # refused (e.g. more than is due): give it back
            self.release_unused()
        elif offline:
            show_message(self.dialog.message, tr("pay_redeem_offline"), error=False)

    def release_unused(self, *, committed: bool = True) -> None:
        """Release the holds no tender of the dialog uses (after clearing); all of them when the
        sale was not committed."""
        used = self.dialog.tenders if committed else []
        unused = [t for t in self.held if t not in used]
        self.held = [t for t in self.held if t in used]
        self._release(unused)

    def _finished(self, result: int) -> None:
        self.release_unused(committed=result == QDialog.DialogCode.Accepted.value)

    def _release(self, tenders: list[Tender]) -> None:
        if not tenders:
            return
        directory = self.dialog.ctx.members
        self.dialog.ctx.ops.run(
            lambda: release_holds(directory, tenders),
            success=lambda _count: None,
            failure=lambda error: log.warning("holds not released: %s", error),
        )
