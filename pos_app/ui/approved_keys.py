"""The sale screen's keys that need an approval as the permission table says (OverrideDialog):
void a line, void the sale, open the drawer without a sale, reprint a receipt, open the
settings. Each approved action is journaled with its approver. Runs on the GUI thread; the
printer's work is queued on the background runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.domain.cart import Cart
from pos_app.domain.money import format_fen
from pos_app.services.permissions import Action, Need
from pos_app.services.printing import enqueue_drawer_kick, reprint
from pos_app.services.till_views import recent_sales
from pos_app.ui.i18n import tr
from pos_app.ui.line_dialogs import ReprintDialog
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.settings_dialog import SettingsDialog

if TYPE_CHECKING:  # the sale screen imports this module
    from pos_app.ui.sale_screen import SaleScreen


class ApprovedKeys:
    """What the sale screen's approved keys do once they are pressed."""

    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen

    def void_line(self) -> None:
        """F8: remove the selected line, approved as the permission table says, journaled."""
        screen = self.screen
        line = screen.line_to_change()
        if line is None:
            return
        reason = tr("reason_void_line", no=line.line_no, name=line.product.name)
        approval = OverrideDialog.ask(screen, screen.ctx, reason, Need(Action.VOID_LINE))
        if approval is None:
            return
        amount_fen = line.net_fen
        screen.cart.void_line(line.line_no)
        screen.ctx.journal(
            "void_line",
            approval.journal_id,
            on_error=screen.error,
            line=line.line_no,
            sku=line.product.sku,
            amount_fen=amount_fen,
        )
        screen.last_item.setText(tr("no_last_item"))
        screen.show_cart(select_row=len(screen.cart.lines) - 1)
        screen.info(tr("line_voided", no=line.line_no))

    def void_sale(self) -> None:
        """Shift+F8: drop the whole cart, approved as the permission table says, journaled."""
        screen = self.screen
        if screen.cart.is_empty:
            screen.error(tr("cart_empty"))
            return
        total = format_fen(screen.cart.total_fen)
        reason = tr("reason_void_sale", total=total)
        approval = OverrideDialog.ask(screen, screen.ctx, reason, Need(Action.VOID_SALE))
        if approval is None:
            return
        screen.ctx.journal(
            "void_sale", approval.journal_id, on_error=screen.error, total_fen=screen.cart.total_fen
        )
        screen.coupons.release(screen.cart.coupon)
        screen.set_cart(Cart())
        screen.info(tr("sale_voided"))

    def open_drawer(self) -> None:
        """Ctrl+D 开钱箱 without a sale (change for a note, say): approved as the permission
        table says, sent to the printer's drawer port, journaled as drawer_open."""
        screen = self.screen
        need = Need(Action.NO_SALE)
        approval = OverrideDialog.ask(screen, screen.ctx, tr("reason_no_sale"), need)
        if approval is None:
            return
        db = screen.ctx.db
        screen.ctx.ops.run(
            lambda: enqueue_drawer_kick(db),
            success=lambda _: screen.info(tr("drawer_opened")),
            failure=screen.error,
        )
        screen.ctx.journal("drawer_open", approval.journal_id, on_error=screen.error, no_sale=True)

    def open_settings(self) -> None:
        screen = self.screen
        need = Need(Action.SETTINGS)
        approval = OverrideDialog.ask(screen, screen.ctx, tr("reason_settings"), need)
        if approval is None:
            return
        dialog = SettingsDialog(screen, screen.ctx, approval.approver_id)
        dialog.accepted.connect(screen.refresh)
        dialog.accepted.connect(screen.devices_changed)
        screen.show_dialog(dialog)

    def open_reprint(self) -> None:
        """Ctrl+P 重打: the latest receipts of this till, the last one first."""
        screen = self.screen
        sales = recent_sales(screen.ctx.db)  # one indexed query of 30 rows
        dialog = ReprintDialog(screen, sales)
        dialog.chosen.connect(self._reprint)
        screen.show_dialog(dialog)

    def _reprint(self, sale_no: str) -> None:
        """Queue the copy (marked 重印) off the GUI thread; the print worker sends it."""
        screen = self.screen
        reason = tr("reason_reprint", sale_no=sale_no)
        approval = OverrideDialog.ask(screen, screen.ctx, reason, Need(Action.REPRINT))
        if approval is None:
            return
        db = screen.ctx.db
        screen.ctx.ops.run(
            lambda: reprint(db, sale_no),
            success=lambda _: screen.info(tr("reprint_queued", sale_no=sale_no)),
            failure=screen.error,
        )
        screen.ctx.journal("reprint", approval.journal_id, on_error=screen.error, sale_no=sale_no)
