"""Manager override (DESIGN §4): a manager enters their PIN on the spot to approve a void, a
price change, a large discount, a refund or a settings change. The PIN is checked (Argon2id,
slow on purpose) on the background runner, never on the GUI thread; wrong PINs lock the
dialog for longer and longer, across restarts (services.pin_guard), and are journaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pos_app.services.pin_guard import approve_guarded
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import error_text, tr
from pos_app.ui.qt import QLineEdit, QWidget
from pos_app.ui.widgets import FormDialog, label, show_message


@dataclass(frozen=True)
class Approval:
    """Who approved an action."""

    approver_id: int
    name: str


class OverrideDialog(FormDialog):
    """Asks for a manager PIN. ask() opens it modally; tests replace ask()."""

    def __init__(self, parent: QWidget | None, ctx: TillContext, reason: str) -> None:
        super().__init__(parent, tr("override_title"))
        self.ctx = ctx
        self.approval: Approval | None = None
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setObjectName("pin")
        self.form.addRow(label(tr("override_reason", reason=reason), bold=True))
        self.form.addRow(tr("override_pin"), self.pin)

    def _on_ok(self) -> None:
        """Check the PIN in the background; the dialog closes when a manager's PIN matched."""
        self.buttons.setEnabled(False)
        show_message(self.error, tr("checking"), error=False)
        pin, db = self.pin.text(), self.ctx.db

        def check() -> Approval:
            # This runs on the worker thread.
            owner = approve_guarded(db, pin=pin, now=datetime.now(UTC))
            return Approval(owner.staff_id, owner.name)

        self.ctx.ops.run(check, success=self._approved, failure=self._refused, owner=self)

    def _approved(self, approval: Approval) -> None:
        self.approval = approval
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.pin.clear()
        show_message(self.error, error_text(error), error=True)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: TillContext, reason: str) -> Approval | None:
        """Approval for reason, or None if refused or cancelled. A logged-in manager approves
        their own actions without typing their PIN again."""
        if ctx.staff is not None and ctx.staff.is_manager:
            return Approval(ctx.staff.staff_id, ctx.staff.name)
        dialog = cls(parent, ctx, reason)
        dialog.exec()
        return dialog.approval
