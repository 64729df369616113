"""Stored value (会员充值, Shift+F4) from the sale screen for the sale's member, who showed their
code here: pick an amount, take the payment, show the change. Runs on the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.domain.money import format_fen
from pos_app.services.errors import ServiceError
from pos_app.services.till_views import member_view
from pos_app.services.top_ups import TopUpResult, check_member
from pos_app.ui.i18n import tr
from pos_app.ui.top_up_dialog import TopUpDialog, TopUpPaymentDialog

if TYPE_CHECKING:  # the sale screen imports this module
    from pos_app.ui.sale_screen import SaleScreen


class TopUpStep:
    """The sale screen's top-up: the amount dialog, then the payment dialog."""

    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen

    def open(self) -> None:
        """Shift+F4: stored value for the sale's member, who showed their code here."""
        screen = self.screen
        try:
            member_id = check_member(screen.cart.member_id, screen.code_member)
        except ServiceError as error:
            screen.error(error)
            return
        known = member_view(screen.ctx.db, member_id)
        who = f"****{known.phone_tail}" if known and known.phone_tail else member_id
        dialog = TopUpDialog(screen, screen.ctx, member_id, who)
        dialog.chosen.connect(lambda fen: self._pay(member_id, who, fen))
        screen.show_dialog(dialog)

    def _pay(self, member_id: str, who: str, amount_fen: int) -> None:
        screen = self.screen
        dialog = TopUpPaymentDialog(screen, screen.ctx, member_id, who, amount_fen)
        dialog.paid.connect(self._done)
        screen.show_dialog(dialog)

    def _done(self, result: TopUpResult) -> None:
        screen = self.screen
        screen.top_up_committed.emit(result)
        amount = format_fen(result.amount_fen)
        screen.info(tr("top_up_done", amount=amount, no=result.top_up_no))
        if result.cash_fen:
            screen.change_due.setText(tr("change_due", change=format_fen(result.change_fen)))
