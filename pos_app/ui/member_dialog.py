"""F4 member: scan the member code (checked offline), or type a phone, card number or the digits
under the member QR (asked of the mall), or sign a customer up by phone (queued when the mall is
offline). The lookup runs on the background runner; the cart changes only when a member is found.
Runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pos_app.domain.cart import Cart
from pos_app.domain.scan import ScanContext, WrongScanContext, route_scan
from pos_app.services.members import MemberView, find_member, quick_signup, shows_own_code
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.qt import QLineEdit, QWidget
from pos_app.ui.widgets import FormDialog, show_message


class MemberDialog(FormDialog):
    """Attach, sign up or remove the cart's member; `found` is the member attached, if any."""

    def __init__(self, parent: QWidget | None, ctx: TillContext, cart: Cart) -> None:
        super().__init__(parent, tr("member_title"))
        self.ctx, self.cart = ctx, cart
        self.found: MemberView | None = None
        self.by_code = False  # the member showed their own code (QR or the 18 digits)
        self.code = QLineEdit(objectName="member_code")
        self.code.setPlaceholderText(tr("member_hint"))
        self.form.addRow(tr("member"), self.code)
        signup = self.buttons.addButton(tr("member_signup"), self.buttons.ButtonRole.ActionRole)
        signup.setObjectName("member_signup")
        signup.clicked.connect(self.sign_up)
        remove = self.buttons.addButton(tr("member_remove"), self.buttons.ButtonRole.ResetRole)
        remove.setObjectName("member_remove")
        remove.clicked.connect(self._remove)
        ctx.router.push(self._on_scan)
        self.finished.connect(lambda _: ctx.router.remove(self._on_scan))

    def _on_scan(self, code: str) -> None:
        try:
            intent = route_scan(code, ScanContext.MEMBER)
        except WrongScanContext as error:  # a coupon: it goes on the sale screen
            show_message(self.error, error_text(error), error=True)
            return
        self.code.setText(getattr(intent, "code", code))
        self._on_ok()

    def _remove(self) -> None:
        self.cart.detach_member()
        self.accept()

    def _run(self, work: Callable[[], MemberView], done: Callable[[MemberView], None]) -> None:
        show_message(self.error, tr("member_finding"), error=False)
        self.setEnabled(False)
        self.ctx.ops.run(work, success=done, failure=self._failed, owner=self)

    def _failed(self, error: Exception) -> None:
        self.setEnabled(True)
        show_message(self.error, error_text(error), error=True)

    def _attach(self, member: MemberView) -> None:
        self.setEnabled(True)
        self.found = member
        self.cart.attach_member(member.member_id, tier=member.tier)
        self.accept()

    def _on_ok(self) -> None:
        """OK or a scan: find the member (off the GUI thread) and attach them."""
        db, directory, text = self.ctx.db, self.ctx.members, self.code.text()
        self.by_code = shows_own_code(text)
        self._run(lambda: find_member(db, directory, text, now=datetime.now(UTC)), self._attach)

    def sign_up(self) -> None:
        db, directory, phone = self.ctx.db, self.ctx.members, self.code.text()
        self.by_code = False
        self._run(lambda: quick_signup(db, directory, phone), self._attach)
